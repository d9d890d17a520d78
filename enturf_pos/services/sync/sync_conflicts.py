"""What sync could not settle alone: conflicts and refused edits, for the manager.

A conflict is the outbox op itself, in state ``conflict``, with the server's answer
(its version and its value of each conflicting field). The manager sees both values and
picks per op:

* `keep_server`: the counter already shows the server's value; the op is closed;
* `use_mine`: a new op sets the manager's values, based on the server's version and
  values (so it applies unless someone changed the field yet again), and the local row
  shows them at once.

A refused edit (``rejected``) stays listed with the server's reason until the manager
dismisses it. Closed ops are kept (state ``resolved``, the decision in `result`), so
nothing disappears without a trace.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from enturf_core.wire import ops as wire
from enturf_pos.models import Event, OutboxOp, OutboxState, Ticket
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import outbox_service
from enturf_pos.services.sync.sync_apply import EVENT_UPDATE, TICKET_UPDATE
from enturf_pos.services.sync.sync_wire import event_field, ticket_column, ticket_field

KIND = {EVENT_UPDATE: "event", TICKET_UPDATE: "ticket"}


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
            server = (op.result or {}).get("server") or {}
            mine = (op.payload or {}).get("fields") or {}
            clashes = tuple(
                FieldClash(name, mine.get(name), value)
                for name, value in (server.get("fields") or {}).items()
            )
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
        _close(op, "server")
    return EditResult(True, "The server's values are kept.")


def use_mine(*, ctx: PosContext, op_id: uuid.UUID) -> EditResult:
    """Send the manager's values again, as a new op based on the server's version."""
    with ctx.db.transaction() as session:
        op = session.get(OutboxOp, op_id)
        if op is None or op.state != OutboxState.CONFLICT:
            return EditResult(False, "This conflict was already dealt with.")
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
