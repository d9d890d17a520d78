"""Issuing invoices and credit notes (billing calls these inside its own transactions).

* `issue_invoice(booking=)`, when a booking becomes paid. Its lines come from the
  booking's `enturf_core.pricing` breakdown: billing's stored one (`BookingBreakdown`,
  with fees and voucher discounts) when there is one, else one built from the booking
  lines' stored price (what was paid, tax included), discount and tax. Ticket lines must map one-to-one onto the
  booking's lines (tax equal to the line's `tax_amount`) and the gross must equal
  `booking.total`, or nothing is issued.
* `issue_credit_note(refund=)`, for one of billing's refunds. It mirrors the refunded
  lines (with their per-ticket fees, and the per-booking fee when the last tickets go)
  with negative amounts and references the booking's invoice. A refund of another amount
  is spread over those lines (or, without lines, over the invoice's tax rates) in
  proportion to their gross, each part taxed at its own rate.

Both are idempotent (a booking has one invoice, a refund one credit note) and allocate
their number from the series counter in the same transaction, so numbers stay gap-free.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from enturf_core.money import Money
from enturf_core.pricing.breakdown import LineKind, PriceBreakdown, PricedLine
from enturf_core.pricing.tax import BreakdownError, rate_key, tax_of_gross
from enturf_server.accounts.models import SiteSettings
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.invoicing.models import Invoice, InvoiceKind, InvoiceLine
from enturf_server.invoicing.numbering import format_number, next_number, series_for, year_of
from enturf_server.sales.models import Booking, BookingLine, BookingState, LineState

INVOICEABLE_STATES = (
    BookingState.PAID,
    BookingState.PARTIALLY_REFUNDED,
    BookingState.REFUNDED,
)
# billing's payment states whose amount reached the venue
_COUNTED_PAYMENT_STATES = frozenset({"succeeded", "partially_refunded", "refunded"})
BOOKING_FEE_REF = "fee:booking"


def fee_ref(line_ref: str) -> str:
    """The reference of the per-ticket fee of booking line `line_ref`."""
    return f"fee:{line_ref}"


class InvoiceRefused(Conflict):
    code = "invoice_refused"


# -- describing booking lines ------------------------------------------------------------------


def describe_line(line: BookingLine, event_name: str) -> str:
    """'Event — Section / Row R / Seat 12 — Ticket' or 'Event — Area — Ticket'."""
    if line.seat_id is not None:
        seat = line.seat
        place = f"{seat.row.section.name} / Row {seat.row.label} / Seat {seat.label}"
    else:
        place = line.area.name if line.area_id is not None else ""
    return " — ".join(part for part in (event_name, place, line.ticket.name) if part)


def _line_order(line: BookingLine) -> tuple:
    if line.seat_id is not None:
        row = line.seat.row
        return (0, row.section.position, row.position, line.seat.position, "", str(line.pk))
    return (1, 0, 0, 0, line.area.name if line.area_id else "", str(line.pk))


def _paid_lines(booking: Booking) -> list[BookingLine]:
    """Everything that was paid for: valid and (later) refunded lines, in seat-map order."""
    lines = (
        BookingLine.objects.filter(booking=booking)
        .exclude(state=LineState.CANCELLED)
        .select_related("ticket", "seat__row__section", "area")
    )
    return sorted(lines, key=_line_order)


# -- the booking's breakdown -------------------------------------------------------------------


def _stored_breakdown(booking: Booking) -> dict | None:
    """Billing's stored breakdown (fees, vouchers), if billing stores one for `booking`."""
    try:
        model = apps.get_model("billing", "BookingBreakdown")
    except LookupError:
        return None
    row = model.objects.filter(booking_id=booking.pk).first()
    return row.data if row is not None else None


def _lines_breakdown(booking: Booking, lines: Sequence[BookingLine]) -> PriceBreakdown:
    currency = booking.currency
    priced = []
    for n, line in enumerate(lines, 1):
        # `price` is what was paid for the line (tax included), `discount` what a voucher
        # took off the list price
        gross, discount = Money(line.price, currency), Money(line.discount, currency)
        price, tax = gross + discount, Money(line.tax_amount, currency)
        priced.append(
            PricedLine(
                line_no=n,
                kind=LineKind.TICKET,
                tax_rate=line.tax_rate,
                price=price,
                discount=discount,
                gross=gross,
                tax=tax,
                net=gross - tax,
                key=str(line.pk),
                ticket_id=str(line.ticket_id),
            )
        )
    return PriceBreakdown.from_lines(currency, priced)


def _refused(booking: Booking, why: str, **details: Any) -> InvoiceRefused:
    return InvoiceRefused(
        f"Booking {booking.code}: {why}; no invoice issued.",
        details={"booking": str(booking.pk), **details},
    )


@dataclass(frozen=True)
class _Item:
    """One unit of a document (amounts positive) and what it refers to: a booking line
    id, `fee:<line id>` for a per-ticket fee, `fee:booking`, or None."""

    description: str
    priced: PricedLine
    ref: str | None


def _invoice_items(booking: Booking) -> tuple[list[_Item], PriceBreakdown]:
    lines = _paid_lines(booking)
    by_id = {str(line.pk): line for line in lines}
    try:
        stored = _stored_breakdown(booking)
        breakdown = (
            PriceBreakdown.from_dict(stored)
            if stored is not None
            else _lines_breakdown(booking, lines)
        )
    except BreakdownError as exc:
        raise _refused(booking, f"its amounts are inconsistent ({exc})") from exc
    if breakdown.currency != booking.currency:
        raise _refused(booking, f"its breakdown is in {breakdown.currency}")

    ticket_lines = breakdown.ticket_lines()
    keys = [line.key for line in ticket_lines]
    if sorted(k or "" for k in keys) != sorted(by_id):
        raise _refused(booking, "its breakdown does not match its lines")
    items: list[_Item] = []
    ref_of_line_no: dict[int, str] = {}
    order = {key: n for n, key in enumerate(by_id)}
    for priced in sorted(ticket_lines, key=lambda p: order[p.key or ""]):
        line = by_id[priced.key or ""]
        if priced.tax != Money(line.tax_amount, booking.currency):
            raise _refused(booking, f"the tax of line {line.pk} differs from its breakdown")
        ref_of_line_no[priced.line_no] = str(line.pk)
        items.append(_Item(describe_line(line, booking.event.name), priced, str(line.pk)))
    for fee in breakdown.fee_lines():
        label = fee.label or "Booking fee"
        if fee.for_line is not None:
            items.append(_Item(label, fee, fee_ref(ref_of_line_no[fee.for_line])))
        else:
            items.append(_Item(label, fee, BOOKING_FEE_REF))
    if breakdown.total != Money(booking.total, booking.currency):
        raise _refused(
            booking,
            f"its lines add up to {breakdown.total}, not to its total "
            f"{Money(booking.total, booking.currency)}",
            lines=breakdown.total.amount_text(),
            total=str(booking.total),
        )
    return items, breakdown


# -- writing documents -------------------------------------------------------------------------


def _grouped(items: Iterable[_Item]) -> list[list[_Item]]:
    """Identical units (same text, price, discount and rate: GA places, per-ticket fees)
    share one line."""
    groups: dict[tuple, list[_Item]] = {}
    for item in items:
        p = item.priced
        key = (item.description, p.price, p.discount, rate_key(p.tax_rate))
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def _create_document(
    *,
    kind: InvoiceKind,
    booking: Booking,
    items: Sequence[_Item],
    payment_methods: list[dict[str, str]],
    references: Invoice | None = None,
    refund_id: str = "",
) -> Invoice:
    """Number and store a document; a credit note stores the items' amounts negated."""
    currency = booking.currency
    sign = -1 if kind == InvoiceKind.CREDIT_NOTE else 1

    def signed(value: Money) -> Decimal:
        return value.amount if sign > 0 else -value.amount

    def text(value: Money) -> str:
        return (value if sign > 0 else -value).amount_text()

    try:
        breakdown = PriceBreakdown.from_lines(
            currency,
            [_renumbered(item.priced, n) for n, item in enumerate(items, 1)],
        )
    except BreakdownError as exc:  # pragma: no cover - items come from checked breakdowns
        raise _refused(booking, f"its amounts are inconsistent ({exc})") from exc
    site = SiteSettings.load()
    event = booking.event
    now = timezone.now()
    series, year = series_for(kind), year_of(now)
    number = next_number(series=series, year=year)
    totals = breakdown.totals
    invoice = Invoice.objects.create(
        kind=kind,
        series=series,
        year=year,
        number=number,
        full_number=format_number(series, year, number),
        issued_at=now,
        booking=booking,
        references=references,
        refund_id=refund_id,
        seller_name=site.seller_name,
        seller_address=site.seller_address,
        seller_vat_id=site.seller_vat_id,
        buyer_name=booking.buyer_name or _owner_name(booking),
        buyer_email=booking.buyer_email or _owner_email(booking),
        booking_code=booking.code,
        event_name=event.name,
        event_starts_at=event.starts_at,
        venue_name=event.seat_map.venue.name,
        currency=currency,
        total_gross=signed(totals.gross),
        total_net=signed(totals.net),
        total_tax=signed(totals.tax),
        tax_summary=[
            {
                "rate": rate_key(t.rate),
                "gross": text(t.gross),
                "net": text(t.net),
                "tax": text(t.tax),
            }
            for t in breakdown.taxes
        ],
        payment_methods=payment_methods,
    )
    rows = []
    for position, group in enumerate(_grouped(items), 1):
        first = group[0].priced
        gross = Money.total((i.priced.gross for i in group), currency)
        tax = Money.total((i.priced.tax for i in group), currency)
        rows.append(
            InvoiceLine(
                invoice=invoice,
                position=position,
                description=group[0].description[:400],
                quantity=len(group),
                unit_gross=signed(first.gross),
                discount=signed(Money.total((i.priced.discount for i in group), currency)),
                tax_rate=first.tax_rate,
                tax=signed(tax),
                net=signed(gross - tax),
                gross=signed(gross),
                booking_lines=[i.ref for i in group if i.ref],
            )
        )
    InvoiceLine.objects.bulk_create(rows)
    return invoice


def _renumbered(priced: PricedLine, line_no: int) -> PricedLine:
    """A copy as a plain ticket line numbered `line_no` (documents need no fee links)."""
    return PricedLine(
        line_no=line_no,
        kind=LineKind.TICKET,
        tax_rate=priced.tax_rate,
        price=priced.price,
        discount=priced.discount,
        gross=priced.gross,
        tax=priced.tax,
        net=priced.net,
    )


def _owner_name(booking: Booking) -> str:
    owner = booking.owner
    return (owner.get_full_name() or owner.username) if owner is not None else ""


def _owner_email(booking: Booking) -> str:
    return booking.owner.email if booking.owner is not None else ""


def _payment_methods(booking: Booking) -> list[dict[str, str]]:
    """Amount per payment method from billing's payments (`booking.payments`), if any."""
    manager = getattr(booking, "payments", None)
    if manager is None:
        return []
    totals: dict[str, Money] = {}
    for payment in manager.all():
        state = getattr(payment, "state", None)
        if state is not None and str(state) not in _COUNTED_PAYMENT_STATES:
            continue
        method = str(payment.method)
        amount = Money(payment.amount, booking.currency)
        totals[method] = totals.get(method, Money.zero(booking.currency)) + amount
    return [{"method": m, "amount": a.amount_text()} for m, a in totals.items()]


def _lock_booking(booking: Booking) -> Booking:
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("event__seat_map__venue", "owner")
        .filter(pk=booking.pk)
        .first()
    )
    if locked is None:
        raise ServiceError("There is no such booking.", code="unknown_booking")
    return locked


# -- the public services -----------------------------------------------------------------------


def issue_invoice(*, booking: Booking) -> Invoice:
    """The booking's invoice, issued now if it has none yet (idempotent).

    Call inside the transaction that marks the booking paid, after setting
    `booking.state` (the state of the instance passed in is what is checked). Refuses
    (409 `invoice_refused`) a booking that is not paid or whose amounts do not add up.
    """
    with transaction.atomic():
        locked = _lock_booking(booking)
        existing = Invoice.objects.filter(booking=locked, kind=InvoiceKind.INVOICE).first()
        if existing is not None:
            return existing
        if booking.state not in INVOICEABLE_STATES:
            raise InvoiceRefused(
                f"Booking {locked.code} is {booking.state}; only paid bookings get an invoice.",
                details={"state": booking.state},
            )
        items, _breakdown = _invoice_items(locked)
        if not items:
            raise _refused(locked, "it has no lines")
        return _create_document(
            kind=InvoiceKind.INVOICE,
            booking=locked,
            items=items,
            payment_methods=_payment_methods(locked),
        )


def issue_credit_note(*, refund: Any) -> Invoice:
    """The credit note of billing's `refund` (idempotent by refund id).

    `refund` has `.id`, `.booking`, `.lines` (a manager of the refunded BookingLines;
    may be empty), `.amount` (Decimal, positive) and `.method`. If the booking has no
    invoice yet it is issued first, so a credit note always references one.
    """
    refund_id = str(refund.id)
    with transaction.atomic():
        booking = _lock_booking(refund.booking)
        existing = Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE, refund_id=refund_id).first()
        if existing is not None:
            return existing
        invoice = Invoice.objects.filter(booking=booking, kind=InvoiceKind.INVOICE).first()
        if invoice is None:
            invoice = issue_invoice(booking=refund.booking)
        currency = invoice.currency
        try:
            amount = Money(refund.amount, currency)
        except (TypeError, ValueError) as exc:
            raise ServiceError(f"The refund amount is not valid: {exc}", code="invalid") from exc
        if not amount.is_positive() or not amount.is_quantized:
            raise ServiceError(
                f"A credit note needs a positive amount in whole cents, not {amount}.",
                code="invalid_amount",
            )
        earlier = list(Invoice.objects.filter(references=invoice, kind=InvoiceKind.CREDIT_NOTE))
        credited = Money.total((Money(-c.total_gross, currency) for c in earlier), currency)
        left = Money(invoice.total_gross, currency) - credited
        if amount > left:
            raise InvoiceRefused(
                f"{invoice.full_number} has {left} left to credit; a credit note of {amount} "
                "would exceed it.",
                details={"left": left.amount_text(), "requested": amount.amount_text()},
            )
        credited_refs = {
            ref
            for line in InvoiceLine.objects.filter(invoice__in=earlier)
            for ref in line.booking_lines
        }
        items = _credit_items(
            invoice=invoice,
            refunded={str(pk) for pk in _refunded_line_ids(refund)},
            amount=amount,
            credited_refs=credited_refs,
        )
        method = getattr(refund, "method", "") or ""
        return _create_document(
            kind=InvoiceKind.CREDIT_NOTE,
            booking=booking,
            items=items,
            payment_methods=[{"method": str(method), "amount": (-amount).amount_text()}],
            references=invoice,
            refund_id=refund_id,
        )


def _refunded_line_ids(refund: Any) -> list:
    lines = getattr(refund, "lines", None)
    if lines is None:
        return []
    found = lines.all() if hasattr(lines, "all") else lines
    return [line.pk for line in found]


def _units(invoice: Invoice) -> list[_Item]:
    """The invoice's lines as single units again (a group's units are identical)."""
    currency = invoice.currency
    units = []
    for line in invoice.lines.all():
        q = line.quantity
        gross = Money(line.unit_gross, currency)
        tax = Money(line.tax / q, currency).quantize()
        discount = Money(line.discount / q, currency).quantize()
        refs: list[str | None] = list(line.booking_lines) or [None]
        refs += [None] * (q - len(refs))
        for ref in refs:
            priced = PricedLine(
                line_no=len(units) + 1,
                kind=LineKind.TICKET,
                tax_rate=line.tax_rate,
                price=gross + discount,
                discount=discount,
                gross=gross,
                tax=tax,
                net=gross - tax,
            )
            units.append(_Item(line.description, priced, ref))
    return units


def _credit_items(
    *, invoice: Invoice, refunded: set[str], amount: Money, credited_refs: set[str]
) -> list[_Item]:
    units = _units(invoice)
    currency = amount.currency
    if not refunded:
        # an amount without lines: spread over the invoice's tax rates
        parts = [
            (
                f"Partial refund of {invoice.full_number} ({row['rate']}% tax)",
                Decimal(row["rate"]),
                Money(row["gross"], currency),
                None,
            )
            for row in invoice.tax_summary
        ]
        return _spread(amount, parts)

    ticket_refs = {u.ref for u in units if u.ref and not u.ref.startswith("fee:")}
    for ref in sorted(refunded):
        if ref not in ticket_refs:
            raise InvoiceRefused(
                f"Booking line {ref} is not on {invoice.full_number}.", details={"line": ref}
            )
        if ref in credited_refs:
            raise InvoiceRefused(f"Booking line {ref} was already credited.", details={"line": ref})
    tickets = [u for u in units if u.ref in refunded]
    fees = [u for u in units if u.ref in {fee_ref(r) for r in refunded} - credited_refs]
    last_tickets = ticket_refs <= credited_refs | refunded
    booking_fee = [
        u for u in units if last_tickets and u.ref == BOOKING_FEE_REF and u.ref not in credited_refs
    ]
    candidates = [tickets + fees + booking_fee, tickets + fees, tickets]
    for candidate in candidates:
        if Money.total((u.priced.gross for u in candidate), currency) == amount:
            return candidate
    widest = candidates[0]
    full = Money.total((u.priced.gross for u in widest), currency)
    if amount > full:
        raise InvoiceRefused(
            f"The refund of {amount} is more than the refunded lines' {full}.",
            details={"lines": full.amount_text(), "requested": amount.amount_text()},
        )
    return _spread(
        amount,
        [
            (f"Partial refund: {u.description}", u.priced.tax_rate, u.priced.gross, u.ref)
            for u in widest
        ],
    )


def _spread(amount: Money, parts: list[tuple[str, Decimal, Money, str | None]]) -> list[_Item]:
    """`amount` split over `parts` in proportion to their gross (exact to the cent), each
    share taxed at its part's rate."""
    units = [gross.to_minor_units() for _d, _r, gross, _ref in parts]
    if not any(units):
        raise InvoiceRefused(f"There is nothing paid to credit {amount} against.")
    items = []
    for (description, rate, _gross, ref), share in zip(parts, amount.allocate(units), strict=True):
        if share.is_zero():
            continue
        tax = tax_of_gross(share, rate)
        priced = PricedLine(
            line_no=len(items) + 1,
            kind=LineKind.TICKET,
            tax_rate=rate,
            price=share,
            discount=Money.zero(amount.currency),
            gross=share,
            tax=tax,
            net=share - tax,
        )
        items.append(_Item(description, priced, ref))
    return items
