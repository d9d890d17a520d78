"""What a door scan reads again and again, loaded once per synced state: the keyring of
ticket keys (the server's and every counter's), the check-in lists, ticket and event
names, counters' names.

A scan checks one small value (the feed cursor in `sync_state`); only when a sync has
moved it since (or `forget` was called) is the rest read again. So a scan costs a
signature check and a few primary-key reads, not a reload of every key and list.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.ticket_codes import PublicKeyInfo
from enturf_pos.models import CheckinList, CounterDevice, Database, Event, Ticket, TicketKey
from enturf_pos.services.sync import sync_state_store

log = logging.getLogger(__name__)

DEVICE_OWNER = "device:"


@dataclass(frozen=True, slots=True)
class ListRule:
    """A check-in list as the verdict needs it."""

    id: int
    event_id: int
    name: str
    tickets: frozenset[int]
    gates: tuple[str, ...]
    exits: bool
    reentry: bool
    starts_at: datetime | None
    ends_at: datetime | None


@dataclass(slots=True)
class DoorCache:
    stamp: object = None
    keyring: dict[str, PublicKeyInfo] = field(default_factory=dict)
    signer: dict[str, str] = field(default_factory=dict)  # key id -> "server" or "device:<id>"
    lists: dict[int, ListRule] = field(default_factory=dict)
    ticket_names: dict[int, str] = field(default_factory=dict)
    event_names: dict[int, str] = field(default_factory=dict)
    device_names: dict[int, str] = field(default_factory=dict)
    offline_until: float = 0.0  # monotonic: no online try before (the server was away)


_caches: weakref.WeakKeyDictionary[Database, DoorCache] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _stamp(session: Session) -> object:
    return sync_state_store.cursor(session)


def _load(session: Session, cache: DoorCache) -> None:
    keyring: dict[str, PublicKeyInfo] = {}
    signer: dict[str, str] = {}
    for row in session.scalars(select(TicketKey)):
        try:
            info = PublicKeyInfo.from_base64(row.public_key, row.retired_at)
        except ValueError:
            log.warning("ticket key %s is not an Ed25519 key: skipped", row.key_id)
            continue
        keyring[info.key_id] = info
        signer[info.key_id] = row.owner or ""
    cache.keyring, cache.signer = keyring, signer
    cache.lists = {
        row.id: ListRule(
            id=row.id,
            event_id=row.event_id,
            name=row.name,
            tickets=frozenset(int(t) for t in row.tickets or ()),
            gates=tuple(str(g) for g in row.gates or ()),
            exits=row.exits,
            reentry=row.reentry,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
        )
        for row in session.scalars(select(CheckinList))
    }
    cache.ticket_names = dict(session.execute(select(Ticket.id, Ticket.name)).all())
    cache.event_names = dict(session.execute(select(Event.id, Event.name)).all())
    cache.device_names = dict(session.execute(select(CounterDevice.id, CounterDevice.name)).all())


def current(db: Database, session: Session) -> DoorCache:
    """The cache of `db`, read again when the synced state changed since."""
    stamp = _stamp(session)
    with _lock:
        cache = _caches.get(db)
        if cache is None:
            cache = _caches[db] = DoorCache()
        if cache.stamp != stamp:
            _load(session, cache)
            cache.stamp = stamp
    return cache


def offline_until(db: Database) -> float:
    """Monotonic time before which scans do not try the server (0: try)."""
    cache = _caches.get(db)
    return cache.offline_until if cache is not None else 0.0


def went_offline(db: Database, seconds: float) -> None:
    with _lock:
        cache = _caches.get(db)
        if cache is None:
            cache = _caches[db] = DoorCache()
        cache.offline_until = time.monotonic() + seconds


def forget(db: Database) -> None:
    """Read everything again at the next scan (data written without a sync: tests, set-up)."""
    with _lock:
        if (cache := _caches.get(db)) is not None:
            cache.stamp = None


def signer_device(owner: str) -> int | None:
    """The counter's id of a key owned by `device:<id>`, else None (the server's key)."""
    if owner.startswith(DEVICE_OWNER) and owner[len(DEVICE_OWNER) :].isdigit():
        return int(owner[len(DEVICE_OWNER) :])
    return None
