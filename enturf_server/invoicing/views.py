"""Invoices API: list, detail and PDF. Read-only; issuing happens in billing's services."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_server.api.pagination import DefaultPagination
from enturf_server.invoicing import selectors
from enturf_server.invoicing.models import Invoice
from enturf_server.invoicing.pdf import render_invoice
from enturf_server.invoicing.serializers import InvoiceListQuery, InvoiceOutput


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Length"] = str(len(content))
    return response


class PdfView(APIView):
    """A view that answers PDF bytes; errors still answer the one JSON error shape."""

    def perform_content_negotiation(self, request, force=False):
        # `Accept: application/pdf` must not be refused by DRF's JSON-only negotiation
        return super().perform_content_negotiation(request, force=True)


class InvoiceListView(GenericAPIView):
    """Staff: every invoice (filter with `?booking=`); customers: their bookings' ones."""

    permission_classes = [IsAuthenticated]
    pagination_class = DefaultPagination
    serializer_class = InvoiceOutput
    queryset = Invoice.objects.none()  # for the schema; rows come from the selector

    @extend_schema(
        parameters=[
            OpenApiParameter("booking", OpenApiTypes.UUID),
            OpenApiParameter("kind", str, enum=["invoice", "credit_note"]),
        ],
        responses=InvoiceOutput(many=True),
    )
    def get(self, request):
        query = InvoiceListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        invoices = selectors.invoices_for(
            user=request.user,
            booking_id=query.validated_data.get("booking"),
            kind=query.validated_data.get("kind"),
        )
        page = self.paginate_queryset(invoices)
        return self.get_paginated_response(InvoiceOutput(page, many=True).data)


class InvoiceDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=InvoiceOutput)
    def get(self, request, invoice_id: int):
        invoice = selectors.invoice_for(user=request.user, invoice_id=invoice_id)
        return Response(InvoiceOutput(invoice).data)


class InvoicePdfView(PdfView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="A4 PDF")
        }
    )
    def get(self, request, invoice_id: int):
        invoice = selectors.invoice_for(user=request.user, invoice_id=invoice_id)
        content = render_invoice(selectors.invoice_document(invoice))
        return pdf_response(content, selectors.pdf_filename(invoice))
