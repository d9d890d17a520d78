"""A manager's edit of a synced row: changed here and queued for the server, atomically.

The op carries the fields' new values, their values before (`base`) and the row's
version, so the server can merge edits made elsewhere (docs/sync.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from enturf_core.wire import ops as wire
from enturf_pos.models import Ticket
from enturf_pos.services.catalog import pending_creates
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import outbox_service
from enturf_pos.services.sync.sync_wire import to_wire


@dataclass(frozen=True, slots=True)
class EditResult:
    ok: bool
    message: str


@dataclass(frozen=True, slots=True)
class CreatedResult(EditResult):
    """An edit that made rows here: `new_id` the (first) new row's local id, `new_ids`
    all of them (a series). Ids of rows not yet on the server are negative, temporary."""

    new_id: int | None = None
    new_ids: tuple[int, ...] = ()


def record_edit(
    *,
    ctx: PosContext,
    model: type,
    row_id: int,
    changes: dict[str, Any],
    op_type: str,
    missing: str,
) -> EditResult:
    """Apply `changes` to the local row and queue `op_type` in the same transaction."""
    with ctx.db.transaction() as session:
        row = session.get(model, row_id)
        if row is None:
            return EditResult(False, missing)
        changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
        if not changed:
            return EditResult(True, "Nothing changed.")
        base = {k: to_wire(getattr(row, k)) for k in changed}
        for name, value in changed.items():
            setattr(row, name, value)
        if row_id < 0:  # created here, not on the server yet: change the op creating it
            wire_fields = {k: to_wire(v) for k, v in changed.items()}
            if not pending_creates.amend(session, row, wire_fields):
                session.rollback()
                return EditResult(False, pending_creates.NOT_SENT_YET)
            if isinstance(row, Ticket) and changed.get("active") is False:
                session.delete(row)  # never on the server: nothing to keep
            return EditResult(True, "Saved on this counter; it will be sent to the server.")
        edit = wire.OPS[op_type](id=row_id, fields={k: to_wire(v) for k, v in changed.items()})
        outbox_service.enqueue(
            session,
            type=op_type,
            payload=edit.to_wire(),
            base_version=row.version,
            base=base,
        )
    return EditResult(True, "Saved on this counter; it will be sent to the server.")
