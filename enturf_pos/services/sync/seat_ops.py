"""A manager's seat ops on this counter (`seat_block`, `seat_release`,
`allocation_change`): their effect on the local seat status, laid over what the feed
brings until the server has them, and undone if the server refuses them.

The effect is written at once (the seat map shows a blocked seat as blocked), with what
the seats were before in the op's `undo`. A pull that replaces an event's status lays
the pending ops over it again; a refusal puts the seats back as they were, unless the
feed changed them since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.wire import ops as wire
from enturf_pos.models import OutboxOp, OutboxState, SeatStatus

BLOCKED = "blocked"
ALLOCATED = "allocated"
SEAT_OPS = (wire.SEAT_BLOCK, wire.SEAT_RELEASE, wire.ALLOCATION_CHANGE)

Effect = dict[str, tuple[str | None, str | None]]  # seat id -> (status, block reason)


def effect(op_type: str, payload: Mapping[str, Any]) -> Effect:
    """What the op makes of each of its seats: (status or None for available, reason)."""
    if op_type == wire.SEAT_BLOCK:
        return {str(s): (BLOCKED, str(payload["reason"])) for s in payload["seats"]}
    if op_type == wire.SEAT_RELEASE:
        return {str(s): (None, None) for s in payload["seats"]}
    if op_type == wire.ALLOCATION_CHANGE:
        out: Effect = {str(s): (None, None) for s in payload.get("remove_seats") or ()}
        out.update({str(s): (ALLOCATED, None) for s in payload.get("add_seats") or ()})
        return out
    return {}


def status_row(session: Session, event_id: int) -> SeatStatus:
    row = session.get(SeatStatus, event_id)
    if row is None:
        row = SeatStatus(event_id=event_id, seats={}, areas={}, blocked={}, version=0)
        session.add(row)
    return row


def _set(seats: dict[str, Any], blocked: dict[str, Any], seat: str, value: tuple) -> None:
    status, reason = value
    if status is None:
        if seats.get(seat) in (BLOCKED, ALLOCATED):  # never frees a held or sold seat
            seats.pop(seat, None)
    else:
        seats[seat] = status
    if reason is None:
        blocked.pop(seat, None)
    else:
        blocked[seat] = reason


def write(session: Session, event_id: int, change: Effect) -> dict[str, Any]:
    """Apply `change` to the event's local status; the undo record (what was there)."""
    row = status_row(session, event_id)
    seats, blocked = dict(row.seats), dict(row.blocked or {})
    before = {s: [seats.get(s), blocked.get(s)] for s in change}
    for seat, value in change.items():
        _set(seats, blocked, seat, value)
    row.seats, row.blocked = seats, blocked
    return {"event": event_id, "before": before}


def undo(session: Session, op: OutboxOp, refused: Mapping[str, str] | None = None) -> None:
    """Put the op's seats back as they were (those the feed has not changed since);
    seats the server named in its refusal take the status it gave."""
    record = op.undo or {}
    if op.type not in SEAT_OPS or "event" not in record:
        return
    row = session.get(SeatStatus, int(record["event"]))
    if row is None:
        return
    seats, blocked = dict(row.seats), dict(row.blocked or {})
    for seat, value in effect(op.type, op.payload).items():
        if (seats.get(seat), blocked.get(seat)) != value:
            continue  # changed since (by the feed): the server's word stands
        status, reason = record["before"].get(seat, [None, None])
        _set(seats, blocked, seat, (status, reason))
    for seat, status in (refused or {}).items():
        if status and status != "available" and str(seat) in record["before"]:
            seats[str(seat)] = status
    row.seats, row.blocked = seats, blocked


def pending(session: Session, event_ids: Iterable[int] | None = None) -> list[OutboxOp]:
    ops = session.scalars(
        select(OutboxOp)
        .where(OutboxOp.state == OutboxState.PENDING, OutboxOp.type.in_(SEAT_OPS))
        .order_by(OutboxOp.created_at)
    ).all()
    if event_ids is None:
        return list(ops)
    wanted = set(event_ids)
    return [op for op in ops if int(op.payload.get("event", 0)) in wanted]


def overlay_pending(session: Session, *, event_ids: Iterable[int]) -> None:
    """Lay the pending seat ops over the events' status just written by the feed."""
    session.flush()
    for op in pending(session, event_ids):
        row = status_row(session, int(op.payload["event"]))
        seats, blocked = dict(row.seats), dict(row.blocked or {})
        for seat, value in effect(op.type, op.payload).items():
            _set(seats, blocked, seat, value)
        row.seats, row.blocked = seats, blocked
