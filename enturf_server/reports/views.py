"""Reports API: read-only aggregates for the POS Reports tab (docs/reports.md)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_server.accounts.permissions import IsAdmin
from enturf_server.api.inputs import validated
from enturf_server.reports.queries import GROUPS, SalesQuery
from enturf_server.reports.sales import sales_report
from enturf_server.reports.serializers import SalesReportOutput

_PERIOD = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (venue's zone)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day, inclusive"),
    OpenApiParameter("venue", int),
]


class ReportView(APIView):
    # rights: HasRight(Right.VIEW_REPORTS) once rights-server is merged
    permission_classes = [IsAdmin]


class SalesReportView(ReportView):
    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", str, enum=list(GROUPS), required=True),
            *_PERIOD,
            OpenApiParameter("event", int),
        ],
        responses=SalesReportOutput,
    )
    def get(self, request):
        q = validated(SalesQuery, request.query_params)
        report = sales_report(
            group_by=q["group_by"],
            start=q.get("from"),
            end=q.get("to"),
            venue=q.get("venue"),
            event=q.get("event"),
        )
        return Response(SalesReportOutput(report).data)
