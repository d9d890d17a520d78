"""The cash drawer's openings at this counter, for the audit (local only, next to the
print log): every kick pulse the counter sent, why (a cash sale, a cash refund, a
manager's "open drawer" without a sale, a test from *Printers…*), who asked, who
approved it, in which shift, and whether the printer took it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from enturf_pos.models import DrawerOpening, LocalShift, ShiftState
from enturf_pos.services.session.pos_context import PosContext


class DrawerReason(StrEnum):
    SALE = "sale"  # a sale with cash taken (split too)
    REFUND = "refund"  # cash given back
    NO_SALE = "no_sale"  # a manager opened it (approved by an administrator)
    TEST = "test"  # the printer settings' "open drawer"


@dataclass(frozen=True)
class DrawerRow:
    at: datetime
    reason: str
    note: str
    user: str
    approved_by: str
    shift_id: uuid.UUID | None
    sale_id: uuid.UUID | None
    printer: str
    outcome: str
    message: str


def record(
    *,
    ctx: PosContext,
    reason: DrawerReason | str,
    user: str,
    outcome: str,
    note: str = "",
    approved_by: str = "",
    sale_id: uuid.UUID | None = None,
    printer: str = "",
    message: str = "",
) -> uuid.UUID:
    with ctx.db.transaction() as session:
        shift_id = session.scalar(select(LocalShift.id).where(LocalShift.state == ShiftState.OPEN))
        row = DrawerOpening(
            reason=str(reason)[:20],
            note=note[:300],
            user=user[:150],
            approved_by=approved_by[:150],
            shift_id=shift_id,
            sale_id=sale_id,
            printer=printer[:300],
            outcome=str(outcome)[:20],
            message=message[:500],
        )
        session.add(row)
        session.flush()
        return row.id


def openings(
    *, ctx: PosContext, shift_id: uuid.UUID | None = None, limit: int = 500
) -> list[DrawerRow]:
    """The latest first (of one shift when `shift_id` is given)."""
    query = select(DrawerOpening).order_by(DrawerOpening.created_at.desc()).limit(limit)
    if shift_id is not None:
        query = query.where(DrawerOpening.shift_id == shift_id)
    with ctx.db.transaction() as session:
        return [
            DrawerRow(
                r.created_at,
                r.reason,
                r.note,
                r.user,
                r.approved_by,
                r.shift_id,
                r.sale_id,
                r.printer,
                r.outcome,
                r.message,
            )
            for r in session.scalars(query)
        ]
