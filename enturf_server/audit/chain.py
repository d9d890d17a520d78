"""The audit trail's hash chain: each entry's `hash` is SHA-256 over a canonical JSON of
its recorded fields and `prev_hash`, the hash of the entry before it (by id). Changing a
field, deleting an entry or moving one breaks the chain at that entry; deleting the last
ones is seen against the chain head, which names the last entry.

Appends run one at a time: `sync.changes` writes deferred audit rows last, under the
change-log lock (a PostgreSQL advisory lock held until commit; SQLite writers are
serialised), and the head row is locked as well, so two transactions never both chain
onto the same entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from enturf_server.api.model_rows import insert_rows
from enturf_server.audit.hashing import GENESIS, entry_hash, normal_details
from enturf_server.audit.models import AuditChainHead, AuditEntry

__all__ = ["GENESIS", "Verdict", "append", "entry_hash", "hash_of", "verify_chain"]

HEAD_PK = 1


def hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        prev_hash=entry.prev_hash,
        at=entry.at,
        actor_name=entry.actor_name,
        device_name=entry.device_name,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        details=entry.details,
    )


def _locked_head(cursor, head_table: str, entry_table: str) -> tuple[str, int]:
    """(last hash, length) of the head row, locked until commit; the row is made from the
    last entry when missing (a fresh database, or a test database flushed between tests).
    Hand-written SQL: the ORM would compile each query anew on this path of every write."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(f"SELECT last_hash, length FROM {head_table} WHERE id = %s{lock}", [HEAD_PK])
    row = cursor.fetchone()
    if row is not None:
        return row[0], row[1]
    cursor.execute(f"SELECT id, hash FROM {entry_table} ORDER BY id DESC LIMIT 1")
    last = cursor.fetchone()
    cursor.execute(f"SELECT count(*) FROM {entry_table}")
    length = cursor.fetchone()[0]
    last_id, last_hash = last if last is not None else (0, GENESIS)
    cursor.execute(
        f"INSERT INTO {head_table} (id, last_id, last_hash, length) VALUES (%s, %s, %s, %s)",
        [HEAD_PK, last_id, last_hash, length],
    )
    return last_hash, length


def append(entries: Sequence[AuditEntry]) -> None:
    """Chain `entries` (in order) onto the head and insert them in one statement; call
    with the change-log lock held (`sync.changes` does), inside the transaction."""
    quote = connection.ops.quote_name
    head_table = quote(AuditChainHead._meta.db_table)
    entry_table = quote(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        prev, _length = _locked_head(cursor, head_table, entry_table)
        for entry in entries:
            entry.details = normal_details(entry.details)
            entry.prev_hash = prev
            entry.hash = prev = hash_of(entry)
        insert_rows(entries, connection)
        # appends are serialised: the newest id is this transaction's last entry
        cursor.execute(
            f"UPDATE {head_table} SET last_id = (SELECT max(id) FROM {entry_table}),"
            " last_hash = %s, length = length + %s WHERE id = %s",
            [prev, len(entries), HEAD_PK],
        )


@dataclass(frozen=True)
class Verdict:
    """What `verify_chain()` found: `ok`, how many entries it checked, and where the chain
    first breaks (`broken_id`: the first entry that does not fit; for a cut tail, the last
    entry the head names) and why."""

    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "broken_id": self.broken_id,
            "reason": self.reason,
        }


_FIELDS = (
    "id",
    "prev_hash",
    "hash",
    "at",
    "actor_name",
    "device_name",
    "action",
    "object_type",
    "object_id",
    "details",
)


def verify_chain(*, chunk: int = 2000) -> Verdict:
    """Walk the chain in id order, recompute every hash and check every link; return the
    first entry that breaks it (changed, inserted, deleted before it or moved), or that
    the tail was cut (the head names an entry the walk never reached). The head is read
    first: entries appended while the walk runs come after it and are checked as links."""
    head = (
        AuditChainHead.objects.filter(pk=HEAD_PK)
        .values_list("last_id", "last_hash", "length")
        .first()
    )
    expected_prev, checked = GENESIS, 0
    at_head: tuple[int, str] | None = None  # (entries up to the head's, its hash)
    rows = AuditEntry.objects.order_by("id").values_list(*_FIELDS).iterator(chunk_size=chunk)
    for row in rows:
        values = dict(zip(_FIELDS, row, strict=True))
        entry_id = values.pop("id")
        stored = values.pop("hash")
        if values["prev_hash"] != expected_prev:
            return Verdict(
                False,
                checked,
                entry_id,
                "its link to the entry before does not match: an entry was deleted, "
                "inserted or moved before it",
            )
        if entry_hash(**values) != stored:
            return Verdict(
                False, checked, entry_id, "its fields were changed after it was recorded"
            )
        expected_prev = stored
        checked += 1
        if head is not None and entry_id == head[0]:
            at_head = (checked, stored)
    if head is not None and head[0] and at_head != (head[2], head[1]):
        return Verdict(
            False,
            checked,
            head[0],
            f"the chain head names entry {head[0]} as number {head[2]}, but the walk "
            + ("never reached it" if at_head is None else f"found it as number {at_head[0]}")
            + ": entries at the end were deleted, or the head does not match",
        )
    return Verdict(True, checked)
