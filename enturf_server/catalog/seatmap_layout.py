"""The seat-map import format: parse and check a whole layout before anything is stored.

A layout is plain JSON (see docs/api.md, "Seat-map import format"). It is checked
here by hand rather than by nested DRF serializers: a 100,000-seat map is checked in
a fraction of a second this way, where nested serializers take many seconds. Every
refusal names the offending section, row and seat and carries its JSON path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from enturf_core.wording import noun
from enturf_server.api.errors import ServiceError

MAX_SEATS = 100_000
MAX_SECTIONS = 1_000
MAX_SECTION_RANK = 999  # 1 is the venue's best section
MAX_ROWS_PER_SECTION = 1_000
MAX_SEATS_PER_ROW = 2_000
MAX_AREAS = 200
MAX_AREA_CAPACITY = 1_000_000
MAX_COORDINATE = 1e7

SECTION_NAME_MAX = 100
ROW_LABEL_MAX = 20
SEAT_LABEL_MAX = 20
SEAT_KEY_MAX = 64
CATEGORY_MAX = 50
AREA_NAME_MAX = 100
SEAT_MAP_NAME_MAX = 200

SEAT_FIELDS = {"key", "label", "x", "y", "category", "accessible", "companion", "obstructed"}
ROW_FIELDS = {"label", "seats"}
SECTION_FIELDS = {"name", "rows", "rank"}
AREA_FIELDS = {"name", "capacity", "x", "y", "width", "height"}
DEFAULT_CATEGORY = "standard"


@dataclass(slots=True)
class SeatSpec:
    key: str
    label: str
    x: float
    y: float
    category: str
    accessible: bool
    companion: bool
    obstructed: bool


@dataclass(slots=True)
class RowSpec:
    label: str
    seats: list[SeatSpec]


@dataclass(slots=True)
class SectionSpec:
    name: str
    rows: list[RowSpec]
    rank: int | None = None  # the venue's quality rank, 1 best; None: not ranked


@dataclass(slots=True)
class AreaSpec:
    name: str
    capacity: int
    x: float
    y: float
    width: float
    height: float


@dataclass(slots=True)
class Layout:
    """A checked layout: sections -> rows -> seats, and GA areas."""

    sections: list[SectionSpec] = field(default_factory=list)
    areas: list[AreaSpec] = field(default_factory=list)

    @property
    def seat_count(self) -> int:
        return sum(len(r.seats) for s in self.sections for r in s.rows)

    def bounds(self) -> tuple[float, float]:
        """Width and height that hold every seat and area (from the origin)."""
        width = height = 0.0
        for section in self.sections:
            for row in section.rows:
                for seat in row.seats:
                    width = max(width, seat.x)
                    height = max(height, seat.y)
        for area in self.areas:
            width = max(width, area.x + area.width)
            height = max(height, area.y + area.height)
        return width, height


class LayoutError(ServiceError):
    code = "invalid_seat_map"


def _refuse(where: str, path: str, problem: str) -> LayoutError:
    return LayoutError(f"{where}: {problem}", details={"path": path})


def default_seat_key(section: str, row: str, label: str) -> str:
    """The stable key of a seat that did not bring its own: "<section>/<row>/<label>"."""
    return f"{section}/{row}/{label}"


def _number(value: Any, where: str, path: str, *, minimum: float | None = None) -> float:
    if value is None:
        raise _refuse(where, path, "is missing (a number is needed)")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refuse(where, path, f"must be a number, not {type(value).__name__} {value!r:.40}")
    number = float(value)
    if not math.isfinite(number) or abs(number) > MAX_COORDINATE:
        raise _refuse(where, path, f"must be a finite number within ±{MAX_COORDINATE:g}")
    if minimum is not None and number < minimum:
        raise _refuse(where, path, f"must be at least {minimum:g}")
    return number


def _text(value: Any, where: str, path: str, *, max_length: int, required: bool = True) -> str:
    if value is None:
        raise _refuse(where, path, "is missing")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # seat and row labels are often written as numbers
    if not isinstance(value, str):
        raise _refuse(where, path, f"must be text, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise _refuse(where, path, "must not be empty")
    if len(value) > max_length:
        raise _refuse(where, path, f"is {len(value)} characters long; at most {max_length}")
    return value


def _rank(value: Any, where: str, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _refuse(where, path, "must be a whole number (1 is the best section) or null")
    if not 1 <= value <= MAX_SECTION_RANK:
        raise _refuse(where, path, f"must be from 1 (the best) to {MAX_SECTION_RANK}")
    return value


def _flag(value: Any, where: str, path: str) -> bool:
    if not isinstance(value, bool):
        raise _refuse(where, path, "must be true or false")
    return value


def _object(value: Any, where: str, path: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _refuse(where, path, f"must be an object, not {type(value).__name__}")
    unknown = set(value) - allowed
    if unknown:
        raise _refuse(
            where, path, f"unknown {noun(len(unknown), 'field')} {', '.join(sorted(unknown))}"
        )
    return value


def _list(value: Any, where: str, path: str, *, limit: int, required: bool = True) -> list:
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise _refuse(where, path, "must be a list" if value is not None else "is missing")
    if required and not value:
        raise _refuse(where, path, "must not be empty")
    if len(value) > limit:
        raise _refuse(where, path, f"has {len(value)} entries; at most {limit:,}")
    return value


def parse_layout(data: dict[str, Any]) -> Layout:
    """Check `{"sections": [...], "areas": [...]}` and return it as a :class:`Layout`.

    Raises :class:`LayoutError` (400) naming the first problem found; nothing is stored.
    """
    sections_in = _list(
        data.get("sections"), "seat map", "sections", limit=MAX_SECTIONS, required=False
    )
    areas_in = _list(data.get("areas"), "seat map", "areas", limit=MAX_AREAS, required=False)
    if not sections_in and not areas_in:
        raise LayoutError(
            "A seat map needs at least one section with seats or one standing area.",
            details={"path": "sections"},
        )

    layout = Layout()
    keys: dict[str, str] = {}
    section_names: set[str] = set()
    total = 0
    for si, section_in in enumerate(sections_in):
        spath = f"sections[{si}]"
        where = f"section #{si + 1}"
        section_in = _object(section_in, where, spath, SECTION_FIELDS)
        name = _text(section_in.get("name"), where, f"{spath}.name", max_length=SECTION_NAME_MAX)
        where = f"section {name!r}"
        if name in section_names:
            raise _refuse(where, f"{spath}.name", "the name is used by another section")
        section_names.add(name)
        rows_in = _list(section_in.get("rows"), where, f"{spath}.rows", limit=MAX_ROWS_PER_SECTION)
        section = SectionSpec(
            name=name, rows=[], rank=_rank(section_in.get("rank"), where, f"{spath}.rank")
        )
        row_labels: set[str] = set()
        for ri, row_in in enumerate(rows_in):
            rpath = f"{spath}.rows[{ri}]"
            rwhere = f"{where}, row #{ri + 1}"
            row_in = _object(row_in, rwhere, rpath, ROW_FIELDS)
            label = _text(row_in.get("label"), rwhere, f"{rpath}.label", max_length=ROW_LABEL_MAX)
            rwhere = f"{where}, row {label!r}"
            if label in row_labels:
                raise _refuse(rwhere, f"{rpath}.label", "the label is used by another row")
            row_labels.add(label)
            seats_in = _list(row_in.get("seats"), rwhere, f"{rpath}.seats", limit=MAX_SEATS_PER_ROW)
            total += len(seats_in)
            if total > MAX_SEATS:
                raise LayoutError(
                    f"A seat map holds at most {MAX_SEATS:,} seats; this one has more.",
                    code="seat_map_too_large",
                    details={"path": f"{rpath}.seats", "limit": MAX_SEATS},
                )
            row = RowSpec(label=label, seats=[])
            seat_labels: set[str] = set()
            for ei, seat_in in enumerate(seats_in):
                epath = f"{rpath}.seats[{ei}]"
                ewhere = f"{rwhere}, seat #{ei + 1}"
                seat_in = _object(seat_in, ewhere, epath, SEAT_FIELDS)
                seat_label = _text(
                    seat_in.get("label"), ewhere, f"{epath}.label", max_length=SEAT_LABEL_MAX
                )
                ewhere = f"{rwhere}, seat {seat_label!r}"
                if seat_label in seat_labels:
                    raise _refuse(ewhere, f"{epath}.label", "the label is used twice in this row")
                seat_labels.add(seat_label)
                key = (
                    _text(seat_in["key"], ewhere, f"{epath}.key", max_length=SEAT_KEY_MAX)
                    if seat_in.get("key") is not None
                    else default_seat_key(name, label, seat_label)
                )
                if len(key) > SEAT_KEY_MAX:
                    raise _refuse(
                        ewhere,
                        f"{epath}.key",
                        f"its key {key!r} is longer than {SEAT_KEY_MAX} characters; give a shorter 'key'",
                    )
                if key in keys:
                    raise _refuse(
                        ewhere, f"{epath}.key", f"the key {key!r} is also used by {keys[key]}"
                    )
                keys[key] = ewhere
                category = seat_in.get("category", DEFAULT_CATEGORY)
                row.seats.append(
                    SeatSpec(
                        key=key,
                        label=seat_label,
                        x=_number(seat_in.get("x"), ewhere, f"{epath}.x"),
                        y=_number(seat_in.get("y"), ewhere, f"{epath}.y"),
                        category=_text(
                            category, ewhere, f"{epath}.category", max_length=CATEGORY_MAX
                        ),
                        accessible=_flag(
                            seat_in.get("accessible", False), ewhere, f"{epath}.accessible"
                        ),
                        companion=_flag(
                            seat_in.get("companion", False), ewhere, f"{epath}.companion"
                        ),
                        obstructed=_flag(
                            seat_in.get("obstructed", False), ewhere, f"{epath}.obstructed"
                        ),
                    )
                )
            section.rows.append(row)
        layout.sections.append(section)

    area_names: set[str] = set()
    for ai, area_in in enumerate(areas_in):
        apath = f"areas[{ai}]"
        where = f"area #{ai + 1}"
        area_in = _object(area_in, where, apath, AREA_FIELDS)
        name = _text(area_in.get("name"), where, f"{apath}.name", max_length=AREA_NAME_MAX)
        where = f"area {name!r}"
        if name in area_names:
            raise _refuse(where, f"{apath}.name", "the name is used by another area")
        area_names.add(name)
        capacity = area_in.get("capacity")
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise _refuse(where, f"{apath}.capacity", "must be a whole number")
        if not 1 <= capacity <= MAX_AREA_CAPACITY:
            raise _refuse(
                where, f"{apath}.capacity", f"must be between 1 and {MAX_AREA_CAPACITY:,}"
            )
        layout.areas.append(
            AreaSpec(
                name=name,
                capacity=capacity,
                x=_number(area_in.get("x", 0), where, f"{apath}.x"),
                y=_number(area_in.get("y", 0), where, f"{apath}.y"),
                width=_number(area_in.get("width", 0), where, f"{apath}.width", minimum=0),
                height=_number(area_in.get("height", 0), where, f"{apath}.height", minimum=0),
            )
        )
    return layout
