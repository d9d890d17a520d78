"""Pushing the outbox: pending ops in batches, each marked from the server's answer.

Ops go in `created_at` order with their stable ids. The answer to a batch is recorded
in one local transaction:

* ``applied``, or ``duplicate`` of an applied op -> done;
* ``conflict`` -> kept as a conflict for the manager (both values, see
  `sync_conflicts`); the local row shows the server's value of the conflicting fields;
* ``rejected`` -> kept with the reason, visible to the manager; the entity is read
  again from the server so the counter shows what the server has; ``retry: true``
  (an error on the server's side) leaves the op pending.

A lost answer (the connection broke after sending, or the process died before the
marking committed) is simply sent again with the same ids: the server answers
``duplicate`` with the first result, so nothing is applied twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from enturf_core.wire.ops import TICKET_REMOVE
from enturf_core.wire.results import APPLIED, CONFLICT, DUPLICATE, REJECTED
from enturf_pos.models import Event, OutboxOp, OutboxState, Ticket
from enturf_pos.services.door import door_results
from enturf_pos.services.session.api_client import ApiClient, ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import setup_results, sync_apply
from enturf_pos.services.sync.sync_kill_points import kill_point
from enturf_pos.services.sync.sync_wire import event_field, ticket_column, ticket_field

log = logging.getLogger(__name__)

PUSH_PATH = "/api/v1/sync/push/"
BATCH_SIZE = 200


Progress = Callable[[int, int], None]  # (ops answered, ops to send)


@dataclass
class PushReport:
    sent: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    retry_later: int = 0
    refreshed: list[tuple[str, int]] = field(default_factory=list)


def pending_count(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(OutboxOp).where(OutboxOp.state == OutboxState.PENDING)
        )
        or 0
    )


def _wire_op(op: OutboxOp) -> dict[str, Any]:
    body: dict[str, Any] = {"id": str(op.id), "type": op.type, "payload": op.payload}
    if op.base_version is not None:
        body["base_version"] = op.base_version
    if op.base is not None:
        body["base"] = op.base
    return body


def push(
    *,
    ctx: PosContext,
    client: ApiClient,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> PushReport:
    """Send every pending op; raises ServerUnreachable / ApiError (nothing is lost then:
    unanswered ops stay pending and go again with the same ids)."""
    report = PushReport()
    tried: set[Any] = set()  # ops the server asked to retry are not re-sent in this run
    with ctx.db.transaction() as session:
        total = pending_count(session)
    while True:
        with ctx.db.transaction() as session:
            query = select(OutboxOp).where(OutboxOp.state == OutboxState.PENDING)
            if tried:
                query = query.where(OutboxOp.id.not_in(tried))
            ops = session.scalars(query.order_by(OutboxOp.created_at).limit(batch_size)).all()
            batch = [_wire_op(op) for op in ops]
        if not batch:
            return report
        kill_point("before_push")
        try:
            answer = client.post(PUSH_PATH, {"ops": batch})
        except ServerUnreachable as exc:
            _note_attempt(ctx, [op.id for op in ops], exc.message)
            raise
        kill_point("after_push_sent")
        results = {str(r.get("id")): r for r in (answer or {}).get("results") or []}
        refresh: list[tuple[str, int]] = []
        with ctx.db.transaction() as session:
            ids = [op.id for op in ops]
            rows = {
                row.id: row for row in session.scalars(select(OutboxOp).where(OutboxOp.id.in_(ids)))
            }
            for op in ops:
                tried.add(op.id)
                result = results.get(str(op.id))
                row = rows.get(op.id)
                if row is None or row.state != OutboxState.PENDING:
                    continue
                if result is None:  # not answered (should not happen): try again later
                    row.attempts += 1
                    report.retry_later += 1
                    continue
                if (target := _mark(session, row, result, report)) is not None:
                    refresh.append(target)
            kill_point("mid_push_marking")
        report.sent += len(batch)
        for kind, entity_id in refresh:
            refresh_entity(ctx=ctx, client=client, kind=kind, entity_id=entity_id)
            report.refreshed.append((kind, entity_id))
        if progress is not None:
            progress(report.sent, max(total, report.sent))


def _note_attempt(ctx: PosContext, ids: list[Any], message: str) -> None:
    with ctx.db.transaction() as session:
        session.execute(
            update(OutboxOp)
            .where(OutboxOp.id.in_(ids), OutboxOp.state == OutboxState.PENDING)
            .values(attempts=OutboxOp.attempts + 1, last_error=message)
        )


def _target(op: OutboxOp) -> tuple[str, int] | None:
    kind = {
        sync_apply.EVENT_UPDATE: "event",
        sync_apply.TICKET_UPDATE: "ticket",
        TICKET_REMOVE: "ticket",  # refused: the ticket sells again as the server has it
    }.get(op.type)
    raw = (op.payload or {}).get("id")
    if kind is None or not str(raw).isdigit():
        return None
    return kind, int(raw)


def _mark(
    session: Session, op: OutboxOp, result: dict[str, Any], report: PushReport
) -> tuple[str, int] | None:
    """Record one op's answer; the (kind, id) of an entity to read again, if any."""
    status = result.get("status")
    if status == DUPLICATE:
        status = result.get("first_status") or APPLIED
    op.attempts += 1
    op.result = dict(result)
    if status == APPLIED:
        op.state, op.last_error = OutboxState.APPLIED, None
        report.applied += 1
        setup_results.on_applied(session, op, result)
        door_results.on_applied(session, op, result)
        return None
    if status == CONFLICT:
        op.state = OutboxState.CONFLICT
        op.last_error = str(result.get("reason") or "Changed on the server too.")
        report.conflicts += 1
        _show_server_values(session, op, result.get("server") or {})
        setup_results.on_conflict(session, op, result)
        return None
    if status == REJECTED and result.get("retry"):
        op.last_error = str(result.get("reason") or "The server could not apply it yet.")
        report.retry_later += 1
        return None
    op.state = OutboxState.REJECTED
    op.last_error = str(result.get("reason") or result.get("code") or "Refused by the server.")
    report.rejected += 1
    setup_results.on_rejected(session, op, result)
    return _target(op)


def _show_server_values(session: Session, op: OutboxOp, server: dict[str, Any]) -> None:
    """A conflict keeps the server's value: show it here too (the manager decides)."""
    target = _target(op)
    fields = server.get("fields") or {}
    if target is None or not fields:
        return
    kind, entity_id = target
    if kind == "event":
        values = {k: event_field(k, v) for k, v in fields.items()}
        session.execute(update(Event).where(Event.id == entity_id).values(**values))
        ids = {"event_ids": {entity_id}, "ticket_ids": set()}
    else:
        values = {ticket_column(k): ticket_field(k, v) for k, v in fields.items()}
        session.execute(update(Ticket).where(Ticket.id == entity_id).values(**values))
        ids = {"event_ids": set(), "ticket_ids": {entity_id}}
    session.flush()
    sync_apply.overlay_pending_edits(session, **ids)


def refresh_entity(*, ctx: PosContext, client: ApiClient, kind: str, entity_id: int) -> None:
    """Read one event or ticket from the server and store it (after a refused edit, the
    counter must show the server's values again; the feed may have nothing newer)."""
    path = f"/api/v1/{'events' if kind == 'event' else 'tickets'}/{entity_id}/"
    try:
        data = client.get(path)
        entry = {"entity": kind, "id": str(entity_id), "version": data["version"], "op": "upsert"}
    except ApiError as exc:
        if exc.status != 404:
            log.warning("could not read %s %s again: %s", kind, entity_id, exc)
            return
        entry = {"entity": kind, "id": str(entity_id), "version": 0, "op": "delete", "data": {}}
    else:
        entry["data"] = data
    with ctx.db.transaction() as session:
        sync_apply.apply_page(session, [entry])
