"""Input and output shapes of the invoices API (read-only: invoices are never edited)."""

from __future__ import annotations

from rest_framework import serializers

from enturf_server.invoicing.models import Invoice, InvoiceKind, InvoiceLine


class InvoiceListQuery(serializers.Serializer):
    booking = serializers.UUIDField(required=False)
    kind = serializers.ChoiceField(choices=InvoiceKind.choices, required=False)


class InvoiceLineOutput(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "description",
            "quantity",
            "unit_gross",
            "discount",
            "tax_rate",
            "net",
            "tax",
            "gross",
            "booking_lines",
        ]
        read_only_fields = fields


class InvoiceOutput(serializers.ModelSerializer):
    # a plain string in the schema: an enum named "kind" would collide with vouchers' kind
    kind = serializers.CharField(help_text="invoice or credit_note")
    number = serializers.CharField(source="full_number")
    references = serializers.SerializerMethodField()
    lines = InvoiceLineOutput(many=True, read_only=True)
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "kind",
            "number",
            "series",
            "year",
            "issued_at",
            "booking",
            "booking_code",
            "references",
            "seller_name",
            "seller_address",
            "seller_vat_id",
            "buyer_name",
            "buyer_email",
            "event_name",
            "event_starts_at",
            "venue_name",
            "currency",
            "total_net",
            "total_tax",
            "total_gross",
            "tax_summary",
            "payment_methods",
            "lines",
            "pdf",
        ]
        read_only_fields = fields

    def get_references(self, invoice: Invoice) -> dict | None:
        ref = invoice.references
        return {"id": ref.pk, "number": ref.full_number} if ref else None

    def get_pdf(self, invoice: Invoice) -> str:
        return f"/api/v1/invoices/{invoice.pk}/pdf/"
