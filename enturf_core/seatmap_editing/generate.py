"""The section generator: rows x seats, straight, curved or fan-shaped.

Unrotated, the stage is up (towards smaller y, as y grows downwards on the map): the
front row comes first, the rows go back towards larger y, and seats run left to right
(larger x). ``origin`` is the middle of the front row; ``rotation`` (degrees, clockwise
on screen) turns the whole section about it.

* ``STRAIGHT``: straight rows, ``seat_spacing`` apart along the row, ``row_spacing``
  between rows.
* ``CURVED``: rows are arcs concentric around one centre in front of the section
  (towards the stage), each row ``row_spacing`` further out; seats keep ``seat_spacing``
  along the arc, so a row's ends come forward. Give the front row's ``radius``, or the
  ``arc_angle`` its seats span from the first to the last (the radius follows from the
  front row's seat count; 360: a ring, the last seat a pitch before the first). A
  section with a row that goes all the way round gets no outline.
* ``FAN``: concentric arcs that all span the same opening angle, so rows further back
  hold more seats (as many as fit at ``seat_spacing``), spread at a constant angular
  pitch within the row. Give ``radius`` and ``arc_angle`` (the opening), or one of them
  and the front row's seat count (``seats_per_row``). An opening of 360 is a ring of
  rings (an arena round a centre stage).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from enturf_core.seatmap_editing.document import (
    DEFAULT_CATEGORY,
    Point,
    Row,
    Seat,
    Section,
    UidSource,
)
from enturf_core.seatmap_editing.numbering import RowScheme, SeatScheme, row_labels, seat_labels

__all__ = [
    "CURVED",
    "FAN",
    "MAX_OUTLINE_POINTS",
    "SHAPES",
    "STRAIGHT",
    "SectionSpec",
    "generate_section",
    "outline_around_rows",
    "outline_for_section",
    "seat_positions",
]

STRAIGHT = "straight"
CURVED = "curved"
FAN = "fan"
SHAPES = (STRAIGHT, CURVED, FAN)
MAX_OUTLINE_POINTS = 1000  # the file format's limit for an outline
OUTLINE_MARGIN = 0.6  # the outline's distance from the rim seats, in pitches


@dataclass(frozen=True)
class SectionSpec:
    name: str = "Section"
    rows: int = 10
    seats_per_row: int | Sequence[int] = 20  # one count for all rows, or one per row
    seat_spacing: float = 10.0
    row_spacing: float = 12.0
    origin: Point = (0.0, 0.0)  # the middle of the front row
    rotation: float = 0.0  # degrees, clockwise on screen, about the origin
    shape: str = STRAIGHT
    radius: float | None = None  # CURVED / FAN: the front row's radius
    arc_angle: float | None = None  # CURVED: the front row's span; FAN: the opening (degrees)
    category: str = DEFAULT_CATEGORY
    row_scheme: RowScheme = field(default_factory=RowScheme)
    seat_scheme: SeatScheme = field(default_factory=SeatScheme)
    rank: int | None = None
    outline: bool = True  # draw the outline round the seats

    def row_counts(self) -> list[int]:
        if isinstance(self.seats_per_row, int):
            return [self.seats_per_row] * self.rows
        counts = list(self.seats_per_row)
        if len(counts) != self.rows:
            raise ValueError(f"{len(counts)} seat counts given for {self.rows} rows")
        return counts


def _check(spec: SectionSpec) -> None:
    if spec.rows < 1:
        raise ValueError("a section needs at least one row")
    if spec.seat_spacing <= 0 or spec.row_spacing <= 0:
        raise ValueError("seat and row spacing must be more than 0")
    if spec.shape not in SHAPES:
        raise ValueError(f"unknown shape {spec.shape!r}")
    if spec.shape != STRAIGHT and spec.radius is None and spec.arc_angle is None:
        raise ValueError("a curved or fan section needs a radius or an arc angle")
    if spec.radius is not None and spec.radius <= 0:
        raise ValueError("the radius must be more than 0")
    if spec.arc_angle is not None and not 0 < spec.arc_angle <= 360:
        raise ValueError("the arc angle must be more than 0 and at most 360 degrees")


def _front_radius(spec: SectionSpec, front_count: int) -> float:
    if spec.radius is not None:
        return spec.radius
    if (spec.arc_angle or 0) >= 360:  # a ring: the last seat one pitch before the first
        return max(spec.seat_spacing, front_count * spec.seat_spacing / (2 * math.pi))
    angle = math.radians(spec.arc_angle or 0)
    return max(spec.seat_spacing, (front_count - 1) * spec.seat_spacing / angle)


def seat_positions(spec: SectionSpec) -> list[list[Point]]:
    """Each row's seat centres, front row first, seats from the left, rotated."""
    _check(spec)
    step, gap = spec.seat_spacing, spec.row_spacing
    rows: list[list[Point]] = []
    if spec.shape == STRAIGHT:
        for r, n in enumerate(spec.row_counts()):
            rows.append([((i - (n - 1) / 2) * step, r * gap) for i in range(n)])
    else:
        counts = spec.row_counts()
        radius0 = _front_radius(spec, counts[0])
        ring = spec.shape == FAN and (spec.arc_angle or 0) >= 360
        if spec.shape == FAN:
            if spec.arc_angle is not None:
                opening = math.radians(spec.arc_angle)
            else:
                opening = (counts[0] - 1) * step / radius0
        for r in range(spec.rows):
            radius = radius0 + r * gap
            if spec.shape == CURVED:
                n = counts[r]
                pitch = step / radius  # the same arc length between seats in every row
            elif ring:
                n = max(1, math.floor(2 * math.pi * radius / step + 1e-9))
                pitch = 2 * math.pi / n
            else:
                n = max(1, math.floor(opening * radius / step + 1e-9) + 1)
                pitch = opening / (n - 1) if n > 1 else 0.0
            # the centre of the circles lies radius0 in front of the origin
            rows.append(
                [
                    (
                        radius * math.sin(a),
                        radius * math.cos(a) - radius0,
                    )
                    for a in ((i - (n - 1) / 2) * pitch for i in range(n))
                ]
            )
    if spec.rotation:
        turn = math.radians(spec.rotation)
        cos, sin = math.cos(turn), math.sin(turn)
        rows = [[(x * cos - y * sin, x * sin + y * cos) for x, y in row] for row in rows]
    ox, oy = spec.origin
    return [[(ox + x, oy + y) for x, y in row] for row in rows]


def generate_section(spec: SectionSpec, new_uid: UidSource) -> Section:
    """A new section (fresh uids from ``new_uid``), numbered by the spec's schemes, with
    its outline drawn round the seats when ``spec.outline``."""
    positions = seat_positions(spec)
    labels = row_labels(len(positions), spec.row_scheme)
    rows = []
    category = spec.category
    for label, points in zip(labels, positions, strict=True):
        numbers = seat_labels(len(points), spec.seat_scheme)
        seats = tuple(
            Seat(new_uid(), number, x, y, category)
            for number, (x, y) in zip(numbers, points, strict=True)
        )
        rows.append(Row(new_uid(), label, seats))
    turn = math.radians(spec.rotation)
    back = (-math.sin(turn), math.cos(turn))
    outline = (
        outline_around_rows(positions, spec.seat_spacing, spec.row_spacing, back)
        if spec.outline and not _wraps_round(spec)
        else None
    )
    return Section(new_uid(), spec.name, tuple(rows), spec.rank, outline)


def _wraps_round(spec: SectionSpec) -> bool:
    """Some row goes all the way round its centre: a ring is not one simple polygon,
    so such a section gets no outline (its plate is drawn round its seats)."""
    if spec.shape == STRAIGHT:
        return False
    if spec.shape == FAN:
        return (spec.arc_angle or 0) >= 360
    counts = spec.row_counts()
    radius0 = _front_radius(spec, counts[0])
    return any(
        n * spec.seat_spacing / (radius0 + r * spec.row_spacing) >= 2 * math.pi - 1e-9
        for r, n in enumerate(counts)
    )


def _unit(dx: float, dy: float, fallback: Point) -> Point:
    length = math.hypot(dx, dy)
    return (dx / length, dy / length) if length > 1e-12 else fallback


def outline_around_rows(
    rows: Sequence[Sequence[Point]], seat_pitch: float, row_pitch: float, back: Point
) -> tuple[Point, ...]:
    """A polygon round rows of seat centres (front row first, each row in order along
    it): the front row pushed forward, the row ends pushed outward along the row, the
    back row pushed back, each by ``OUTLINE_MARGIN`` pitches. Follows curved rows and
    fans. ``back`` is the unit direction from the front towards the back rows."""
    rows = [row for row in rows if row]
    if not rows:
        return ()
    along_margin = seat_pitch * OUTLINE_MARGIN
    across_margin = row_pitch * OUTLINE_MARGIN
    bx, by = back
    side = (by, -bx)  # along the rows, from left to right (unrotated: +x)

    def normals(row: Sequence[Point]) -> list[Point]:
        """Per seat, the unit normal of the row pointing backwards: the tangent turned
        the same way all along the row (the way that points back at its middle), so a
        row curving through more than a half circle keeps its side."""
        tangents = []
        for i in range(len(row)):
            a, b = row[max(0, i - 1)], row[min(len(row) - 1, i + 1)]
            tangents.append(_unit(b[0] - a[0], b[1] - a[1], side))
        tx, ty = tangents[len(row) // 2]
        turn = 1.0 if -ty * bx + tx * by >= 0 else -1.0
        return [(-ty * turn, tx * turn) for tx, ty in tangents]

    def end(row: Sequence[Point], last: bool) -> tuple[Point, Point]:
        """The end seat and the unit direction outward along the row there."""
        p = row[-1] if last else row[0]
        outward = side if last else (-side[0], -side[1])
        if len(row) == 1:
            return p, outward
        q = row[-2] if last else row[1]
        return p, _unit(p[0] - q[0], p[1] - q[1], outward)

    polygon: list[Point] = []
    front, back_row = rows[0], rows[-1]
    front_normals = normals(front)
    # front edge, left to right
    for (x, y), (nx, ny) in zip(front, front_normals, strict=True):
        polygon.append((x - nx * across_margin, y - ny * across_margin))
    # right ends, front to back
    for index, row in enumerate(rows):
        (x, y), (ux, uy) = end(row, last=True)
        ns = normals(row)[-1]
        if index == 0:
            polygon.append(
                (
                    x + ux * along_margin - ns[0] * across_margin,
                    y + uy * along_margin - ns[1] * across_margin,
                )
            )
        polygon.append((x + ux * along_margin, y + uy * along_margin))
        if index == len(rows) - 1:
            polygon.append(
                (
                    x + ux * along_margin + ns[0] * across_margin,
                    y + uy * along_margin + ns[1] * across_margin,
                )
            )
    # back edge, right to left
    back_normals = normals(back_row)
    for (x, y), (nx, ny) in zip(reversed(back_row), reversed(back_normals), strict=True):
        polygon.append((x + nx * across_margin, y + ny * across_margin))
    # left ends, back to front
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        (x, y), (ux, uy) = end(row, last=False)
        ns = normals(row)[0]
        if index == len(rows) - 1:
            polygon.append(
                (
                    x + ux * along_margin + ns[0] * across_margin,
                    y + uy * along_margin + ns[1] * across_margin,
                )
            )
        polygon.append((x + ux * along_margin, y + uy * along_margin))
        if index == 0:
            polygon.append(
                (
                    x + ux * along_margin - ns[0] * across_margin,
                    y + uy * along_margin - ns[1] * across_margin,
                )
            )
    if len(polygon) > MAX_OUTLINE_POINTS:
        keep = math.ceil(len(polygon) / MAX_OUTLINE_POINTS)
        polygon = polygon[::keep]
    return tuple((round(x, 3), round(y, 3)) for x, y in polygon)


def outline_for_section(section: Section) -> tuple[Point, ...] | None:
    """An outline drawn round a section's seats as they are now (after edits): the row
    order and the pitches are taken from the seats."""
    rows = [[(s.x, s.y) for s in row.seats] for row in section.rows if row.seats]
    if not rows:
        return None
    seat_pitch = _median_gap(rows) or 10.0
    if len(rows) > 1:
        (fx, fy), (bx, by) = _centroid(rows[0]), _centroid(rows[-1])
        row_pitch = math.hypot(bx - fx, by - fy) / (len(rows) - 1) or seat_pitch
        back = _unit(bx - fx, by - fy, (0.0, 1.0))
    else:
        row_pitch = seat_pitch
        row = rows[0]
        tx, ty = _unit(row[-1][0] - row[0][0], row[-1][1] - row[0][1], (1.0, 0.0))
        back = (-ty, tx) if tx >= 0 else (ty, -tx)
    return outline_around_rows(rows, seat_pitch, row_pitch, back)


def _centroid(points: Sequence[Point]) -> Point:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _median_gap(rows: Sequence[Sequence[Point]]) -> float:
    gaps = sorted(
        math.hypot(row[i][0] - row[i - 1][0], row[i][1] - row[i - 1][1])
        for row in rows[:: max(1, len(rows) // 50)]
        for i in range(1, min(len(row), 20))
    )
    gaps = [g for g in gaps if g > 0]
    return gaps[len(gaps) // 2] if gaps else 0.0
