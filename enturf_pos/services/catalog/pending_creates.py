"""Rows created on this counter that the server does not have yet (temporary negative
ids, `origin` = their op's or ticket's uuid), and the queued ops that create them.

Editing or removing such a row changes the op that will create it, while that op is
still pending: the server then creates it as it is now, and nothing else is queued.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from enturf_core.wire import ops as wire
from enturf_pos.models import Event, OutboxOp, OutboxState, Ticket

NOT_SENT_YET = "It is being sent to the server: change it after the next sync."


def temporary_id(session: Session, model: type[Event] | type[Ticket]) -> int:
    """A new temporary id: below every id in the table, and negative."""
    lowest = session.scalar(select(func.min(model.id))) or 0
    return min(lowest, 0) - 1


def creating_op(session: Session, row: Event | Ticket) -> tuple[OutboxOp, dict[str, Any]] | None:
    """The pending op that creates `row`, and the dict of `row` in its payload."""
    if row.origin is None:
        return None
    if isinstance(row, Event):
        op = session.get(OutboxOp, row.origin)
        if op is not None and op.state == OutboxState.PENDING and op.type == wire.EVENT_CREATE:
            return op, op.payload
        return None
    ref = str(row.origin)
    for op in session.scalars(
        select(OutboxOp)
        .where(
            OutboxOp.state == OutboxState.PENDING,
            OutboxOp.type.in_((wire.EVENT_CREATE, wire.TICKET_CREATE)),
        )
        .order_by(OutboxOp.created_at)
    ):
        tickets = op.payload.get("tickets") if op.type == wire.EVENT_CREATE else None
        for ticket in tickets or [op.payload.get("ticket") or {}]:
            if str(ticket.get("id")) == ref:
                return op, ticket
    return None


def amend(session: Session, row: Event | Ticket, fields: dict[str, Any]) -> bool:
    """Set wire `fields` in the op creating `row`; False when it is no longer pending.
    A ticket made inactive leaves its op (or its event's list of tickets)."""
    found = creating_op(session, row)
    if found is None:
        return False
    op, part = found
    payload = dict(op.payload)  # a new dict: JSON columns track assignment, not mutation
    if isinstance(row, Ticket) and fields.get("active") is False:
        if op.type == wire.TICKET_CREATE:
            op.state = OutboxState.RESOLVED
            op.result = {"resolution": "withdrawn"}
            return True
        payload["tickets"] = [t for t in payload["tickets"] if t is not part]
    else:
        fields = {k: v for k, v in fields.items() if k != "active"}
        if isinstance(row, Ticket) and op.type == wire.EVENT_CREATE:
            payload["tickets"] = [({**t, **fields} if t is part else t) for t in payload["tickets"]]
        elif isinstance(row, Ticket):
            payload["ticket"] = {**part, **fields}
        else:
            payload.update(fields)
    op.payload = payload
    return True


def origin_of(session: Session, event_id: int) -> uuid.UUID | None:
    event = session.get(Event, event_id)
    return None if event is None else event.origin
