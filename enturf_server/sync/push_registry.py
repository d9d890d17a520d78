"""Pluggable push-op handlers, one per op type, registered by the app that owns the op
(from its `AppConfig.ready()`: catalog's edits, counters' sales, shifts' ops):

    @push_handler("event_update")
    def event_update(op: PushOp, ctx: PushContext) -> OpResult: ...

A handler runs inside the op's savepoint within the push's transaction (see `sync.push`);
it applies the op through the same services the API uses and returns an
:class:`OpResult`. Raising a `ServiceError` rejects the op and rolls back whatever the
handler wrote; the refusal's code and message go back to the counter.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from enturf_core.wire import WireError, WireModel
from enturf_core.wire.results import APPLIED, CONFLICT, DUPLICATE, REJECTED  # noqa: F401 (re-export)
from enturf_server.api.errors import ServiceError

W = TypeVar("W", bound=WireModel)


@dataclass(frozen=True)
class PushOp:
    id: uuid.UUID
    type: str
    payload: dict[str, Any]
    base_version: int | None = None
    base: dict[str, Any] | None = None


@dataclass(frozen=True)
class PushContext:
    user: Any
    device: Any
    # every op of the push, for a handler that reads what many of its ops need at once
    ops: tuple[PushOp, ...] = field(default=(), compare=False, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: Any, make: Callable[[], Any]) -> Any:
        """`make()`, called once per push for `key` (what every op of it can share)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]


@dataclass(frozen=True)
class OpResult:
    status: str
    reason: str | None = None
    code: str | None = None
    server: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, op_id: uuid.UUID) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(op_id), "status": self.status}
        if self.code:
            out["code"] = self.code
        if self.reason:
            out["reason"] = self.reason
        if self.server is not None:
            out["server"] = self.server
        out.update(self.extra)
        return out


class RetryLater(Exception):
    """Raised by a handler when the op cannot be decided now (e.g. the card gateway is
    unreachable): nothing of it is stored, it answers ``rejected`` with ``retry: true``
    and the counter sends the same op again later."""

    def __init__(self, reason: str, *, code: str = "retry_later", details=None) -> None:
        super().__init__(reason)
        self.reason, self.code, self.details = reason, code, details or {}


def typed_payload(op: PushOp, cls: type[W]) -> W:
    """The op's payload as its wire class (`enturf_core.wire.ops`); a payload of another
    shape rejects the op (``invalid``, the path of the wrong value in ``details``)."""
    try:
        return cls.from_wire(op.payload)
    except WireError as exc:
        raise ServiceError(
            f"The {op.type} op is not valid: {exc}",
            code="invalid",
            details={exc.path or "payload": [exc.problem]},
        ) from None


PushHandler = Callable[[PushOp, PushContext], OpResult]
Preparer = Callable[[PushContext], None]
_handlers: dict[str, PushHandler] = {}
_own_transaction: dict[str, Callable[[PushOp], bool]] = {}
_preparers: dict[str, Preparer] = {}


def push_handler(
    op_type: str,
    *,
    own_transaction: Callable[[PushOp], bool] | None = None,
    prepare: Preparer | None = None,
) -> Callable[[PushHandler], PushHandler]:
    """Register the handler of `op_type`. `own_transaction(op)` true: the op waits on the
    network (e.g. the card gateway), so it runs in a transaction of its own, after the
    push's earlier ops are committed, rather than holding their locks meanwhile.

    `prepare(ctx)`: reads what the push's ops of this type need at once (kept with
    `ctx.memo`, where the handler finds it). It runs in the transaction of a run of ops
    before the first of them, outside every op's savepoint (the rows it locks stay locked
    whatever an op's fate); it must only read."""

    def register(fn: PushHandler) -> PushHandler:
        if op_type in _handlers and _handlers[op_type] is not fn:
            raise RuntimeError(f"push handler for {op_type!r} registered twice")
        _handlers[op_type] = fn
        if own_transaction is not None:
            _own_transaction[op_type] = own_transaction
        if prepare is not None:
            _preparers[op_type] = prepare
        return fn

    return register


def prepare_run(ops: Sequence[PushOp], ctx: PushContext) -> None:
    """Call the preparers of the op types in `ops` (once each, in the order first seen)."""
    for op_type in dict.fromkeys(op.type for op in ops):
        if (prepare := _preparers.get(op_type)) is not None:
            prepare(ctx)


def needs_own_transaction(op: PushOp) -> bool:
    check = _own_transaction.get(op.type)
    return check is not None and check(op)


def handler_for(op_type: str) -> PushHandler | None:
    return _handlers.get(op_type)


def handled_types() -> list[str]:
    return sorted(_handlers)
