"""Invoices and credit notes: numbered gap-free per series and year, immutable once issued.

An invoice is a snapshot: seller, buyer, event, lines, tax summary and totals are copied
at issue time, so later edits of settings, events or bookings never change a document
that was handed out. `save()` and `delete()` refuse any change after creation, and so do
`QuerySet.update()` / `QuerySet.delete()`; numbers come from `InvoiceSequence`, locked in
the issuing transaction (see `invoicing.numbering`).
"""

from __future__ import annotations

from django.db import models


class ImmutableDocumentError(Exception):
    """An attempt to change or delete an issued invoice, credit note or one of its lines."""


class _ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableDocumentError(f"{self.model.__name__} rows are immutable once issued.")

    def delete(self):
        raise ImmutableDocumentError(f"{self.model.__name__} rows are never deleted.")


class _ImmutableModel(models.Model):
    objects = _ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableDocumentError(f"{self} is issued and cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError(f"{self} is issued and cannot be deleted.")


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


class InvoiceSequence(models.Model):
    """The last number handed out in a series and year; row-locked while issuing."""

    series = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="invoice_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last_number}"


class Invoice(_ImmutableModel):
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices)
    series = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    full_number = models.CharField(max_length=40, unique=True, help_text="e.g. INV-2026-000123")
    issued_at = models.DateTimeField()
    booking = models.ForeignKey("sales.Booking", on_delete=models.PROTECT, related_name="invoices")
    references = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        help_text="for a credit note: the invoice it corrects",
    )
    refund_id = models.CharField(
        max_length=64, blank=True, default="", help_text="for a credit note: billing's refund"
    )
    # seller and buyer as they were at issue time
    seller_name = models.CharField(max_length=200)
    seller_address = models.TextField(blank=True)
    seller_vat_id = models.CharField(max_length=50, blank=True)
    buyer_name = models.CharField(max_length=200, blank=True)
    buyer_email = models.CharField(max_length=254, blank=True)
    # what was sold
    booking_code = models.CharField(max_length=12)
    event_name = models.CharField(max_length=200)
    event_starts_at = models.DateTimeField()
    venue_name = models.CharField(max_length=200, blank=True)
    currency = models.CharField(max_length=3)
    total_gross = models.DecimalField(max_digits=12, decimal_places=2)
    total_net = models.DecimalField(max_digits=12, decimal_places=2)
    total_tax = models.DecimalField(max_digits=12, decimal_places=2)
    tax_summary = models.JSONField(
        default=list, help_text='[{"rate": "19", "gross": "..", "net": "..", "tax": ".."}]'
    )
    payment_methods = models.JSONField(
        default=list, help_text='[{"method": "card", "amount": "25.00"}]'
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"], name="invoice_number_unique"
            ),
            models.UniqueConstraint(
                fields=["booking"],
                condition=models.Q(kind="invoice"),
                name="one_invoice_per_booking",
            ),
            models.UniqueConstraint(
                fields=["refund_id"],
                condition=models.Q(kind="credit_note") & ~models.Q(refund_id=""),
                name="one_credit_note_per_refund",
            ),
        ]
        indexes = [models.Index(fields=["booking", "kind"], name="invoice_booking_kind")]

    def __str__(self) -> str:
        return self.full_number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE


class InvoiceLine(_ImmutableModel):
    """One line of an invoice: one ticket, or identical GA tickets grouped. On a credit
    note the amounts are negative."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveIntegerField()
    description = models.CharField(max_length=400)
    quantity = models.PositiveIntegerField(default=1)
    unit_gross = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="per unit, tax included, after discount"
    )
    discount = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="total of the line"
    )
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)
    tax = models.DecimalField(max_digits=12, decimal_places=2)
    net = models.DecimalField(max_digits=12, decimal_places=2)
    gross = models.DecimalField(max_digits=12, decimal_places=2)
    booking_lines = models.JSONField(default=list, help_text="ids of the booking lines")

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}#{self.position}: {self.description}"
