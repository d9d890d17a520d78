"""One seat map as plain data: :class:`SeatMapLayout` and the seat flags.

A layout is built from the server's seat-map detail (``GET /api/v1/seatmaps/{id}/``) or
from flat seat rows (the POS's local database). Seats are stored column-wise (``array``
columns indexed by *seat index*), ordered section by section, row by row, seat by seat,
so that a row and a section are contiguous index ranges.
"""

from __future__ import annotations

import math
import statistics
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

__all__ = [
    "ACCESSIBLE",
    "AISLE",
    "AISLE_PITCHES",
    "COMPANION",
    "OBSTRUCTED",
    "AreaInfo",
    "RowInfo",
    "SeatInfo",
    "SeatMapLayout",
    "SectionInfo",
    "describe_flags",
]

# Seat flags (bitmask in SeatMapLayout.flags)
ACCESSIBLE = 1
COMPANION = 2
OBSTRUCTED = 4
AISLE = 8  # a seat on an aisle (the editor's flag; shown, not used by best available)
_FLAG_NAMES = {
    "accessible": ACCESSIBLE,
    "companion": COMPANION,
    "obstructed": OBSTRUCTED,
    "aisle": AISLE,
}

# Consecutive seats of a row further apart than this many seat pitches are split by an
# aisle: seats on either side are not "together".
AISLE_PITCHES = 1.7


@dataclass(frozen=True)
class SectionInfo:
    index: int
    id: int | None
    name: str
    rows: range  # row indices
    seats: range  # seat indices
    rank: int | None = None  # the venue's quality rank, 1 best; None: not ranked


@dataclass(frozen=True)
class RowInfo:
    index: int
    id: int | None
    label: str
    section: int  # section index
    seats: range  # seat indices, in seat order along the row


@dataclass(frozen=True)
class AreaInfo:
    """A general-admission area, sold by quantity."""

    id: int
    name: str
    capacity: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class SeatInfo:
    """One seat, as a value (built on demand from the layout's columns)."""

    index: int
    id: int
    key: str
    label: str
    section: str
    row: str
    x: float
    y: float
    category: str
    accessible: bool
    companion: bool
    obstructed: bool


@dataclass(frozen=True, eq=False)
class SeatMapLayout:
    """One seat map; seats column-wise by seat index. Treat the columns as read-only."""

    id: int | None
    name: str
    width: float
    height: float
    stage_x: float
    stage_y: float
    sections: tuple[SectionInfo, ...]
    rows: tuple[RowInfo, ...]
    areas: tuple[AreaInfo, ...]
    categories: tuple[str, ...]  # in order of first appearance
    ids: array  # 'q' seat id
    xs: array  # 'd'
    ys: array  # 'd'
    row_of: array  # 'i' row index
    section_of: array  # 'i' section index
    category_of: array  # 'H' index into categories
    flags: bytes  # ACCESSIBLE | COMPANION | OBSTRUCTED
    labels: tuple[str, ...]
    keys: tuple[str, ...]
    index_of: dict[int, int] = field(repr=False)  # seat id -> seat index

    # -- construction ------------------------------------------------------------------

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> SeatMapLayout:
        """From the seat-map detail: sections -> rows -> seats {id, key, label, x, y,
        category, accessible, companion, obstructed}, areas, stage_x/y, width/height."""
        builder = _Builder()
        for section in data.get("sections") or ():
            builder.begin_section(
                section.get("id"), str(section.get("name", "")), _rank(section.get("rank"))
            )
            for row in section.get("rows") or ():
                builder.begin_row(row.get("id"), str(row.get("label", "")))
                for seat in row.get("seats") or ():
                    builder.add_seat_data(seat)
        return builder.build(data)

    @classmethod
    def from_seat_rows(
        cls, seats: Iterable[Mapping[str, Any]], *, seat_map: Mapping[str, Any] | None = None
    ) -> SeatMapLayout:
        """From flat seats {id, key?, label, section, row, position?, x, y, category,
        flags (list of names) or accessible/companion/obstructed}: the availability
        feed's and the local database's shape. Sections and rows keep the order in which
        they first appear; seats within a row are ordered by ``position`` when given.
        ``seat_map`` supplies name, stage_x/y, width/height, areas and ``section_ranks``
        (section name -> the venue's rank)."""
        grouped: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
        for seat in seats:
            grouped.setdefault(str(seat.get("section", "")), {}).setdefault(
                str(seat.get("row", "")), []
            ).append(seat)
        ranks = (seat_map or {}).get("section_ranks") or {}
        builder = _Builder()
        for section_name, rows in grouped.items():
            builder.begin_section(None, section_name, _rank(ranks.get(section_name)))
            for row_label, row_seats in rows.items():
                builder.begin_row(None, row_label)
                if row_seats and "position" in row_seats[0]:
                    row_seats = sorted(row_seats, key=lambda s: s["position"])
                for seat in row_seats:
                    builder.add_seat_data(seat)
        return builder.build(seat_map or {})

    # -- reading -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def seat_count(self) -> int:
        return len(self.ids)

    def index(self, seat_id: int) -> int:
        """The seat index of ``seat_id`` (KeyError for a seat of another map)."""
        return self.index_of[seat_id]

    def seat(self, index: int) -> SeatInfo:
        row = self.rows[self.row_of[index]]
        flags = self.flags[index]
        return SeatInfo(
            index=index,
            id=self.ids[index],
            key=self.keys[index],
            label=self.labels[index],
            section=self.sections[row.section].name,
            row=row.label,
            x=self.xs[index],
            y=self.ys[index],
            category=self.categories[self.category_of[index]],
            accessible=bool(flags & ACCESSIBLE),
            companion=bool(flags & COMPANION),
            obstructed=bool(flags & OBSTRUCTED),
        )

    @cached_property
    def pitch(self) -> float:
        """Typical distance between neighbouring seats of a row (map units)."""
        gaps = []
        xs, ys = self.xs, self.ys
        step = max(1, len(self.rows) // 400)  # a sample is plenty
        for row in self.rows[::step]:
            for i in range(row.seats.start + 1, min(row.seats.stop, row.seats.start + 12)):
                gaps.append(math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]))
        gaps = [g for g in gaps if g > 0]
        return statistics.median(gaps) if gaps else 10.0

    @property
    def seat_size(self) -> float:
        """Drawn size of a seat: a little less than the pitch, so seats stay apart."""
        return self.pitch * 0.8

    @cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of seats, areas and the stage point."""
        xs = [self.stage_x, *(a.x for a in self.areas), *(a.x + a.width for a in self.areas)]
        ys = [self.stage_y, *(a.y for a in self.areas), *(a.y + a.height for a in self.areas)]
        if self.ids:
            xs += [min(self.xs), max(self.xs)]
            ys += [min(self.ys), max(self.ys)]
        half = self.pitch / 2
        return min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half

    @cached_property
    def segments(self) -> tuple[tuple[int, int], ...]:
        """Runs of physically adjacent seats: rows split at aisles, as index ranges."""
        limit = (self.pitch * AISLE_PITCHES) ** 2
        xs, ys = self.xs, self.ys
        out = []
        for row in self.rows:
            start = row.seats.start
            for i in range(row.seats.start + 1, row.seats.stop):
                dx, dy = xs[i] - xs[i - 1], ys[i] - ys[i - 1]
                if dx * dx + dy * dy > limit:
                    out.append((start, i))
                    start = i
            if row.seats.stop > start:
                out.append((start, row.seats.stop))
        return tuple(out)


def _rank(value: Any) -> int | None:
    """A section's rank as the API or the local database gives it (None: not ranked)."""
    try:
        rank = int(value)
    except (TypeError, ValueError):
        return None
    return rank if rank >= 1 else None


class _Builder:
    """Accumulates sections, rows and seats in order, then freezes them into a layout."""

    def __init__(self) -> None:
        # id, name, row0, seat0, rank
        self.sections: list[tuple[int | None, str, int, int, int | None]] = []
        self.rows: list[tuple[int | None, str, int, int]] = []  # id, label, section, seat0
        self.ids = array("q")
        self.xs = array("d")
        self.ys = array("d")
        self.row_of = array("i")
        self.section_of = array("i")
        self.category_of = array("H")
        self.flags = bytearray()
        self.labels: list[str] = []
        self.keys: list[str] = []
        self.categories: dict[str, int] = {}

    def begin_section(self, section_id: int | None, name: str, rank: int | None = None) -> None:
        self.sections.append((section_id, name, len(self.rows), len(self.ids), rank))

    def begin_row(self, row_id: int | None, label: str) -> None:
        self.rows.append((row_id, label, len(self.sections) - 1, len(self.ids)))

    def add_seat(
        self, seat_id: int, key: str, label: str, x: float, y: float, category: str, flags: int
    ) -> None:
        self.ids.append(seat_id)
        self.xs.append(x)
        self.ys.append(y)
        self.row_of.append(len(self.rows) - 1)
        self.section_of.append(len(self.sections) - 1)
        cat = self.categories.get(category)
        if cat is None:
            cat = self.categories[category] = len(self.categories)
        self.category_of.append(cat)
        self.flags.append(flags)
        self.labels.append(label)
        self.keys.append(key)

    def add_seat_data(self, seat: Mapping[str, Any]) -> None:
        """A seat as the API or the local database gives it: flags as a list of names
        (``flags``) or as booleans (accessible / companion / obstructed)."""
        names = seat.get("flags")
        if names is not None:
            flags = 0
            for name in names:
                flags |= _FLAG_NAMES.get(name, 0)
        else:
            flags = (
                (ACCESSIBLE if seat.get("accessible") else 0)
                | (COMPANION if seat.get("companion") else 0)
                | (OBSTRUCTED if seat.get("obstructed") else 0)
                | (AISLE if seat.get("aisle") else 0)
            )
        self.add_seat(
            int(seat["id"]),
            str(seat.get("key") or ""),
            str(seat["label"]),
            float(seat["x"]),
            float(seat["y"]),
            str(seat.get("category") or "standard"),
            flags,
        )

    def build(self, meta: Mapping[str, Any]) -> SeatMapLayout:
        n = len(self.ids)
        rows = tuple(
            RowInfo(
                index=i,
                id=row_id,
                label=label,
                section=section,
                seats=range(seat0, self.rows[i + 1][3] if i + 1 < len(self.rows) else n),
            )
            for i, (row_id, label, section, seat0) in enumerate(self.rows)
        )
        sections = tuple(
            SectionInfo(
                index=i,
                id=section_id,
                name=name,
                rows=range(
                    row0, self.sections[i + 1][2] if i + 1 < len(self.sections) else len(rows)
                ),
                seats=range(seat0, self.sections[i + 1][3] if i + 1 < len(self.sections) else n),
                rank=rank,
            )
            for i, (section_id, name, row0, seat0, rank) in enumerate(self.sections)
        )
        index_of = dict(zip(self.ids, range(n), strict=True))
        if len(index_of) != n:
            raise ValueError("the seat map lists a seat id twice")
        areas = tuple(
            AreaInfo(
                id=int(a.get("id") or 0),
                name=str(a.get("name", "")),
                capacity=int(a.get("capacity") or 0),
                x=float(a.get("x") or 0),
                y=float(a.get("y") or 0),
                width=float(a.get("width") or 0),
                height=float(a.get("height") or 0),
            )
            for a in meta.get("areas") or ()
        )
        return SeatMapLayout(
            id=meta.get("id"),
            name=str(meta.get("name", "")),
            width=float(meta.get("width") or 0),
            height=float(meta.get("height") or 0),
            stage_x=float(meta.get("stage_x") or 0),
            stage_y=float(meta.get("stage_y") or 0),
            sections=sections,
            rows=rows,
            areas=areas,
            categories=tuple(self.categories),
            ids=self.ids,
            xs=self.xs,
            ys=self.ys,
            row_of=self.row_of,
            section_of=self.section_of,
            category_of=self.category_of,
            flags=bytes(self.flags),
            labels=tuple(self.labels),
            keys=tuple(self.keys),
            index_of=index_of,
        )


def describe_flags(flags: int) -> list[str]:
    """Human words for a seat's flags."""
    out = []
    if flags & ACCESSIBLE:
        out.append("wheelchair space")
    if flags & COMPANION:
        out.append("companion seat")
    if flags & OBSTRUCTED:
        out.append("restricted view")
    return out
