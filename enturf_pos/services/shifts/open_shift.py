"""The shift open at this counter: every sale and refund made here belongs to it.

Kept apart from `shift_service` so that the sale and refund services can ask for it
without importing the shift service (which itself reads sales)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_pos.models import LocalShift, ShiftState

NO_OPEN_SHIFT = "No shift is open at this counter. Open one with the cash float first."


def open_shift_id(session: Session) -> uuid.UUID | None:
    """The shift open at this counter, or None."""
    return session.scalar(select(LocalShift.id).where(LocalShift.state == ShiftState.OPEN))
