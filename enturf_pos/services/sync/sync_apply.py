"""Applying change-feed entries to the local database (no network here).

`apply_page` writes one page in the caller's transaction: upserts and deletes by
(entity, id), seat status merged per seat, seat-map layouts replaced when they come.
Applying the same page twice gives the same state (the feed may repeat a page after a
crash). Bulk statements (SQLite ``INSERT ... ON CONFLICT``) keep a 20,000-seat
snapshot fast.

Local edits not yet accepted by the server (pending outbox ops) stay visible: after an
event or ticket arrives from the server, the fields of its pending edits are laid over
it again, so a pull never hides what a manager typed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from enturf_core.wire import feed
from enturf_core.wire import ops as wire
from enturf_pos.models import (
    Admission,
    Allocation,
    Area,
    CheckinList,
    CheckinRecord,
    CounterDevice,
    Device,
    Event,
    LocalUser,
    OutboxOp,
    OutboxState,
    RoleRights,
    Seat,
    SeatMap,
    SeatStatus,
    SiteSettings,
    Ticket,
    TicketKey,
    Venue,
)
from enturf_pos.services import venue_time
from enturf_pos.services.door import door_results
from enturf_pos.services.sync import seat_ops
from enturf_pos.services.sync.sync_wire import (
    event_field,
    parse_time,
    ticket_column,
    ticket_field,
)

log = logging.getLogger(__name__)

EVENT_UPDATE = wire.EVENT_UPDATE
TICKET_UPDATE = wire.TICKET_UPDATE
SEAT_FLAGS = ("accessible", "companion", "obstructed", "aisle")
AVAILABLE = "available"

Entry = Mapping[str, Any]


def _upsert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or replace `rows` (all with the same keys) by primary key, in one statement."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    stmt = sqlite_insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=keys,
        set_={name: stmt.excluded[name] for name in rows[0] if name not in keys},
    )
    session.execute(stmt, list(rows))


def _delete(session: Session, table: Table, ids: Iterable[Any]) -> None:
    ids = list(ids)
    if ids:
        (key,) = table.primary_key.columns
        session.execute(delete(table).where(key.in_(ids)))


# -- one row per entity -------------------------------------------------------------------


def typed(entry: Entry) -> Any:
    """An upsert's `data` as its entity's wire class (`enturf_core.wire.feed`); fields a
    newer server added are skipped, a value of the wrong type raises `WireError`."""
    return feed.parse_data(entry["entity"], entry["data"], ignore_unknown=True)


def venue_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.Venue = typed(entry)
    return {
        "id": int(entry["id"]),
        "name": d.name,
        "address": d.address,
        "timezone": d.timezone or "UTC",
        "version": int(entry["version"]),
        "updated_at": now,
    }


def seat_map_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.SeatMap = typed(entry)
    return {
        "id": int(entry["id"]),
        "venue_id": d.venue,
        "name": d.name,
        "layout_version": d.version,
        "stage_x": d.stage_x,
        "stage_y": d.stage_y,
        "width": d.width,
        "height": d.height,
        "drawing": d.drawing,
        "version": int(entry["version"]),  # the seat map's revision
        "updated_at": now,
    }


def event_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.Event = typed(entry)
    return {
        "id": int(entry["id"]),
        "seat_map_id": d.seat_map,
        "venue_id": d.venue,
        "name": d.name,
        "description": d.description,
        "starts_at": parse_time(d.starts_at),
        "ends_at": parse_time(d.ends_at),
        "sales_start": parse_time(d.sales_start),
        "sales_end": parse_time(d.sales_end),
        "state": d.state or "draft",
        "version": int(entry["version"]),
        "updated_at": now,
    }


def ticket_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.Ticket = typed(entry)
    return {
        "id": int(entry["id"]),
        "event_id": d.event,
        "name": d.name,
        "price": d.price,
        "currency": d.currency or "EUR",
        "tax_rate": d.tax_rate,
        "category": d.category,
        "area_id": d.area,
        "max_per_booking": d.max_per_booking,
        "position": d.position,
        "active": d.active,
        "version": int(entry["version"]),
        "updated_at": now,
    }


def device_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.Device = typed(entry)
    return {
        "id": int(entry["id"]),
        "name": d.name,
        "active": d.active,
        "duty": d.duty or "counter",
        "version": int(entry["version"]),
        "updated_at": now,
    }


def role_rights_row(entry: Entry, now: datetime) -> dict[str, Any]:
    """A role's grant as the server sent it (unknown right names are kept: a newer
    counter may know them; `role_grants` reads only the ones it knows)."""
    d: feed.RoleRights = typed(entry)
    return {
        "role": str(entry["id"]),
        "rights": list(d.rights),
        "refund_limit_cents": d.refund_limit_cents,
        "version": int(entry["version"]),
    }


def checkin_list_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.CheckinList = typed(entry)
    return {
        "id": int(entry["id"]),
        "event_id": d.event,
        "name": d.name,
        "tickets": list(d.tickets),
        "gates": list(d.gates),
        "exits": d.exits,
        "reentry": d.reentry,
        "starts_at": parse_time(d.starts_at),
        "ends_at": parse_time(d.ends_at),
        "version": int(entry["version"]),
        "updated_at": now,
    }


def admission_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.Admission = typed(entry)
    return {
        "id": str(entry["id"]),
        "event_id": d.event,
        "ticket_id": d.ticket,
        "seat_id": d.seat,
        "area_id": d.area,
        "state": d.state,
        "nonce": d.nonce,
        "version": int(entry["version"]),
    }


def checkin_record_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.CheckinRecord = typed(entry)
    return {
        "id": uuid.UUID(str(entry["id"])),
        "line_id": str(d.line),
        "list_id": d.list,
        "gate": d.gate,
        "kind": d.kind,
        "at": parse_time(d.at),
        "verdict": d.verdict,
        "device_id": d.device,
        "double_entry": d.double_entry,
    }


def ticket_key_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.TicketKey = typed(entry)
    return {
        "key_id": str(entry["id"]),
        "public_key": d.public_key,
        "owner": d.owner,
        "retired_at": parse_time(d.retired_at),
        "version": int(entry["version"]),
    }


def allocation_row(entry: Entry, now: datetime) -> dict[str, Any]:
    d: feed.Allocation = typed(entry)
    return {
        "id": str(entry["id"]),
        "event_id": d.event,
        "device_id": d.device,
        "seats": {"ids": list(d.seats)},
        "areas": dict(d.areas),
        "sold": dict(d.sold),
        "pending_release": d.pending_release.to_wire(),
        "version": int(entry["version"]),
        "updated_at": now,
    }


# -- seat maps ----------------------------------------------------------------------------


def seats_from_layout(seat_map_id: int, layout: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Seat rows from the snapshot's compact layout (seats as arrays, `seat_columns`)."""
    columns = list(layout.get("seat_columns") or [])
    at = {name: columns.index(name) for name in columns}
    rows = []
    for section in layout.get("sections") or []:
        for row in section.get("rows") or []:
            for position, seat in enumerate(row.get("seats") or []):
                flags = seat[at["flags"]] if "flags" in at else []
                rows.append(
                    {
                        "id": int(seat[at["id"]]),
                        "seat_map_id": seat_map_id,
                        "key": str(seat[at["key"]]),
                        "label": str(seat[at["label"]]),
                        "section": section.get("name", ""),
                        "row": row.get("label", ""),
                        "position": position,
                        "x": float(seat[at["x"]]),
                        "y": float(seat[at["y"]]),
                        "category": seat[at["category"]],
                        **{flag: flag in flags for flag in SEAT_FLAGS},
                    }
                )
    return rows


def seats_from_detail(seat_map_id: int, detail: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Seat rows from `GET /api/v1/seatmaps/{id}/` (seats as objects)."""
    rows = []
    for section in detail.get("sections") or []:
        for row in section.get("rows") or []:
            for position, seat in enumerate(row.get("seats") or []):
                rows.append(
                    {
                        "id": int(seat["id"]),
                        "seat_map_id": seat_map_id,
                        "key": str(seat["key"]),
                        "label": str(seat["label"]),
                        "section": section.get("name", ""),
                        "row": row.get("label", ""),
                        "position": position,
                        "x": float(seat["x"]),
                        "y": float(seat["y"]),
                        "category": seat.get("category") or "standard",
                        **{flag: bool(seat.get(flag)) for flag in SEAT_FLAGS},
                    }
                )
    return rows


def section_ranks(sections: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """The venue's ranks of a seat map's sections, by name (unranked ones left out)."""
    return {str(s.get("name", "")): int(s["rank"]) for s in sections if s.get("rank")}


def area_rows(
    seat_map_id: int,
    areas: Sequence[Mapping[str, Any]],
    polygons: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Area rows; an area's polygon is its own (`polygon`, the detail's) or the one the
    seat map's drawing gives its name (`area_polygons`)."""
    polygons = polygons or {}
    return [
        {
            "id": int(a["id"]),
            "seat_map_id": seat_map_id,
            "name": a.get("name", ""),
            "capacity": int(a.get("capacity") or 0),
            "x": float(a.get("x") or 0),
            "y": float(a.get("y") or 0),
            "width": float(a.get("width") or 0),
            "height": float(a.get("height") or 0),
            "polygon": a.get("polygon") or polygons.get(a.get("name", "")) or None,
        }
        for a in areas
    ]


def seat_maps_needing_layout(session: Session, entries: Sequence[Entry]) -> list[int]:
    """Seat maps of this page whose seats are neither in the page nor stored at the same
    revision: their layout must be fetched (`GET /api/v1/seatmaps/{id}/`)."""
    final: dict[int, Entry] = {}
    for entry in entries:
        if entry["entity"] == feed.SEATMAP:
            final[int(entry["id"])] = entry
    wanted = {
        sid: int(e["version"])
        for sid, e in final.items()
        if e["op"] == feed.UPSERT and e["data"].get("layout") is None
    }
    if not wanted:
        return []
    stored = dict(
        session.execute(select(SeatMap.id, SeatMap.version).where(SeatMap.id.in_(wanted))).all()
    )
    return sorted(sid for sid, revision in wanted.items() if stored.get(sid) != revision)


def _apply_seat_maps(
    session: Session,
    entries: Sequence[Entry],
    layouts: Mapping[int, Mapping[str, Any]],
    now: datetime,
) -> None:
    final: dict[int, Entry] = {}
    layout_in_page: dict[int, tuple[int, Mapping[str, Any]]] = {}
    for entry in entries:
        sid = int(entry["id"])
        final[sid] = entry
        if entry["op"] == "upsert" and (layout := typed(entry).layout) is not None:
            layout_in_page[sid] = (int(entry["version"]), layout)
    gone = [sid for sid, e in final.items() if e["op"] == "delete"]
    _delete(session, SeatMap.__table__, gone)  # seats and areas go with it (ON DELETE CASCADE)
    kept = [e for e in final.values() if e["op"] != "delete"]
    _upsert(session, SeatMap.__table__, [seat_map_row(e, now) for e in kept])
    for entry in kept:
        sid, revision = int(entry["id"]), int(entry["version"])
        seats: list[dict[str, Any]] | None = None
        source: Mapping[str, Any] = {}
        if sid in layout_in_page and layout_in_page[sid][0] == revision:
            source = layout_in_page[sid][1]
            seats = seats_from_layout(sid, source)
        elif sid in layouts:
            source = layouts[sid]
            seats = seats_from_detail(sid, source)
        if seats is not None:
            sections = source.get("sections") or []
            session.execute(
                update(SeatMap)
                .where(SeatMap.id == sid)
                .values(section_ranks=section_ranks(sections))
            )
            session.execute(delete(Seat).where(Seat.seat_map_id == sid))
            if seats:
                session.execute(sqlite_insert(Seat.__table__), seats)
        data: feed.SeatMap = typed(entry)
        polygons = (data.drawing or {}).get("area_polygons") or {}
        wire_areas = None if data.areas is None else [a.to_wire() for a in data.areas]
        if wire_areas is not None:  # sent: they replace the ones known
            session.execute(delete(Area).where(Area.seat_map_id == sid))
            rows = area_rows(sid, wire_areas, polygons)
            if rows:
                session.execute(sqlite_insert(Area.__table__), rows)
        elif polygons:  # the drawing alone changed: the known areas take their polygons
            for area in session.scalars(select(Area).where(Area.seat_map_id == sid)):
                area.polygon = polygons.get(area.name) or area.polygon


# -- seat status --------------------------------------------------------------------------


def _apply_seat_status(session: Session, entries: Sequence[Entry], now: datetime) -> None:
    """`full` replaces an event's status; otherwise merge per seat and area, in order.
    Then the seat ops this counter has not pushed yet are laid over it again."""
    ids = {int(e["id"]) for e in entries}
    state: dict[int, dict[str, Any] | None] = {
        row.event_id: {
            "seats": dict(row.seats),
            "areas": dict(row.areas),
            "blocked": dict(row.blocked or {}),
            "version": row.version,
        }
        for row in session.scalars(select(SeatStatus).where(SeatStatus.event_id.in_(ids)))
    }
    for entry in entries:
        eid = int(entry["id"])
        if entry["op"] == "delete":
            state[eid] = None
            continue
        data: feed.SeatStatus = typed(entry)
        current = state.get(eid)
        if data.full or current is None:
            current = {"seats": {}, "areas": {}, "blocked": {}, "version": 0}
        seats, blocked = current["seats"], current["blocked"]
        for seat_id, status in data.seats.items():
            if status == AVAILABLE:
                seats.pop(seat_id, None)
            else:
                seats[seat_id] = status
            if status != seat_ops.BLOCKED:
                blocked.pop(seat_id, None)
        blocked.update(data.blocked)
        current["areas"].update(data.areas)
        current["version"] = int(entry["version"])
        state[eid] = current
    _delete(session, SeatStatus.__table__, [eid for eid, s in state.items() if s is None])
    _upsert(
        session,
        SeatStatus.__table__,
        [
            {"event_id": eid, **s, "updated_at": now}
            for eid, s in state.items()
            if s is not None and eid in ids
        ],
    )
    seat_ops.overlay_pending(session, event_ids=ids)


# -- users and settings -------------------------------------------------------------------


def _apply_users(session: Session, entries: Sequence[Entry], now: datetime) -> None:
    """Synced columns only: the local offline-login hash of a user is kept."""
    final = {int(e["id"]): e for e in entries}
    _delete(session, LocalUser.__table__, [uid for uid, e in final.items() if e["op"] == "delete"])
    for uid, entry in final.items():
        if entry["op"] == "delete":
            continue
        d: feed.StaffUser = typed(entry)
        username = d.username
        # a user renamed on the server frees a username another local row may hold
        session.execute(
            delete(LocalUser).where(LocalUser.username == username, LocalUser.id != uid)
        )
        _upsert(
            session,
            LocalUser.__table__,
            [
                {
                    "id": uid,
                    "username": username,
                    "role": d.role,
                    "display_name": d.display_name,
                    "active": d.is_active,
                    "version": int(entry["version"]),
                    "updated_at": now,
                }
            ],
        )


def _apply_settings(session: Session, entries: Sequence[Entry], now: datetime) -> None:
    entry = entries[-1]
    if entry["op"] == "delete":
        session.execute(delete(SiteSettings))
        return
    _upsert(
        session,
        SiteSettings.__table__,
        [
            {
                "id": 1,
                "data": typed(entry).to_wire(),
                "version": int(entry["version"]),
                "updated_at": now,
            }
        ],
    )


# -- the page -----------------------------------------------------------------------------

_SIMPLE = {
    feed.VENUE: (Venue.__table__, venue_row, int),
    feed.EVENT: (Event.__table__, event_row, int),
    feed.TICKET: (Ticket.__table__, ticket_row, int),
    feed.TICKET_KEY: (TicketKey.__table__, ticket_key_row, str),
    feed.ALLOCATION: (Allocation.__table__, allocation_row, str),
    feed.DEVICE: (CounterDevice.__table__, device_row, int),
    feed.ROLE_RIGHTS: (RoleRights.__table__, role_rights_row, str),
    feed.CHECKIN_LIST: (CheckinList.__table__, checkin_list_row, int),
    feed.ADMISSION: (Admission.__table__, admission_row, str),
    feed.CHECKIN: (CheckinRecord.__table__, checkin_record_row, lambda raw: uuid.UUID(str(raw))),
}
IGNORED = frozenset({feed.BOOKING})  # not kept on counters (yet)


def apply_page(
    session: Session,
    entries: Sequence[Entry],
    *,
    layouts: Mapping[int, Mapping[str, Any]] | None = None,
) -> int:
    """Apply one page of change-feed entries in `session`; the number applied."""
    now = datetime.now(UTC)
    by_entity: dict[str, list[Entry]] = {}
    for entry in entries:
        by_entity.setdefault(entry["entity"], []).append(entry)
    if deleted_events := [int(e["id"]) for e in by_entity.get("event", []) if e["op"] == "delete"]:
        session.execute(delete(SeatStatus).where(SeatStatus.event_id.in_(deleted_events)))
    for entity, group in by_entity.items():
        if entity in _SIMPLE:
            table, to_row, key = _SIMPLE[entity]
            final = {key(e["id"]): e for e in group}  # whole entities: the last one wins
            _delete(session, table, [k for k, e in final.items() if e["op"] == "delete"])
            _upsert(session, table, [to_row(e, now) for e in final.values() if e["op"] != "delete"])
        elif entity == feed.SEATMAP:
            _apply_seat_maps(session, group, layouts or {}, now)
        elif entity == feed.SEAT_STATUS:
            _apply_seat_status(session, group, now)
        elif entity == feed.USER:
            _apply_users(session, group, now)
        elif entity == feed.SETTINGS:
            _apply_settings(session, group, now)
        elif entity not in IGNORED:
            log.info("change feed: %d entries of unknown entity %r skipped", len(group), entity)
    overlay_pending_edits(
        session,
        event_ids={int(e["id"]) for e in by_entity.get("event", [])},
        ticket_ids={int(e["id"]) for e in by_entity.get("ticket", [])},
    )
    if feed.DEVICE in by_entity:
        _own_duty(session, by_entity[feed.DEVICE])
    if feed.CHECKIN in by_entity:
        _own_scans_answered(session, by_entity[feed.CHECKIN])
    if "venue" in by_entity:
        venue_time.load(session)
    return len(entries)


def _own_duty(session: Session, entries: Sequence[Entry]) -> None:
    """This device's own entry in the `device` feed sets its duty (counter or door)."""
    own = session.scalar(select(Device.device_id).where(Device.id == 1))
    for entry in entries:
        if own is not None and str(entry["id"]) == str(own) and entry["op"] != "delete":
            duty = typed(entry).duty or "counter"
            session.execute(update(Device).where(Device.id == 1).values(duty=duty))


def _own_scans_answered(session: Session, entries: Sequence[Entry]) -> None:
    """The server's records of this device's scans: their double-entry flags (set when
    another device's earlier scan arrived later) go on the scans (`door_scans`)."""
    own = session.scalar(select(Device.device_id).where(Device.id == 1))
    flags = []
    for entry in entries:
        if entry["op"] != "delete":
            d: feed.CheckinRecord = typed(entry)
            if own is not None and str(d.device) == str(own):
                flags.append((uuid.UUID(str(entry["id"])), d.double_entry))
    door_results.double_entries(session, flags)


def overlay_pending_edits(session: Session, *, event_ids: set[int], ticket_ids: set[int]) -> None:
    """Lay the fields of pending edits over the events and tickets just written."""
    if not event_ids and not ticket_ids:
        return
    ops = session.scalars(
        select(OutboxOp)
        .where(
            OutboxOp.state == OutboxState.PENDING,
            OutboxOp.type.in_((EVENT_UPDATE, TICKET_UPDATE)),
        )
        .order_by(OutboxOp.created_at)
    ).all()
    for op in ops:
        edit = wire.OPS[op.type].from_wire(op.payload)
        assert isinstance(edit, wire.EventUpdate | wire.TicketUpdate)
        if op.type == EVENT_UPDATE and edit.id in event_ids:
            values = {k: event_field(k, v) for k, v in edit.fields.items()}
            session.execute(update(Event).where(Event.id == edit.id).values(**values))
        elif op.type == TICKET_UPDATE and edit.id in ticket_ids:
            values = {ticket_column(k): ticket_field(k, v) for k, v in edit.fields.items()}
            session.execute(update(Ticket).where(Ticket.id == edit.id).values(**values))


SYNCED_TABLES = (
    CheckinRecord,
    Admission,
    CheckinList,
    SeatStatus,
    Ticket,
    Event,
    Area,
    Seat,
    SeatMap,
    Venue,
    TicketKey,
    Allocation,
    SiteSettings,
    CounterDevice,
    RoleRights,  # back to the defaults until the snapshot brings the server's again
)


def clear_synced_data(session: Session) -> None:
    """Forget the synced copy (the server answered 410: start again from a snapshot).

    Local-only data stays: the outbox, local sales, and the users' offline-login hashes
    (users are marked inactive until the snapshot lists them again)."""
    for model in SYNCED_TABLES:
        if model in (Event, Ticket):  # rows created here and not yet on the server stay
            session.execute(delete(model).where(model.id > 0))
        else:
            session.execute(delete(model))
    session.execute(update(LocalUser).values(active=False))
