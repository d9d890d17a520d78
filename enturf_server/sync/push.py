"""Applying pushed ops: each in its own transaction, each answered once and for all.

For every op, in the order sent:

1. Its id is recorded as a :class:`ProcessedOp` first. A replay of an id already
   recorded answers ``duplicate`` with the first result; a concurrent push of the same
   op waits on that row until the first commits, then answers the same.
2. The handler for its type runs in a savepoint; a refusal (`ServiceError`) rolls back
   what the handler wrote and answers ``rejected`` with the refusal's code and message.
3. The result is stored with the op and the transaction commits (with its change-log
   entries).

An unexpected error answers ``rejected`` with ``retry: true`` and stores nothing, so the
counter may send the same op again later; the error is logged for the operators. A
handler that cannot decide now (`RetryLater`, e.g. the card gateway is unreachable)
answers the same way with its own code.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError

from enturf_server.api.errors import ServiceError
from enturf_server.sync import changes
from enturf_server.sync import push_counter_sale as _sale  # noqa: F401  (registers it)
from enturf_server.sync import push_handlers as _handlers  # noqa: F401  (registers them)
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
)

log = logging.getLogger(__name__)


class _Unexpected(Exception):
    """Carries a handler's unexpected error out of the op's transaction (rolled back)."""


def push_ops(*, user, device, ops: Sequence[PushOp]) -> list[dict[str, Any]]:
    ctx = PushContext(user=user, device=device)
    return [apply_op(op=op, ctx=ctx) for op in ops]


def apply_op(*, op: PushOp, ctx: PushContext) -> dict[str, Any]:
    try:
        with changes.atomic():
            first = ProcessedOp.objects.select_for_update().filter(pk=op.id).first()
            if first is not None:
                return _replay(first, op, ctx)
            stored = ProcessedOp.objects.create(
                id=op.id, device=ctx.device, user=ctx.user, type=op.type[:40], result={}
            )
            result = _run(op, ctx).as_dict(op.id)
            stored.result = result
            stored.save(update_fields=["result"])
            return result
    except IntegrityError:
        # the same op id committed by a concurrent push just now: answer its result
        first = ProcessedOp.objects.filter(pk=op.id).first()
        if first is None:
            raise
        return _replay(first, op, ctx)
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
        with changes.atomic():  # a savepoint: a refusal undoes only the handler's writes
            return handler(op, ctx)
    except ServiceError as exc:
        reason = exc.message
        return OpResult(
            REJECTED, code=exc.code, reason=reason, extra={"details": exc.details or {}}
        )
    except IntegrityError as exc:
        # a constraint the services did not anticipate: a refusal, not a crash
        log.warning("push op %s (%s) hit a constraint: %s", op.id, op.type, exc)
        return OpResult(
            REJECTED,
            code="constraint_violated",
            reason="The change conflicts with data on the server and was not applied.",
        )
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
