"""Server-side pricing of booking lines through `enturf_core.pricing` (tax-inclusive,
per-line tax rounded ROUND_HALF_UP), so server and POS agree to the cent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from enturf_core.money import Money
from enturf_core.pricing import (
    BookingFee,
    LineInput,
    PriceBreakdown,
    Voucher,
    compute_breakdown,
)
from enturf_server.api.errors import ServiceError
from enturf_server.catalog.models import Ticket


@dataclass(frozen=True)
class PricedTickets:
    currency: str
    prices: list[tuple[Decimal, Decimal]]  # (tax-inclusive price, tax) per ticket, in order
    total: Decimal
    breakdown: PriceBreakdown | None = None  # with fee lines and discounts (billing)


def price_tickets(
    tickets: Sequence[Ticket],
    *,
    voucher: Voucher | None = None,
    booking_fee: BookingFee | None = None,
) -> PricedTickets:
    """Price one line per ticket from the tickets' current prices (never a client's).

    With a voucher, a line's price is what is paid for it (after its discount); the
    booking fee adds to the total, not to the lines (billing stores the breakdown)."""
    currencies = {ticket.currency for ticket in tickets}
    if len(currencies) != 1:
        raise ServiceError(
            "All tickets of a booking must be in one currency.",
            code="mixed_currencies",
            details={"currencies": sorted(currencies)},
        )
    currency = currencies.pop()
    inputs: list[LineInput] = []
    for ticket in tickets:
        inputs.append(
            LineInput(
                unit_price=Money(ticket.price, currency),
                tax_rate=ticket.tax_rate,
                ticket_id=str(ticket.pk),
            )
        )
    breakdown = compute_breakdown(
        inputs, currency=currency, booking_fee=booking_fee, voucher=voucher
    )
    return PricedTickets(
        currency=breakdown.currency,
        prices=[(line.gross.amount, line.tax.amount) for line in breakdown.ticket_lines()],
        total=breakdown.total.amount,
        breakdown=breakdown,
    )
