"""What a counter's sale must be before anything is locked: its shape, tickets, currency,
taxes, payments and ticket codes; and its card payments as the gateway has them.

Each check refuses with a `ServiceError` (the push answers ``rejected``); none writes.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from enturf_core.money import Money
from enturf_core.pricing.tax import tax_of_gross
from enturf_core.ticket_codes import InvalidTicketCode, PublicKeyInfo, verify
from enturf_server.accounts.models import Device
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.billing.models import PaymentMethod
from enturf_server.billing.services.payments import retrieve_intent, verify_intent
from enturf_server.catalog.models import Event, Ticket
from enturf_server.counters.sale import CounterSale, SaleLine, SalePayment
from enturf_server.sales import rules
from enturf_server.sales.models import BookingLine


def check_shape(sale: CounterSale) -> None:
    if not sale.lines:
        raise ServiceError("A sale needs at least one line.", code="empty_booking")
    rules.ensure_size(len(sale.lines))
    rules.unique_seats(line.seat for line in sale.lines if line.seat is not None)
    ids = [line.id for line in sale.lines] + [p.id for p in sale.payments]
    if len(set(ids)) != len(ids) or sale.booking_id in ids:
        raise ServiceError("Line and payment ids must be unique.", code="duplicate_ids")
    if BookingLine.objects.filter(pk__in=[line.id for line in sale.lines]).exists():
        raise Conflict("A line id of this sale is already used.", code="line_id_taken")


def ticket_of(tickets: dict[int, Ticket], line: SaleLine) -> Ticket:
    ticket = tickets.get(line.ticket)
    if ticket is None:
        raise ServiceError(
            f"Ticket {line.ticket} is not a ticket of this event.",
            code="unknown_ticket",
            details={"ticket": line.ticket, "line": str(line.id)},
        )
    if line.area is not None and ticket.area_id != line.area:
        raise ServiceError(
            f"Ticket {ticket.pk} ({ticket.name}) does not sell area {line.area}.",
            code="ticket_mismatch",
            details={"ticket": ticket.pk, "line": str(line.id)},
        )
    return ticket


def currency_of(tickets: list[Ticket], sale: CounterSale) -> str:
    currencies = {t.currency for t in tickets}
    if len(currencies) != 1:
        raise ServiceError(
            "All tickets of a sale must be in one currency.",
            code="mixed_currencies",
            details={"currencies": sorted(currencies)},
        )
    currency = currencies.pop()
    for payment in sale.payments:
        if payment.currency.upper() != currency:
            raise ServiceError(
                f"The sale is in {currency}; payment {payment.id} is in {payment.currency}.",
                code="currency_mismatch",
            )
    return currency


def check_taxes(sale: CounterSale, currency: str) -> None:
    """Each recorded line must be internally consistent: its tax is what
    `enturf_core.pricing` gives for its price and rate."""
    for line in sale.lines:
        try:
            expected = tax_of_gross(Money(line.price, currency), line.tax_rate)
        except (ValueError, ArithmeticError) as exc:
            raise ServiceError(
                f"Line {line.id}: {exc}.", code="invalid_price", details={"line": str(line.id)}
            ) from None
        if expected.amount != line.tax_amount:
            raise ServiceError(
                f"Line {line.id}: the tax on {line.price} at {line.tax_rate} % is "
                f"{expected.amount}, not {line.tax_amount}.",
                code="tax_mismatch",
                details={"line": str(line.id), "tax_amount": str(expected.amount)},
            )


def check_payments(sale: CounterSale, total: Decimal, currency: str) -> None:
    paid = sum((p.amount for p in sale.payments), Decimal("0.00"))
    if paid != total:
        raise ServiceError(
            f"The payments ({paid} {currency}) must add up to the sale's total "
            f"({total} {currency}).",
            code="payments_do_not_match_total",
            details={"total": str(total), "paid": str(paid)},
        )
    for p in sale.payments:
        if p.method == PaymentMethod.CARD and not p.payment_intent:
            raise ServiceError(
                f"Card payment {p.id} needs its payment_intent.", code="payment_intent_required"
            )
        if p.method == PaymentMethod.CASH and p.payment_intent:
            raise ServiceError(f"Cash payment {p.id} has a payment_intent.", code="invalid")
        if p.tendered is not None and p.tendered < p.amount:
            raise ServiceError(
                f"Payment {p.id}: tendered {p.tendered} is less than its amount {p.amount}.",
                code="invalid_tendered",
            )
        if p.change is not None and p.change != (p.tendered or p.amount) - p.amount:
            raise ServiceError(
                f"Payment {p.id}: the change should be {(p.tendered or p.amount) - p.amount}.",
                code="invalid_change",
            )
    intents = [p.payment_intent for p in sale.payments if p.payment_intent]
    if len(set(intents)) != len(intents):
        raise ServiceError("A card payment is listed twice.", code="payment_intent_used")


def check_codes(sale: CounterSale, device: Device, event: Event) -> None:
    """Codes the counter signed must be signed with this counter's key and name exactly
    their line, event and seat or area."""
    if not any(line.ticket_code for line in sale.lines):
        return
    try:
        key = PublicKeyInfo.from_base64(device.signing_public_key)
    except (ValueError, TypeError):
        raise ServiceError(
            f"Counter {device.name} has no signing key; its codes cannot be checked.",
            code="bad_ticket_code",
        ) from None
    keyring = {key.key_id: key}
    for line in sale.lines:
        if not line.ticket_code:
            continue

        def refuse(why: str, line: SaleLine = line) -> ServiceError:
            return ServiceError(
                f"The ticket code of line {line.id} {why}.",
                code="bad_ticket_code",
                details={"line": str(line.id)},
            )

        try:
            claims = verify(line.ticket_code, keyring)
        except InvalidTicketCode as exc:
            raise refuse(f"does not verify with this counter's key ({exc.reason.value})") from None
        expected = (str(line.id), str(event.pk), _text(line.seat), _text(line.area))
        got = tuple(
            _text(v) for v in (claims.line_id, claims.event_id, claims.seat_id, claims.area_id)
        )
        if got != expected:
            raise refuse("names another line, event, seat or area")


def _text(value) -> str | None:
    return None if value is None else str(value)


def verified_intent(payment: SalePayment, booking_id: uuid.UUID) -> dict[str, Any]:
    intent = retrieve_intent(payment.payment_intent or "")
    verify_intent(intent, booking_id=booking_id, amount=payment.amount, currency=payment.currency)
    return intent
