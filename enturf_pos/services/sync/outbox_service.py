"""The outbox: local changes waiting to be pushed to the server.

`enqueue` adds an op to the caller's session, so the change and its op commit (or roll
back) together. Sync (next step) reads pending ops in `created_at` order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from enturf_pos.models import OutboxOp, OutboxState, SyncStateEntry
from enturf_pos.services.session.pos_context import PosContext

LAST_GOOD_SYNC_KEY = "last_good_sync"


def enqueue(
    session: Session,
    *,
    type: str,
    payload: dict[str, Any],
    base_version: int | None = None,
    base: dict[str, Any] | None = None,
    op_id: uuid.UUID | None = None,
    undo: dict[str, Any] | None = None,
) -> uuid.UUID:
    """`op_id`: the op's id when the payload names it too (an `event_create` is its
    event's id); `undo`: what puts the local change back if the server refuses it."""
    op = OutboxOp(
        id=op_id or uuid.uuid4(),
        type=type,
        payload=payload,
        base_version=base_version,
        base=base,
        created_at=datetime.now(UTC),
        state=OutboxState.PENDING,
        undo=undo,
    )
    session.add(op)
    session.flush()  # a bad payload fails here, inside the caller's transaction
    return op.id


@dataclass(frozen=True, slots=True)
class OutboxSummary:
    pending: int
    last_good_sync: datetime | None


def summary(*, ctx: PosContext) -> OutboxSummary:
    with ctx.db.transaction() as session:
        pending = session.scalar(
            select(func.count()).select_from(OutboxOp).where(OutboxOp.state == OutboxState.PENDING)
        )
        entry = session.get(SyncStateEntry, LAST_GOOD_SYNC_KEY)
    last = datetime.fromisoformat(entry.value) if entry and entry.value else None
    return OutboxSummary(pending=int(pending or 0), last_good_sync=last)


def record_good_sync(*, ctx: PosContext, at: datetime) -> None:
    with ctx.db.transaction() as session:
        entry = session.get(SyncStateEntry, LAST_GOOD_SYNC_KEY) or SyncStateEntry(
            key=LAST_GOOD_SYNC_KEY
        )
        entry.value = at.astimezone(UTC).isoformat()
        session.add(entry)
