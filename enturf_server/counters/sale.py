"""A counter's sale as the server reads it from the `counter_sale` push op
(`counters.push_handlers`), and what recording it gave (`counters.counter_sales`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from enturf_server.sales.models import Booking


@dataclass(frozen=True)
class LineOverride:
    """A supervisor's price override the counter recorded on a line: why, the price it
    listed, and the administrator's signed approval (None when the counter had none)."""

    reason: str
    listed_price: Decimal | None = None
    approval: Any = None


@dataclass(frozen=True)
class SaleLine:
    id: uuid.UUID
    ticket: int
    price: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    seat: int | None = None
    area: int | None = None
    discount: Decimal = Decimal("0.00")
    ticket_code: str = ""
    override: LineOverride | None = None


@dataclass(frozen=True)
class SalePayment:
    id: uuid.UUID
    method: str
    amount: Decimal
    currency: str
    tendered: Decimal | None = None
    change: Decimal | None = None
    payment_intent: str | None = None


@dataclass(frozen=True)
class CounterSale:
    booking_id: uuid.UUID
    event_id: int
    seller: str
    sold_at: datetime
    lines: list[SaleLine]
    payments: list[SalePayment]
    code: str = ""
    buyer_name: str = ""
    buyer_email: str = ""
    hold_id: uuid.UUID | None = None
    voucher: str = ""  # the code the counter priced the sale with
    shift_id: uuid.UUID | None = None  # the counter's shift open at the sale


@dataclass(frozen=True)
class CounterSaleOutcome:
    booking: Booking
    created: bool
    server_prices: dict[str, str] = field(default_factory=dict)  # line id -> server price
    override_refusals: dict[str, str] = field(default_factory=dict)  # line id -> why
