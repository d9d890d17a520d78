"""Every change to a :class:`SeatMapDocument` as a reversible :class:`Edit`.

An edit is made from the document as it is (the functions below only read it) and
holds the before and after objects of what it changes (sections, areas, decorations by
uid, their order, the category list, the map's properties). ``apply(doc, edit)`` puts
the after objects in, ``revert(doc, edit)`` the before objects back: undo never
recomputes anything, so undoing a paint of thousands of seats costs what swapping a few
sections costs. A Qt ``QUndoCommand`` wraps one edit (redo = apply, undo = revert).

A function that would change nothing returns ``None``. Edits must be applied in the
order they were made (an undo stack does that).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from enturf_core.seatmap_editing.document import (
    DECORATION_KINDS,
    Area,
    Category,
    Decoration,
    Point,
    Row,
    Seat,
    SeatMapDocument,
    Section,
    bbox_of,
    unique_name,
)
from enturf_core.seatmap_editing.generate import outline_for_section
from enturf_core.seatmap_editing.numbering import (
    ALONG_CURVE,
    RowScheme,
    SeatScheme,
    order_along_row,
    row_labels,
    seat_labels,
)

__all__ = [
    "HORIZONTAL",
    "MAX_POINTS",
    "VERTICAL",
    "Edit",
    "MapProperties",
    "Selection",
    "add_area",
    "add_decoration",
    "add_section",
    "apply",
    "clear_flags",
    "delete",
    "duplicate",
    "edit_area",
    "edit_decoration",
    "merge",
    "mirror",
    "move",
    "paint",
    "redraw_outlines",
    "relabel_rows",
    "remove_category",
    "rename_row",
    "rename_section",
    "renumber",
    "revert",
    "rotate",
    "selection_bounds",
    "set_category",
    "set_flags",
    "set_outline",
    "set_properties",
    "set_section_rank",
    "set_stage",
    "snap",
    "snap_point",
    "snap_to_grid",
]

# decorations drawn through their points (the others: a label at its point, an ellipse
# in its points' box)
POINT_SHAPES = frozenset({"stage", "rect", "polygon", "line"})
MAX_POINTS = 1000  # the file format's limit for a polygon or a shape
HORIZONTAL = "horizontal"  # mirror left <-> right (x flips)
VERTICAL = "vertical"  # mirror top <-> bottom (y flips)


@dataclass(frozen=True)
class Selection:
    """What the editor has selected: seats by uid, and whole sections, areas and
    decorations by uid (a whole section also moves its outline)."""

    seats: frozenset[int] = frozenset()
    sections: frozenset[int] = frozenset()
    areas: frozenset[int] = frozenset()
    decorations: frozenset[int] = frozenset()

    @classmethod
    def of(
        cls,
        seats: Iterable[int] = (),
        sections: Iterable[int] = (),
        areas: Iterable[int] = (),
        decorations: Iterable[int] = (),
    ) -> Selection:
        return cls(frozenset(seats), frozenset(sections), frozenset(areas), frozenset(decorations))

    @classmethod
    def of_rows(cls, doc: SeatMapDocument, row_uids: Iterable[int]) -> Selection:
        """The seats of whole rows."""
        return cls.of(seats=(s.uid for uid in row_uids for s in doc.row(uid).seats))

    @classmethod
    def everything(cls, doc: SeatMapDocument) -> Selection:
        return cls.of(sections=doc.sections, areas=doc.areas, decorations=doc.decorations)

    def __bool__(self) -> bool:
        return bool(self.seats or self.sections or self.areas or self.decorations)

    def __or__(self, other: Selection) -> Selection:
        return Selection(
            self.seats | other.seats,
            self.sections | other.sections,
            self.areas | other.areas,
            self.decorations | other.decorations,
        )

    def __sub__(self, other: Selection) -> Selection:
        return Selection(
            self.seats - other.seats,
            self.sections - other.sections,
            self.areas - other.areas,
            self.decorations - other.decorations,
        )

    def seat_uids(self, doc: SeatMapDocument) -> set[int]:
        """The selected seats, with those of selected sections (that still exist)."""
        out = {uid for uid in self.seats if doc.has_seat(uid)}
        for uid in self.sections:
            section = doc.sections.get(uid)
            if section is not None:
                out.update(section.locations)
        return out

    def by_section(self, doc: SeatMapDocument) -> dict[int, set[int] | None]:
        """section uid -> the selected seat uids in it (None: the whole section), in
        the document's order of sections."""
        found: dict[int, set[int] | None] = {}
        for uid in self.seats:
            section = doc.section_uid_of_seat(uid)
            if section is not None and section not in self.sections:
                seats = found.setdefault(section, set())
                assert seats is not None
                seats.add(uid)
        for uid in self.sections:
            if uid in doc.sections:
                found[uid] = None
        for uid, seats in list(found.items()):  # every seat picked: the whole section
            if seats is not None and len(seats) == doc.sections[uid].seat_count:
                found[uid] = None
        return {uid: found[uid] for uid in doc.sections if uid in found}


@dataclass(frozen=True)
class MapProperties:
    name: str
    stage_x: float
    stage_y: float
    width: float | None
    height: float | None

    @classmethod
    def of(cls, doc: SeatMapDocument) -> MapProperties:
        return cls(doc.name, doc.stage_x, doc.stage_y, doc.width, doc.height)


# (uid, before or None: added, after or None: removed)
SectionChange = tuple[int, Section | None, Section | None]
AreaChange = tuple[int, Area | None, Area | None]
DecorationChange = tuple[int, Decoration | None, Decoration | None]
Order = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Edit:
    text: str  # for the undo menu: "Paint 120 seats premium"
    sections: tuple[SectionChange, ...] = ()
    areas: tuple[AreaChange, ...] = ()
    decorations: tuple[DecorationChange, ...] = ()
    section_order: Order | None = None
    area_order: Order | None = None
    decoration_order: Order | None = None
    categories: tuple[tuple[Category, ...], tuple[Category, ...]] | None = None
    properties: tuple[MapProperties, MapProperties] | None = None
    # the changed sections keep the same rows and seats (uids), only their values change
    same_seats: bool = False
    selection: Selection | None = None  # what to select after applying (new parts)

    @property
    def seat_uids(self) -> set[int]:
        """Seats this edit adds, removes or changes, before or after (for repainting)."""
        out: set[int] = set()
        for _uid, before, after in self.sections:
            for section in (before, after):
                if section is not None:
                    out.update(section.locations)
        return out


def apply(doc: SeatMapDocument, edit: Edit) -> None:
    _swap(doc, edit, forward=True)


def revert(doc: SeatMapDocument, edit: Edit) -> None:
    _swap(doc, edit, forward=False)


def merge(first: Edit, second: Edit) -> Edit | None:
    """One edit doing ``first`` then ``second`` (made right after ``first`` was
    applied), e.g. the steps of one drag for ``QUndoCommand.mergeWith``; None when
    together they change nothing. The text is the first's."""

    def changes(a: tuple, b: tuple) -> tuple:
        out = {uid: [before, after] for uid, before, after in a}
        for uid, before, after in b:
            if uid in out:
                out[uid][1] = after
            else:
                out[uid] = [before, after]
        return tuple((uid, b4, af) for uid, (b4, af) in out.items() if b4 is not af)

    def pair(a: tuple | None, b: tuple | None) -> tuple | None:
        if a is None or b is None:
            return a or b
        return None if a[0] == b[1] else (a[0], b[1])

    edit = Edit(
        text=first.text,
        sections=changes(first.sections, second.sections),
        areas=changes(first.areas, second.areas),
        decorations=changes(first.decorations, second.decorations),
        section_order=pair(first.section_order, second.section_order),
        area_order=pair(first.area_order, second.area_order),
        decoration_order=pair(first.decoration_order, second.decoration_order),
        categories=pair(first.categories, second.categories),
        properties=pair(first.properties, second.properties),
        same_seats=first.same_seats and second.same_seats,
        selection=second.selection or first.selection,
    )
    if not (
        edit.sections
        or edit.areas
        or edit.decorations
        or edit.section_order
        or edit.area_order
        or edit.decoration_order
        or edit.categories
        or edit.properties
    ):
        return None
    return edit


def _swap(doc: SeatMapDocument, edit: Edit, *, forward: bool) -> None:
    pick = 2 if forward else 1
    for change in edit.sections:
        uid, new = change[0], change[pick]
        if new is None:
            if uid in doc.sections:
                doc.remove_section(uid)
        elif edit.same_seats:
            doc.sections[uid] = new  # the seat index stays right
        else:
            doc.put_section(new)
    for changes, parts in ((edit.areas, doc.areas), (edit.decorations, doc.decorations)):
        for change in changes:
            uid, new = change[0], change[pick]
            if new is None:
                parts.pop(uid, None)
            else:
                parts[uid] = new  # type: ignore[assignment]
    for order, parts in (
        (edit.section_order, doc.sections),
        (edit.area_order, doc.areas),
        (edit.decoration_order, doc.decorations),
    ):
        if order is not None:
            wanted = order[pick - 1]
            if tuple(parts) != wanted:
                items = dict(parts)
                parts.clear()
                parts.update((uid, items.pop(uid)) for uid in wanted if uid in items)
                parts.update(items)  # only if edits were applied out of order
    if edit.categories is not None:
        doc.categories = edit.categories[pick - 1]
    if edit.properties is not None:
        p = edit.properties[pick - 1]
        doc.name, doc.stage_x, doc.stage_y = p.name, p.stage_x, p.stage_y
        doc.width, doc.height = p.width, p.height
    doc.revision += 1


class _Builder:
    """Collects what an edit changes, from the document as it is."""

    def __init__(self, doc: SeatMapDocument) -> None:
        self.doc = doc
        self.sections: dict[int, tuple[Section | None, Section | None]] = {}
        self.areas: dict[int, tuple[Area | None, Area | None]] = {}
        self.decorations: dict[int, tuple[Decoration | None, Decoration | None]] = {}
        self.categories: tuple[Category, ...] = doc.categories
        self.properties = MapProperties.of(doc)
        self.same_seats = True
        self.order_changed = False

    def section(self, uid: int, after: Section | None) -> None:
        before = self.sections[uid][0] if uid in self.sections else self.doc.sections.get(uid)
        if after is before:
            return
        if after is None or before is None:
            self.same_seats = False
            self.order_changed = True
        self.sections[uid] = (before, after)

    def area(self, uid: int, after: Area | None) -> None:
        before = self.areas[uid][0] if uid in self.areas else self.doc.areas.get(uid)
        if after != before:
            self.areas[uid] = (before, after)

    def decoration(self, uid: int, after: Decoration | None) -> None:
        before = (
            self.decorations[uid][0] if uid in self.decorations else self.doc.decorations.get(uid)
        )
        if after != before:
            self.decorations[uid] = (before, after)

    def need_categories(self, names: Iterable[str]) -> None:
        """List the categories seats are given that the map does not list yet, each
        with the next palette colour."""
        for name in dict.fromkeys(names):
            if all(c.name != name for c in self.categories):
                colour = _next_colour(self.categories)
                self.categories = (*self.categories, Category(name, colour))

    def build(self, text: str, selection: Selection | None = None) -> Edit | None:
        doc = self.doc
        properties = MapProperties.of(doc)
        if not (
            self.sections
            or self.areas
            or self.decorations
            or self.categories != doc.categories
            or self.properties != properties
        ):
            return None

        def order(parts: Mapping[int, object], changes: Mapping[int, tuple]) -> Order | None:
            before = tuple(parts)
            after = tuple(uid for uid in before if changes.get(uid, (None, True))[1] is not None)
            after += tuple(uid for uid, (old, new) in changes.items() if old is None and new)
            return None if after == before else (before, after)

        return Edit(
            text=text,
            sections=tuple((uid, b, a) for uid, (b, a) in self.sections.items()),
            areas=tuple((uid, b, a) for uid, (b, a) in self.areas.items()),
            decorations=tuple((uid, b, a) for uid, (b, a) in self.decorations.items()),
            section_order=order(doc.sections, self.sections),
            area_order=order(doc.areas, self.areas),
            decoration_order=order(doc.decorations, self.decorations),
            categories=(
                None if self.categories == doc.categories else (doc.categories, self.categories)
            ),
            properties=None if self.properties == properties else (properties, self.properties),
            same_seats=self.same_seats,
            selection=selection,
        )


def _next_colour(categories: tuple[Category, ...]) -> str:
    return SeatMapDocument(categories=categories).next_category_colour()


def _map_seats(section: Section, uids: set[int] | None, change: Callable[[Seat], Seat]) -> Section:
    """The section with ``change`` applied to the seats of ``uids`` (None: all); the
    same object when no seat changed. Unchanged rows stay the same objects."""
    rows = []
    changed = False
    for row in section.rows:
        if uids is None:
            seats = tuple(change(s) for s in row.seats)
        else:
            seats = tuple(change(s) if s.uid in uids else s for s in row.seats)
        if seats != row.seats:
            changed = True
            rows.append(Row(row.uid, row.label, seats))
        else:
            rows.append(row)
    if not changed:
        return section
    return _same_structure(section, replace(section, rows=tuple(rows)))


def _same_structure(old: Section, new: Section) -> Section:
    """Hand the cached seat locations on to a section with the same rows and seats."""
    if "locations" in old.__dict__:
        new.__dict__["locations"] = old.__dict__["locations"]
        new.__dict__["seat_count"] = old.seat_count
    return new


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


# -- adding and deleting -----------------------------------------------------------------


def add_section(doc: SeatMapDocument, section: Section) -> Edit | None:
    """Add a section (from ``generate.generate_section(spec, doc.new_uid)``); its seats'
    categories are listed with palette colours if they are new. A name the map has
    already becomes unique ("Stalls 2")."""
    name = doc.unique_section_name(section.name)
    if name != section.name:
        section = replace(section, name=name)
    b = _Builder(doc)
    b.section(section.uid, section)
    b.need_categories(s.category for s in section.seats())
    return b.build(f"Add section {section.name}", Selection.of(sections=[section.uid]))


def delete(doc: SeatMapDocument, selection: Selection) -> Edit | None:
    """Delete seats, whole sections, areas and decorations. A row left without seats
    goes, and so does a section left without rows."""
    b = _Builder(doc)
    removed = 0
    for uid, seats in selection.by_section(doc).items():
        section = doc.sections[uid]
        if seats is None:
            b.section(uid, None)
            removed += section.seat_count
            continue
        rows = []
        for row in section.rows:
            kept = tuple(s for s in row.seats if s.uid not in seats)
            if len(kept) == len(row.seats):
                rows.append(row)
            elif kept:
                rows.append(Row(row.uid, row.label, kept))
        removed += len(seats)
        b.section(uid, replace(section, rows=tuple(rows)) if rows else None)
    b.same_seats = False
    for uid in selection.areas:
        if uid in doc.areas:
            b.area(uid, None)
    for uid in selection.decorations:
        if uid in doc.decorations:
            b.decoration(uid, None)
    parts = [_plural(removed, "seat")] if removed else []
    if b.areas:
        parts.append(_plural(len(b.areas), "area"))
    if b.decorations:
        parts.append(_plural(len(b.decorations), "shape"))
    return b.build("Delete " + ", ".join(parts))


# -- geometry ------------------------------------------------------------------------------


def selection_bounds(
    doc: SeatMapDocument, selection: Selection
) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) of the selected seats, the outlines of whole sections,
    areas and decorations; None when nothing selected exists."""
    points: list[Point] = []
    for uid, seats in selection.by_section(doc).items():
        section = doc.sections[uid]
        if seats is None:
            points.extend((s.x, s.y) for s in section.seats())
            points.extend(section.outline or ())
        else:
            points.extend((s.x, s.y) for s in section.seats() if s.uid in seats)
    for uid in selection.areas:
        if uid in doc.areas:
            points.extend(doc.areas[uid].points)
    for uid in selection.decorations:
        if uid in doc.decorations:
            points.extend(doc.decorations[uid].points)
    return bbox_of(points) if points else None


def _transform(
    doc: SeatMapDocument,
    selection: Selection,
    text: str,
    point: Callable[[float, float], Point],
    decoration: Callable[[Decoration], Decoration] | None = None,
) -> Edit | None:
    """Every selected point through ``point``; decorations through ``decoration``
    (default: their points through ``point``)."""

    def seat(s: Seat) -> Seat:
        x, y = point(s.x, s.y)
        return Seat(s.uid, s.label, x, y, s.category, s.flags, s.key)

    def points(ps: tuple[Point, ...]) -> tuple[Point, ...]:
        return tuple(point(x, y) for x, y in ps)

    b = _Builder(doc)
    for uid, seats in selection.by_section(doc).items():
        section = doc.sections[uid]
        moved = _map_seats(section, seats, seat)
        if seats is None and section.outline is not None:
            moved = _same_structure(section, replace(moved, outline=points(section.outline)))
        b.section(uid, moved)
    for uid in selection.areas:
        area = doc.areas.get(uid)
        if area is not None:
            b.area(uid, replace(area, points=points(area.points)))
    for uid in selection.decorations:
        d = doc.decorations.get(uid)
        if d is not None:
            b.decoration(uid, decoration(d) if decoration else replace(d, points=points(d.points)))
    return b.build(text)


def snap(value: float, grid: float) -> float:
    """``value`` rounded to the nearest multiple of ``grid`` (unchanged when grid <= 0)."""
    return round(value / grid) * grid if grid > 0 else value


def snap_point(point: Point, grid: float) -> Point:
    return (snap(point[0], grid), snap(point[1], grid))


def move(
    doc: SeatMapDocument,
    selection: Selection,
    dx: float,
    dy: float,
    *,
    grid: float | None = None,
) -> Edit | None:
    """Move the selection by (dx, dy). With ``grid``, the move is adjusted so that the
    selection's top-left corner lands on the grid."""
    if grid:
        bounds = selection_bounds(doc, selection)
        if bounds is None:
            return None
        left, top = bounds[0], bounds[1]
        dx = snap(left + dx, grid) - left
        dy = snap(top + dy, grid) - top
    if dx == 0 and dy == 0:
        return None
    return _transform(doc, selection, "Move", lambda x, y: (x + dx, y + dy))


def snap_to_grid(doc: SeatMapDocument, selection: Selection, grid: float) -> Edit | None:
    """Move the selection (as a whole) so that its top-left corner is on the grid."""
    return move(doc, selection, 0, 0, grid=grid)


def _centre(doc: SeatMapDocument, selection: Selection) -> Point | None:
    bounds = selection_bounds(doc, selection)
    if bounds is None:
        return None
    left, top, right, bottom = bounds
    return ((left + right) / 2, (top + bottom) / 2)


def rotate(
    doc: SeatMapDocument, selection: Selection, degrees: float, centre: Point | None = None
) -> Edit | None:
    """Turn the selection by ``degrees`` (clockwise on screen, as y grows downwards)
    about ``centre`` (default: the middle of the selection's bounds)."""
    if degrees % 360 == 0:
        return None
    centre = centre or _centre(doc, selection)
    if centre is None:
        return None
    cx, cy = centre
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)

    def turn(x: float, y: float) -> Point:
        x, y = x - cx, y - cy
        return (cx + x * cos - y * sin, cy + x * sin + y * cos)

    def turn_decoration(d: Decoration) -> Decoration:
        # A decoration is drawn turned by its rotation about the middle of its points'
        # box. Outlines without a rotation turn point by point; the others (labels,
        # ellipses, turned shapes) move their middle and add the angle, which is exact.
        if d.kind in POINT_SHAPES and not d.rotation:
            return replace(d, points=tuple(turn(x, y) for x, y in d.points))
        left, top, right, bottom = bbox_of(d.points)
        mx, my = (left + right) / 2, (top + bottom) / 2
        nx, ny = turn(mx, my)
        return replace(
            d,
            points=tuple((x + nx - mx, y + ny - my) for x, y in d.points),
            rotation=(d.rotation + degrees) % 360,
        )

    return _transform(doc, selection, f"Rotate {degrees:g}°", turn, turn_decoration)


def mirror(doc: SeatMapDocument, selection: Selection, axis: str = HORIZONTAL) -> Edit | None:
    """Mirror the selection about its middle: ``HORIZONTAL`` swaps left and right,
    ``VERTICAL`` top and bottom. Labels stay (a mirrored row counts the other way)."""
    centre = _centre(doc, selection)
    if centre is None:
        return None
    cx, cy = centre
    if axis == HORIZONTAL:
        flip: Callable[[float, float], Point] = lambda x, y: (2 * cx - x, y)  # noqa: E731
    elif axis == VERTICAL:
        flip = lambda x, y: (x, 2 * cy - y)  # noqa: E731
    else:
        raise ValueError(f"unknown axis {axis!r}")

    def flip_decoration(d: Decoration) -> Decoration:
        # mirrored, a shape turned by r about its middle is the mirrored shape turned by -r
        return replace(d, points=tuple(flip(x, y) for x, y in d.points), rotation=-d.rotation % 360)

    return _transform(doc, selection, "Mirror", flip, flip_decoration)


def duplicate(
    doc: SeatMapDocument, selection: Selection, offset: Point = (20.0, 20.0)
) -> Edit | None:
    """Copies of the selection, ``offset`` away, with new uids. Each section with
    selected seats becomes a new section of those seats, named uniquely ("Stalls 2");
    copied seats lose their keys (the server's default key follows the new name).
    Areas get unique names too. The edit's selection is the copies."""
    dx, dy = offset
    b = _Builder(doc)
    section_names = {s.name for s in doc.sections.values()}
    area_names = {a.name for a in doc.areas.values()}
    new = Selection()
    for uid, seats in selection.by_section(doc).items():
        section = doc.sections[uid]
        rows = []
        for row in section.rows:
            copied = tuple(
                Seat(doc.new_uid(), s.label, s.x + dx, s.y + dy, s.category, s.flags)
                for s in row.seats
                if seats is None or s.uid in seats
            )
            if copied:
                rows.append(Row(doc.new_uid(), row.label, copied))
        name = unique_name(section.name, section_names)
        section_names.add(name)
        copy = Section(doc.new_uid(), name, tuple(rows), section.rank, None)
        if section.outline is not None:
            if seats is None:
                outline = tuple((x + dx, y + dy) for x, y in section.outline)
            else:
                outline = outline_for_section(copy)
            copy = replace(copy, outline=outline)
        b.section(copy.uid, copy)
        new = new | Selection.of(sections=[copy.uid])
    for uid in [u for u in doc.areas if u in selection.areas]:
        area = doc.areas[uid]
        name = unique_name(area.name, area_names)
        area_names.add(name)
        copy_area = Area(
            doc.new_uid(), name, area.capacity, tuple((x + dx, y + dy) for x, y in area.points)
        )
        b.area(copy_area.uid, copy_area)
        new = new | Selection.of(areas=[copy_area.uid])
    for uid in [u for u in doc.decorations if u in selection.decorations]:
        d = doc.decorations[uid]
        copy_d = replace(d, uid=doc.new_uid(), points=tuple((x + dx, y + dy) for x, y in d.points))
        b.decoration(copy_d.uid, copy_d)
        new = new | Selection.of(decorations=[copy_d.uid])
    return b.build("Duplicate", new)


# -- seats' values -------------------------------------------------------------------------


def _map_selected(
    doc: SeatMapDocument, selection: Selection, change: Callable[[Seat], Seat]
) -> _Builder:
    b = _Builder(doc)
    for uid, seats in selection.by_section(doc).items():
        b.section(uid, _map_seats(doc.sections[uid], seats, change))
    return b


def paint(doc: SeatMapDocument, selection: Selection, category: str) -> Edit | None:
    """Give the selected seats ``category`` (listed with a palette colour if new)."""

    def change(s: Seat) -> Seat:
        if s.category == category:
            return s
        return Seat(s.uid, s.label, s.x, s.y, category, s.flags, s.key)

    b = _map_selected(doc, selection, change)
    if not b.sections:
        return None
    b.need_categories([category])
    count = len(selection.seat_uids(doc))
    return b.build(f"Paint {_plural(count, 'seat')} {category}")


def set_flags(
    doc: SeatMapDocument, selection: Selection, flags: int, on: bool = True
) -> Edit | None:
    """Set (``on``) or clear the ``flags`` bits (ACCESSIBLE, COMPANION, OBSTRUCTED,
    AISLE of ``enturf_core.seating.layout``) on the selected seats."""

    def change(s: Seat) -> Seat:
        value = (s.flags | flags) if on else (s.flags & ~flags)
        if value == s.flags:
            return s
        return Seat(s.uid, s.label, s.x, s.y, s.category, value, s.key)

    b = _map_selected(doc, selection, change)
    return b.build("Set flags" if on else "Clear flags")


def clear_flags(doc: SeatMapDocument, selection: Selection, flags: int) -> Edit | None:
    return set_flags(doc, selection, flags, on=False)


def renumber(
    doc: SeatMapDocument,
    selection: Selection,
    scheme: SeatScheme | None = None,
    along: str = ALONG_CURVE,
) -> Edit | None:
    """Number the selected seats of each row by ``scheme``, in the row's order as drawn
    from the left (``ALONG_CURVE``: along its curve; ``ALONG_X``: by x); seats not
    selected keep their labels."""
    scheme = scheme or SeatScheme()
    b = _Builder(doc)
    for uid, seats in selection.by_section(doc).items():
        section = doc.sections[uid]
        labels: dict[int, str] = {}
        for row in section.rows:
            ordered = order_along_row(row.seats, seats, along)
            labels.update(
                zip((s.uid for s in ordered), seat_labels(len(ordered), scheme), strict=True)
            )

        def change(s: Seat, labels: dict[int, str] = labels) -> Seat:
            label = labels.get(s.uid, s.label)
            if label == s.label:
                return s
            return Seat(s.uid, label, s.x, s.y, s.category, s.flags, s.key)

        b.section(uid, _map_seats(section, seats, change))
    return b.build("Renumber seats")


def relabel_rows(
    doc: SeatMapDocument, selection: Selection, scheme: RowScheme | None = None
) -> Edit | None:
    """Label the rows that hold selected seats (all rows of whole sections) by
    ``scheme``, front row (the section's first) first, section by section."""
    scheme = scheme or RowScheme()
    b = _Builder(doc)
    for uid, seats in selection.by_section(doc).items():
        section = doc.sections[uid]
        picked = [
            i
            for i, row in enumerate(section.rows)
            if seats is None or any(s.uid in seats for s in row.seats)
        ]
        labels = dict(zip(picked, row_labels(len(picked), scheme), strict=True))
        rows = tuple(
            Row(row.uid, labels[i], row.seats) if i in labels and labels[i] != row.label else row
            for i, row in enumerate(section.rows)
        )
        if any(a is not r for a, r in zip(rows, section.rows, strict=True)):
            b.section(uid, _same_structure(section, replace(section, rows=rows)))
    return b.build("Label rows")


# -- sections and rows ---------------------------------------------------------------------


def rename_section(doc: SeatMapDocument, uid: int, name: str) -> Edit | None:
    section = doc.sections[uid]
    if section.name == name:
        return None
    b = _Builder(doc)
    b.section(uid, _same_structure(section, replace(section, name=name)))
    return b.build(f"Rename section {section.name} to {name}")


def set_section_rank(doc: SeatMapDocument, uid: int, rank: int | None) -> Edit | None:
    section = doc.sections[uid]
    if section.rank == rank:
        return None
    b = _Builder(doc)
    b.section(uid, _same_structure(section, replace(section, rank=rank)))
    return b.build(f"Rank {section.name}")


def rename_row(doc: SeatMapDocument, row_uid: int, label: str) -> Edit | None:
    section = doc.section_of_row(row_uid)
    rows = tuple(
        Row(r.uid, label, r.seats) if r.uid == row_uid and r.label != label else r
        for r in section.rows
    )
    if all(a is r for a, r in zip(rows, section.rows, strict=True)):
        return None
    b = _Builder(doc)
    b.section(section.uid, _same_structure(section, replace(section, rows=rows)))
    return b.build(f"Rename row to {label}")


def set_outline(doc: SeatMapDocument, uid: int, outline: Iterable[Point] | None) -> Edit | None:
    """Set a section's outline (None: drawn round its seats by whoever draws it)."""
    section = doc.sections[uid]
    points = None if outline is None else tuple((float(x), float(y)) for x, y in outline)
    if points == section.outline:
        return None
    b = _Builder(doc)
    b.section(uid, _same_structure(section, replace(section, outline=points)))
    return b.build(f"Outline {section.name}")


def redraw_outlines(doc: SeatMapDocument, section_uids: Iterable[int]) -> Edit | None:
    """Draw the sections' outlines round their seats as they are now."""
    b = _Builder(doc)
    for uid in section_uids:
        section = doc.sections[uid]
        outline = outline_for_section(section)
        if outline != section.outline:
            b.section(uid, _same_structure(section, replace(section, outline=outline)))
    return b.build("Redraw outlines")


# -- areas and decorations -----------------------------------------------------------------


def _shape(points: Iterable[Point], minimum: int, what: str) -> tuple[Point, ...]:
    shape = tuple((float(x), float(y)) for x, y in points)
    if not minimum <= len(shape) <= MAX_POINTS:
        raise ValueError(f"{what} needs {minimum} to {MAX_POINTS:,} points, not {len(shape)}")
    return shape


def _capacity(capacity: int) -> int:
    if int(capacity) < 0:
        raise ValueError("a capacity cannot be negative")
    return int(capacity)


def add_area(
    doc: SeatMapDocument, name: str, capacity: int, points: Iterable[Point]
) -> Edit | None:
    """A standing area: a polygon, or a rectangle as its 4 corners
    (``Area.rectangle_points(x, y, width, height)``). A name the map has already
    becomes unique ("Floor 2"). ValueError for fewer than 3 points or a negative
    capacity (0 is allowed while drawing; the checks report it)."""
    name = doc.unique_area_name(name)
    area = Area(doc.new_uid(), name, _capacity(capacity), _shape(points, 3, "an area"))
    b = _Builder(doc)
    b.area(area.uid, area)
    return b.build(f"Add area {name}", Selection.of(areas=[area.uid]))


def edit_area(
    doc: SeatMapDocument,
    uid: int,
    *,
    name: str | None = None,
    capacity: int | None = None,
    points: Iterable[Point] | None = None,
) -> Edit | None:
    area = doc.areas[uid]
    changed = replace(
        area,
        name=area.name if name is None else name,
        capacity=area.capacity if capacity is None else _capacity(capacity),
        points=area.points if points is None else _shape(points, 3, "an area"),
    )
    b = _Builder(doc)
    b.area(uid, changed)
    return b.build(f"Edit area {changed.name}")


def add_decoration(
    doc: SeatMapDocument,
    kind: str,
    points: Iterable[Point],
    text: str = "",
    rotation: float = 0.0,
) -> Edit | None:
    if kind not in DECORATION_KINDS:
        raise ValueError(f"unknown decoration kind {kind!r}")
    decoration = Decoration(
        doc.new_uid(), kind, _shape(points, 1, "a shape"), text, float(rotation)
    )
    b = _Builder(doc)
    b.decoration(decoration.uid, decoration)
    return b.build(f"Add {kind}", Selection.of(decorations=[decoration.uid]))


def edit_decoration(
    doc: SeatMapDocument,
    uid: int,
    *,
    kind: str | None = None,
    points: Iterable[Point] | None = None,
    text: str | None = None,
    rotation: float | None = None,
) -> Edit | None:
    d = doc.decorations[uid]
    if kind is not None and kind not in DECORATION_KINDS:
        raise ValueError(f"unknown decoration kind {kind!r}")
    changed = replace(
        d,
        kind=d.kind if kind is None else kind,
        points=d.points if points is None else _shape(points, 1, "a shape"),
        text=d.text if text is None else text,
        rotation=d.rotation if rotation is None else float(rotation),
    )
    b = _Builder(doc)
    b.decoration(uid, changed)
    return b.build(f"Edit {changed.kind}")


# -- the map -------------------------------------------------------------------------------


def set_stage(doc: SeatMapDocument, x: float, y: float) -> Edit | None:
    """The stage point: best seats are measured from it."""
    b = _Builder(doc)
    b.properties = replace(b.properties, stage_x=float(x), stage_y=float(y))
    return b.build("Move the stage point")


_UNSET = object()


def set_properties(
    doc: SeatMapDocument,
    *,
    name: str | None = None,
    width: float | object | None = _UNSET,
    height: float | object | None = _UNSET,
) -> Edit | None:
    """The map's name, width and height (None: fitted by the server)."""
    b = _Builder(doc)
    p = b.properties
    b.properties = replace(
        p,
        name=p.name if name is None else name,
        width=p.width if width is _UNSET else width,  # type: ignore[arg-type]
        height=p.height if height is _UNSET else height,  # type: ignore[arg-type]
    )
    return b.build("Map properties")


def set_category(doc: SeatMapDocument, name: str, colour: str | None = None) -> Edit | None:
    """List a category, or change its colour (None: the next palette colour for a new
    one, unchanged for a listed one)."""
    b = _Builder(doc)
    listed = doc.category(name)
    if listed is None:
        b.categories = (*doc.categories, Category(name, colour or doc.next_category_colour()))
    elif colour is not None and colour != listed.colour:
        b.categories = tuple(
            Category(name, colour) if c.name == name else c for c in doc.categories
        )
    return b.build(f"Category {name}")


def remove_category(doc: SeatMapDocument, name: str) -> Edit | None:
    """Take a category off the list (its seats keep it, drawn in a default colour)."""
    b = _Builder(doc)
    b.categories = tuple(c for c in doc.categories if c.name != name)
    return b.build(f"Remove category {name}")
