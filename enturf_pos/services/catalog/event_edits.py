"""A manager's edits of events on this counter: written locally with their outbox op.

The op carries the event's version and the old values of the edited fields, so the
server can merge other fields and report a conflict on the same field (DESIGN.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from enturf_core.wire import ops as wire
from enturf_pos.models import Event
from enturf_pos.services.catalog.local_edits import EditResult, record_edit
from enturf_pos.services.session.pos_context import PosContext

EDITABLE_FIELDS = (
    "name",
    "description",
    "starts_at",
    "ends_at",
    "sales_start",
    "sales_end",
    "state",
)
EVENT_STATES = ("draft", "on_sale", "closed", "cancelled")
OP_TYPE = wire.EVENT_UPDATE  # the push op type (docs/sync.md)


def _problem(changes: dict[str, Any]) -> str | None:
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        return f"These fields cannot be edited here: {', '.join(unknown)}."
    if "name" in changes and not str(changes["name"]).strip():
        return "An event needs a name."
    if "state" in changes and changes["state"] not in EVENT_STATES:
        return f"Unknown state {changes['state']!r}."
    for name in ("starts_at", "ends_at", "sales_start", "sales_end"):
        value = changes.get(name)
        if value is not None and not (isinstance(value, datetime) and value.tzinfo):
            return f"{name} must be a date and time with a time zone."
    if "starts_at" in changes and changes["starts_at"] is None:
        return "An event needs a start time."
    return None


def edit_event(*, ctx: PosContext, event_id: int, changes: dict[str, Any]) -> EditResult:
    """Change fields of an event here and queue the change for the server, atomically."""
    if problem := _problem(changes):
        return EditResult(False, problem)
    return record_edit(
        ctx=ctx,
        model=Event,
        row_id=event_id,
        changes=changes,
        op_type=OP_TYPE,
        missing="This event is no longer on this counter.",
    )
