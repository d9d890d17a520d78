"""The catalog's snapshot providers: the current venues, seat maps, events and tickets.

Each item has the same `data` shape as the change-log entries the catalog services emit
(the read serializers); a `seatmap` item also carries `layout`, the seat geometry a
counter needs in one go, in columns (one array per seat, ``layout.seat_columns`` names
them), since seat maps are immutable once used. Registered by `CatalogConfig.ready()`.
"""

from __future__ import annotations

from typing import Any

from enturf_core.wire import feed
from enturf_server.catalog.models import SEAT_FLAG_FIELDS, Event, Ticket, Venue
from enturf_server.catalog.selectors import seat_map_list, seat_map_sections
from enturf_server.catalog.serializers import EventOutput, SeatMapOutput, TicketOutput, VenueOutput
from enturf_server.sync.snapshot_registry import SnapshotItem, after_id, snapshot_provider

SEAT_COLUMNS = ["id", "key", "label", "x", "y", "category", "flags"]
SEAT_FLAGS = SEAT_FLAG_FIELDS  # "accessible", "companion", "obstructed", "aisle"


@snapshot_provider(feed.VENUE, order=40)
def venues(*, after: str | None, limit: int) -> list[SnapshotItem]:
    rows = Venue.objects.filter(pk__gt=after_id(after)).order_by("pk")[:limit]
    return [SnapshotItem(v.pk, v.version, VenueOutput(v).data) for v in rows]


def seat_map_geometry(seat_map) -> dict[str, Any]:
    """Sections, rows and seats with seats as arrays (`seat_columns`), a third of the
    size of one object per seat: 20,000 seats are about 1 MB of JSON."""
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


@snapshot_provider(feed.SEATMAP, order=50, page_cap=5)
def seat_maps(*, after: str | None, limit: int) -> list[SnapshotItem]:
    rows = seat_map_list().filter(pk__gt=after_id(after)).order_by("pk")[:limit]
    items = []
    for seat_map in rows:
        data = dict(SeatMapOutput(seat_map).data)
        data["layout"] = seat_map_geometry(seat_map)
        items.append(SnapshotItem(seat_map.pk, seat_map.revision, data))
    return items


@snapshot_provider(feed.EVENT, order=60)
def events(*, after: str | None, limit: int) -> list[SnapshotItem]:
    rows = (
        Event.objects.select_related("seat_map__venue")
        .filter(pk__gt=after_id(after))
        .order_by("pk")[:limit]
    )
    return [SnapshotItem(e.pk, e.version, EventOutput(e).data) for e in rows]


@snapshot_provider(feed.TICKET, order=70)
def tickets(*, after: str | None, limit: int) -> list[SnapshotItem]:
    rows = Ticket.objects.filter(pk__gt=after_id(after)).order_by("pk")[:limit]
    return [SnapshotItem(t.pk, t.version, TicketOutput(t).data) for t in rows]
