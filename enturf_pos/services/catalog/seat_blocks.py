"""A manager blocks seats of an event (not sold online or at a counter) and releases
them to sale, on this counter, online or offline.

The seats show as blocked here at once (`services/sync/seat_ops.py`), the op is queued
in the same transaction. What this counter already knows is held, sold or allocated is
refused here, naming the seats; the server refuses what it knows besides, and the
seats are then put back (the refusal is listed in the manager's decisions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.wire import ops as wire
from enturf_pos.models import Event, Seat, SeatStatus
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import outbox_service, seat_ops

STATUS_WORDS = {"held": "held", "sold": "sold", "allocated": "on a counter", "blocked": "blocked"}
NAMED_AT_MOST = 10


def seat_names(session: Session, seat_ids: Iterable[int]) -> dict[int, str]:
    """How a manager reads each seat: "Stalls A 12"."""
    ids = list(seat_ids)
    rows = session.execute(
        select(Seat.id, Seat.section, Seat.row, Seat.label).where(Seat.id.in_(ids))
    ).all()
    return {
        sid: " ".join(p for p in (section, row, label) if p) for sid, section, row, label in rows
    }


def listed(names: Iterable[str]) -> str:
    names = list(names)
    more = len(names) - NAMED_AT_MOST
    text = ", ".join(names[:NAMED_AT_MOST])
    return f"{text} and {more} more" if more > 0 else text


def event_seats(
    session: Session, *, event_id: int, seat_ids: Iterable[int]
) -> tuple[list[int], str | None]:
    """The seats (distinct, in order), or what is wrong with them."""
    event = session.get(Event, event_id)
    if event is None:
        return [], "This event is no longer on this counter."
    if event.id < 0:
        return [], "This event is not on the server yet: sync first, then set its seats."
    ids = list(dict.fromkeys(int(s) for s in seat_ids))
    if not ids:
        return [], "Select the seats first."
    known = set(
        session.scalars(
            select(Seat.id).where(Seat.seat_map_id == event.seat_map_id, Seat.id.in_(ids))
        )
    )
    if unknown := [s for s in ids if s not in known]:
        return [], f"{len(unknown)} of these seats are not on this event's seat map."
    return ids, None


def refused_by_status(
    session: Session, event_id: int, ids: list[int], refused: Mapping[str, str]
) -> str | None:
    """A message naming the seats whose status (`refused`: status -> words) forbids it."""
    status = session.get(SeatStatus, event_id)
    seats = status.seats if status is not None else {}
    bad: dict[str, list[int]] = {}
    for sid in ids:
        if (current := seats.get(str(sid))) in refused:
            bad.setdefault(current, []).append(sid)
    if not bad:
        return None
    names = seat_names(session, [s for group in bad.values() for s in group])
    parts = [f"{listed(names[s] for s in group)} ({refused[st]})" for st, group in bad.items()]
    return "These seats cannot be changed: " + "; ".join(parts) + "."


def block_seats(
    *, ctx: PosContext, event_id: int, seat_ids: Iterable[int], reason: str, note: str = ""
) -> EditResult:
    if reason not in wire.BLOCK_REASONS:
        return EditResult(False, f"Choose a reason: {', '.join(wire.BLOCK_REASONS.values())}.")
    with ctx.db.transaction() as session:
        ids, problem = event_seats(session, event_id=event_id, seat_ids=seat_ids)
        if problem:
            return EditResult(False, problem)
        if problem := refused_by_status(
            session, event_id, ids, {k: STATUS_WORDS[k] for k in ("held", "sold", "allocated")}
        ):
            return EditResult(False, problem)
        op = wire.SeatBlock(event=event_id, seats=tuple(ids), reason=reason, note=str(note))
        undo = seat_ops.write(session, event_id, seat_ops.effect(op.OP_TYPE, op.to_wire()))
        outbox_service.enqueue(session, type=op.OP_TYPE, payload=op.to_wire(), undo=undo)
    seats = "1 seat" if len(ids) == 1 else f"{len(ids)} seats"
    return EditResult(True, f"{seats} blocked ({wire.BLOCK_REASONS[reason]}).")


def release_seats(*, ctx: PosContext, event_id: int, seat_ids: Iterable[int]) -> EditResult:
    with ctx.db.transaction() as session:
        ids, problem = event_seats(session, event_id=event_id, seat_ids=seat_ids)
        if problem:
            return EditResult(False, problem)
        status = session.get(SeatStatus, event_id)
        seats = status.seats if status is not None else {}
        ids = [s for s in ids if seats.get(str(s)) == seat_ops.BLOCKED]
        if not ids:
            return EditResult(False, "None of these seats is blocked.")
        op = wire.SeatRelease(event=event_id, seats=tuple(ids))
        undo = seat_ops.write(session, event_id, seat_ops.effect(op.OP_TYPE, op.to_wire()))
        outbox_service.enqueue(session, type=op.OP_TYPE, payload=op.to_wire(), undo=undo)
    seats = "1 seat" if len(ids) == 1 else f"{len(ids)} seats"
    return EditResult(True, f"{seats} released to sale.")


def blocked_seats(*, ctx: PosContext, event_id: int) -> dict[int, str]:
    """Blocked seats of the event and why (a key of `BLOCK_REASONS`, "" if unknown)."""
    with ctx.db.transaction() as session:
        status = session.get(SeatStatus, event_id)
        if status is None:
            return {}
        reasons = status.blocked or {}
        return {
            int(sid): str(reasons.get(sid, ""))
            for sid, st in status.seats.items()
            if st == seat_ops.BLOCKED
        }
