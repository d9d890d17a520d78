"""Card attempts as this counter records them (`card_attempts`): their states, and
which of them a payment of this process is still driving.

An attempt is ``open`` until it is settled: ``captured`` (the money is taken) or
``canceled`` (nothing is taken). `card_payments` drives one payment; `card_reconcile`
settles the open attempts no payment drives any more.
"""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import select

from enturf_pos.models import CardAttempt
from enturf_pos.services.session.pos_context import PosContext

OPEN, CAPTURED, CANCELED = "open", "captured", "canceled"

# attempts a payment of this process is driving; reconcile leaves them alone
_in_progress: set[uuid.UUID] = set()
_in_progress_lock = threading.Lock()


def track(attempt_id: uuid.UUID, active: bool) -> None:
    """Mark the attempt as driven (or no longer driven) by a payment of this process."""
    with _in_progress_lock:
        (_in_progress.add if active else _in_progress.discard)(attempt_id)


def forget(attempt_id: uuid.UUID) -> None:
    """This process stops driving the attempt (its window closed): the next
    `card_reconcile.reconcile` settles it (cancels it, unless its sale was recorded)."""
    track(attempt_id, False)


def busy() -> set[uuid.UUID]:
    """The attempts a payment of this process is driving now."""
    with _in_progress_lock:
        return set(_in_progress)


def finish(ctx: PosContext, attempt_id: uuid.UUID | None, state: str, note: str) -> None:
    """Record the attempt's final state and why; it is no longer driven."""
    if attempt_id is None:
        return
    with ctx.db.transaction() as session:
        row = session.get(CardAttempt, attempt_id)
        if row is not None:
            row.state, row.note = state, note[:300]
    track(attempt_id, False)


def open_attempts(ctx: PosContext) -> list[uuid.UUID]:
    """The attempts not settled yet, oldest first."""
    with ctx.db.transaction() as session:
        return list(
            session.scalars(
                select(CardAttempt.id)
                .where(CardAttempt.state == OPEN)
                .order_by(CardAttempt.created_at)
            )
        )
