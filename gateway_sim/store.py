"""The simulator's state in SQLite, so that a restart loses nothing.

Every API object is one JSON document in ``objects``. Idempotent responses,
webhook deliveries and the simulator's private reader settings have their own
tables. One connection serves all threads; ``transaction()`` serialises writers
and makes each API request atomic, including the response stored for its
idempotency key.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    created INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_by_type ON objects (type, created, seq);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    request_id TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    url TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    last_status INTEGER,
    last_error TEXT
);
CREATE TABLE IF NOT EXISTS reader_settings (
    reader_id TEXT PRIMARY KEY,
    auto_approve_delay REAL,
    offline INTEGER NOT NULL DEFAULT 0,
    approve_at REAL
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""

IDEMPOTENCY_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StoredResponse:
    key: str
    method: str
    path: str
    fingerprint: str
    status: int
    body: str
    request_id: str
    created: float


@dataclass(frozen=True)
class Delivery:
    id: int
    event_id: str
    url: str
    attempts: int


@dataclass(frozen=True)
class ReaderSettings:
    reader_id: str
    auto_approve_delay: float | None
    offline: bool
    approve_at: float | None


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=30
        )
        self._conn.row_factory = sqlite3.Row
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit of work; nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._depth = 0
                self._conn.execute("ROLLBACK")
                raise
            self._depth = 0
            self._conn.execute("COMMIT")

    # -- objects -------------------------------------------------------------

    def get(self, object_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM objects WHERE id = ?", (object_id,)
            ).fetchone()
        return json.loads(row["data"]) if row else None

    def get_typed(self, object_id: str, type_: str) -> dict[str, Any] | None:
        obj = self.get(object_id)
        return obj if obj is not None and obj.get("object") == type_ else None

    def put(self, obj: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(obj, separators=(",", ":"))
        with self.transaction():
            exists = self._conn.execute(
                "SELECT 1 FROM objects WHERE id = ?", (obj["id"],)
            ).fetchone()
            if exists:
                self._conn.execute("UPDATE objects SET data = ? WHERE id = ?", (data, obj["id"]))
            else:
                self._conn.execute(
                    "INSERT INTO objects (id, type, created, seq, data) VALUES (?, ?, ?, ?, ?)",
                    (
                        obj["id"],
                        obj["object"],
                        int(obj.get("created") or time.time()),
                        self.next_value("seq"),
                        data,
                    ),
                )
        return obj

    def delete(self, object_id: str) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM objects WHERE id = ?", (object_id,))

    def all_of_type(
        self, type_: str, where: Callable[[dict[str, Any]], bool] | None = None
    ) -> list[dict[str, Any]]:
        """Objects of a type, newest first (Stripe's list order)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT data FROM objects WHERE type = ? ORDER BY created DESC, seq DESC",
                (type_,),
            ).fetchall()
        objects = [json.loads(r["data"]) for r in rows]
        return [o for o in objects if where is None or where(o)]

    def next_value(self, name: str) -> int:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO counters (name, value) VALUES (?, 1) "
                "ON CONFLICT(name) DO UPDATE SET value = value + 1",
                (name,),
            )
            row = self._conn.execute(
                "SELECT value FROM counters WHERE name = ?", (name,)
            ).fetchone()
        return int(row["value"])

    # -- idempotency ---------------------------------------------------------

    def stored_response(self, key: str, now: float) -> StoredResponse | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM idempotency WHERE key = ?", (key,)).fetchone()
        if row is None or row["created"] < now - IDEMPOTENCY_TTL_SECONDS:
            return None
        return StoredResponse(**dict(row))

    def store_response(self, response: StoredResponse) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO idempotency "
                "(key, method, path, fingerprint, status, body, request_id, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    response.key,
                    response.method,
                    response.path,
                    response.fingerprint,
                    response.status,
                    response.body,
                    response.request_id,
                    response.created,
                ),
            )

    def prune_responses(self, now: float) -> None:
        with self.transaction():
            self._conn.execute(
                "DELETE FROM idempotency WHERE created < ?", (now - IDEMPOTENCY_TTL_SECONDS,)
            )

    # -- webhook deliveries --------------------------------------------------

    def add_delivery(self, event_id: str, url: str, due: float) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO webhook_deliveries (event_id, url, next_attempt_at) VALUES (?, ?, ?)",
                (event_id, url, due),
            )

    def due_deliveries(self, now: float, limit: int = 20) -> list[Delivery]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, event_id, url, attempts FROM webhook_deliveries "
                "WHERE state = 'pending' AND next_attempt_at <= ? "
                "ORDER BY next_attempt_at, id LIMIT ?",
                (now, limit),
            ).fetchall()
        return [Delivery(**dict(r)) for r in rows]

    def next_delivery_due(self) -> float | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries WHERE state = 'pending'"
            ).fetchone()
        return row["due"]

    def record_delivery(
        self,
        delivery_id: int,
        *,
        attempts: int,
        state: str,
        next_attempt_at: float,
        status: int | None,
        error: str | None,
    ) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE webhook_deliveries SET attempts = ?, state = ?, next_attempt_at = ?, "
                "last_status = ?, last_error = ? WHERE id = ?",
                (attempts, state, next_attempt_at, status, error, delivery_id),
            )

    def deliveries(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._conn.execute("SELECT * FROM webhook_deliveries ORDER BY id").fetchall()
        return [dict(r) for r in rows]

    def pending_deliveries_for_event(self, event_id: str) -> int:
        with self._lock:
            row = self._conn.execute(
                "SELECT COUNT(*) AS n FROM webhook_deliveries "
                "WHERE event_id = ? AND state = 'pending'",
                (event_id,),
            ).fetchone()
        return int(row["n"])

    # -- simulated readers ---------------------------------------------------

    def reader_settings(self, reader_id: str) -> ReaderSettings:
        with self._lock:
            row = self._conn.execute(
                "SELECT * FROM reader_settings WHERE reader_id = ?", (reader_id,)
            ).fetchone()
        if row is None:
            return ReaderSettings(reader_id, None, False, None)
        return ReaderSettings(
            row["reader_id"], row["auto_approve_delay"], bool(row["offline"]), row["approve_at"]
        )

    def save_reader_settings(self, settings: ReaderSettings) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO reader_settings "
                "(reader_id, auto_approve_delay, offline, approve_at) VALUES (?, ?, ?, ?)",
                (
                    settings.reader_id,
                    settings.auto_approve_delay,
                    int(settings.offline),
                    settings.approve_at,
                ),
            )

    def due_approvals(self, now: float) -> list[str]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT reader_id FROM reader_settings WHERE approve_at IS NOT NULL "
                "AND approve_at <= ? ORDER BY approve_at",
                (now,),
            ).fetchall()
        return [r["reader_id"] for r in rows]

    def next_approval_due(self) -> float | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT MIN(approve_at) AS due FROM reader_settings WHERE approve_at IS NOT NULL"
            ).fetchone()
        return row["due"]

    # -- maintenance ---------------------------------------------------------

    def reset(self) -> None:
        with self.transaction():
            for table in (
                "objects",
                "idempotency",
                "webhook_deliveries",
                "reader_settings",
                "counters",
            ):
                self._conn.execute(f"DELETE FROM {table}")
