"""Reading invoices as each role may see them, and their printable form."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db.models import QuerySet

from enturf_core.money import Money
from enturf_server.accounts.roles import is_staff_role
from enturf_server.api.errors import NotFound
from enturf_server.catalog.local_time import house_zone, local, venue_zone
from enturf_server.invoicing.models import Invoice, InvoiceKind
from enturf_server.invoicing.pdf import DocumentLine, InvoiceDocument, Party, TaxRow


def invoices_for(
    *, user, booking_id: uuid.UUID | None = None, kind: str | None = None
) -> QuerySet[Invoice]:
    """Staff see every invoice; a customer those of their own bookings."""
    qs = Invoice.objects.select_related("references")
    if not is_staff_role(user):
        qs = qs.filter(booking__owner=user)
    if booking_id is not None:
        qs = qs.filter(booking_id=booking_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-issued_at", "-id").prefetch_related("lines")


def invoice_number(booking_id: uuid.UUID) -> str | None:
    """The full number of the booking's invoice; None before it is invoiced."""
    return (
        Invoice.objects.filter(booking_id=booking_id, kind=InvoiceKind.INVOICE)
        .values_list("full_number", flat=True)
        .first()
    )


def invoice_for(*, user, invoice_id: int) -> Invoice:
    """One invoice `user` may read; anyone else's answers 404 (not 403: no probing)."""
    invoice = invoices_for(user=user).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound("There is no such invoice.")
    return invoice


def invoice_document(invoice: Invoice) -> InvoiceDocument:
    """The printable form of `invoice` (plain data for `invoicing.pdf`)."""
    currency = invoice.currency

    def money(value: Decimal | str) -> Money:
        return Money(Decimal(value), currency)

    reference = invoice.references
    house = house_zone()
    return InvoiceDocument(
        title="Credit note" if invoice.kind == InvoiceKind.CREDIT_NOTE else "Invoice",
        number=invoice.full_number,
        issued_at=local(invoice.issued_at, house),
        seller=Party(
            name=invoice.seller_name,
            address=invoice.seller_address,
            vat_id=invoice.seller_vat_id,
        ),
        buyer=Party(name=invoice.buyer_name, email=invoice.buyer_email),
        booking_code=invoice.booking_code,
        event_name=invoice.event_name,
        event_starts_at=local(
            invoice.event_starts_at, venue_zone(invoice.booking.event.seat_map.venue)
        ),
        venue_name=invoice.venue_name,
        lines=[
            DocumentLine(
                description=line.description,
                quantity=line.quantity,
                unit_gross=money(line.unit_gross),
                tax_rate=line.tax_rate,
                net=money(line.net),
                tax=money(line.tax),
                gross=money(line.gross),
                discount=money(line.discount),
            )
            for line in invoice.lines.all()
        ],
        taxes=[
            TaxRow(
                rate=Decimal(row["rate"]),
                net=money(row["net"]),
                tax=money(row["tax"]),
                gross=money(row["gross"]),
            )
            for row in invoice.tax_summary
        ],
        total_net=money(invoice.total_net),
        total_tax=money(invoice.total_tax),
        total_gross=money(invoice.total_gross),
        payments=[(p["method"], money(p["amount"])) for p in invoice.payment_methods],
        references=reference.full_number if reference else None,
        references_issued_at=local(reference.issued_at, house) if reference else None,
    )


def pdf_filename(invoice: Invoice) -> str:
    return f"{invoice.full_number}.pdf"
