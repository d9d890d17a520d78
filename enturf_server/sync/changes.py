"""Writing the change log in the same transaction as each change.

Services that change a synced entity run inside :func:`atomic` and call :func:`emit`.
Changes are buffered and written when the outermost block ends, just before commit,
after taking a transaction-scoped lock (PostgreSQL advisory lock; SQLite writers are
already serialised). Sequence numbers are therefore handed out in commit order and a
reader paging by `seq` never skips a change that commits late.

Model signals are not used: they miss `QuerySet.update()` and bulk writes.

Append-only rows that nothing reads back before commit (audit entries) may be deferred
with :func:`defer_insert`: they go with the buffer (a rolled-back nested block drops
them) and are inserted at the end of the outermost block, one statement per model.
A model registered with :func:`register_serial_insert` (the audit trail's hash chain) is
written instead by its own function, last, under the change-log lock: one writer at a time
appends, as late in the transaction as possible.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from enturf_core.wire import feed
from enturf_server.api.model_rows import insert_rows
from enturf_server.sync.models import ChangeLogEntry

_CHANGELOG_LOCK_KEY = 0x656E747572660001  # "enturf" 0001: one constant shared by all writers
_local = threading.local()
# model -> function writing its deferred rows in order under the change-log lock
_serial_inserts: dict[type[Model], Callable[[Sequence[Model]], None]] = {}


@dataclass
class _Buffer:
    entries: list[ChangeLogEntry] = field(default_factory=list)
    rows: list[tuple[Model, tuple[str, ...], bool]] = field(default_factory=list)


def _stack() -> list[_Buffer]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


@contextmanager
def atomic(*, lazy: bool = False) -> Iterator[None]:
    """`transaction.atomic()` that also writes the buffered changes before it commits.

    `lazy` (nested blocks): the savepoint is taken only when the block runs its first
    statement, so a block that only buffers changes and deferred rows (a pushed op whose
    reads were made for its whole push) costs the database nothing.
    """
    stack = _stack()
    if stack:  # nested: the outermost block writes; a rolled-back savepoint drops its changes
        buffer = stack[-1]
        mark, rows_mark = len(buffer.entries), len(buffer.rows)
        try:
            with _lazy_savepoint() if lazy else transaction.atomic():
                yield
        except BaseException:
            del buffer.entries[mark:]
            del buffer.rows[rows_mark:]
            raise
        return
    with transaction.atomic():
        buffer = _Buffer()
        stack.append(buffer)
        try:
            yield
        finally:
            stack.pop()
        _flush(buffer)


@contextmanager
def _lazy_savepoint() -> Iterator[None]:
    """A savepoint around the block, taken just before its first statement (Django's
    `transaction.savepoint()` API, and on `connection.savepoint_ids` as an atomic block's
    own); rolled back as `transaction.atomic()` rolls back its own when the block raises,
    or released when it ends."""
    sid: str | None = None
    taking = False
    callbacks, doomed = len(connection.run_on_commit), connection.needs_rollback
    depth = len(connection.savepoint_ids)  # this block's place among the atomic blocks

    def take(execute, sql, params, many, context):
        nonlocal sid, taking
        if sid is None and not taking:
            taking = True
            sid = transaction.savepoint()
            # at this block's depth: the first statement may run in a block nested in it
            # (e.g. bulk_update's atomic(savepoint=False)), which pops its own entry
            connection.savepoint_ids.insert(depth, sid)
        return execute(sql, params, many, context)

    def forget() -> None:
        if len(connection.savepoint_ids) > depth and connection.savepoint_ids[depth] == sid:
            del connection.savepoint_ids[depth]

    try:
        with connection.execute_wrapper(take):
            yield
    except BaseException:
        del connection.run_on_commit[callbacks:]  # registered in the block: rolled back
        if sid is not None:
            forget()
            transaction.savepoint_rollback(sid)
            transaction.savepoint_commit(sid)  # not reused: released, as atomic() does
        connection.needs_rollback = doomed  # nothing of the block is left to roll back
        raise
    if sid is not None:
        forget()
        transaction.savepoint_commit(sid)


def emit(
    entity: str, entity_id: Any, *, op: str = feed.UPSERT, version: int = 0, data=None
) -> None:
    """Record a change of `entity` `entity_id`; must be called inside :func:`atomic`."""
    stack = _stack()
    if not stack:
        raise RuntimeError("sync.changes.emit() outside sync.changes.atomic()")
    stack[-1].entries.append(
        ChangeLogEntry(
            entity=entity, entity_id=str(entity_id), version=version, op=op, data=data or {}
        )
    )


def deferring() -> bool:
    """True inside :func:`atomic`, where :func:`defer_insert` may be used."""
    return bool(_stack())


def defer_insert(obj: Model, *, keep: tuple[str, ...] = (), ignore_conflicts: bool = False) -> None:
    """Insert `obj` (a new row nobody reads back in this transaction) when the outermost
    :func:`atomic` block ends, with the other deferred rows of its model in one statement.
    `keep`: auto_now_add fields the caller set (the time of the change, not of the flush).
    `ignore_conflicts`: a row whose key was taken meanwhile is skipped (the same row sent
    twice at once, e.g. a door's scan in two concurrent pushes).
    """
    stack = _stack()
    if not stack:
        raise RuntimeError("sync.changes.defer_insert() outside sync.changes.atomic()")
    stack[-1].rows.append((obj, keep, ignore_conflicts))


def register_serial_insert(model: type[Model], insert: Callable[[Sequence[Model]], None]) -> None:
    """Deferred rows of `model` are written by `insert(rows)` (in the order they were
    deferred) at the very end of the outermost block, after the change-log lock is taken:
    one transaction at a time, so an append-only chain (each row naming the one before)
    stays a chain. Called from an `AppConfig.ready()`."""
    _serial_inserts[model] = insert


def lock_changelog() -> None:
    """Take the change-log lock until this transaction ends (no-op on SQLite)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHANGELOG_LOCK_KEY])


def _flush(buffer: _Buffer) -> None:
    groups: dict[tuple[type[Model], tuple[str, ...], bool], list[Model]] = {}
    serial: dict[type[Model], list[Model]] = {}
    for obj, keep, ignore in buffer.rows:
        if type(obj) in _serial_inserts:
            serial.setdefault(type(obj), []).append(obj)
        else:
            groups.setdefault((type(obj), keep, ignore), []).append(obj)
    for (_model, keep, ignore), objs in groups.items():  # before the lock (held until commit)
        insert_rows(objs, connection, keep=keep, ignore_conflicts=ignore)
    if not buffer.entries and not serial:
        return
    lock_changelog()  # one lock for both: no order between two locks to deadlock on
    if buffer.entries:
        insert_rows(buffer.entries, connection)  # bulk_create's query compilation costs ~1 ms
    for model, objs in serial.items():
        _serial_inserts[model](objs)
