"""The server's audit trail for the manager's Audit tab: a page of entries
(`GET /api/v1/audit/`, filtered), all of them for an export, kept offline as the last page
fetched with its time (sync state `back_office:audit_page`). Read-only: the server's
trail cannot be changed through the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from enturf_core.local_time import parse_utc
from enturf_pos.models import CounterDevice, Event, LocalUser, Ticket, Venue
from enturf_pos.services import venue_time
from enturf_pos.services.back_office.kept_reads import Unread, get_and_keep
from enturf_pos.services.session.api_client import ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_state_store

CACHE_KEY = "back_office:audit_page"
PAGE_SIZE = 100
EXPORT_PAGE = 500  # the API's largest page
EXPORT_LIMIT = 50_000  # entries in one export; narrow the filters for more
HEADERS = ("Time", "Who", "Counter", "Action", "Object", "Details", "Id")


@dataclass(frozen=True, slots=True)
class AuditFilters:
    who: str = ""  # part of the username
    action: str = ""  # the start of the action: `refund`, `drawer.`
    counter: str = ""  # part of the counter's name
    object_type: str = ""
    object_id: str = ""
    since: date | None = None  # venue days, both included
    until: date | None = None

    def params(self) -> dict[str, str]:
        found = {
            "actor_name": self.who.strip(),
            "action_prefix": self.action.strip(),
            "device_name": self.counter.strip(),
            "object_type": self.object_type.strip(),
            "object_id": self.object_id.strip(),
        }
        zone = venue_time.current_zone()
        if self.since is not None:
            found["since"] = datetime.combine(self.since, time(), zone).isoformat()
        if self.until is not None:
            day_after = self.until + timedelta(days=1)
            found["until"] = datetime.combine(day_after, time(), zone).isoformat()
        return {k: v for k, v in found.items() if v}


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime | None
    who: str
    counter: str
    action: str
    object: str
    details: str

    def cells(self) -> tuple[Any, ...]:
        return (self.at, self.who, self.counter, self.action, self.object, self.details, self.id)


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: tuple[AuditRow, ...] = ()
    count: int = 0
    page: int = 1
    pages: int = 1
    fetched: datetime | None = None  # when the server answered (None: never)
    live: bool = False  # just fetched; False: the last page kept on this device
    offline: bool = False  # not live because the server cannot be reached
    message: str = ""  # why it is not live
    filters: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # "type:id" -> a name this device knows


def fetch(ctx: PosContext, filters: AuditFilters, page: int = 1) -> AuditPage:
    """Run off the UI thread: a page from the server (kept), else the page kept last."""
    params = {**filters.params(), "page": str(max(1, page)), "page_size": str(PAGE_SIZE)}
    read = get_and_keep(ctx, "api/v1/audit/", params, CACHE_KEY, {"page": page, "params": params})
    if isinstance(read, Unread):
        return _kept(ctx, read.message, offline=read.offline)
    data, fetched = read
    shown = _page(data, page, fetched, live=True, filters=params)
    return replace(shown, names=known_names(ctx, shown.rows))


def export_rows(ctx: PosContext, filters: AuditFilters) -> Iterator[AuditRow]:
    """Every entry the filters match, newest first, page by page (raises ApiError or
    ServerUnreachable: the caller says why nothing was saved)."""
    client = ctx.user_client()
    if client is None:
        raise ServerUnreachable("Not connected to the server.", request_sent=False)
    try:
        page, sent = 1, 0
        while sent < EXPORT_LIMIT:
            params = {**filters.params(), "page": str(page), "page_size": str(EXPORT_PAGE)}
            data = client.request("GET", "api/v1/audit/", params=params)
            for item in data.get("results") or ():
                yield _row(item)
                sent += 1
            if not data.get("next"):
                return
            page += 1
    finally:
        client.close()


def _kept(ctx: PosContext, message: str, *, offline: bool = False) -> AuditPage:
    with ctx.db.transaction() as session:
        kept = sync_state_store.get_value(session, CACHE_KEY) or None
    if kept is None:
        return AuditPage(message=message, offline=offline)
    page = _page(
        kept.get("data") or {},
        int(kept.get("page") or 1),
        parse_utc(kept.get("fetched")),
        live=False,
        filters=dict(kept.get("params") or {}),
    )
    return replace(
        page, live=False, offline=offline, message=message, names=known_names(ctx, page.rows)
    )


def _page(
    data: Any, page: int, fetched: datetime | None, *, live: bool, filters: dict[str, str]
) -> AuditPage:
    data = data if isinstance(data, dict) else {}
    rows = tuple(_row(item) for item in data.get("results") or () if isinstance(item, dict))
    count = data.get("count") if isinstance(data.get("count"), int) else len(rows)
    pages = max(1, -(-count // PAGE_SIZE))
    return AuditPage(rows, count, page, pages, fetched, live, filters=filters)


def _row(item: dict[str, Any]) -> AuditRow:
    obj = ":".join(str(x) for x in (item.get("object_type"), item.get("object_id")) if x)
    details = item.get("details") or {}
    return AuditRow(
        id=int(item.get("id") or 0),
        at=parse_utc(item.get("at")),
        who=str(item.get("actor_name") or ""),
        counter=str(item.get("device_name") or ""),
        action=str(item.get("action") or ""),
        object=obj,
        details=json.dumps(details, ensure_ascii=False, sort_keys=True) if details else "",
    )


# the objects this device has copies of, by model label: what the Audit tab names them
_NAMED = {
    "accounts.user": (LocalUser, lambda u: u.display_name or u.username),
    "accounts.device": (CounterDevice, lambda d: d.name),
    "catalog.event": (Event, lambda e: f"{e.name} · {venue_time.text(e.starts_at, '%d %b %Y')}"),
    "catalog.ticket": (Ticket, lambda t: t.name),
    "catalog.venue": (Venue, lambda v: v.name),
}


def known_names(ctx: PosContext, rows: tuple[AuditRow, ...]) -> dict[str, str]:
    """The name of each object of `rows` this device holds, by "type:id" (users, counters,
    events, tickets, venues): the tab shows "User Anna Berg", not a number."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        kind, _sep, key = row.object.partition(":")
        if kind in _NAMED and key.isdigit():
            wanted.setdefault(kind, set()).add(int(key))
    names: dict[str, str] = {}
    with ctx.db.transaction() as session:
        for kind, ids in wanted.items():
            model, name_of = _NAMED[kind]
            for found in session.scalars(select(model).where(model.id.in_(ids))):
                names[f"{kind}:{found.id}"] = name_of(found)
    return names
