"""Catalog reads: what each user may see, and the seat-map layout built for speed."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from enturf_core.seatmap_editing.file_format import AreaSpec, Layout, RowSpec, SeatSpec, SectionSpec
from enturf_server.accounts.roles import is_staff_role
from enturf_server.catalog.models import (
    SEAT_FLAG_FIELDS,
    Area,
    Event,
    EventState,
    Row,
    Seat,
    SeatMap,
    Section,
    Ticket,
)

PUBLIC_EVENT_STATES = (EventState.ON_SALE, EventState.CLOSED)
SEAT_COLUMNS = ("id", "key", "label", "x", "y", "category", *SEAT_FLAG_FIELDS)


def event_list(*, user) -> QuerySet[Event]:
    """Events `user` may see: staff see all; customers and visitors on-sale and closed ones."""
    qs = Event.objects.select_related("seat_map__venue")
    if not is_staff_role(user):
        qs = qs.filter(state__in=PUBLIC_EVENT_STATES)
    return qs


def ticket_list(*, user) -> QuerySet[Ticket]:
    """Tickets `user` may see: staff see all; others the active tickets of public events."""
    qs = Ticket.objects.all()
    if not is_staff_role(user):
        qs = qs.filter(active=True, event__state__in=PUBLIC_EVENT_STATES)
    return qs


def event_tickets(*, event: Event, user) -> QuerySet[Ticket]:
    return ticket_list(user=user).filter(event=event)


# the sections that have an outline, for the summary's `drawing` (seat_map_drawing)
_OUTLINED_SECTIONS = Prefetch(
    "sections",
    queryset=Section.objects.filter(outline__isnull=False).order_by("position", "id"),
    to_attr="outlined_sections",
)


def seat_map_list() -> QuerySet[SeatMap]:
    return (
        SeatMap.objects.select_related("venue")
        .prefetch_related("areas", _OUTLINED_SECTIONS)
        .annotate(
            seat_count=Count("seats"),
            in_use=Exists(Event.objects.filter(seat_map=OuterRef("pk"))),
        )
        .order_by("venue_id", "name", "version")
    )


def seat_map_sections(*, seat_map: SeatMap) -> list[dict[str, Any]]:
    """Sections -> rows -> seats as plain dicts, from three `.values_list()` queries.

    Nested serializers would take seconds for 100,000 seats; this takes a fraction.
    """
    sections = list(
        Section.objects.filter(seat_map=seat_map)
        .order_by("position", "id")
        .values_list("id", "name", "rank", "outline")
    )
    rows_by_section: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows_by_id: dict[int, dict[str, Any]] = {}
    for row_id, section_id, label in (
        Row.objects.filter(section__seat_map=seat_map)
        .order_by("section_id", "position", "id")
        .values_list("id", "section_id", "label")
    ):
        row = {"id": row_id, "label": label, "seats": []}
        rows_by_section[section_id].append(row)
        rows_by_id[row_id] = row
    for values in (
        Seat.objects.filter(seat_map=seat_map)
        .order_by("row_id", "position", "id")
        .values_list("row_id", *SEAT_COLUMNS)
        .iterator(chunk_size=10_000)
    ):
        rows_by_id[values[0]]["seats"].append(dict(zip(SEAT_COLUMNS, values[1:], strict=True)))
    return [
        {
            "id": section_id,
            "name": name,
            "rank": rank,
            "outline": outline,
            "rows": rows_by_section[section_id],
        }
        for section_id, name, rank, outline in sections
    ]


def seat_map_drawing(seat_map: SeatMap) -> dict[str, Any]:
    """What the editor draws besides seats, as the feed's `SeatMap.drawing`:
    ``{"categories", "outlines": {section: points}, "area_polygons": {area: points},
    "decorations"}``. Uses the seat map's prefetched areas when there are."""
    stored = seat_map.drawing or {}
    sections = getattr(seat_map, "outlined_sections", None)
    if sections is None:
        sections = Section.objects.filter(seat_map=seat_map, outline__isnull=False).order_by(
            "position", "id"
        )
    outlines = {section.name: section.outline for section in sections}
    return {
        "categories": list(stored.get("categories") or []),
        "outlines": outlines,
        "area_polygons": {a.name: a.polygon for a in seat_map.areas.all() if a.polygon},
        "decorations": list(stored.get("decorations") or []),
    }


def seat_map_layout(*, seat_map: SeatMap) -> Layout:
    """A stored seat map as a :class:`Layout`, to copy it into a new version."""
    sections = [
        SectionSpec(
            name=section["name"],
            rank=section["rank"],
            rows=[
                RowSpec(
                    label=row["label"],
                    seats=[
                        SeatSpec(
                            key=s["key"],
                            label=s["label"],
                            x=s["x"],
                            y=s["y"],
                            category=s["category"],
                            accessible=s["accessible"],
                            companion=s["companion"],
                            obstructed=s["obstructed"],
                            aisle=s["aisle"],
                        )
                        for s in row["seats"]
                    ],
                )
                for row in section["rows"]
            ],
        )
        for section in seat_map_sections(seat_map=seat_map)
    ]
    areas = [
        AreaSpec(name=a.name, capacity=a.capacity, x=a.x, y=a.y, width=a.width, height=a.height)
        for a in Area.objects.filter(seat_map=seat_map).order_by("id")
    ]
    return Layout(sections=sections, areas=areas, drawing=seat_map_drawing(seat_map))
