"""Live door figures of an event for the back office: from the server
(`GET /api/v1/events/{id}/checkin-stats/`) when it answers, else the last figures fetched
(kept with their time in the sync state) and what this device's own scan log knows."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from enturf_core.local_time import parse_utc
from enturf_pos.services.door import local_door_data
from enturf_pos.services.door.local_door_data import DoubleEntry, KnownHere, OwnScans
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_state_store

CACHE_KEY = "door_figures:{event}"
ANY_GATE = "any gate"


@dataclass(frozen=True, slots=True)
class Counts:
    """One row of figures: `label` a list and gate, a ticket or a category."""

    label: str
    entries: int = 0  # "in": entry scans admitted
    exits: int = 0
    inside: int = 0
    doubles: int = 0
    refused: int = 0
    group: str = ""  # the list of a gate row


@dataclass(frozen=True, slots=True)
class Figures:
    event_id: int
    at: datetime | None  # when the server counted them (None: never fetched)
    live: bool  # just fetched; False: the last ones kept on this device
    totals: Counts = Counts("All")
    gates: tuple[Counts, ...] = ()
    tickets: tuple[Counts, ...] = ()
    categories: tuple[Counts, ...] = ()
    double_entries: tuple[DoubleEntry, ...] = ()
    own: OwnScans = field(default_factory=OwnScans)
    message: str = ""  # why they are not live
    offline: bool = False  # not live because the server cannot be reached
    known: tuple[KnownHere, ...] = ()  # not live: per list, what this device knows


def fetch(ctx: PosContext, event_id: int) -> Figures:
    """Run off the UI thread: the server's figures (kept for later), else the kept ones."""
    own = local_door_data.own_scans(ctx, event_id)
    doubles = local_door_data.double_entries(ctx, event_id)
    client = ctx.user_client()
    if client is None:
        return _kept(ctx, event_id, own, doubles, "Not connected to the server.", offline=True)
    try:
        data = client.request("GET", f"api/v1/events/{event_id}/checkin-stats/")
    except ServerUnreachable as exc:
        return _kept(ctx, event_id, own, doubles, exc.message, offline=True)
    except ApiError as exc:
        return _kept(ctx, event_id, own, doubles, exc.message)
    finally:
        client.close()
    fetched = datetime.now(UTC)
    with ctx.db.transaction() as session:
        sync_state_store.set_value(
            session,
            CACHE_KEY.format(event=event_id),
            {"fetched": fetched.isoformat(), "data": data},
        )
    return replace(parse(event_id, data, fetched, live=True, own=own), double_entries=doubles)


def _kept(
    ctx: PosContext,
    event_id: int,
    own: OwnScans,
    doubles: tuple[DoubleEntry, ...],
    message: str,
    *,
    offline: bool = False,
) -> Figures:
    with ctx.db.transaction() as session:
        kept = sync_state_store.get_value(session, CACHE_KEY.format(event=event_id)) or None
    known = local_door_data.known_here(ctx, event_id)
    if kept is None:
        figures = Figures(event_id, None, False, own=own)
    else:
        fetched = parse_utc(kept.get("fetched"))
        figures = parse(event_id, kept.get("data") or {}, fetched, live=False, own=own)
    return replace(figures, message=message, offline=offline, known=known, double_entries=doubles)


def parse(
    event_id: int,
    data: Any,
    fetched: datetime | None,
    *,
    live: bool,
    own: OwnScans | None = None,
) -> Figures:
    """The server's figures: `totals`, and per list its own figures, its `gates`,
    `tickets` and `categories` (each with in, out, inside, double_entries, refused).
    Tickets and categories are summed over the lists."""
    data = data if isinstance(data, dict) else {}
    gates: list[Counts] = []
    tickets: dict[str, Counts] = {}
    categories: dict[str, Counts] = {}
    for lst in data.get("lists") or ():
        name = str(lst.get("name") or f"List {lst.get('id')}")
        for gate in lst.get("gates") or ():
            gates.append(_counts(gate, str(gate.get("gate") or ANY_GATE), group=name))
        for row in lst.get("tickets") or ():
            _add(tickets, _counts(row, str(row.get("name") or row.get("ticket"))))
        for row in lst.get("categories") or ():
            _add(categories, _counts(row, str(row.get("category") or "unknown")))
    return Figures(
        event_id,
        fetched,
        live,
        totals=_counts(data.get("totals") or {}, "All"),
        gates=tuple(gates),
        tickets=tuple(sorted(tickets.values(), key=lambda c: c.label.casefold())),
        categories=tuple(sorted(categories.values(), key=lambda c: c.label.casefold())),
        own=own or OwnScans(),
    )


def _add(into: dict[str, Counts], counts: Counts) -> None:
    had = into.get(counts.label)
    if had is not None:
        counts = Counts(
            counts.label,
            had.entries + counts.entries,
            had.exits + counts.exits,
            had.inside + counts.inside,
            had.doubles + counts.doubles,
            had.refused + counts.refused,
        )
    into[counts.label] = counts


def _counts(item: dict[str, Any], label: str, *, group: str = "") -> Counts:
    def n(key: str) -> int:
        value = item.get(key)
        return value if isinstance(value, int) else 0

    return Counts(label, n("in"), n("out"), n("inside"), n("double_entries"), n("refused"), group)
