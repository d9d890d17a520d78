"""Invoices in the Django admin: read-only (an issued invoice is never changed), with a
link to its PDF."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from enturf_server.api.admin_mixins import ReadOnlyAdminMixin
from enturf_server.invoicing.models import Invoice, InvoiceLine, InvoiceSequence
from enturf_server.invoicing.pdf import render_invoice
from enturf_server.invoicing.selectors import invoice_document, pdf_filename


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = [
        "position",
        "description",
        "quantity",
        "unit_gross",
        "tax_rate",
        "net",
        "tax",
        "gross",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "full_number",
        "kind",
        "issued_at",
        "booking_code",
        "buyer_name",
        "total_gross",
        "currency",
        "pdf_link",
    ]
    list_filter = ["kind", "series", "year"]
    search_fields = ["full_number", "booking_code", "buyer_name", "buyer_email"]
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline]
    readonly_fields = ["pdf_link"]

    @admin.display(description="PDF")
    def pdf_link(self, obj: Invoice) -> str:
        url = reverse("admin:invoicing_invoice_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}.pdf</a>', url, obj.full_number)

    def get_urls(self):
        return [
            path(
                "<int:invoice_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="invoicing_invoice_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, invoice_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice, pk=invoice_id)
        response = HttpResponse(
            render_invoice(invoice_document(invoice)), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{pdf_filename(invoice)}"'
        return response


@admin.register(InvoiceSequence)
class InvoiceSequenceAdmin(ReadOnlyAdmin):
    list_display = ["series", "year", "last_number"]
