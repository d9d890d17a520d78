"""Applying pushed ops: each answered once and for all.

A request's ops run in one transaction (one commit, one change-log lock), each op in a
savepoint of its own, taken at the op's first statement (an op that only buffers its
changes and deferred rows costs the database nothing); an op that waits on the network
runs alone (see `push_ops`). Before a run's first op, the preparers of its op types
(`push_registry.push_handler(prepare=...)`) read what all their ops need at once.
For every op, in the order sent:

1. The ids already recorded as :class:`ProcessedOp` are read for the whole request in
   one query; a replay answers ``duplicate`` with the first result (so does the same id
   a second time in one request).
2. The handler for its type runs in the op's savepoint; a refusal (`ServiceError`)
   rolls back what the handler wrote and answers ``rejected`` with the refusal's code
   and message.
3. The results are stored with the ops, all of a transaction's in one
   ``INSERT ... ON CONFLICT DO NOTHING`` before it commits. If an id was taken meanwhile
   (a concurrent push of the same op, which that insert waits for on PostgreSQL), what
   this transaction did is rolled back and its ops run again one by one
   (:func:`apply_op`): each stores its result in its own savepoint, the taken one fails
   there and answers ``duplicate`` with the first result.

An unexpected error answers ``rejected`` with ``retry: true`` and stores nothing (the
op's savepoint is rolled back), so the counter may send the same op again later; the
error is logged for the operators. A handler that cannot decide now (`RetryLater`, e.g.
the card gateway is unreachable) answers the same way with its own code.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import IntegrityError, connection

from enturf_server.api.errors import ServiceError
from enturf_server.api.model_rows import insert_rows
from enturf_server.sync import changes
from enturf_server.sync.models import ProcessedOp
from enturf_server.sync.push_registry import (
    DUPLICATE,
    REJECTED,
    OpResult,
    PushContext,
    PushOp,
    RetryLater,
    handled_types,
    handler_for,
    needs_own_transaction,
    prepare_run,
)

log = logging.getLogger(__name__)


class _Unexpected(Exception):
    """Carries a handler's unexpected error out of the op's transaction (rolled back)."""


class _Refused(Exception):
    """Carries a refusal out of the op's savepoint (rolled back); it is stored after."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__(result.get("code"))
        self.result = result


def push_ops(*, user, device, ops: Sequence[PushOp]) -> list[dict[str, Any]]:
    """Apply a push request's ops in order; one transaction for a run of ops.

    Each op gets a savepoint within it. An op whose handler waits on the network (a card
    sale asks the gateway) runs in its own transaction, after the ops before it are
    committed, so their locks are not held meanwhile.
    """
    ctx = PushContext(user=user, device=device, ops=tuple(ops))
    known = {row.pk: row for row in ProcessedOp.objects.filter(pk__in=[op.id for op in ops])}
    results: list[dict[str, Any]] = []
    start = 0
    while start < len(ops):
        if needs_own_transaction(ops[start]):
            results.append(apply_op(op=ops[start], ctx=ctx, first=known.get(ops[start].id)))
            start += 1
            continue
        end = start
        while end < len(ops) and not needs_own_transaction(ops[end]):
            end += 1
        results.extend(_apply_run(ops[start:end], ctx, known))
        start = end
    return results


class _IdTaken(Exception):
    """An op id of the run was stored by someone else meanwhile: roll the run back."""


def _apply_run(
    ops: Sequence[PushOp], ctx: PushContext, known: dict[uuid.UUID, ProcessedOp]
) -> list[dict[str, Any]]:
    """A run of ops in one transaction; their `ProcessedOp` rows in one insert at its end.

    Should a concurrent push have stored one of these ids in the meantime, the run is
    rolled back and applied again op by op, each op's row inserted in its savepoint
    (which detects the taken id and answers ``duplicate``).
    """
    try:
        with changes.atomic():
            prepare_run(ops, ctx)
            batch = _Batch(known)
            results = [_apply(op, ctx, batch.first(op.id), batch.store) for op in ops]
            if batch.insert() < len(batch.rows):
                raise _IdTaken()
        known.update(batch.rows)  # a later op of the request with one of these ids replays
        return results
    except _IdTaken:
        with changes.atomic():
            prepare_run(ops, ctx)
            return [apply_op(op=op, ctx=ctx) for op in ops]


class _Batch:
    """The `ProcessedOp` rows of a run, inserted together at its end."""

    def __init__(self, known: dict[uuid.UUID, ProcessedOp]) -> None:
        self.known = known
        self.rows: dict[uuid.UUID, ProcessedOp] = {}

    def first(self, op_id: uuid.UUID) -> ProcessedOp | None:
        return self.known.get(op_id) or self.rows.get(op_id)

    def store(self, op: PushOp, ctx: PushContext, result: dict[str, Any]) -> None:
        self.rows[op.id] = _processed(op, ctx, result)

    def insert(self) -> int:
        return insert_rows(list(self.rows.values()), connection, ignore_conflicts=True)


_UNREAD: Any = object()


def apply_op(*, op: PushOp, ctx: PushContext, first: Any = _UNREAD) -> dict[str, Any]:
    """Apply one op: its own transaction, or a savepoint inside the caller's; its
    `ProcessedOp` is inserted in that savepoint (a concurrent push that stored it first
    makes the insert wait, then fail: this op's work is rolled back, it answers
    ``duplicate``).

    `first` is the op's `ProcessedOp` if the caller already looked it up (None: there
    was none then).
    """
    if first is _UNREAD:
        first = ProcessedOp.objects.filter(pk=op.id).first()
    try:
        return _apply(op, ctx, first, _store)
    except IntegrityError:
        # the same op id stored by a concurrent push (which we waited for), or earlier in
        # this request: what this op did is rolled back; answer the first result
        first = ProcessedOp.objects.filter(pk=op.id).first()
        if first is None:
            raise
        return _replay(first, op, ctx)


_Store = Callable[[PushOp, PushContext, dict[str, Any]], None]


def _apply(
    op: PushOp, ctx: PushContext, first: ProcessedOp | None, store: _Store
) -> dict[str, Any]:
    if first is not None:
        return _replay(first, op, ctx)
    try:
        try:
            # the savepoint is taken at the op's first statement: an op that only buffers
            # changes and deferred rows (its reads made for the whole run) costs none
            with changes.atomic(lazy=True):
                result = _run(op, ctx).as_dict(op.id)
                store(op, ctx, result)
        except _Refused as refusal:  # the handler's writes are rolled back; the refusal stays
            result = refusal.result
            with changes.atomic(lazy=True):
                store(op, ctx, result)
        return result
    except RetryLater as exc:  # rolled back, nothing stored: the counter sends it again
        return OpResult(
            REJECTED,
            code=exc.code,
            reason=exc.reason,
            extra={"retry": True, "details": exc.details},
        ).as_dict(op.id)
    except _Unexpected:
        return OpResult(
            REJECTED,
            code="server_error",
            reason="The server could not apply this change because of an error on its side; "
            "it was logged. The counter may send it again later.",
            extra={"retry": True},
        ).as_dict(op.id)


def _processed(op: PushOp, ctx: PushContext, result: dict[str, Any]) -> ProcessedOp:
    return ProcessedOp(
        id=op.id,
        device_id=getattr(ctx.device, "pk", None),
        user_id=getattr(ctx.user, "pk", None),
        type=op.type[:40],
        result=result,
    )


def _store(op: PushOp, ctx: PushContext, result: dict[str, Any]) -> None:
    # Inserted after the handler ran, in the same savepoint: a concurrent push of the
    # same op that stored it first makes this insert fail (on PostgreSQL it waits for
    # that push to commit), which rolls back what this one did.
    insert_rows([_processed(op, ctx, result)], connection)


def _replay(first: ProcessedOp, op: PushOp, ctx: PushContext) -> dict[str, Any]:
    if first.device_id is not None and first.device_id != getattr(ctx.device, "pk", None):
        return OpResult(
            REJECTED,
            code="op_id_taken",
            reason="Another counter already sent an op with this id; ops need unique ids.",
        ).as_dict(op.id)
    return {**first.result, "status": DUPLICATE, "first_status": first.result.get("status")}


def _run(op: PushOp, ctx: PushContext) -> OpResult:
    handler = handler_for(op.type)
    if handler is None:
        known = ", ".join(handled_types())
        return OpResult(
            REJECTED,
            code="unknown_op_type",
            reason=f"This server does not know ops of type {op.type!r} (it knows: {known}); "
            "update the server or the counter.",
        )
    try:
        return handler(op, ctx)
    except ServiceError as exc:
        reason = exc.message
        raise _Refused(
            OpResult(
                REJECTED, code=exc.code, reason=reason, extra={"details": exc.details or {}}
            ).as_dict(op.id)
        ) from None
    except IntegrityError as exc:
        # a constraint the services did not anticipate: a refusal, not a crash
        log.warning("push op %s (%s) hit a constraint: %s", op.id, op.type, exc)
        raise _Refused(
            OpResult(
                REJECTED,
                code="constraint_violated",
                reason="The change conflicts with data on the server and was not applied.",
            ).as_dict(op.id)
        ) from None
    except RetryLater:
        raise
    except Exception as exc:
        log.exception("push op %s (%s) failed", op.id, op.type)
        raise _Unexpected() from exc


def parse_op(raw: Any) -> PushOp | dict[str, Any]:
    """A `PushOp` from one element of `ops`, or the rejected result for a malformed one.

    The id must be a UUID (the whole request is refused otherwise: an op without a
    usable id cannot be answered); everything else is answered per op.
    """
    op_id = uuid.UUID(str(raw["id"]))
    op_type, payload = raw.get("type"), raw.get("payload", {})
    base_version, base = raw.get("base_version"), raw.get("base")

    def refuse(reason: str) -> dict[str, Any]:
        return OpResult(REJECTED, code="invalid_op", reason=reason).as_dict(op_id)

    if not isinstance(op_type, str) or not op_type:
        return refuse("The op has no type.")
    if not isinstance(payload, dict):
        return refuse("The op's payload must be an object.")
    if base_version is not None and (
        not isinstance(base_version, int) or isinstance(base_version, bool)
    ):
        return refuse("base_version must be a whole number or null.")
    if base is not None and not isinstance(base, dict):
        return refuse("base must be an object of field values, or null.")
    return PushOp(op_id, op_type, payload, base_version, base)
