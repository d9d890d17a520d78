"""Reading the change feed: a snapshot in pages, then the change log from its position.

Correctness of a snapshot read over several requests: the first page fixes the
snapshot's position `S` (the highest committed `seq`, read together with that page's
data in one REPEATABLE READ transaction on PostgreSQL). Later pages are read later, so
their data is at least as new as `S`; every item is then corrected by replaying the
change log from `S` on, and pages go by id (keyset), so an item that exists throughout
is never skipped by rows created or deleted meanwhile. Once the replay has caught up,
the counter holds exactly the server's state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from enturf_core.wire import feed
from enturf_server.api.errors import ServiceError
from enturf_server.sync.cursor import (
    Cursor,
    SnapshotPosition,
    invalid_cursor,
    is_row_id,
    parse_cursor,
    seq_cursor,
    snapshot_cursor,
)
from enturf_server.sync.models import ChangeLogEntry, ChangeLogHorizon
from enturf_server.sync.snapshot_registry import providers


class CursorExpired(ServiceError):
    status_code = 410
    code = "cursor_expired"


@dataclass(frozen=True)
class FeedPage:
    changes: list[dict[str, Any]]
    next: str
    has_more: bool


def page_limit(raw: str | int | None) -> int:
    """The `limit` query parameter: default and maximum from the settings."""
    if raw in (None, ""):
        return settings.ENTURF_SYNC_PAGE_SIZE
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ServiceError(
            "limit must be a whole number.", code="invalid_limit", details={"limit": str(raw)}
        ) from None
    if value < 1:
        raise ServiceError("limit must be at least 1.", code="invalid_limit")
    return min(value, settings.ENTURF_SYNC_MAX_PAGE_SIZE)


@contextmanager
def consistent_read() -> Iterator[None]:
    """One REPEATABLE READ, read-only transaction on PostgreSQL (everything read inside
    sees the same committed state). Elsewhere, or inside an enclosing transaction, plain
    reads: the feed stays correct because the snapshot position is read first."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    else:
        yield


def _log_end() -> int:
    """The highest sequence number handed out and committed (or pruned)."""
    top = ChangeLogEntry.objects.aggregate(top=Max("seq"))["top"] or 0
    return max(top, ChangeLogHorizon.current())


def _expired(message: str) -> CursorExpired:
    return CursorExpired(
        f"{message} Start again from a snapshot (after=0).",
        details={"restart_from": "0"},
    )


def _check_position(seq: int) -> None:
    """A position the server can continue from: not pruned, not from another log."""
    if seq < ChangeLogHorizon.current():
        raise _expired("The change log no longer goes back this far (it was pruned).")
    if seq > _log_end():
        raise _expired("This cursor is ahead of the server's change log (restored database?).")


def entry_dict(entry: ChangeLogEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "entity": entry.entity,
        "id": entry.entity_id,
        "version": entry.version,
        "op": entry.op,
        "data": entry.data,
    }


def read_changes(*, after: str | None, limit: int) -> FeedPage:
    cursor: Cursor = parse_cursor(after)
    with consistent_read():
        if cursor.seq is not None:
            return _incremental_page(cursor.seq, limit)
        return _snapshot_page(cursor.snapshot, limit)


def _incremental_page(after: int, limit: int) -> FeedPage:
    entries = list(ChangeLogEntry.objects.filter(seq__gt=after).order_by("seq")[: limit + 1])
    _check_position(after)  # after the read: a prune in between is noticed
    has_more = len(entries) > limit
    entries = entries[:limit]
    next_seq = entries[-1].seq if entries else after
    return FeedPage([entry_dict(e) for e in entries], seq_cursor(next_seq), has_more)


def _snapshot_page(position: SnapshotPosition | None, limit: int) -> FeedPage:
    registered = providers()
    if position is None:
        position = SnapshotPosition(_log_end(), registered[0].entity, None)
    else:
        _check_position(position.seq)
    names = [p.entity for p in registered]
    if position.entity not in names:
        raise _expired(f"The snapshot cursor names an unknown entity {position.entity!r}.")
    first = registered[names.index(position.entity)]
    if position.after is not None and first.int_ids and not is_row_id(position.after):
        raise invalid_cursor(snapshot_cursor(position.seq, position.entity, position.after))
    seq = position.seq
    changes: list[dict[str, Any]] = []
    for provider in registered[names.index(position.entity) :]:
        after = position.after if provider.entity == position.entity else None
        room = limit - len(changes)
        take = min(room, provider.page_cap) if provider.page_cap else room
        batch = provider.fetch(after=after, limit=take)
        changes.extend(
            {
                "seq": seq,
                "entity": provider.entity,
                "id": str(item.id),
                "version": item.version,
                "op": feed.UPSERT,
                "data": item.data,
            }
            for item in batch
        )
        if len(batch) >= take:  # this entity may have more: continue after its last item
            return FeedPage(changes, snapshot_cursor(seq, provider.entity, str(batch[-1].id)), True)
    # the snapshot is complete; the change log continues from its position
    has_more = ChangeLogEntry.objects.filter(seq__gt=seq).exists()
    return FeedPage(changes, seq_cursor(seq), has_more)
