"""Problems to show on the map before saving a seat-map document.

Errors are what the server would refuse (duplicate labels, names and keys, an area
without a capacity, a map without seats or areas); warnings are likely mistakes it
would take (overlapping seats, seats outside their section's outline, a listed category
that no seat uses). Every check is linear in the seats (overlaps through a grid of
buckets half a seat pitch wide), so a 100,000-seat map is checked in a fraction of a
second.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from enturf_core.seatmap_editing.document import Point, SeatMapDocument, Section

__all__ = [
    "AREA_WITHOUT_CAPACITY",
    "DUPLICATE_AREA_NAME",
    "DUPLICATE_ROW_LABEL",
    "DUPLICATE_SEAT_KEY",
    "DUPLICATE_SEAT_LABEL",
    "DUPLICATE_SECTION_NAME",
    "EMPTY_CATEGORY",
    "EMPTY_MAP",
    "ERROR",
    "OVERLAPPING_SEATS",
    "SEAT_OUTSIDE_SECTION",
    "WARNING",
    "Problem",
    "check_document",
    "seat_pitch",
    "seat_uids_of",
]

ERROR = "error"
_SPAN = (1 << 32) + 15  # bucket keys ix * _SPAN + iy; not a power of 2, so they hash well
CROWDED = 32  # more seats than this in one bucket are taken as one pile, not compared
WARNING = "warning"

DUPLICATE_SEAT_LABEL = "duplicate_seat_label"
DUPLICATE_ROW_LABEL = "duplicate_row_label"
DUPLICATE_SECTION_NAME = "duplicate_section_name"
DUPLICATE_SEAT_KEY = "duplicate_seat_key"
DUPLICATE_AREA_NAME = "duplicate_area_name"
OVERLAPPING_SEATS = "overlapping_seats"
SEAT_OUTSIDE_SECTION = "seat_outside_section"
EMPTY_CATEGORY = "empty_category"
AREA_WITHOUT_CAPACITY = "area_without_capacity"
EMPTY_MAP = "empty_map"


@dataclass(frozen=True)
class Problem:
    kind: str
    severity: str  # ERROR or WARNING
    message: str
    seat_uids: tuple[int, ...] = ()
    at: Point | None = None  # where to show it on the map
    section_uid: int | None = None
    area_uid: int | None = None


def check_document(doc: SeatMapDocument, *, pitch: float | None = None) -> list[Problem]:
    """Every problem of the document: errors first, then warnings, each in map order.
    ``pitch`` is the seat pitch the overlap check uses (default: measured)."""
    problems: list[Problem] = []
    if not doc.sections and not doc.areas:
        problems.append(Problem(EMPTY_MAP, ERROR, "The map has no seats and no standing areas"))
    problems += _duplicate_names(doc)
    problems += _duplicate_labels(doc)
    problems += _duplicate_keys(doc)
    problems += _areas_without_capacity(doc)
    problems += _overlaps(doc, pitch or seat_pitch(doc))
    problems += _outside_outlines(doc)
    problems += _empty_categories(doc)
    return sorted(problems, key=lambda p: p.severity != ERROR)


def seat_pitch(doc: SeatMapDocument) -> float:
    """The typical distance between neighbouring seats of a row (median of a sample)."""
    gaps = []
    for section in doc.sections.values():
        rows = section.rows
        for row in rows[:: max(1, len(rows) // 20)]:
            seats = row.seats
            for i in range(1, min(len(seats), 12)):
                gap = math.hypot(seats[i].x - seats[i - 1].x, seats[i].y - seats[i - 1].y)
                if gap > 0:
                    gaps.append(gap)
    gaps.sort()
    return gaps[len(gaps) // 2] if gaps else 10.0


def _centre(points: Sequence[Point]) -> Point:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _section_point(section: Section) -> Point | None:
    if section.outline:
        return _centre(section.outline)
    for seat in section.seats():
        return (seat.x, seat.y)
    return None


def _duplicate_names(doc: SeatMapDocument) -> list[Problem]:
    problems = []
    names = Counter(s.name for s in doc.sections.values())
    reported: set[str] = set()
    for section in doc.sections.values():
        if names[section.name] > 1 and section.name not in reported:
            reported.add(section.name)
            problems.append(
                Problem(
                    DUPLICATE_SECTION_NAME,
                    ERROR,
                    f"{names[section.name]} sections are called '{section.name}'",
                    tuple(
                        uid
                        for s in doc.sections.values()
                        if s.name == section.name
                        for uid in s.locations
                    ),
                    _section_point(section),
                    section_uid=section.uid,
                )
            )
    areas = Counter(a.name for a in doc.areas.values())
    for area in doc.areas.values():
        if areas[area.name] > 1 and area.name not in reported:
            reported.add(area.name)
            problems.append(
                Problem(
                    DUPLICATE_AREA_NAME,
                    ERROR,
                    f"{areas[area.name]} standing areas are called '{area.name}'",
                    at=_centre(area.points),
                    area_uid=area.uid,
                )
            )
    return problems


def _duplicate_labels(doc: SeatMapDocument) -> list[Problem]:
    problems = []
    for section in doc.sections.values():
        row_labels = [row.label for row in section.rows]
        if len(set(row_labels)) != len(row_labels):
            counts = Counter(row_labels)
            for label in [label for label, n in counts.items() if n > 1]:
                rows = [row for row in section.rows if row.label == label]
                first = next((s for row in rows for s in row.seats), None)
                problems.append(
                    Problem(
                        DUPLICATE_ROW_LABEL,
                        ERROR,
                        f"Section '{section.name}' has {len(rows)} rows labelled '{label}'",
                        tuple(s.uid for row in rows for s in row.seats),
                        None if first is None else (first.x, first.y),
                        section_uid=section.uid,
                    )
                )
        for row in section.rows:
            labels = [s.label for s in row.seats]
            if len(set(labels)) == len(labels):
                continue
            counts = Counter(labels)
            for label in [label for label, n in counts.items() if n > 1]:
                seats = [s for s in row.seats if s.label == label]
                problems.append(
                    Problem(
                        DUPLICATE_SEAT_LABEL,
                        ERROR,
                        f"Section '{section.name}', row '{row.label}' has {len(seats)} seats "
                        f"numbered '{label}'",
                        tuple(s.uid for s in seats),
                        (seats[0].x, seats[0].y),
                        section_uid=section.uid,
                    )
                )
    return problems


def _duplicate_keys(doc: SeatMapDocument) -> list[Problem]:
    """Keys given in the file must be unique in the map, also against the server's
    default key "<section>/<row>/<label>" of the seats without one."""
    explicit: dict[str, list[int]] = {}
    for seat in doc.seats():
        if seat.key:
            explicit.setdefault(seat.key, []).append(seat.uid)
    if not explicit:
        return []
    for section in doc.sections.values():
        for row in section.rows:
            prefix = f"{section.name}/{row.label}/"
            for seat in row.seats:
                if not seat.key:
                    default = prefix + seat.label
                    if default in explicit:
                        explicit[default].append(seat.uid)
    problems = []
    for key, uids in explicit.items():
        if len(uids) > 1:
            seat = doc.seat(uids[0])
            problems.append(
                Problem(
                    DUPLICATE_SEAT_KEY,
                    ERROR,
                    f"{len(uids)} seats have the key '{key}'",
                    tuple(uids),
                    (seat.x, seat.y),
                    section_uid=doc.section_of_seat(uids[0]).uid,
                )
            )
    return problems


def _areas_without_capacity(doc: SeatMapDocument) -> list[Problem]:
    return [
        Problem(
            AREA_WITHOUT_CAPACITY,
            ERROR,
            f"Standing area '{area.name}' has no capacity",
            at=_centre(area.points),
            area_uid=area.uid,
        )
        for area in doc.areas.values()
        if area.capacity < 1
    ]


def _overlaps(doc: SeatMapDocument, pitch: float) -> list[Problem]:
    """Seats closer than half a pitch, grouped: one problem per cluster of seats that
    overlap each other. Buckets of half a pitch: a close pair is in the same or a
    neighbouring bucket, and each bucket holds at most a few seats."""
    limit = pitch / 2
    if limit <= 0:
        return []
    limit2 = limit * limit
    seats = list(doc.seats())
    xs = [s.x for s in seats]
    ys = [s.y for s in seats]
    # a bucket's key is ix * SPAN + iy: its neighbours are plain additions
    inv = 1 / limit
    floor = math.floor
    keys = [floor(x * inv) * _SPAN + floor(y * inv) for x, y in zip(xs, ys, strict=True)]
    steps = (_SPAN, 1 - _SPAN, 1, _SPAN + 1)  # half of the neighbours: each pair once
    # Most buckets hold one seat and have no seat in a neighbouring bucket: find the
    # others with set lookups alone, then compare only their seats.
    occupied = set(keys)
    suspects: set[int] = set()
    if len(occupied) < len(keys):
        seen: set[int] = set()
        for key in keys:
            if key in seen:
                suspects.add(key)
            seen.add(key)
    a, b, c, d = steps
    suspects.update(
        k
        for k in occupied
        if k + a in occupied or k + b in occupied or k + c in occupied or k + d in occupied
    )
    if not suspects:
        return []
    near = set(suspects)
    for step in steps:
        near.update(k + step for k in suspects)
    cells: dict[int, list[int]] = {}
    for i in [i for i, key in enumerate(keys) if key in near]:
        cells.setdefault(keys[i], []).append(i)
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        root = i
        while parent.get(root, root) != root:
            root = parent[root]
        while i != root:  # path compression
            parent[i], i = root, parent[i]
        return root

    def join(firsts: list[int], others: list[int]) -> None:
        for i in firsts:
            for j in others:
                dx, dy = xs[i] - xs[j], ys[i] - ys[j]
                if dx * dx + dy * dy < limit2:
                    parent[find(j)] = find(i)

    get = cells.get
    for key in suspects:
        members = cells[key]
        if len(members) > CROWDED:  # a pile of seats on one spot: one cluster
            for i in members[1:]:
                parent[find(i)] = find(members[0])
            members = members[:CROWDED]
        for n, i in enumerate(members):
            join([i], members[n + 1 :])
        for step in steps:
            other = get(key + step)
            if other:
                join(members, other[:CROWDED])
    if not parent:
        return []
    groups: dict[int, list[int]] = {}
    for i in list(parent):
        groups.setdefault(find(i), []).append(i)
    for root in groups:
        if root not in parent:
            groups[root].append(root)
    problems = []
    for members in sorted(groups.values(), key=min):
        members.sort()
        problems.append(
            Problem(
                OVERLAPPING_SEATS,
                WARNING,
                f"{len(members)} seats overlap (closer than half a seat pitch)",
                tuple(seats[i].uid for i in members),
                (xs[members[0]], ys[members[0]]),
                section_uid=doc.section_uid_of_seat(seats[members[0]].uid),
            )
        )
    return problems


class _Polygon:
    """Point-in-polygon by the crossing rule, with the edges bucketed by height so that
    a point tests only the few edges at its y."""

    def __init__(self, points: Sequence[Point]) -> None:
        left = min(p[0] for p in points)
        right = max(p[0] for p in points)
        self.top = min(p[1] for p in points)
        self.bottom = max(p[1] for p in points)
        self.left, self.right = left, right
        self.buckets_count = max(1, min(len(points) * 2, 512))
        height = self.bottom - self.top
        self.step = height / self.buckets_count if height > 0 else 1.0
        self.buckets: list[list[tuple[float, float, float, float]]] = [
            [] for _ in range(self.buckets_count)
        ]
        for (x1, y1), (x2, y2) in zip(points, [*points[1:], points[0]], strict=True):
            if y1 == y2:
                continue
            low, high = min(y1, y2), max(y1, y2)
            for b in range(self._bucket(low), self._bucket(high) + 1):
                self.buckets[b].append((x1, y1, x2, y2))

    def _bucket(self, y: float) -> int:
        return min(self.buckets_count - 1, max(0, int((y - self.top) / self.step)))

    def contains(self, x: float, y: float) -> bool:
        if not (self.left <= x <= self.right and self.top <= y <= self.bottom):
            return False
        inside = False
        for x1, y1, x2, y2 in self.buckets[self._bucket(y)]:
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        return inside


def _outside_outlines(doc: SeatMapDocument) -> list[Problem]:
    problems = []
    for section in doc.sections.values():
        if not section.outline or len(section.outline) < 3:
            continue
        polygon = _Polygon(section.outline)
        left, right, top, bottom = polygon.left, polygon.right, polygon.top, polygon.bottom
        buckets, step, last = polygon.buckets, polygon.step, polygon.buckets_count - 1
        outside = []
        for row in section.rows:
            for seat in row.seats:
                x, y = seat.x, seat.y
                if not (left <= x <= right and top <= y <= bottom):
                    outside.append(seat)
                    continue
                inside = False
                for x1, y1, x2, y2 in buckets[min(last, int((y - top) / step))]:
                    if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                        inside = not inside
                if not inside:
                    outside.append(seat)
        if outside:
            problems.append(
                Problem(
                    SEAT_OUTSIDE_SECTION,
                    WARNING,
                    f"{len(outside)} seats of '{section.name}' are outside its outline",
                    tuple(s.uid for s in outside),
                    (outside[0].x, outside[0].y),
                    section_uid=section.uid,
                )
            )
    return problems


def _empty_categories(doc: SeatMapDocument) -> list[Problem]:
    used = set(doc.used_categories())
    return [
        Problem(
            EMPTY_CATEGORY,
            WARNING,
            f"No seat is in category '{category.name}'",
        )
        for category in doc.categories
        if category.name not in used
    ]


def seat_uids_of(problems: Iterable[Problem]) -> set[int]:
    """Every seat some problem names (to mark them on the map)."""
    return {uid for p in problems for uid in p.seat_uids}
