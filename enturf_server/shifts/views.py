"""Shifts API (read-only; shifts arrive by push): admins see all, employees their own."""

from __future__ import annotations

import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_core.z_report_pdf import render_z_report
from enturf_server.accounts.permissions import HasRight, IsStaff
from enturf_server.api.inputs import validated
from enturf_server.api.pagination import DefaultPagination
from enturf_server.invoicing.views import PdfView, pdf_response
from enturf_server.shifts import selectors, services
from enturf_server.shifts.models import Shift
from enturf_server.shifts.serializers import (
    ShiftApproveInput,
    ShiftDetailOutput,
    ShiftListQuery,
    ShiftOutput,
)
from enturf_server.shifts.z_report import z_report_document


class ShiftListView(GenericAPIView):
    permission_classes = [IsStaff]
    pagination_class = DefaultPagination
    serializer_class = ShiftOutput
    queryset = Shift.objects.none()  # for the schema; rows come from the selector

    @extend_schema(
        parameters=[
            OpenApiParameter("device", int),
            OpenApiParameter("cashier", str, description="username"),
            OpenApiParameter("state", str, enum=["open", "closed"]),
            OpenApiParameter("date", OpenApiTypes.DATE, description="opened on this day"),
        ],
        responses=ShiftOutput(many=True),
    )
    def get(self, request):
        q = validated(ShiftListQuery, request.query_params)
        shifts = selectors.shifts_for(
            user=request.user,
            device=q.get("device"),
            cashier=q.get("cashier"),
            state=q.get("state"),
            day=q.get("date"),
        )
        page = self.paginate_queryset(shifts)
        return self.get_paginated_response(ShiftOutput(page, many=True).data)


class ShiftDetailView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses=ShiftDetailOutput)
    def get(self, request, shift_id: uuid.UUID):
        shift = selectors.shift_for(user=request.user, shift_id=shift_id)
        return Response(ShiftDetailOutput(shift).data)


class ShiftApproveView(APIView):
    """A holder of `close_with_difference` approves online a close whose difference waits
    for a decision."""

    permission_classes = [HasRight(Right.CLOSE_WITH_DIFFERENCE)]

    @extend_schema(request=ShiftApproveInput, responses=ShiftDetailOutput)
    def post(self, request, shift_id: uuid.UUID):
        data = validated(ShiftApproveInput, request.data)
        shift = services.approve_close(shift_id=shift_id, actor=request.user, note=data["note"])
        return Response(
            ShiftDetailOutput(selectors.shift_for(user=request.user, shift_id=shift.pk)).data
        )


class ZReportPdfView(PdfView):
    permission_classes = [IsStaff]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="A4 PDF")
        }
    )
    def get(self, request, shift_id: uuid.UUID):
        shift = selectors.shift_for(user=request.user, shift_id=shift_id)
        return pdf_response(render_z_report(z_report_document(shift)), f"z-report-{shift.pk}.pdf")
