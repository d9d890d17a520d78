"""`counter_sale` payloads for local sales written straight into a counter's database,
built with the wire classes (`enturf_core.wire.ops`) as `sale_service` stores them, so
that `LocalSale.sale` reads them as it reads a real sale."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from enturf_core.wire import ops as wire

_MONEY = ("amount", "tendered", "change")


def sale_payload(
    sale_id: uuid.UUID,
    *,
    event: int,
    seller: str = "",
    lines: Iterable[tuple[int, str]] = (),
    payments: Iterable[Mapping[str, Any]] = (),
    currency: str = "EUR",
    at: datetime | None = None,
    area: int = 1,
) -> dict[str, Any]:
    """A sale of `lines` ((ticket id, price) each, in GA area `area`, no tax) paid by
    `payments` (``{"method", "amount", "tendered"?, "change"?}`` with amounts as text)."""
    return wire.CounterSale(
        booking=wire.SaleBooking(
            id=sale_id, event=event, created_at=at or datetime.now(UTC), seller=seller
        ),
        lines=tuple(
            wire.SaleLine(
                id=uuid.uuid4(),
                ticket=ticket,
                price=Decimal(price),
                tax_rate=Decimal("0"),
                tax_amount=Decimal("0.00"),
                area=area,
            )
            for ticket, price in lines
        ),
        payments=tuple(
            wire.SalePayment(
                id=uuid.uuid4(),
                currency=currency,
                **{k: Decimal(v) if k in _MONEY else v for k, v in p.items()},
            )
            for p in payments
        ),
    ).to_wire()
