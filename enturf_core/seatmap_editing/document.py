"""The seat-map editor's document: sections of rows of seats, standing areas,
decorations, categories and the stage point, in the docs/seat-map.md "File format".

The parts (:class:`Seat`, :class:`Row`, :class:`Section`, :class:`Area`,
:class:`Decoration`, :class:`Category`) are immutable values; the document holds them by
uid and is changed only by replacing whole parts (``enturf_core.seatmap_editing.edits``),
so an undo step just puts the old objects back. Every part has a uid, from one counter
per document; uids are the editor's own (the file format has none) and a seat's uid is
its id in :meth:`SeatMapDocument.to_layout`.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from enturf_core import palette
from enturf_core.seating.layout import (
    ACCESSIBLE,
    AISLE,
    COMPANION,
    OBSTRUCTED,
    AreaInfo,
    RowInfo,
    SeatMapLayout,
    SectionInfo,
)

__all__ = [
    "DECORATION_KINDS",
    "DEFAULT_CATEGORY",
    "FILE_FORMAT",
    "FLAG_FIELDS",
    "Area",
    "Category",
    "Decoration",
    "Point",
    "Row",
    "Seat",
    "SeatMapDocument",
    "Section",
    "UidSource",
    "bbox_of",
    "unique_name",
]

FILE_FORMAT = "enturf-seatmap/1"
DEFAULT_CATEGORY = "standard"
DECORATION_KINDS = ("stage", "label", "rect", "ellipse", "polygon", "line")
# seat flag bit -> the file format's boolean field, in the order they are written
FLAG_FIELDS = (
    (ACCESSIBLE, "accessible"),
    (COMPANION, "companion"),
    (OBSTRUCTED, "obstructed"),
    (AISLE, "aisle"),
)

Point = tuple[float, float]
UidSource = Callable[[], int]  # hands out fresh uids (SeatMapDocument.new_uid)


def bbox_of(points: Iterable[Point]) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of some points (ValueError when there are none)."""
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True, slots=True)
class Seat:
    uid: int
    label: str
    x: float
    y: float
    category: str = DEFAULT_CATEGORY
    flags: int = 0  # ACCESSIBLE | COMPANION | OBSTRUCTED | AISLE
    key: str = ""  # the file's stable key; "" : the server's default

    def moved(self, x: float, y: float) -> Seat:
        return Seat(self.uid, self.label, x, y, self.category, self.flags, self.key)


@dataclass(frozen=True, slots=True)
class Row:
    uid: int
    label: str
    seats: tuple[Seat, ...]


@dataclass(frozen=True)
class Section:
    uid: int
    name: str
    rows: tuple[Row, ...]
    rank: int | None = None  # the venue's rank, 1 best; None: not ranked
    outline: tuple[Point, ...] | None = None  # the plate; None: drawn round the seats

    def seats(self) -> Iterator[Seat]:
        for row in self.rows:
            yield from row.seats

    @cached_property
    def seat_count(self) -> int:
        return sum(len(row.seats) for row in self.rows)

    @cached_property
    def locations(self) -> dict[int, tuple[int, int]]:
        """seat uid -> (row index, seat index in the row)."""
        return {
            seat.uid: (r, s) for r, row in enumerate(self.rows) for s, seat in enumerate(row.seats)
        }

    def seat(self, uid: int) -> Seat:
        r, s = self.locations[uid]
        return self.rows[r].seats[s]

    def row(self, uid: int) -> Row:
        for row in self.rows:
            if row.uid == uid:
                return row
        raise KeyError(uid)


@dataclass(frozen=True)
class Area:
    """A standing (general-admission) area; a rectangle is 4 points."""

    uid: int
    name: str
    capacity: int
    points: tuple[Point, ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return bbox_of(self.points)

    @property
    def is_rectangle(self) -> bool:
        """Its points are its bounding box, clockwise from the top left (as the file
        format's x/y/width/height without a polygon)."""
        left, top, right, bottom = self.bbox
        return self.points == ((left, top), (right, top), (right, bottom), (left, bottom))

    @staticmethod
    def rectangle_points(x: float, y: float, width: float, height: float) -> tuple[Point, ...]:
        return ((x, y), (x + width, y), (x + width, y + height), (x, y + height))


@dataclass(frozen=True)
class Decoration:
    """Drawn for orientation only: the stage, a label, a shape."""

    uid: int
    kind: str  # one of DECORATION_KINDS
    points: tuple[Point, ...]
    text: str = ""
    rotation: float = 0.0  # degrees


@dataclass(frozen=True, slots=True)
class Category:
    """A price zone and its colour ("#RRGGBB" as data)."""

    name: str
    colour: str


def _points(ps: Iterable[Any]) -> tuple[Point, ...]:
    return tuple((float(p[0]), float(p[1])) for p in ps)


def _number(value: float) -> float | int:
    """Whole numbers as ints in the file (smaller, and as a person writes them)."""
    return int(value) if value == int(value) and abs(value) < 2**53 else value


def _pair(p: Point) -> list[float | int]:
    return [_number(p[0]), _number(p[1])]


@dataclass(eq=False)
class SeatMapDocument:
    """A seat map being edited. Change it through ``edits`` (``apply`` / ``revert``) so
    that every step can be undone; read it freely."""

    name: str = "Seat map"
    stage_x: float = 0.0
    stage_y: float = 0.0
    width: float | None = None  # None: the server fits the drawing
    height: float | None = None
    sections: dict[int, Section] = field(default_factory=dict)  # in order
    areas: dict[int, Area] = field(default_factory=dict)
    decorations: dict[int, Decoration] = field(default_factory=dict)
    categories: tuple[Category, ...] = ()
    next_uid: int = 1
    revision: int = 0  # bumped by every change: a cheap "has it changed" for caches
    _seat_section: dict[int, int] = field(default_factory=dict, repr=False)
    _row_section: dict[int, int] = field(default_factory=dict, repr=False)
    _layout: tuple[int, SeatMapLayout] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Index parts given to the constructor, and hand out uids after theirs."""
        if self.sections and not self._seat_section:
            for section in self.sections.values():
                self._index(section)
        used = [*self.sections, *self.areas, *self.decorations, *self._row_section]
        if self._seat_section:
            used.append(max(self._seat_section))
        if used:
            self.next_uid = max(self.next_uid, max(used) + 1)

    def snapshot(self) -> SeatMapDocument:
        """A copy that later edits of this document leave as it is: the dicts and the
        index are copied, the immutable parts shared (about a millisecond per 20,000
        seats). For work on another thread, such as the checks while the manager edits."""
        return SeatMapDocument(
            name=self.name,
            stage_x=self.stage_x,
            stage_y=self.stage_y,
            width=self.width,
            height=self.height,
            sections=dict(self.sections),
            areas=dict(self.areas),
            decorations=dict(self.decorations),
            categories=self.categories,
            next_uid=self.next_uid,
            revision=self.revision,
            _seat_section=dict(self._seat_section),
            _row_section=dict(self._row_section),
        )

    # -- uids ----------------------------------------------------------------------------

    def new_uid(self) -> int:
        uid = self.next_uid
        self.next_uid += 1
        return uid

    def reserve_uids(self, count: int) -> range:
        """``count`` fresh uids at once (a generator's seats)."""
        first = self.next_uid
        self.next_uid += count
        return range(first, first + count)

    # -- reading -------------------------------------------------------------------------

    @property
    def seat_count(self) -> int:
        return len(self._seat_section)

    def section_uid_of_seat(self, uid: int) -> int | None:
        return self._seat_section.get(uid)

    def has_seat(self, uid: int) -> bool:
        return uid in self._seat_section

    def seat(self, uid: int) -> Seat:
        return self.sections[self._seat_section[uid]].seat(uid)

    def section_of_seat(self, uid: int) -> Section:
        return self.sections[self._seat_section[uid]]

    def section_of_row(self, uid: int) -> Section:
        return self.sections[self._row_section[uid]]

    def row_of_seat(self, uid: int) -> Row:
        section = self.section_of_seat(uid)
        return section.rows[section.locations[uid][0]]

    def row(self, uid: int) -> Row:
        return self.section_of_row(uid).row(uid)

    def seats(self) -> Iterator[Seat]:
        for section in self.sections.values():
            yield from section.seats()

    def seat_uids(self) -> Iterable[int]:
        return self._seat_section.keys()

    def section_named(self, name: str) -> Section | None:
        for section in self.sections.values():
            if section.name == name:
                return section
        return None

    def category(self, name: str) -> Category | None:
        for category in self.categories:
            if category.name == name:
                return category
        return None

    def category_colour(self, name: str) -> str:
        """The listed colour, else the palette's colour for the category's place."""
        category = self.category(name)
        if category is not None:
            return category.colour
        return palette.CATEGORY_COLOURS[len(self.categories) % len(palette.CATEGORY_COLOURS)]

    def next_category_colour(self) -> str:
        """A palette colour that no listed category has yet (cycling when all have)."""
        used = {c.colour.lower() for c in self.categories}
        for colour in palette.CATEGORY_COLOURS:
            if colour.lower() not in used:
                return colour
        return palette.CATEGORY_COLOURS[len(self.categories) % len(palette.CATEGORY_COLOURS)]

    def used_categories(self) -> list[str]:
        """Categories seats use, in order of first appearance."""
        seen: dict[str, None] = {}
        for seat in self.seats():
            seen.setdefault(seat.category)
        return list(seen)

    def unique_section_name(self, base: str) -> str:
        """``base`` if free, else "base 2", "base 3"... ("Stalls 2" of "Stalls")."""
        names = {s.name for s in self.sections.values()}
        return unique_name(base, names)

    def unique_area_name(self, base: str) -> str:
        return unique_name(base, {a.name for a in self.areas.values()})

    def bounds(self) -> tuple[float, float, float, float] | None:
        """(left, top, right, bottom) of seats, outlines, areas, decorations, stage."""
        points: list[Point] = [(self.stage_x, self.stage_y)]
        for section in self.sections.values():
            points.extend((s.x, s.y) for s in section.seats())
            points.extend(section.outline or ())
        for area in self.areas.values():
            points.extend(area.points)
        for decoration in self.decorations.values():
            points.extend(decoration.points)
        return bbox_of(points)

    # -- changing (used by edits.apply / revert) ------------------------------------------

    def put_section(self, section: Section) -> None:
        old = self.sections.get(section.uid)
        if old is not None:
            self._unindex(old)
        self.sections[section.uid] = section
        self._index(section)
        self.revision += 1

    def remove_section(self, uid: int) -> Section:
        section = self.sections.pop(uid)
        self._unindex(section)
        self.revision += 1
        return section

    def _index(self, section: Section) -> None:
        uid = section.uid
        seat_section = self._seat_section
        for row in section.rows:
            self._row_section[row.uid] = uid
            for seat in row.seats:
                seat_section[seat.uid] = uid

    def _unindex(self, section: Section) -> None:
        seat_section = self._seat_section
        for row in section.rows:
            self._row_section.pop(row.uid, None)
            for seat in row.seats:
                seat_section.pop(seat.uid, None)

    # -- the file format ------------------------------------------------------------------

    @classmethod
    def from_file_dict(cls, data: Mapping[str, Any]) -> SeatMapDocument:
        """From the docs/seat-map.md file format, already checked (a ``venue`` is
        ignored). Every part gets a fresh uid."""
        doc = cls(
            name=str(data.get("name") or "Seat map"),
            stage_x=float(data.get("stage_x") or 0),
            stage_y=float(data.get("stage_y") or 0),
            width=None if data.get("width") is None else float(data["width"]),
            height=None if data.get("height") is None else float(data["height"]),
            categories=tuple(
                Category(str(c["name"]), str(c["colour"])) for c in data.get("categories") or ()
            ),
        )
        new_uid = doc.new_uid
        sections: dict[int, Section] = {}
        for s in data.get("sections") or ():
            rows = []
            for r in s.get("rows") or ():
                seats = tuple(
                    Seat(
                        new_uid(),
                        str(seat["label"]),
                        float(seat["x"]),
                        float(seat["y"]),
                        str(seat.get("category") or DEFAULT_CATEGORY),
                        (ACCESSIBLE if seat.get("accessible") else 0)
                        | (COMPANION if seat.get("companion") else 0)
                        | (OBSTRUCTED if seat.get("obstructed") else 0)
                        | (AISLE if seat.get("aisle") else 0),
                        str(seat.get("key") or ""),
                    )
                    for seat in r.get("seats") or ()
                )
                rows.append(Row(new_uid(), str(r["label"]), seats))
            outline = s.get("outline")
            rank = s.get("rank")
            section = Section(
                new_uid(),
                str(s["name"]),
                tuple(rows),
                None if rank is None else int(rank),
                None if outline is None else _points(outline),
            )
            sections[section.uid] = section
        for a in data.get("areas") or ():
            polygon = a.get("polygon")
            points = (
                _points(polygon)
                if polygon is not None
                else Area.rectangle_points(
                    float(a.get("x") or 0),
                    float(a.get("y") or 0),
                    float(a.get("width") or 0),
                    float(a.get("height") or 0),
                )
            )
            area = Area(new_uid(), str(a["name"]), int(a.get("capacity") or 0), points)
            doc.areas[area.uid] = area
        for d in data.get("decorations") or ():
            decoration = Decoration(
                new_uid(),
                str(d["kind"]),
                _points(d.get("points") or ()),
                str(d.get("text") or ""),
                float(d.get("rotation") or 0),
            )
            doc.decorations[decoration.uid] = decoration
        for section in sections.values():
            doc.sections[section.uid] = section
            doc._index(section)
        return doc

    def to_file_dict(self) -> dict[str, Any]:
        """The document in the file format (what the server accepts). Canonical: the
        same document always gives the same dict; optional fields are left out when
        they hold their default (no key, no rank, no outline, false flags...)."""
        out: dict[str, Any] = {
            "format": FILE_FORMAT,
            "name": self.name,
            "stage_x": _number(self.stage_x),
            "stage_y": _number(self.stage_y),
        }
        if self.width is not None:
            out["width"] = _number(self.width)
        if self.height is not None:
            out["height"] = _number(self.height)
        out["categories"] = [{"name": c.name, "colour": c.colour} for c in self.categories]
        out["sections"] = [_section_dict(s) for s in self.sections.values()]
        out["areas"] = [_area_dict(a) for a in self.areas.values()]
        out["decorations"] = [_decoration_dict(d) for d in self.decorations.values()]
        return out

    def drawing(self) -> dict[str, Any]:
        """What the map draws besides seats, in the shape of the feed's
        ``SeatMap.drawing`` (enturf_core/wire/feed.py): categories, outlines by section
        name, polygons of the areas that are not plain rectangles by area name, and
        decorations as in the file."""
        return {
            "categories": [{"name": c.name, "colour": c.colour} for c in self.categories],
            "outlines": {
                s.name: [_pair(p) for p in s.outline]
                for s in self.sections.values()
                if s.outline is not None
            },
            "area_polygons": {
                a.name: [_pair(p) for p in a.points]
                for a in self.areas.values()
                if not a.is_rectangle
            },
            "decorations": [_decoration_dict(d) for d in self.decorations.values()],
        }

    # -- the POS canvas's layout -----------------------------------------------------------

    def to_layout(self) -> SeatMapLayout:
        """The document as the cashier's ``SeatMapLayout`` (seat ids, row ids, section
        ids and area ids are uids), so the POS canvas draws it. Cached per revision."""
        if self._layout is not None and self._layout[0] == self.revision:
            return self._layout[1]
        layout = self._build_layout()
        self._layout = (self.revision, layout)
        return layout

    def _build_layout(self) -> SeatMapLayout:
        ids: list[int] = []
        xs: list[float] = []
        ys: list[float] = []
        flags: list[int] = []
        labels: list[str] = []
        keys: list[str] = []
        cats: list[str] = []
        row_of = array("i")
        section_of = array("i")
        rows: list[RowInfo] = []
        sections: list[SectionInfo] = []
        for section_index, section in enumerate(self.sections.values()):
            seat0, row0 = len(ids), len(rows)
            for row in section.rows:
                first = len(ids)
                seats = row.seats
                ids += [s.uid for s in seats]
                xs += [s.x for s in seats]
                ys += [s.y for s in seats]
                flags += [s.flags for s in seats]
                labels += [s.label for s in seats]
                keys += [s.key for s in seats]
                cats += [s.category for s in seats]
                row_of.extend([len(rows)] * len(seats))
                rows.append(
                    RowInfo(len(rows), row.uid, row.label, section_index, range(first, len(ids)))
                )
            section_of.extend([section_index] * (len(ids) - seat0))
            sections.append(
                SectionInfo(
                    section_index,
                    section.uid,
                    section.name,
                    range(row0, len(rows)),
                    range(seat0, len(ids)),
                    section.rank,
                )
            )
        category_index: dict[str, int] = {}
        for name in cats:
            if name not in category_index:
                category_index[name] = len(category_index)
        category_of = array("H", map(category_index.__getitem__, cats))
        areas = []
        for area in self.areas.values():
            left, top, right, bottom = area.bbox
            areas.append(
                AreaInfo(area.uid, area.name, area.capacity, left, top, right - left, bottom - top)
            )
        return SeatMapLayout(
            id=None,
            name=self.name,
            width=float(self.width or 0),
            height=float(self.height or 0),
            stage_x=self.stage_x,
            stage_y=self.stage_y,
            sections=tuple(sections),
            rows=tuple(rows),
            areas=tuple(areas),
            categories=tuple(category_index),
            ids=array("q", ids),
            xs=array("d", xs),
            ys=array("d", ys),
            row_of=row_of,
            section_of=section_of,
            category_of=category_of,
            flags=bytes(flags),
            labels=tuple(labels),
            keys=tuple(keys),
            index_of=dict(zip(ids, range(len(ids)), strict=True)),
        )


def unique_name(base: str, names: set[str]) -> str:
    """``base`` if free, else "base 2", "base 3"... ("Stalls 3" after "Stalls 2")."""
    if base not in names:
        return base
    stem, _, tail = base.rpartition(" ")
    if stem and tail.isdigit():  # "Stalls 2" -> "Stalls 3"
        base, n = stem, int(tail) + 1
    else:
        n = 2
    while f"{base} {n}" in names:
        n += 1
    return f"{base} {n}"


def _seat_dict(seat: Seat) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if seat.key:
        out["key"] = seat.key
    out["label"] = seat.label
    out["x"] = _number(seat.x)
    out["y"] = _number(seat.y)
    out["category"] = seat.category
    if seat.flags:
        for bit, name in FLAG_FIELDS:
            if seat.flags & bit:
                out[name] = True
    return out


def _section_dict(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"name": section.name}
    if section.rank is not None:
        out["rank"] = section.rank
    if section.outline is not None:
        out["outline"] = [_pair(p) for p in section.outline]
    out["rows"] = [
        {"label": row.label, "seats": [_seat_dict(s) for s in row.seats]} for row in section.rows
    ]
    return out


def _area_dict(area: Area) -> dict[str, Any]:
    left, top, right, bottom = area.bbox
    out: dict[str, Any] = {
        "name": area.name,
        "capacity": area.capacity,
        "x": _number(left),
        "y": _number(top),
        "width": _number(right - left),
        "height": _number(bottom - top),
    }
    if not area.is_rectangle:
        out["polygon"] = [_pair(p) for p in area.points]
    return out


def _decoration_dict(decoration: Decoration) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": decoration.kind,
        "points": [_pair(p) for p in decoration.points],
    }
    if decoration.text:
        out["text"] = decoration.text
    if decoration.rotation:
        out["rotation"] = _number(decoration.rotation)
    return out
