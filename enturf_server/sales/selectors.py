"""Reading sales data: availability, holds and bookings as each role may see them."""

from __future__ import annotations

import json
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from enturf_server.accounts.models import SiteSettings
from enturf_server.accounts.roles import is_staff_role
from enturf_server.api.errors import NotFound, ServiceError
from enturf_server.api.model_rows import ColumnsReader, RowReader, read_one
from enturf_server.catalog.models import Event, EventState, Seat, SeatMap, Ticket
from enturf_server.sales.booking_codes import normalise_code
from enturf_server.sales.inventory import ALLOCATED
from enturf_server.sales.models import (
    AllocationArea,
    AreaInventory,
    Booking,
    BookingState,
    Hold,
    HoldArea,
    HoldState,
    SeatInventory,
    SeatStatus,
)

# -- availability ------------------------------------------------------------------------------

_GEOMETRY_CACHE_SIZE = 8
_geometry: OrderedDict[tuple, dict[int, Any]] = OrderedDict()  # seat map -> seats
_geometry_lock = threading.Lock()


_EVENT = RowReader(Event, "e")
_SEAT_MAP = RowReader(SeatMap, "m")


def seat_geometry(seat_map: SeatMap) -> dict[int, dict[str, Any]]:
    """The static part of each seat, by seat id, cached per process.

    A seat map is immutable once an event uses it, so the cache never goes stale; the key
    includes `created_at` so a reused id (a recreated database) is a different entry.
    """
    key = (seat_map.pk, seat_map.created_at)
    with _geometry_lock:
        cached = _geometry.get(key)
        if cached is not None:
            _geometry.move_to_end(key)
            return cached
    rows = Seat.objects.filter(seat_map=seat_map).values_list(
        "id",
        "label",
        "row__section__name",
        "row__label",
        "x",
        "y",
        "category",
        "accessible",
        "companion",
        "obstructed",
    )
    geometry: dict[int, dict[str, Any]] = {}
    for seat_id, label, section, row, x, y, category, accessible, companion, obstructed in rows:
        flags = []
        if accessible:
            flags.append("accessible")
        if companion:
            flags.append("companion")
        if obstructed:
            flags.append("obstructed")
        geometry[seat_id] = {
            "id": seat_id,
            "label": label,
            "section": section,
            "row": row,
            "x": x,
            "y": y,
            "category": category,
            "flags": flags,
        }
    with _geometry_lock:
        _geometry[key] = geometry
        while len(_geometry) > _GEOMETRY_CACHE_SIZE:
            _geometry.popitem(last=False)
    return geometry


def visible_event(*, user, event_id: int) -> Event:
    """An event whose availability `user` may read: draft events only for staff. Read with
    its seat map in one hand-written statement (every availability request runs it)."""
    found = read_one(
        connection,
        (_EVENT, _SEAT_MAP),
        f"{Event._meta.db_table} e JOIN {SeatMap._meta.db_table} m ON m.id = e.seat_map_id",
        "e.id = %s",
        [event_id],
    )
    event = None
    if found is not None:
        event, event.seat_map = found
    if event is None or (event.state == EventState.DRAFT and not is_staff_role(user)):
        raise NotFound("There is no such event.")
    return event


def seat_status(
    status: str,
    held_until: datetime | None,
    allocated_to: int | None,
    booking_state: str | None,
    booking_expires: datetime | None,
    now: datetime,
) -> str:
    """What a reader sees: an expired hold or unpaid booking past its TTL is available."""
    if (status == SeatStatus.HELD and held_until is not None and held_until <= now) or (
        status == SeatStatus.SOLD
        and booking_state == BookingState.PENDING
        and booking_expires is not None
        and booking_expires <= now
    ):
        status = SeatStatus.AVAILABLE
    if status == SeatStatus.AVAILABLE and allocated_to is not None:
        return ALLOCATED
    return status


def _prefixes(seat_map: SeatMap) -> dict[int, str]:
    """Each seat's JSON object up to its status value: `{"id":1,...,"status":"`."""
    key = ("json", seat_map.pk, seat_map.created_at)
    with _geometry_lock:
        cached = _geometry.get(key)
    if cached is not None:
        return cached
    prefixes = {
        seat_id: json.dumps(base, separators=(",", ":"), ensure_ascii=False)[:-1] + ',"status":"'
        for seat_id, base in seat_geometry(seat_map).items()
    }
    with _geometry_lock:
        _geometry[key] = prefixes
        while len(_geometry) > _GEOMETRY_CACHE_SIZE:
            _geometry.popitem(last=False)
    return prefixes


@cache
def _status_columns() -> ColumnsReader:
    inventory, booking = SeatInventory._meta, Booking._meta
    return ColumnsReader(
        [
            ("si", inventory.get_field("seat")),
            ("si", inventory.get_field("status")),
            ("si", inventory.get_field("held_until")),
            ("si", inventory.get_field("allocated_to")),
            ("b", booking.get_field("state")),
            ("b", booking.get_field("expires_at")),
        ]
    )


def _seat_statuses(event: Event, since: int | None, now: datetime) -> list[tuple[int, str]]:
    # = SeatInventory values_list(seat_id, status, held_until, allocated_to_id,
    # booking__state, booking__expires_at) in hand-written SQL (no query compilation)
    reader = _status_columns()
    sql = (
        f"SELECT {reader.columns(connection)} FROM {SeatInventory._meta.db_table} si "
        f"LEFT JOIN {Booking._meta.db_table} b ON b.id = si.booking_id WHERE si.event_id = %s"
    )
    params: list[Any] = [event.pk]
    if since is not None:
        sql += " AND si.version > %s"
        params.append(since)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY si.seat_id", params)
        rows = reader.convert(cursor.fetchall(), connection)
    return [
        (seat_id, seat_status(status, held_until, allocated_to, b_state, b_expires, now))
        for seat_id, status, held_until, allocated_to, b_state, b_expires in rows
    ]


def _availability_parts(event: Event, since: int | None):
    if since is not None and since < 0:
        raise ServiceError("since must be a version number (0 or more).", code="invalid")
    now = timezone.now()
    # the version first: every change up to it is committed and in the rows read next
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT inventory_version FROM {Event._meta.db_table} WHERE id = %s", [event.pk]
        )
        version = cursor.fetchone()[0]
    statuses = _seat_statuses(event, since, now)
    areas = area_availability(event=event, since=since, now=now)
    return version, statuses, areas, tickets_on_sale(event=event)


def availability(*, event: Event, since: int | None = None) -> dict[str, Any]:
    """Every seat with its status, GA areas with places left and the tickets on sale;
    with `since`, only seats and areas changed after that inventory version."""
    version, statuses, areas, tickets = _availability_parts(event, since)
    geometry = seat_geometry(event.seat_map)
    seats = [
        {**geometry[seat_id], "status": status}
        for seat_id, status in statuses
        if seat_id in geometry  # an inventory row outside the map is never expected
    ]
    return {
        "event": event.pk,
        "version": version,
        "seats": seats,
        "areas": areas,
        "tickets": tickets,
    }


def availability_json(*, event: Event, since: int | None = None) -> bytes:
    """:func:`availability` encoded as JSON, built from cached per-seat fragments: a
    20,000-seat arena in a few tens of milliseconds instead of a generic encoder's pass."""
    version, statuses, areas, tickets = _availability_parts(event, since)
    prefixes = _prefixes(event.seat_map)
    seats = ",".join(
        f'{prefixes[seat_id]}{status}"}}' for seat_id, status in statuses if seat_id in prefixes
    )
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    return (
        f'{{"event":{event.pk},"version":{version},"seats":[{seats}],'
        f'"areas":{json.dumps(areas, **compact)},"tickets":{json.dumps(tickets, **compact)}}}'
    ).encode()


def area_availability(*, event: Event, since: int | None, now: datetime) -> list[dict[str, Any]]:
    areas = AreaInventory.objects.filter(event=event)
    if since is not None:
        areas = areas.filter(version__gt=since)
    rows = list(areas.order_by("area_id").values_list("area_id", "area__name", "capacity", "sold"))
    if not rows:
        return []
    held = dict(
        HoldArea.objects.filter(
            area_id__in=[r[0] for r in rows],
            hold__event=event,
            hold__released_at__isnull=True,
            hold__expires_at__gt=now,
        )
        .values("area_id")
        .annotate(total=Sum("quantity"))
        .values_list("area_id", "total")
    )
    # GA places of pending bookings past their TTL are free again, even before cleanup
    lapsed = dict(
        Booking.objects.filter(
            event=event, state=BookingState.PENDING, expires_at__lte=now, lines__area__isnull=False
        )
        .values("lines__area")
        .annotate(n=Count("lines"))
        .values_list("lines__area", "n")
    )
    reserved = allocated_places(event=event, area_ids=[r[0] for r in rows])
    return [
        {
            "id": area_id,
            "name": name,
            "capacity": capacity,
            "remaining": max(
                0,
                capacity
                - sold
                + lapsed.get(area_id, 0)
                - held.get(area_id, 0)
                - reserved.get(area_id, 0),
            ),
        }
        for area_id, name, capacity, sold in rows
    ]


def allocated_places(*, event: Event, area_ids: list[int]) -> dict[int, int]:
    """GA places set aside for counter devices and not sold by them yet, per area."""
    reserved: dict[int, int] = {}
    for area_id, quantity, sold in AllocationArea.objects.filter(
        allocation__event=event, area_id__in=area_ids
    ).values_list("area_id", "quantity", "sold_by_device"):
        reserved[area_id] = reserved.get(area_id, 0) + max(0, quantity - sold)
    return reserved


def tickets_on_sale(*, event: Event) -> list[dict[str, Any]]:
    return [
        {
            "id": t.pk,
            "name": t.name,
            "price": str(t.price),
            "currency": t.currency,
            "tax_rate": str(t.tax_rate),
            "category": t.category or None,
            "area": t.area_id,
            "max_per_booking": t.max_per_booking,
        }
        for t in _active_tickets(event.pk)
    ]


_ON_SALE = RowReader(Ticket, "t")


def _active_tickets(event_id: int) -> list[Ticket]:
    """`Ticket.objects.filter(event=..., active=True).order_by("position", "id")`."""
    sql = (
        f"SELECT {_ON_SALE.columns(connection)} FROM {Ticket._meta.db_table} t "
        "WHERE t.event_id = %s AND t.active = %s ORDER BY t.position, t.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [event_id, True])
        return [_ON_SALE.build(row, 0, connection) for row in cursor.fetchall()]


@dataclass(frozen=True)
class SaleContext:
    """What a booking reads before it locks anything."""

    event: Event
    tickets: dict[int, Ticket]  # the event's active tickets, by id
    settings: SiteSettings


_SALE_TICKET = RowReader(Ticket, "t")
_SALE_SETTINGS = RowReader(SiteSettings, "s")


def sale_context(*, event_id: int) -> SaleContext | None:
    """The event, its active tickets and the site settings in one statement (None when
    there is no such event). Nothing is locked: the booking's locks come later."""
    sql = (
        f"SELECT {_EVENT.columns(connection)}, {_SALE_TICKET.columns(connection)}, "
        f"{_SALE_SETTINGS.columns(connection)} FROM {Event._meta.db_table} e "
        f"LEFT JOIN {Ticket._meta.db_table} t ON t.event_id = e.id AND t.active = %s "
        f"LEFT JOIN {SiteSettings._meta.db_table} s ON s.id = %s "
        "WHERE e.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, SiteSettings.SINGLETON_PK, event_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    event = _EVENT.build(rows[0], 0, connection)
    tickets = {}
    for row in rows:
        ticket = _SALE_TICKET.build(row, _EVENT.width, connection)
        if ticket is not None:
            tickets[ticket.pk] = ticket
    settings = _SALE_SETTINGS.build(rows[0], _EVENT.width + _SALE_TICKET.width, connection)
    return SaleContext(event=event, tickets=tickets, settings=settings or SiteSettings.load())


# -- holds -------------------------------------------------------------------------------------


def hold_for(*, user, hold_id: uuid.UUID) -> Hold:
    """A hold its owner (or staff) may read; anyone else gets 404."""
    hold = Hold.objects.filter(pk=hold_id).first()
    if hold is None or (hold.owner_id != user.pk and not is_staff_role(user)):
        raise NotFound("There is no such hold.")
    return hold


def hold_contents(*, hold: Hold) -> dict[str, Any]:
    state = hold.state_at(timezone.now())
    active = state == HoldState.ACTIVE
    seats = (
        sorted(
            SeatInventory.objects.filter(hold=hold, status=SeatStatus.HELD).values_list(
                "seat_id", flat=True
            )
        )
        if active
        else []
    )
    areas = (
        [
            {"area": a, "quantity": q}
            for a, q in HoldArea.objects.filter(hold=hold)
            .order_by("area_id")
            .values_list("area_id", "quantity")
        ]
        if active
        else []
    )
    return {"state": state.value, "seats": seats, "areas": areas}


# -- bookings ----------------------------------------------------------------------------------


def effective_state(booking: Booking, now: datetime | None = None) -> str:
    """A pending booking past its TTL is expired, even before the lazy clean-up saw it."""
    now = now or timezone.now()
    if booking.state == BookingState.PENDING and booking.expires_at and booking.expires_at <= now:
        return BookingState.EXPIRED
    return booking.state


def bookings_for(
    *,
    user,
    search: str | None = None,
    line_id: uuid.UUID | None = None,
    event_id: int | None = None,
    state: str | None = None,
) -> QuerySet[Booking]:
    """Bookings `user` may see (customers: their own; staff: all), filtered; `line_id`
    finds the booking of one ticket (a scanned ticket code names its line)."""
    qs = Booking.objects.all()
    if not is_staff_role(user):
        qs = qs.filter(owner=user)
    if line_id is not None:
        qs = qs.filter(lines__id=line_id)
    if event_id is not None:
        qs = qs.filter(event_id=event_id)
    if state:
        if state not in BookingState.values:
            raise ServiceError(
                f"Unknown state {state!r}; one of {', '.join(BookingState.values)}.",
                code="invalid",
            )
        now = timezone.now()
        if state == BookingState.PENDING:
            qs = qs.filter(state=state, expires_at__gt=now)
        elif state == BookingState.EXPIRED:
            qs = qs.filter(Q(state=state) | Q(state=BookingState.PENDING, expires_at__lte=now))
        else:
            qs = qs.filter(state=state)
    if search and (text := search.strip()):
        qs = qs.filter(
            Q(code=normalise_code(text))
            | Q(buyer_name__icontains=text)
            | Q(buyer_email__icontains=text)
        )
    return qs.order_by("-created_at", "id").prefetch_related("lines")


def booking_for(*, user, booking_id: uuid.UUID) -> Booking:
    booking = Booking.objects.prefetch_related("lines").filter(pk=booking_id).first()
    if booking is None or (booking.owner_id != user.pk and not is_staff_role(user)):
        raise NotFound("There is no such booking.")
    return booking
