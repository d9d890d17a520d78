"""Enturf's seat-map file: the one checker and parser (docs/seat-map.md, "File format").

The same JSON object is the body of ``POST /api/v1/seatmaps/`` (docs/api.md, "Seat-map
import format"), the ``layout`` of a ``seatmap_publish`` op, the editor's draft and an
exported ``.enturf.json`` file. It is checked by hand rather than by a schema library:
100,000 seats are checked in a fraction of a second. Every problem names the section,
row and seat and carries its JSON path.

* :func:`parse_layout` checks what makes a layout (sections, areas, categories,
  decorations, format) and refuses the first problem (:class:`SeatMapFileError`): the
  server and the publish op.
* :func:`parse_file` also checks the map's own fields (name, stage point, size) and
  refuses unknown top-level fields: a whole file.
* :func:`problems` lists every problem of a whole file (up to a cap), for the editor's
  import dialog.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from enturf_core.wording import noun

__all__ = [
    "DECORATION_KINDS",
    "FORMAT",
    "AreaSpec",
    "FileProblem",
    "Layout",
    "RowSpec",
    "SeatMapFileError",
    "SeatSpec",
    "SectionSpec",
    "default_seat_key",
    "empty_drawing",
    "layout_to_file",
    "parse_file",
    "parse_layout",
    "problems",
]

FORMAT = "enturf-seatmap/1"
INVALID = "invalid_seat_map"
TOO_LARGE = "seat_map_too_large"

MAX_SEATS = 100_000
MAX_SECTIONS = 1_000
MAX_SECTION_RANK = 999  # 1 is the venue's best section
MAX_ROWS_PER_SECTION = 1_000
MAX_SEATS_PER_ROW = 2_000
MAX_AREAS = 200
MAX_AREA_CAPACITY = 1_000_000
MAX_COORDINATE = 1e7
MAX_CATEGORIES = 100
MAX_DECORATIONS = 1_000
MAX_POINTS = 1_000  # of an outline, an area polygon or a decoration
MIN_POLYGON_POINTS = 3
MAX_PROBLEMS = 50  # listed by problems()

SECTION_NAME_MAX = 100
ROW_LABEL_MAX = 20
SEAT_LABEL_MAX = 20
SEAT_KEY_MAX = 64
CATEGORY_MAX = 50
AREA_NAME_MAX = 100
SEAT_MAP_NAME_MAX = 200
DECORATION_TEXT_MAX = 200

# a decoration's kind -> the fewest points it needs (docs/seat-map.md says what they mean)
DECORATION_KINDS = {"stage": 3, "label": 1, "rect": 2, "ellipse": 2, "polygon": 3, "line": 2}
TWO_POINT_KINDS = ("rect", "ellipse")  # exactly two: opposite corners of the box

SEAT_FIELDS = frozenset(
    {"key", "label", "x", "y", "category", "accessible", "companion", "obstructed", "aisle"}
)
ROW_FIELDS = frozenset({"label", "seats"})
SECTION_FIELDS = frozenset({"name", "rows", "rank", "outline"})
AREA_FIELDS = frozenset({"name", "capacity", "x", "y", "width", "height", "polygon"})
CATEGORY_FIELDS = frozenset({"name", "colour"})
DECORATION_FIELDS = frozenset({"kind", "points", "text", "rotation"})
LAYOUT_FIELDS = ("format", "categories", "sections", "areas", "decorations")
MAP_FIELDS = ("venue", "name", "stage_x", "stage_y", "width", "height")
FILE_FIELDS = frozenset(LAYOUT_FIELDS + MAP_FIELDS)
DEFAULT_CATEGORY = "standard"
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")

Point = list[float]  # [x, y]


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
    aisle: bool = False


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


def empty_drawing() -> dict[str, Any]:
    """What a layout draws besides seats, as `SeatMap.drawing` carries it (enturf_core/wire/feed.py)."""
    return {"categories": [], "outlines": {}, "area_polygons": {}, "decorations": []}


@dataclass(slots=True)
class Layout:
    """A checked layout: sections -> rows -> seats, GA areas, and what is drawn for
    orientation (`drawing`: categories with colours, section outlines and area polygons
    by name, decorations)."""

    sections: list[SectionSpec] = field(default_factory=list)
    areas: list[AreaSpec] = field(default_factory=list)
    drawing: dict[str, Any] = field(default_factory=empty_drawing)

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


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One problem of a file: its JSON path (``sections[0].rows[1].seats[11].x``) and what
    is wrong, naming the place (``section 'Stalls', row 'B', seat '12': ...``)."""

    path: str
    message: str


class SeatMapFileError(ValueError):
    """A seat-map file refused: the (first) problem's message and JSON path, the error
    code (``invalid_seat_map`` or ``seat_map_too_large``), and, from a converter that
    lists them all, `problems`."""

    def __init__(
        self,
        message: str,
        *,
        path: str,
        code: str = INVALID,
        limit: int | None = None,
        problems: tuple[FileProblem, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.code = code
        self.limit = limit
        self.problems = problems or (FileProblem(path, message),)

    @property
    def details(self) -> dict[str, Any]:
        """``{"path": ...}`` (and ``"limit"`` for a map too large), as the API shows them."""
        details: dict[str, Any] = {"path": self.path}
        if self.limit is not None:
            details["limit"] = self.limit
        return details


def default_seat_key(section: str, row: str, label: str) -> str:
    """The stable key of a seat that did not bring its own: "<section>/<row>/<label>"."""
    return f"{section}/{row}/{label}"


def parse_layout(data: dict[str, Any], *, max_seats: int = MAX_SEATS) -> Layout:
    """Check a layout (sections, areas, categories, decorations, format) and return it.

    Raises :class:`SeatMapFileError` naming the first problem. Other top-level fields
    (the map's name, stage point, size, venue) are left to the caller."""
    return _parse(data, _Check(None), whole_file=False, max_seats=max_seats)


def parse_file(data: Any, *, max_seats: int = MAX_SEATS) -> Layout:
    """Check a whole file: the layout, the map's own fields, and no unknown fields."""
    return _parse(data, _Check(None), whole_file=True, max_seats=max_seats)


def problems(data: Any, *, limit: int = MAX_PROBLEMS) -> list[FileProblem]:
    """Every problem of a whole file, in file order, at most `limit` (the first problem
    in each seat, row, section, area and field). Empty: the file is good."""
    check = _Check([], limit)
    with contextlib.suppress(_Enough):
        _parse(data, check, whole_file=True, max_seats=MAX_SEATS)
    return check.found or []


def layout_to_file(
    layout: Layout,
    *,
    name: str | None = None,
    stage_x: float = 0.0,
    stage_y: float = 0.0,
    width: float | None = None,
    height: float | None = None,
) -> dict[str, Any]:
    """A checked layout back as a file (``format`` first), the inverse of :func:`parse_file`.

    Flags are written only when true, a seat's key only when it is not the default."""
    drawing = layout.drawing
    outlines = drawing.get("outlines", {})
    polygons = drawing.get("area_polygons", {})
    data: dict[str, Any] = {"format": FORMAT}
    if name is not None:
        data["name"] = name
    data["stage_x"], data["stage_y"] = stage_x, stage_y
    if width is not None:
        data["width"] = width
    if height is not None:
        data["height"] = height
    data["categories"] = [dict(c) for c in drawing.get("categories", [])]
    sections = []
    for section in layout.sections:
        out: dict[str, Any] = {"name": section.name}
        if section.rank is not None:
            out["rank"] = section.rank
        if section.name in outlines:
            out["outline"] = [list(p) for p in outlines[section.name]]
        out["rows"] = [
            {
                "label": row.label,
                "seats": [_seat_out(section.name, row.label, s) for s in row.seats],
            }
            for row in section.rows
        ]
        sections.append(out)
    data["sections"] = sections
    areas = []
    for area in layout.areas:
        area_out: dict[str, Any] = {
            "name": area.name,
            "capacity": area.capacity,
            "x": area.x,
            "y": area.y,
            "width": area.width,
            "height": area.height,
        }
        if area.name in polygons:
            area_out["polygon"] = [list(p) for p in polygons[area.name]]
        areas.append(area_out)
    data["areas"] = areas
    data["decorations"] = [
        {**d, "points": [list(p) for p in d["points"]]} for d in drawing.get("decorations", [])
    ]
    return data


def _seat_out(section: str, row: str, seat: SeatSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"label": seat.label, "x": seat.x, "y": seat.y, "category": seat.category}
    if seat.key != default_seat_key(section, row, seat.label):
        out["key"] = seat.key
    for flag in ("accessible", "companion", "obstructed", "aisle"):
        if getattr(seat, flag):
            out[flag] = True
    return out


# ---- checking ---------------------------------------------------------------------------


class _Enough(Exception):
    """problems() found as many as it lists."""


class _Check:
    """Where problems go: raised at once (`found` None), or collected up to `limit`."""

    __slots__ = ("found", "limit")

    def __init__(self, found: list[FileProblem] | None, limit: int = MAX_PROBLEMS) -> None:
        self.found = found
        self.limit = limit

    def note(self, error: SeatMapFileError) -> None:
        if self.found is None:
            raise error
        self.found.append(FileProblem(error.path, error.message))
        if len(self.found) >= self.limit or error.code == TOO_LARGE:
            raise _Enough

    def fail(self, where: str, path: str, problem: str) -> None:
        self.note(_refuse(where, path, problem))

    def soft(self, default: Any, check: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """`check(*args, **kw)`, or `default` once its problem is noted."""
        try:
            return check(*args, **kw)
        except SeatMapFileError as error:
            self.note(error)
            return default


def _refuse(where: str, path: str, problem: str) -> SeatMapFileError:
    return SeatMapFileError(f"{where}: {problem}", path=path)


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


def _object(value: Any, where: str, path: str, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _refuse(where, path, f"must be an object, not {type(value).__name__}")
    if not allowed.issuperset(value):
        unknown = sorted(str(k) for k in set(value) - allowed)
        raise _refuse(where, path, f"unknown {noun(len(unknown), 'field')} {', '.join(unknown)}")
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


def _points(value: Any, where: str, path: str, *, minimum: int) -> list[Point]:
    points = _list(value, where, path, limit=MAX_POINTS)
    if len(points) < minimum:
        raise _refuse(where, path, f"has {len(points)} points; at least {minimum}")
    out = []
    for i, point in enumerate(points):
        if not isinstance(point, list) or len(point) != 2:
            raise _refuse(where, f"{path}[{i}]", "a point must be a list [x, y]")
        out.append(
            [
                _number(point[0], where, f"{path}[{i}][0]"),
                _number(point[1], where, f"{path}[{i}][1]"),
            ]
        )
    return out


def _format(value: Any, where: str, path: str) -> None:
    if value is not None and value != FORMAT:
        raise _refuse(where, path, f"{value!r:.40} is not {FORMAT!r}")


def _parse(data: Any, check: _Check, *, whole_file: bool, max_seats: int) -> Layout:
    layout = Layout()
    if not isinstance(data, dict):
        check.fail("seat map", "", f"must be a JSON object, not {type(data).__name__}")
        return layout
    where = "seat map"
    if whole_file:
        unknown = sorted(str(k) for k in set(data) - FILE_FIELDS)
        if unknown:
            check.fail(where, "", f"unknown {noun(len(unknown), 'field')} {', '.join(unknown)}")
        _map_fields(data, check)
    check.soft(None, _format, data.get("format"), where, "format")
    layout.drawing["categories"] = _categories(data.get("categories"), check)
    sections_in = check.soft(
        [], _list, data.get("sections"), where, "sections", limit=MAX_SECTIONS, required=False
    )
    areas_in = check.soft(
        [], _list, data.get("areas"), where, "areas", limit=MAX_AREAS, required=False
    )
    given = data.get("sections")
    if not sections_in and not areas_in and (given is None or isinstance(given, list)):
        check.note(
            SeatMapFileError(
                "A seat map needs at least one section with seats or one standing area.",
                path="sections",
            )
        )
    _sections(sections_in, check, layout, max_seats)
    _areas(areas_in, check, layout)
    layout.drawing["decorations"] = _decorations(data.get("decorations"), check)
    return layout


def _map_fields(data: dict[str, Any], check: _Check) -> None:
    where = "seat map"
    if "name" in data:
        check.soft(None, _text, data["name"], where, "name", max_length=SEAT_MAP_NAME_MAX)
    for name in ("stage_x", "stage_y"):
        if data.get(name) is not None:
            check.soft(None, _number, data[name], where, name)
    for name in ("width", "height"):
        if data.get(name) is not None:
            check.soft(None, _number, data[name], where, name, minimum=0)
    venue = data.get("venue")
    if venue is not None and (isinstance(venue, bool) or not isinstance(venue, int)):
        check.fail(where, "venue", "must be a venue's id (a whole number)")


def _categories(value: Any, check: _Check) -> list[dict[str, str]]:
    where = "seat map"
    items = check.soft([], _list, value, where, "categories", limit=MAX_CATEGORIES, required=False)
    out: list[dict[str, str]] = []
    names: set[str] = set()
    for i, item in enumerate(items):
        path = f"categories[{i}]"
        cwhere = f"category #{i + 1}"
        try:
            item = _object(item, cwhere, path, CATEGORY_FIELDS)
            name = _text(item.get("name"), cwhere, f"{path}.name", max_length=CATEGORY_MAX)
            cwhere = f"category {name!r}"
            if name in names:
                raise _refuse(cwhere, f"{path}.name", "the name is listed twice")
            names.add(name)
            colour = item.get("colour")
            if not isinstance(colour, str) or not COLOUR.fullmatch(colour):
                raise _refuse(
                    cwhere, f"{path}.colour", f"the colour must be #RRGGBB, not {colour!r:.40}"
                )
        except SeatMapFileError as error:
            check.note(error)
            continue
        out.append({"name": name, "colour": colour})
    return out


def _sections(sections_in: list, check: _Check, layout: Layout, max_seats: int) -> None:
    keys: dict[str, tuple[str, str, str]] = {}  # key -> (section, row, seat label)
    section_names: set[str] = set()
    categories: dict[str, str] = {}  # as written -> checked
    outlines = layout.drawing["outlines"]
    total = 0
    for si, section_in in enumerate(sections_in):
        spath = f"sections[{si}]"
        where = f"section #{si + 1}"
        try:
            section_in = _object(section_in, where, spath, SECTION_FIELDS)
            name = _text(
                section_in.get("name"), where, f"{spath}.name", max_length=SECTION_NAME_MAX
            )
        except SeatMapFileError as error:
            check.note(error)
            continue
        where = f"section {name!r}"
        if name in section_names:
            check.fail(where, f"{spath}.name", "the name is used by another section")
        section_names.add(name)
        section = SectionSpec(
            name=name,
            rows=[],
            rank=check.soft(None, _rank, section_in.get("rank"), where, f"{spath}.rank"),
        )
        if section_in.get("outline") is not None:
            outline = check.soft(
                None,
                _points,
                section_in["outline"],
                where,
                f"{spath}.outline",
                minimum=MIN_POLYGON_POINTS,
            )
            if outline is not None:
                outlines[name] = outline
        rows_in = check.soft(
            [], _list, section_in.get("rows"), where, f"{spath}.rows", limit=MAX_ROWS_PER_SECTION
        )
        row_labels: set[str] = set()
        for ri, row_in in enumerate(rows_in):
            rpath = f"{spath}.rows[{ri}]"
            rwhere = f"{where}, row #{ri + 1}"
            try:
                row_in = _object(row_in, rwhere, rpath, ROW_FIELDS)
                label = _text(
                    row_in.get("label"), rwhere, f"{rpath}.label", max_length=ROW_LABEL_MAX
                )
                rwhere = f"{where}, row {label!r}"
                if label in row_labels:
                    raise _refuse(rwhere, f"{rpath}.label", "the label is used by another row")
                row_labels.add(label)
                seats_in = _list(
                    row_in.get("seats"), rwhere, f"{rpath}.seats", limit=MAX_SEATS_PER_ROW
                )
            except SeatMapFileError as error:
                check.note(error)
                continue
            total += len(seats_in)
            if total > max_seats:
                check.note(
                    SeatMapFileError(
                        f"A seat map holds at most {max_seats:,} seats; this one has more.",
                        path=f"{rpath}.seats",
                        code=TOO_LARGE,
                        limit=max_seats,
                    )
                )
            row = RowSpec(label=label, seats=[])
            seats = row.seats
            seat_labels: set[str] = set()
            for ei, seat_in in enumerate(seats_in):
                seat = _quick_seat(seat_in, name, label, categories)
                if seat is None:
                    try:
                        seat = _seat(seat_in, rwhere, ei, f"{rpath}.seats[{ei}]", name, label)
                    except SeatMapFileError as error:
                        check.note(error)
                        continue
                if seat.label in seat_labels:
                    check.fail(
                        f"{rwhere}, seat {seat.label!r}",
                        f"{rpath}.seats[{ei}].label",
                        "the label is used twice in this row",
                    )
                    continue
                seat_labels.add(seat.label)
                other = keys.get(seat.key)
                if other is not None:
                    check.fail(
                        f"{rwhere}, seat {seat.label!r}",
                        f"{rpath}.seats[{ei}].key",
                        f"the key {seat.key!r} is also used by section {other[0]!r}, "
                        f"row {other[1]!r}, seat {other[2]!r}",
                    )
                    continue
                keys[seat.key] = (name, label, seat.label)
                seats.append(seat)
            section.rows.append(row)
        layout.sections.append(section)


def _quick_seat(s: Any, section: str, row: str, categories: dict[str, str]) -> SeatSpec | None:
    """The seat if it is plainly good, else None (then :func:`_seat` checks it and says
    why). Only the common shapes are taken here; the rules are :func:`_seat`'s."""
    if type(s) is not dict or not SEAT_FIELDS.issuperset(s):
        return None
    label = s.get("label")
    if type(label) is not str:
        return None
    label = label.strip()
    if not 0 < len(label) <= SEAT_LABEL_MAX:
        return None
    x = s.get("x")
    y = s.get("y")
    tx, ty = type(x), type(y)
    if tx is int:
        x = float(x)
    elif tx is not float:
        return None
    if ty is int:
        y = float(y)
    elif ty is not float:
        return None
    if not (-MAX_COORDINATE <= x <= MAX_COORDINATE and -MAX_COORDINATE <= y <= MAX_COORDINATE):
        return None  # also NaN
    category = s.get("category", DEFAULT_CATEGORY)
    if type(category) is not str:
        return None
    checked = categories.get(category)
    if checked is None:
        checked = category.strip()
        if not 0 < len(checked) <= CATEGORY_MAX:
            return None
        categories[category] = checked
    accessible = s.get("accessible", False)
    companion = s.get("companion", False)
    obstructed = s.get("obstructed", False)
    aisle = s.get("aisle", False)
    if (
        (accessible is not True and accessible is not False)
        or (companion is not True and companion is not False)
        or (obstructed is not True and obstructed is not False)
        or (aisle is not True and aisle is not False)
    ):
        return None
    key = s.get("key")
    if key is None:
        key = f"{section}/{row}/{label}"
    elif type(key) is str:
        key = key.strip()
        if not key:
            return None
    else:
        return None
    if len(key) > SEAT_KEY_MAX:
        return None
    return SeatSpec(key, label, x, y, checked, accessible, companion, obstructed, aisle)


def _seat(seat_in: Any, row_where: str, index: int, path: str, section: str, row: str) -> SeatSpec:
    where = f"{row_where}, seat #{index + 1}"
    seat_in = _object(seat_in, where, path, SEAT_FIELDS)
    label = _text(seat_in.get("label"), where, f"{path}.label", max_length=SEAT_LABEL_MAX)
    where = f"{row_where}, seat {label!r}"
    if seat_in.get("key") is not None:
        key = _text(seat_in["key"], where, f"{path}.key", max_length=SEAT_KEY_MAX)
    else:
        key = default_seat_key(section, row, label)
        if len(key) > SEAT_KEY_MAX:
            raise _refuse(
                where,
                f"{path}.key",
                f"its key {key!r} is longer than {SEAT_KEY_MAX} characters; give a shorter 'key'",
            )
    return SeatSpec(
        key=key,
        label=label,
        x=_number(seat_in.get("x"), where, f"{path}.x"),
        y=_number(seat_in.get("y"), where, f"{path}.y"),
        category=_text(
            seat_in.get("category", DEFAULT_CATEGORY),
            where,
            f"{path}.category",
            max_length=CATEGORY_MAX,
        ),
        accessible=_flag(seat_in.get("accessible", False), where, f"{path}.accessible"),
        companion=_flag(seat_in.get("companion", False), where, f"{path}.companion"),
        obstructed=_flag(seat_in.get("obstructed", False), where, f"{path}.obstructed"),
        aisle=_flag(seat_in.get("aisle", False), where, f"{path}.aisle"),
    )


def _areas(areas_in: list, check: _Check, layout: Layout) -> None:
    names: set[str] = set()
    polygons = layout.drawing["area_polygons"]
    for ai, area_in in enumerate(areas_in):
        apath = f"areas[{ai}]"
        where = f"area #{ai + 1}"
        try:
            area_in = _object(area_in, where, apath, AREA_FIELDS)
            name = _text(area_in.get("name"), where, f"{apath}.name", max_length=AREA_NAME_MAX)
            where = f"area {name!r}"
            if name in names:
                raise _refuse(where, f"{apath}.name", "the name is used by another area")
            names.add(name)
            capacity = area_in.get("capacity")
            if isinstance(capacity, bool) or not isinstance(capacity, int):
                raise _refuse(where, f"{apath}.capacity", "must be a whole number")
            if not 1 <= capacity <= MAX_AREA_CAPACITY:
                raise _refuse(
                    where, f"{apath}.capacity", f"must be between 1 and {MAX_AREA_CAPACITY:,}"
                )
            polygon = None
            box = {"x": 0.0, "y": 0.0, "width": 0.0, "height": 0.0}
            if area_in.get("polygon") is not None:
                polygon = _points(
                    area_in["polygon"], where, f"{apath}.polygon", minimum=MIN_POLYGON_POINTS
                )
                xs = [p[0] for p in polygon]
                ys = [p[1] for p in polygon]
                box = {
                    "x": min(xs),
                    "y": min(ys),
                    "width": max(xs) - min(xs),
                    "height": max(ys) - min(ys),
                }
            area = AreaSpec(
                name=name,
                capacity=capacity,
                x=_number(area_in.get("x", box["x"]), where, f"{apath}.x"),
                y=_number(area_in.get("y", box["y"]), where, f"{apath}.y"),
                width=_number(
                    area_in.get("width", box["width"]), where, f"{apath}.width", minimum=0
                ),
                height=_number(
                    area_in.get("height", box["height"]), where, f"{apath}.height", minimum=0
                ),
            )
        except SeatMapFileError as error:
            check.note(error)
            continue
        if polygon is not None:
            polygons[name] = polygon
        layout.areas.append(area)


def _decorations(value: Any, check: _Check) -> list[dict[str, Any]]:
    items = check.soft(
        [], _list, value, "seat map", "decorations", limit=MAX_DECORATIONS, required=False
    )
    out = []
    for i, item in enumerate(items):
        path = f"decorations[{i}]"
        where = f"decoration #{i + 1}"
        try:
            item = _object(item, where, path, DECORATION_FIELDS)
            kind = item.get("kind")
            if not isinstance(kind, str) or kind not in DECORATION_KINDS:
                raise _refuse(
                    where,
                    f"{path}.kind",
                    f"the kind must be one of {', '.join(DECORATION_KINDS)}, not {kind!r:.40}",
                )
            points = _points(
                item.get("points"), where, f"{path}.points", minimum=DECORATION_KINDS[kind]
            )
            if kind in TWO_POINT_KINDS and len(points) != 2:
                raise _refuse(
                    where, f"{path}.points", f"a {kind} has two points (opposite corners)"
                )
            text = item.get("text", "")
            if not isinstance(text, str):
                raise _refuse(where, f"{path}.text", f"must be text, not {type(text).__name__}")
            if len(text) > DECORATION_TEXT_MAX:
                raise _refuse(
                    where,
                    f"{path}.text",
                    f"is {len(text)} characters long; at most {DECORATION_TEXT_MAX}",
                )
            rotation = item.get("rotation", 0.0)
            rotation = _number(rotation, where, f"{path}.rotation") if rotation is not None else 0.0
        except SeatMapFileError as error:
            check.note(error)
            continue
        out.append({"kind": kind, "points": points, "text": text, "rotation": rotation})
    return out
