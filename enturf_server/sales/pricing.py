"""Server-side pricing of booking lines through `enturf_core.pricing` (tax-inclusive,
per-line tax rounded ROUND_HALF_UP), so server and POS agree to the cent."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property, lru_cache

from enturf_core.money import Money
from enturf_core.pricing.breakdown import PriceBreakdown, compute_breakdown
from enturf_core.pricing.terms import BookingFee, LineInput, Voucher
from enturf_server.api.errors import ServiceError
from enturf_server.audit.models import AuditEntry
from enturf_server.catalog.models import Ticket


@dataclass(frozen=True)
class PricedTickets:
    currency: str
    prices: list[tuple[Decimal, Decimal]]  # (tax-inclusive price, tax) per ticket, in order
    total: Decimal
    tickets: tuple[Ticket, ...] = ()
    voucher: Voucher | None = None
    booking_fee: BookingFee | None = None

    @cached_property
    def breakdown(self) -> PriceBreakdown:
        """With fee lines and discounts (billing); built when asked for."""
        return compute_breakdown(
            _inputs(self.tickets, self.currency),
            currency=self.currency,
            booking_fee=self.booking_fee,
            voucher=self.voucher,
        )


def price_tickets(
    tickets: Sequence[Ticket],
    *,
    voucher: Voucher | None = None,
    booking_fee: BookingFee | None = None,
) -> PricedTickets:
    """Price one line per ticket from the tickets' current prices (never a client's).

    With a voucher, a line's price is what is paid for it (after its discount); the
    booking fee adds to the total, not to the lines (billing stores the breakdown).
    Without either, each line's price and tax depend on its ticket's price and rate only:
    they are computed once per process for each (price, currency, rate), by the same
    `compute_breakdown`, and the breakdown itself only when asked for."""
    currencies = {ticket.currency for ticket in tickets}
    if len(currencies) != 1:
        raise ServiceError(
            "All tickets of a booking must be in one currency.",
            code="mixed_currencies",
            details={"currencies": sorted(currencies)},
        )
    currency = currencies.pop()
    if voucher is None and booking_fee is None and tickets:
        lines = [_plain_line(ticket.price, currency, ticket.tax_rate) for ticket in tickets]
        return PricedTickets(
            currency=lines[0][0],
            prices=[(gross, tax) for _currency, gross, tax in lines],
            total=sum((gross for _currency, gross, _tax in lines[1:]), lines[0][1]),
            tickets=tuple(tickets),
        )
    breakdown = compute_breakdown(
        _inputs(tickets, currency), currency=currency, booking_fee=booking_fee, voucher=voucher
    )
    priced = PricedTickets(
        currency=breakdown.currency,
        prices=[(line.gross.amount, line.tax.amount) for line in breakdown.ticket_lines()],
        total=breakdown.total.amount,
        tickets=tuple(tickets),
        voucher=voucher,
        booking_fee=booking_fee,
    )
    priced.__dict__["breakdown"] = breakdown  # already built
    return priced


def _inputs(tickets: Sequence[Ticket], currency: str) -> list[LineInput]:
    return [
        LineInput(
            unit_price=Money(ticket.price, currency),
            tax_rate=ticket.tax_rate,
            ticket_id=str(ticket.pk),
        )
        for ticket in tickets
    ]


@lru_cache(maxsize=4096)
def _plain_line(price: Decimal, currency: str, rate: Decimal) -> tuple[str, Decimal, Decimal]:
    """(currency, gross, tax) of one ticket line without voucher or fee."""
    breakdown = compute_breakdown(
        [LineInput(unit_price=Money(price, currency), tax_rate=rate)], currency=currency
    )
    (line,) = breakdown.ticket_lines()
    return breakdown.currency, line.gross.amount, line.tax.amount


def tickets_as_at(tickets: Sequence[Ticket], at: datetime) -> list[Ticket]:
    """`tickets` with the price and tax rate each had at `at` (what a counter that sold
    then, offline, had synced). The audit entry of each ticket edit (`ticket.update`)
    keeps the values it replaced (`details.before`); a ticket not edited since `at` is
    returned as it is (the same object), an edited one as an unsaved copy."""
    ids = {str(ticket.pk) for ticket in tickets}
    edits = (
        AuditEntry.objects.filter(
            action="ticket.update", object_type="catalog.ticket", object_id__in=ids, at__gt=at
        )
        .order_by("at", "id")
        .values_list("object_id", "details")
    )
    then: dict[str, dict[str, str]] = {}
    for ticket_id, details in edits:
        for name, value in ((details or {}).get("before") or {}).items():
            then.setdefault(ticket_id, {}).setdefault(name, value)  # the earliest edit's
    out = []
    for ticket in tickets:
        values = then.get(str(ticket.pk))
        if not values:
            out.append(ticket)
            continue
        old = copy.copy(ticket)
        old.price = Decimal(values.get("price", ticket.price))
        old.tax_rate = Decimal(values.get("tax_rate", ticket.tax_rate))
        out.append(old)
    return out
