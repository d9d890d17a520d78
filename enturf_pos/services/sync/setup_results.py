"""What the server's answers to a manager's set-up ops change on this counter.

Called by `sync_push` in the transaction that marks the op:

* `seatmap_publish`: applied, the draft goes (the new version arrives by the feed);
  conflict, the draft waits for the manager with the server's ``{seat_map, version}``;
  rejected, the draft says why.
* `event_create` / `ticket_create`: applied, the temporary negative ids become the
  server's (rows the feed already brought win: no duplicates); rejected, the rows
  written here go.
* `ticket_remove`: applied, the ticket goes (deleted) or stays inactive (retired).
* `seat_block`, `seat_release`, `allocation_change`: rejected, the seats are put back.

Refusals stay in the outbox (state ``rejected``, the reason in `last_error`): the
conflict dialog lists them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from enturf_core.wire import ops as wire
from enturf_pos.models import DraftState, Event, OutboxOp, SeatMapDraft, Ticket
from enturf_pos.services.sync import seat_ops


def _extra(result: Mapping[str, Any]) -> Mapping[str, Any]:
    """An answer's extra keys (at the top level; some servers nest them in `extra`)."""
    nested = result.get("extra")
    return nested if isinstance(nested, Mapping) else result


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _remap(session: Session, model: type[Event] | type[Ticket], origin: Any, server_id: Any) -> int:
    """The row created here with `origin` takes `server_id`; the temporary id it had
    (0 if none). A row the feed already brought with that id wins."""
    ref = _uuid(origin)
    if ref is None or server_id is None:
        return 0
    temp = session.scalar(select(model.id).where(model.origin == ref, model.id < 0))
    if temp is None:
        return 0
    if session.get(model, int(server_id)) is not None:
        session.execute(delete(model).where(model.id == temp))
    else:
        session.execute(update(model).where(model.id == temp).values(id=int(server_id)))
    return temp


def _event_created(session: Session, op: OutboxOp, result: Mapping[str, Any]) -> None:
    extra = _extra(result)
    server_id = extra.get("event")
    temp = _remap(session, Event, op.payload.get("id"), server_id)
    if temp and server_id is not None:
        session.execute(
            update(Ticket).where(Ticket.event_id == temp).values(event_id=int(server_id))
        )
    for ticket_ref, ticket_id in (extra.get("tickets") or {}).items():
        _remap(session, Ticket, ticket_ref, ticket_id)


def _ticket_created(session: Session, op: OutboxOp, result: Mapping[str, Any]) -> None:
    _remap(
        session, Ticket, (op.payload.get("ticket") or {}).get("id"), _extra(result).get("ticket")
    )


def _drop_created(session: Session, op: OutboxOp) -> None:
    """A refused creation: the rows written here go."""
    if op.type == wire.EVENT_CREATE:
        ref = _uuid(op.payload.get("id"))
        temp = session.scalar(select(Event.id).where(Event.origin == ref, Event.id < 0))
        if temp is not None:
            session.execute(delete(Ticket).where(Ticket.event_id == temp))
            session.execute(delete(Event).where(Event.id == temp))
    else:
        ref = _uuid((op.payload.get("ticket") or {}).get("id"))
        session.execute(delete(Ticket).where(Ticket.origin == ref, Ticket.id < 0))


def _draft_of(session: Session, op: OutboxOp) -> SeatMapDraft | None:
    ref = _uuid(op.payload.get("draft"))
    draft = session.get(SeatMapDraft, ref) if ref is not None else None
    # an older publishing of a draft published again since says nothing about it now
    return draft if draft is not None and draft.op_id in (None, op.id) else None


def on_applied(session: Session, op: OutboxOp, result: Mapping[str, Any]) -> None:
    if op.type == wire.SEATMAP_PUBLISH:
        if (draft := _draft_of(session, op)) is not None:
            session.delete(draft)
    elif op.type == wire.EVENT_CREATE:
        _event_created(session, op, result)
    elif op.type == wire.TICKET_CREATE:
        _ticket_created(session, op, result)
    elif op.type == wire.TICKET_REMOVE:
        ticket_id = int(op.payload["id"])
        if _extra(result).get("outcome") == "deleted":
            session.execute(delete(Ticket).where(Ticket.id == ticket_id))
        else:
            session.execute(update(Ticket).where(Ticket.id == ticket_id).values(active=False))


def on_conflict(session: Session, op: OutboxOp, result: Mapping[str, Any]) -> None:
    if op.type == wire.SEATMAP_PUBLISH and (draft := _draft_of(session, op)) is not None:
        server = dict(result.get("server") or {})
        draft.state = DraftState.CONFLICT
        draft.server = server
        draft.message = str(
            result.get("reason")
            or f"The server has a newer version ({server.get('version', '?')}) of this map."
        )


def on_rejected(session: Session, op: OutboxOp, result: Mapping[str, Any]) -> None:
    reason = str(result.get("reason") or result.get("code") or "Refused by the server.")
    details = result.get("details") or {}
    if op.type == wire.SEATMAP_PUBLISH and (draft := _draft_of(session, op)) is not None:
        path = details.get("path") if isinstance(details, Mapping) else None
        draft.state = DraftState.REJECTED
        draft.message = f"{reason} (at {path})" if path else reason
    elif op.type in (wire.EVENT_CREATE, wire.TICKET_CREATE):
        _drop_created(session, op)
    elif op.type in seat_ops.SEAT_OPS:
        refused = details.get("seats") if isinstance(details, Mapping) else None
        seat_ops.undo(session, op, {str(k): str(v) for k, v in (refused or {}).items()})
