"""Selling at this counter: allocations and local sales."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from enturf_core.wire.ops import CounterSale
from enturf_pos.models.base import Base
from enturf_pos.models.column_types import (
    created_now,
    json_dict,
    json_list,
    updated_now,
    uuid_pk,
    version_counter,
)


class Allocation(Base):
    """Seats and GA quota of an event allocated to a counter (sellable offline).

    The feed sends every counter's allocations; `device_id` (the server's device id) says
    whose it is. `areas` is the quota per area, `sold` what the server recorded as sold
    from it (both keyed by area id as text)."""

    __tablename__ = "allocations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[int] = mapped_column(index=True)
    device_id: Mapped[int | None] = mapped_column(index=True)
    seats: Mapped[json_dict] = mapped_column(doc='{"ids": [seat id, ...]}')
    areas: Mapped[json_dict] = mapped_column(doc="{area id: quantity}")
    sold: Mapped[json_dict] = mapped_column(doc="{area id: places sold from the quota}")
    pending_release: Mapped[json_dict] = mapped_column(
        doc='{"seats": [...], "areas": {...}} the server releases after our next push'
    )
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]


class LocalSale(Base):
    """A sale made at this counter; its id is the booking id on the server.

    `payload` is the whole `counter_sale` op payload; `op_id` is its outbox op, whose
    state says whether the server has it."""

    __tablename__ = "local_sales"

    id: Mapped[uuid_pk]
    created_at: Mapped[created_now] = mapped_column(index=True)
    payload: Mapped[json_dict]
    op_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    event_id: Mapped[int | None] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(String(12), default="", server_default="")
    total: Mapped[Decimal | None]
    currency: Mapped[str] = mapped_column(String(3), default="", server_default="")
    seller: Mapped[str] = mapped_column(String(150), default="", server_default="")
    offline: Mapped[bool] = mapped_column(default=False, server_default="0")

    @property
    def sale(self) -> CounterSale:
        """The stored `counter_sale` payload as its wire class (parsed on each call:
        read it once per use). `WireError` if it has not the op's shape."""
        return CounterSale.from_wire(self.payload)


class LocalRefund(Base):
    """A refund made at this counter (through the server's `POST /api/v1/refunds/`).

    The id is the refund's id on the server (the counter chooses it, so a retry replays).
    `parts` is what went back per payment method (`[{"method", "amount"}]`: cash from
    this drawer, card to the card); `lines` the refunded lines as the shift report needs
    them (`[{"line", "event", "ticket", "amount"}]`, an empty list for a whole-booking
    refund without lines). `shift_id` is the shift open at this counter at the time."""

    __tablename__ = "local_refunds"

    id: Mapped[uuid_pk]
    created_at: Mapped[created_now] = mapped_column(index=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(index=True)
    booking_code: Mapped[str] = mapped_column(String(12), default="", server_default="")
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    parts: Mapped[json_list] = mapped_column(doc='[{"method": "cash"|"card", "amount"}]')
    lines: Mapped[json_list] = mapped_column(doc='[{"line", "event", "ticket", "amount"}]')
    user: Mapped[str] = mapped_column(String(150), default="", server_default="")
    reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    shift_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
