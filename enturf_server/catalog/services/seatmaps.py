"""Seat maps: import in one call, versions, and immutability once an event uses one."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Max

from enturf_core.seatmap_editing.file_format import Layout
from enturf_core.wire import feed
from enturf_core.wording import noun
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.audit.services import record
from enturf_server.catalog.models import Area, Row, Seat, SeatMap, Section, Venue
from enturf_server.catalog.selectors import seat_map_layout
from enturf_server.catalog.serializers import SeatMapOutput
from enturf_server.sync import changes

SEAT_BATCH = 5_000  # seats per executemany call


class SeatMapInUse(Conflict):
    code = "seat_map_in_use"


def emit_seat_map(seat_map: SeatMap, *, op: str = feed.UPSERT) -> None:
    """Emit the seat map's summary (no seats; counters read those with availability)."""
    data = SeatMapOutput(seat_map).data if op == feed.UPSERT else {}
    version = seat_map.revision + 1 if op == feed.DELETE else seat_map.revision
    changes.emit(feed.SEATMAP, seat_map.pk, version=version, data=data, op=op)


def _refuse_if_used(seat_map: SeatMap) -> None:
    if seat_map.is_used:
        raise SeatMapInUse(
            f"Seat map {seat_map.name!r} v{seat_map.version} is used by an event and cannot "
            "change; create a new version (POST /api/v1/seatmaps/"
            f"{seat_map.pk}/new-version/) and use that for new events.",
            details={"seat_map": seat_map.pk, "version": seat_map.version},
        )


SEAT_INSERT_FIELDS = (
    "seat_map",
    "row",
    "key",
    "label",
    "position",
    "x",
    "y",
    "category",
    "accessible",
    "companion",
    "obstructed",
    "aisle",
)


def _insert_seats(values: Iterable[tuple]) -> None:
    """Insert seats fast: COPY on PostgreSQL, a prepared `executemany` elsewhere (SQLite).

    Measured for 100,000 seats: `Seat.objects.bulk_create` about 6 s on SQLite (Django
    compiles each of 1.1 million values; SQLite gets 999 parameters a statement),
    `executemany` about 1 s there; on PostgreSQL, psycopg's client-side binding made
    `executemany` 8 s and multi-row VALUES 11 s, COPY about 2 s. Every column is
    given, and the table and column names come from the model.
    """
    meta = Seat._meta
    table = meta.db_table
    columns = ", ".join(meta.get_field(name).column for name in SEAT_INSERT_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(SEAT_INSERT_FIELDS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        rows = iter(values)
        while batch := list(islice(rows, SEAT_BATCH)):
            cursor.executemany(sql, batch)


def _points(points: Any) -> list[list[float]] | None:
    """A polygon as JSON lists (the layout may hold tuples)."""
    return None if points is None else [[float(x), float(y)] for x, y in points]


def _drawing(layout: Layout) -> dict[str, Any]:
    """What the seat map row stores of the layout's drawing: categories and decorations
    (section outlines and area polygons are stored with their sections and areas)."""
    drawing = layout.drawing
    return {
        "categories": [dict(c) for c in drawing.get("categories", [])],
        "decorations": [
            {**d, "points": _points(d["points"])} for d in drawing.get("decorations", [])
        ],
    }


def _store_layout(seat_map: SeatMap, layout: Layout) -> None:
    outlines = layout.drawing.get("outlines", {})
    polygons = layout.drawing.get("area_polygons", {})
    sections = Section.objects.bulk_create(
        [
            Section(
                seat_map=seat_map,
                name=spec.name,
                position=i,
                rank=spec.rank,
                outline=_points(outlines.get(spec.name)),
            )
            for i, spec in enumerate(layout.sections)
        ]
    )
    row_specs = [
        (section, i, row_spec)
        for section, spec in zip(sections, layout.sections, strict=True)
        for i, row_spec in enumerate(spec.rows)
    ]
    rows = Row.objects.bulk_create(
        [Row(section=section, label=spec.label, position=i) for section, i, spec in row_specs],
        batch_size=SEAT_BATCH,
    )
    _insert_seats(
        (
            seat_map.pk,
            row.pk,
            seat.key,
            seat.label,
            i,
            seat.x,
            seat.y,
            seat.category,
            seat.accessible,
            seat.companion,
            seat.obstructed,
            seat.aisle,
        )
        for row, (_section, _i, spec) in zip(rows, row_specs, strict=True)
        for i, seat in enumerate(spec.seats)
    )
    Area.objects.bulk_create(
        [
            Area(
                seat_map=seat_map,
                name=a.name,
                capacity=a.capacity,
                x=a.x,
                y=a.y,
                width=a.width,
                height=a.height,
                polygon=_points(polygons.get(a.name)),
            )
            for a in layout.areas
        ]
    )


def _next_version(venue: Venue, name: str) -> int:
    # The venue row is locked by the caller, so two imports cannot pick the same number.
    latest = SeatMap.objects.filter(venue=venue, name=name).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def _size(layout: Layout, width: float | None, height: float | None) -> tuple[float, float]:
    fit_w, fit_h = layout.bounds()
    return (width if width is not None else fit_w, height if height is not None else fit_h)


def import_seat_map(
    *,
    actor,
    venue: Venue,
    name: str,
    layout: Layout,
    stage_x: float = 0.0,
    stage_y: float = 0.0,
    width: float | None = None,
    height: float | None = None,
    origin: uuid.UUID | None = None,
    action: str = "seatmap.import",
) -> SeatMap:
    """Store a whole seat map in one transaction. An existing venue + name gets version N+1.

    `origin` is the editor's draft it was published from (`seatmap_publish`)."""
    with changes.atomic():
        Venue.objects.select_for_update().get(pk=venue.pk)
        w, h = _size(layout, width, height)
        seat_map = SeatMap.objects.create(
            venue=venue,
            name=name,
            version=_next_version(venue, name),
            stage_x=stage_x,
            stage_y=stage_y,
            width=w,
            height=h,
            drawing=_drawing(layout),
            origin=origin,
        )
        _store_layout(seat_map, layout)
        emit_seat_map(seat_map)
        details: dict[str, Any] = {"version": seat_map.version, "seats": layout.seat_count}
        if origin is not None:
            details["draft"] = str(origin)
        record(actor=actor, action=action, obj=seat_map, details=details)
    return seat_map


def replace_seat_map_layout(*, actor, seat_map: SeatMap, layout: Layout, **fields: Any) -> SeatMap:
    """PUT: replace the layout of a seat map no event uses yet."""
    with changes.atomic():
        seat_map = SeatMap.objects.select_for_update().get(pk=seat_map.pk)
        _refuse_if_used(seat_map)
        seat_map.sections.all().delete()  # cascades to rows and seats
        seat_map.areas.all().delete()
        _store_layout(seat_map, layout)
        seat_map.drawing = _drawing(layout)  # saved with the fields below
        fit_w, fit_h = layout.bounds()
        fields.setdefault("width", fit_w)
        fields.setdefault("height", fit_h)
        return _save_fields(
            actor=actor,
            seat_map=seat_map,
            fields=fields,
            action="seatmap.replace",
            extra={"seats": layout.seat_count},
        )


def update_seat_map(*, actor, seat_map: SeatMap, **fields: Any) -> SeatMap:
    """PATCH: name, stage focal point or size of a seat map no event uses yet."""
    with changes.atomic():
        seat_map = SeatMap.objects.select_for_update().get(pk=seat_map.pk)
        _refuse_if_used(seat_map)
        if "name" in fields and fields["name"] != seat_map.name:
            taken = SeatMap.objects.filter(
                venue_id=seat_map.venue_id, name=fields["name"], version=seat_map.version
            ).exists()
            if taken:
                raise Conflict(
                    f"The venue already has a seat map {fields['name']!r} v{seat_map.version}.",
                    code="seat_map_name_taken",
                )
        return _save_fields(actor=actor, seat_map=seat_map, fields=fields, action="seatmap.update")


def _save_fields(
    *, actor, seat_map: SeatMap, fields: dict[str, Any], action: str, extra: dict | None = None
) -> SeatMap:
    allowed = {"name", "stage_x", "stage_y", "width", "height"}
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(
            f"Unknown seat-map {noun(len(unknown), 'field')}: {', '.join(sorted(unknown))}."
        )
    for k, v in fields.items():
        setattr(seat_map, k, v)
    seat_map.revision += 1
    seat_map.save()
    emit_seat_map(seat_map)
    record(
        actor=actor,
        action=action,
        obj=seat_map,
        details={"fields": sorted(fields), **(extra or {})},
    )
    return seat_map


def create_seat_map_version(
    *,
    actor,
    seat_map: SeatMap,
    layout: Layout | None = None,
    stage_x: float | None = None,
    stage_y: float | None = None,
    width: float | None = None,
    height: float | None = None,
) -> SeatMap:
    """Version N+1 of a seat map: the given layout, or a copy of this one to edit.

    Seat keys stay stable: copied seats keep theirs, and imported seats without a key
    get "<section>/<row>/<label>", the same key as before when those did not change.
    """
    if layout is None:
        layout = seat_map_layout(seat_map=seat_map)
        width = seat_map.width if width is None else width
        height = seat_map.height if height is None else height
    return import_seat_map(
        actor=actor,
        venue=seat_map.venue,
        name=seat_map.name,
        layout=layout,
        stage_x=seat_map.stage_x if stage_x is None else stage_x,
        stage_y=seat_map.stage_y if stage_y is None else stage_y,
        width=width,
        height=height,
    )


def delete_seat_map(*, actor, seat_map: SeatMap) -> None:
    with changes.atomic():
        seat_map = SeatMap.objects.select_for_update().get(pk=seat_map.pk)
        if seat_map.is_used:
            raise SeatMapInUse(
                f"Seat map {seat_map.name!r} v{seat_map.version} is used by an event and "
                "cannot be deleted.",
                details={"seat_map": seat_map.pk},
            )
        record(
            actor=actor,
            action="seatmap.delete",
            obj=seat_map,
            details={"name": seat_map.name, "version": seat_map.version},
        )
        emit_seat_map(seat_map, op=feed.DELETE)
        seat_map.delete()


class SeatMapChanged(Conflict):
    """A newer version of the map than the draft's base exists (details: the newest)."""

    code = "seat_map_changed"


def publish_seat_map(
    *,
    actor,
    draft: uuid.UUID,
    venue: Venue,
    name: str,
    layout: Layout,
    base_seat_map: int | None = None,
    as_newer: bool = False,
    **fields: Any,
) -> SeatMap:
    """Publish an editor's draft as the next version of the venue's map `name`.

    The draft published before answers its seat map again. Without `as_newer`, a version
    newer than `base_seat_map` (or any version, with no base) refuses it: `SeatMapChanged`
    names the newest. `fields`: stage_x, stage_y, width, height."""
    with changes.atomic():
        Venue.objects.select_for_update().get(pk=venue.pk)  # one publish of a venue at a time
        published = SeatMap.objects.filter(origin=draft).first()
        if published is not None:
            return published
        newest = SeatMap.objects.filter(venue=venue, name=name).order_by("-version").first()
        if newest is not None and newest.pk != base_seat_map and not as_newer:
            raise SeatMapChanged(
                f"Seat map {name!r} has changed on the server since this draft was started "
                f"(now version {newest.version}). Publish it as the newer version, or start "
                "again from the server's.",
                details={"seat_map": newest.pk, "version": newest.version},
            )
        return import_seat_map(
            actor=actor,
            venue=venue,
            name=name,
            layout=layout,
            origin=draft,
            action="seatmap.publish",
            **fields,
        )
