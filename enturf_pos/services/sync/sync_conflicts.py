"""What sync could not settle alone: conflicts and refused edits, for the manager.

A conflict is the outbox op itself, in state ``conflict``, with the server's answer
(its version and its value of each conflicting field). The manager sees both values and
picks per op:

* `keep_server`: the counter already shows the server's value; the op is closed;
* `use_mine`: a new op sets the manager's values, based on the server's version and
  values (so it applies unless someone changed the field yet again), and the local row
  shows them at once.

A refused edit (``rejected``) stays listed with the server's reason until the manager
dismisses it; so do a manager's refused set-up ops (a new event or ticket, a removal,
blocked seats, a counter's allocation: the local change was undone when the answer came).

A seat-map draft whose publishing found a newer version on the server is a conflict of
its own kind (`op_type` ``seatmap_publish``, `draft_id`): `seatmap_comparison` gives both
sides, and the manager picks `publish_as_newer` or `start_from_server`. Closed ops are kept (state ``resolved``, the decision in `result`), so
nothing disappears without a trace.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.wire import ops as wire
from enturf_pos.models import (
    CounterDevice,
    Event,
    OutboxOp,
    OutboxState,
    SeatMap,
    SeatMapDraft,
    Ticket,
)
from enturf_pos.services.catalog import seatmap_drafts
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.catalog.seat_blocks import listed, seat_names
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import outbox_service
from enturf_pos.services.sync.sync_apply import EVENT_UPDATE, TICKET_UPDATE
from enturf_pos.services.sync.sync_wire import event_field, ticket_column, ticket_field

KIND = {
    EVENT_UPDATE: "event",
    TICKET_UPDATE: "ticket",
    wire.SEATMAP_PUBLISH: "Seat map",
    wire.EVENT_CREATE: "New event",
    wire.TICKET_CREATE: "New ticket",
    wire.TICKET_REMOVE: "Removing ticket",
    wire.SEAT_BLOCK: "Blocked seats",
    wire.SEAT_RELEASE: "Released seats",
    wire.ALLOCATION_CHANGE: "Counter allocation",
}


@dataclass(frozen=True, slots=True)
class FieldClash:
    field: str
    mine: Any  # wire form
    server: Any  # wire form


@dataclass(frozen=True, slots=True)
class SyncIssue:
    op_id: uuid.UUID
    state: str  # conflict or rejected
    kind: str  # event or ticket (or the op type)
    entity_id: int | None
    entity_name: str
    event_name: str  # a ticket's event ("" for an event)
    reason: str
    fields: tuple[FieldClash, ...]  # conflicts only
    server_version: int | None
    code: str = ""  # the server's refusal code (e.g. edit_conflict, event_cancelled)
    op_type: str = ""
    draft_id: uuid.UUID | None = None  # a seat-map publishing: its draft


@dataclass(frozen=True, slots=True)
class MapSide:
    """One side of a seat-map conflict: what the manager can compare at a glance."""

    title: str
    version: int | None
    seats: int
    sections: int
    areas: int


@dataclass(frozen=True, slots=True)
class SeatMapComparison:
    draft: MapSide
    server: MapSide | None  # None: the server's version has not been synced yet
    differing_sections: tuple[str, ...]  # added, removed or changed (seats, places)


def _names_of(session, kind: str, entity_id: int | None) -> tuple[str, str]:
    """The edited row's name, and for a ticket its event's name (tickets of different
    events are often called the same, "Stalls"; the manager must know which)."""
    model = {"event": Event, "ticket": Ticket}.get(kind)
    row = session.get(model, entity_id) if model is not None and entity_id is not None else None
    if row is None:
        return f"{kind} {entity_id}", ""
    if isinstance(row, Ticket):
        event = session.get(Event, row.event_id)
        return row.name, event.name if event is not None else ""
    return row.name, ""


def _event_name(session: Session, payload: dict[str, Any]) -> str:
    event = None
    if payload.get("event") is not None:
        event = session.get(Event, int(payload["event"]))
    elif payload.get("event_ref"):
        event = session.scalar(select(Event).where(Event.origin == uuid.UUID(payload["event_ref"])))
    return event.name if event is not None else ""


def _setup_names(session: Session, op: OutboxOp) -> tuple[str, str]:
    """What a set-up op was about, and its event's name, in the manager's words."""
    payload = op.payload or {}
    if op.type in (wire.SEATMAP_PUBLISH, wire.EVENT_CREATE):
        return str(payload.get("name", "")), ""
    if op.type == wire.TICKET_CREATE:
        return str((payload.get("ticket") or {}).get("name", "")), _event_name(session, payload)
    if op.type == wire.TICKET_REMOVE:
        return _names_of(session, "ticket", int(payload.get("id", 0)))
    seats = [
        *payload.get("seats", ()),
        *payload.get("add_seats", ()),
        *payload.get("remove_seats", ()),
    ]
    names = seat_names(session, seats)
    what = listed(names.get(s, f"seat {s}") for s in seats)
    if op.type == wire.ALLOCATION_CHANGE:
        device = session.get(CounterDevice, int(payload.get("device", 0)))
        verb = "on" if payload.get("add_seats") else "off"
        what = f"{what} {verb} {device.name if device else 'a counter'}"
    return what, _event_name(session, payload)


def open_issues(*, ctx: PosContext) -> list[SyncIssue]:
    issues = []
    with ctx.db.transaction() as session:
        ops = session.scalars(
            select(OutboxOp)
            .where(OutboxOp.state.in_((OutboxState.CONFLICT, OutboxState.REJECTED)))
            .order_by(OutboxOp.created_at)
        ).all()
        for op in ops:
            kind = KIND.get(op.type, op.type)
            raw_id = (op.payload or {}).get("id")
            entity_id = int(raw_id) if str(raw_id).isdigit() else None
            draft_id = None
            if op.type == wire.SEATMAP_PUBLISH:
                draft_id = uuid.UUID(str(op.payload["draft"]))
            server = (op.result or {}).get("server") or {}
            mine = (op.payload or {}).get("fields") or {}
            clashes = tuple(
                FieldClash(name, mine.get(name), value)
                for name, value in (server.get("fields") or {}).items()
            )
            if op.type in KIND and op.type not in (EVENT_UPDATE, TICKET_UPDATE):
                entity_name, event_name = _setup_names(session, op)
            else:
                entity_name, event_name = _names_of(session, kind, entity_id)
            issues.append(
                SyncIssue(
                    op_id=op.id,
                    state=op.state,
                    kind=kind,
                    entity_id=entity_id,
                    entity_name=entity_name,
                    event_name=event_name,
                    reason=op.last_error or "",
                    fields=clashes if op.state == OutboxState.CONFLICT else (),
                    server_version=server.get("version"),
                    code=str((op.result or {}).get("code") or ""),
                    op_type=op.type,
                    draft_id=draft_id,
                )
            )
    return issues


def _close(op: OutboxOp, resolution: str, **extra: Any) -> None:
    op.state = OutboxState.RESOLVED
    op.result = {**(op.result or {}), "resolution": resolution, **extra}


def keep_server(*, ctx: PosContext, op_id: uuid.UUID) -> EditResult:
    with ctx.db.transaction() as session:
        op = session.get(OutboxOp, op_id)
        if op is None or op.state != OutboxState.CONFLICT:
            return EditResult(False, "This conflict was already dealt with.")
        if op.type == wire.SEATMAP_PUBLISH:
            return EditResult(False, "Choose how to go on with the seat map's draft.")
        _close(op, "server")
    return EditResult(True, "The server's values are kept.")


def use_mine(*, ctx: PosContext, op_id: uuid.UUID) -> EditResult:
    """Send the manager's values again, as a new op based on the server's version."""
    with ctx.db.transaction() as session:
        op = session.get(OutboxOp, op_id)
        if op is None or op.state != OutboxState.CONFLICT:
            return EditResult(False, "This conflict was already dealt with.")
        if op.type not in (EVENT_UPDATE, TICKET_UPDATE):
            return EditResult(False, "Choose how to go on with the seat map's draft.")
        server = (op.result or {}).get("server") or {}
        server_fields: dict[str, Any] = server.get("fields") or {}
        edit = wire.OPS[op.type].from_wire(op.payload)
        assert isinstance(edit, wire.EventUpdate | wire.TicketUpdate)
        mine = {k: v for k, v in edit.fields.items() if k in server_fields}
        model, column, parse = (
            (Event, (lambda k: k), event_field)
            if op.type == EVENT_UPDATE
            else (Ticket, ticket_column, ticket_field)
        )
        row = session.get(model, edit.id)
        if row is None:
            _close(op, "gone")
            return EditResult(False, "This item no longer exists on this counter.")
        for name, value in mine.items():
            setattr(row, column(name), parse(name, value))
        new_id = outbox_service.enqueue(
            session,
            type=op.type,
            payload=replace(edit, fields=mine).to_wire(),
            base_version=server.get("version"),
            base={k: server_fields[k] for k in mine},
        )
        _close(op, "mine", replaced_by=str(new_id))
    return EditResult(True, "Your values will be sent to the server again.")


def dismiss(*, ctx: PosContext, op_id: uuid.UUID) -> EditResult:
    """The manager has read why the server refused an edit."""
    with ctx.db.transaction() as session:
        op = session.get(OutboxOp, op_id)
        if op is None or op.state != OutboxState.REJECTED:
            return EditResult(False, "This was already dealt with.")
        _close(op, "dismissed")
    return EditResult(True, "Dismissed.")


# -- a seat map published over a newer version -------------------------------------------


def _sections(document: dict[str, Any]) -> dict[str, tuple]:
    """Each section's seats, comparable: (row, label, x, y, category) sorted."""
    return {
        str(section.get("name", "")): tuple(
            sorted(
                (
                    str(row.get("label", "")),
                    str(seat.get("label", "")),
                    round(float(seat.get("x", 0)), 1),
                    round(float(seat.get("y", 0)), 1),
                    str(seat.get("category", "")),
                )
                for row in section.get("rows") or []
                for seat in row.get("seats") or []
            )
        )
        for section in document.get("sections") or []
    }


def _side(title: str, version: int | None, document: dict[str, Any]) -> MapSide:
    sections = _sections(document)
    return MapSide(
        title=title,
        version=version,
        seats=sum(len(seats) for seats in sections.values()),
        sections=len(sections),
        areas=len(document.get("areas") or []),
    )


def _conflict_draft(session: Session, op_id: uuid.UUID) -> tuple[OutboxOp, SeatMapDraft] | None:
    op = session.get(OutboxOp, op_id)
    if op is None or op.state != OutboxState.CONFLICT or op.type != wire.SEATMAP_PUBLISH:
        return None
    draft = session.get(SeatMapDraft, uuid.UUID(str(op.payload["draft"])))
    return (op, draft) if draft is not None else None


def seatmap_comparison(*, ctx: PosContext, op_id: uuid.UUID) -> SeatMapComparison | None:
    """Both sides of a seat-map publishing conflict (None if it was dealt with)."""
    with ctx.db.transaction() as session:
        found = _conflict_draft(session, op_id)
        if found is None:
            return None
        op, draft = found
        server_info = draft.server or (op.result or {}).get("server") or {}
        mine = _side("Your draft", None, draft.document)
        server_map = session.get(SeatMap, int(server_info.get("seat_map") or 0))
        if server_map is None:
            return SeatMapComparison(mine, None, ())
        theirs_doc = seatmap_drafts.document_of(session, server_map.id)
        theirs = _side("On the server", server_map.layout_version, theirs_doc)
        a, b = _sections(draft.document), _sections(theirs_doc)
        differing = tuple(name for name in dict.fromkeys([*a, *b]) if a.get(name) != b.get(name))
        return SeatMapComparison(mine, theirs, differing)


def publish_as_newer(*, ctx: PosContext, op_id: uuid.UUID) -> EditResult:
    """Publish the draft over the server's newer version (a new op, `as_newer`)."""
    with ctx.db.transaction() as session:
        found = _conflict_draft(session, op_id)
        if found is None:
            return EditResult(False, "This conflict was already dealt with.")
        draft_id = found[1].id
    return seatmap_drafts.publish_draft(ctx=ctx, draft_id=draft_id, as_newer=True)


def start_from_server(*, ctx: PosContext, op_id: uuid.UUID) -> EditResult:
    """Drop the draft's drawing: it becomes the server's newest version, to edit again."""
    with ctx.db.transaction() as session:
        found = _conflict_draft(session, op_id)
        if found is None:
            return EditResult(False, "This conflict was already dealt with.")
        draft_id = found[1].id
    return seatmap_drafts.start_again_from_server(ctx=ctx, draft_id=draft_id)
