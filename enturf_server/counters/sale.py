"""A counter's sale as the server reads it from the `counter_sale` push op
(`counters.push_handlers`), and what recording it gave (`counters.counter_sales`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from enturf_core.wire import ops as wire
from enturf_server.sales.models import Booking

# A line, a payment and a line's price override travel as the wire format has them.
LineOverride = wire.LineOverride
SaleLine = wire.SaleLine
SalePayment = wire.SalePayment


@dataclass(frozen=True)
class CounterSale:
    """The pushed `counter_sale` op (`enturf_core.wire.ops.CounterSale`), read with the
    names the recording uses (`booking_id`, `sold_at`, ...); texts trimmed, as the
    serializers always did."""

    op: wire.CounterSale

    @property
    def booking_id(self) -> uuid.UUID:
        return self.op.booking.id

    @property
    def event_id(self) -> int:
        return self.op.booking.event

    @property
    def seller(self) -> str:
        return self.op.booking.seller.strip()

    @property
    def sold_at(self) -> datetime:
        return self.op.booking.created_at

    @property
    def code(self) -> str:
        return self.op.booking.code.strip()

    @property
    def buyer_name(self) -> str:
        return self.op.booking.buyer_name.strip()

    @property
    def buyer_email(self) -> str:
        return self.op.booking.buyer_email.strip()

    @property
    def voucher(self) -> str:
        """The code the counter priced the sale with ("" for none)."""
        return (self.op.booking.voucher or "").strip()

    @property
    def shift_id(self) -> uuid.UUID | None:
        """The counter's shift open at the sale (None from older counters)."""
        return self.op.booking.shift

    @property
    def hold_id(self) -> uuid.UUID | None:
        return self.op.hold

    @property
    def lines(self) -> tuple[SaleLine, ...]:
        return self.op.lines

    @property
    def payments(self) -> tuple[SalePayment, ...]:
        return self.op.payments


@dataclass(frozen=True)
class CounterSaleOutcome:
    booking: Booking
    created: bool
    server_prices: dict[str, str] = field(default_factory=dict)  # line id -> server price
    override_refusals: dict[str, str] = field(default_factory=dict)  # line id -> why
