"""The counter's shifts and its cash drawer (docs/shifts.md, "At the counter")."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from enturf_pos.models.base import Base
from enturf_pos.models.column_types import json_dict, uuid_pk


class ShiftState:
    OPEN = "open"
    CLOSED = "closed"


class LocalShift(Base):
    """A shift at this counter; its id is the shift's id on the server.

    `open_slot` is True while the shift is open and NULL once closed: its unique index
    lets the database itself refuse a second open shift on this counter. `counted` and
    `report` are what the close sent (`shift_close` payload); `open_op_id` /
    `close_op_id` are the outbox ops, whose state says whether the server has them."""

    __tablename__ = "shifts"

    id: Mapped[uuid_pk]
    cashier: Mapped[str] = mapped_column(String(150), index=True)
    opened_at: Mapped[datetime] = mapped_column(index=True)
    opening_float: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(10), default=ShiftState.OPEN)
    open_slot: Mapped[bool | None] = mapped_column(unique=True, default=True)
    closed_at: Mapped[datetime | None]
    counted: Mapped[json_dict] = mapped_column(doc='{"cash": "…", "card": "…"}')
    report: Mapped[json_dict] = mapped_column(doc="the shift_close report as sent")
    difference: Mapped[Decimal | None]
    approved_by: Mapped[str] = mapped_column(String(150), default="", server_default="")
    open_op_id: Mapped[uuid.UUID | None]
    close_op_id: Mapped[uuid.UUID | None]


class LocalDrawerMovement(Base):
    """Cash put into (`cash_in`) or taken out of (`cash_out`) the drawer during a shift.

    The opening float is the shift's `opening_float`, not a row here (the server makes its
    own float movement from `shift_open`). `amount` is always positive."""

    __tablename__ = "drawer_movements"

    id: Mapped[uuid_pk]
    shift_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shifts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime]
    user: Mapped[str] = mapped_column(String(150), default="", server_default="")
    op_id: Mapped[uuid.UUID | None]
