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

from django.db.models import Q, Sum
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


def _after_int(after: str | None) -> int:
    return int(after) if after else 0


@snapshot_provider("settings", order=10)
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


@snapshot_provider("ticket_key", order=30)
def ticket_keys(*, after: str | None, limit: int) -> list[SnapshotItem]:
    """Counters' public keys by key id, retired ones included (they verify older codes).

    The server's own signing key joins this list when the server starts signing codes.
    """
    devices = ticket_key_devices().order_by("signing_key_id")
    if after is not None:
        devices = devices.filter(signing_key_id__gt=after)
    return [
        SnapshotItem(d.signing_key_id, 2 if d.retired_at else 1, ticket_key_data(d))
        for d in devices[:limit]
    ]


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
        sections.append({"id": section["id"], "name": section["name"], "rows": rows})
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

    Three grouped queries per page of events, whatever the number of seats.
    """
    from enturf_server.catalog.models import Event
    from enturf_server.sales.models import AreaInventory, HoldArea, SeatInventory, SeatStatus

    now = timezone.now()
    event_rows = list(
        Event.objects.filter(pk__gt=_after_int(after))
        .order_by("pk")
        .values_list("pk", "inventory_version")[:limit]
    )
    if not event_rows:
        return []
    event_ids = [pk for pk, _v in event_rows]

    seats: dict[int, dict[str, str]] = defaultdict(dict)
    taken = (
        SeatInventory.objects.filter(event_id__in=event_ids)
        .filter(~Q(status=SeatStatus.AVAILABLE) | Q(allocated_to__isnull=False))
        .exclude(status=SeatStatus.HELD, held_until__lte=now, allocated_to__isnull=True)
        .order_by("event_id", "seat_id")
        .values_list("event_id", "seat_id", "status", "held_until", "allocated_to_id")
    )
    for event_id, seat_id, status, held_until, allocated_to in taken.iterator(chunk_size=5000):
        expired_hold = status == SeatStatus.HELD and held_until is not None and held_until <= now
        if expired_hold or status == SeatStatus.AVAILABLE:
            status = "allocated" if allocated_to is not None else SeatStatus.AVAILABLE
        if status != SeatStatus.AVAILABLE:
            seats[event_id][str(seat_id)] = str(status)

    held: dict[tuple[int, int], int] = {
        (row["hold__event_id"], row["area_id"]): row["total"]
        for row in HoldArea.objects.filter(
            hold__event_id__in=event_ids, hold__released_at__isnull=True, hold__expires_at__gt=now
        )
        .values("hold__event_id", "area_id")
        .annotate(total=Sum("quantity"))
    }
    areas: dict[int, dict[str, int]] = defaultdict(dict)
    for event_id, area_id, capacity, sold in AreaInventory.objects.filter(
        event_id__in=event_ids
    ).values_list("event_id", "area_id", "capacity", "sold"):
        remaining = capacity - sold - held.get((event_id, area_id), 0)
        areas[event_id][str(area_id)] = max(0, remaining)

    return [
        SnapshotItem(
            pk, version, {"full": True, "seats": seats.get(pk, {}), "areas": areas.get(pk, {})}
        )
        for pk, version in event_rows
    ]
