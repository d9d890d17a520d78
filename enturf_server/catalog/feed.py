"""The snapshot providers: the current state of every synced entity, read-only.

Each item has the same `data` shape as the change-log entries the owning services emit
(catalog read serializers, `sales` seat status, `sync.accounts_feed`), with two
additions a counter needs in one go:

* `seatmap` items carry `layout`: the seat geometry in columns (one array per seat,
  ``layout.seat_columns`` names them), since seat maps are immutable once used;
* `seat_status` items carry ``"full": true``: they list every seat that is not
  available (the others are), where incremental `seat_status` entries list only the
  seats that changed. Held seats whose hold has expired count as available.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.db.models.functions import Collate
from django.utils import timezone

from enturf_server.accounts.device_selectors import ticket_key_data, ticket_key_devices
from enturf_server.accounts.models import SiteSettings, User
from enturf_server.accounts.roles import STAFF_ROLES
from enturf_server.sync.accounts_feed import (
    SETTINGS_ID,
    settings_data,
    settings_version,
    user_data,
)
from enturf_server.sync.snapshot_registry import SnapshotItem, snapshot_provider

SEAT_COLUMNS = ["id", "key", "label", "x", "y", "category", "flags"]
SEAT_FLAGS = ("accessible", "companion", "obstructed")


def _bytewise(field: str) -> Collate:
    """`field` compared byte by byte (as Python compares ASCII strings), whatever the
    database's collation: keyset paging over two tables merged in Python needs one order."""
    from django.db import connection

    return Collate(field, "C" if connection.vendor == "postgresql" else "BINARY")


def _after_int(after: str | None) -> int:
    return int(after) if after else 0


@snapshot_provider("settings", order=10, int_ids=False)
def site_settings(*, after: str | None, limit: int) -> list[SnapshotItem]:
    if after is not None or limit < 1:
        return []
    site = SiteSettings.load()
    return [SnapshotItem(SETTINGS_ID, settings_version(site), settings_data(site))]


@snapshot_provider("user", order=20)
def counter_users(*, after: str | None, limit: int) -> list[SnapshotItem]:
    staff = Q(role__in=[r.value for r in STAFF_ROLES]) | Q(is_superuser=True)
    users = User.objects.filter(staff, is_active=True, pk__gt=_after_int(after)).order_by("pk")
    return [SnapshotItem(u.pk, 0, user_data(u)) for u in users[:limit]]


@snapshot_provider("ticket_key", order=30, int_ids=False)
def ticket_keys(*, after: str | None, limit: int) -> list[SnapshotItem]:
    """Every public key that verifies ticket codes, by key id: the server's (current and
    earlier ones) and the counters', retired ones included (they verify older codes)."""
    from enturf_server.ticketing.models import ServerSigningKey
    from enturf_server.ticketing.selectors import server_key_data

    devices = ticket_key_devices().annotate(k=_bytewise("signing_key_id")).order_by("k")
    server_keys = ServerSigningKey.objects.annotate(k=_bytewise("key_id")).order_by("k")
    if after is not None:
        devices = devices.filter(k__gt=after)
        server_keys = server_keys.filter(k__gt=after)
    items = [
        SnapshotItem(d.signing_key_id, 2 if d.retired_at else 1, ticket_key_data(d))
        for d in devices[:limit]
    ] + [
        SnapshotItem(k.key_id, 2 if k.retired_at else 1, server_key_data(k))
        for k in server_keys[:limit]
    ]
    return sorted(items, key=lambda item: str(item.id))[:limit]


@snapshot_provider("venue", order=40)
def venues(*, after: str | None, limit: int) -> list[SnapshotItem]:
    from enturf_server.catalog.models import Venue
    from enturf_server.catalog.serializers import VenueOutput

    rows = Venue.objects.filter(pk__gt=_after_int(after)).order_by("pk")[:limit]
    return [SnapshotItem(v.pk, v.version, VenueOutput(v).data) for v in rows]


def seat_map_geometry(seat_map) -> dict[str, Any]:
    """Sections, rows and seats with seats as arrays (`seat_columns`), a third of the
    size of one object per seat: 20,000 seats are about 1 MB of JSON."""
    from enturf_server.catalog.selectors import seat_map_sections

    sections = []
    for section in seat_map_sections(seat_map=seat_map):
        rows = []
        for row in section["rows"]:
            seats = [
                [
                    s["id"],
                    s["key"],
                    s["label"],
                    s["x"],
                    s["y"],
                    s["category"],
                    [f for f in SEAT_FLAGS if s[f]],
                ]
                for s in row["seats"]
            ]
            rows.append({"id": row["id"], "label": row["label"], "seats": seats})
        sections.append(
            {"id": section["id"], "name": section["name"], "rank": section["rank"], "rows": rows}
        )
    return {"seat_columns": SEAT_COLUMNS, "sections": sections}


@snapshot_provider("seatmap", order=50, page_cap=5)
def seat_maps(*, after: str | None, limit: int) -> list[SnapshotItem]:
    from enturf_server.catalog.selectors import seat_map_list
    from enturf_server.catalog.serializers import SeatMapOutput

    rows = seat_map_list().filter(pk__gt=_after_int(after)).order_by("pk")[:limit]
    items = []
    for seat_map in rows:
        data = dict(SeatMapOutput(seat_map).data)
        data["layout"] = seat_map_geometry(seat_map)
        items.append(SnapshotItem(seat_map.pk, seat_map.revision, data))
    return items


@snapshot_provider("event", order=60)
def events(*, after: str | None, limit: int) -> list[SnapshotItem]:
    from enturf_server.catalog.models import Event
    from enturf_server.catalog.serializers import EventOutput

    rows = (
        Event.objects.select_related("seat_map__venue")
        .filter(pk__gt=_after_int(after))
        .order_by("pk")[:limit]
    )
    return [SnapshotItem(e.pk, e.version, EventOutput(e).data) for e in rows]


@snapshot_provider("ticket", order=70)
def tickets(*, after: str | None, limit: int) -> list[SnapshotItem]:
    from enturf_server.catalog.models import Ticket
    from enturf_server.catalog.serializers import TicketOutput

    rows = Ticket.objects.filter(pk__gt=_after_int(after)).order_by("pk")[:limit]
    return [SnapshotItem(t.pk, t.version, TicketOutput(t).data) for t in rows]


@snapshot_provider("seat_status", order=80, page_cap=50)
def seat_status(*, after: str | None, limit: int) -> list[SnapshotItem]:
    """Per event: the seats that are not available, and places left per GA area.

    Statuses as the availability API computes them (`sales.selectors`): an expired hold
    or an unpaid booking past its time is available, a free seat allocated to a counter
    is "allocated". One query for the seats of a page of events, whatever their number.
    """
    from enturf_server.catalog.models import Event
    from enturf_server.sales.models import SeatInventory, SeatStatus
    from enturf_server.sales.selectors import area_availability
    from enturf_server.sales.selectors import seat_status as status_of

    now = timezone.now()
    events = list(Event.objects.filter(pk__gt=_after_int(after)).order_by("pk")[:limit])
    if not events:
        return []

    seats: dict[int, dict[str, str]] = defaultdict(dict)
    taken = (
        SeatInventory.objects.filter(event_id__in=[e.pk for e in events])
        .filter(~Q(status=SeatStatus.AVAILABLE) | Q(allocated_to__isnull=False))
        .order_by("event_id", "seat_id")
        .values_list(
            "event_id",
            "seat_id",
            "status",
            "held_until",
            "allocated_to_id",
            "booking__state",
            "booking__expires_at",
        )
    )
    for event_id, seat_id, *row in taken.iterator(chunk_size=5000):
        status = status_of(*row, now)
        if status != SeatStatus.AVAILABLE:
            seats[event_id][str(seat_id)] = str(status)

    return [
        SnapshotItem(
            event.pk,
            event.inventory_version,
            {
                "full": True,
                "seats": seats.get(event.pk, {}),
                "areas": {
                    str(area["id"]): area["remaining"]
                    for area in area_availability(event=event, since=None, now=now)
                },
            },
        )
        for event in events
    ]


@snapshot_provider("allocation", order=90)
def allocations(*, after: str | None, limit: int) -> list[SnapshotItem]:
    """Counter allocations (`sales.allocations`): each device finds its own by `device`."""
    from enturf_server.sales.allocations import allocation_data
    from enturf_server.sales.models import Allocation

    rows = (
        Allocation.objects.filter(pk__gt=_after_int(after))
        .prefetch_related("areas")
        .order_by("pk")[:limit]
    )
    return [SnapshotItem(a.pk, a.version, allocation_data(a)) for a in rows]
