"""Seat maps as plain data, seat states, a spatial index and "best available" seats.

No Qt, no Django: the POS's services and its seat-map widget share these types, and the
algorithms run (and are tested) without a window.

* :class:`SeatMapLayout` is one seat map, built from the server's seat-map detail
  (``GET /api/v1/seatmaps/{id}/``) or from flat seat rows (the POS's local database).
  Seats are stored column-wise (``array`` columns indexed by *seat index*), ordered
  section by section, row by row, seat by seat, so that a row and a section are
  contiguous index ranges.
* :class:`SeatStates` holds each seat's :class:`SeatState` for one event and applies
  availability updates, reporting which seats changed.
* :class:`SeatGrid` answers "which seat is at (x, y)" and "which seats lie in this
  rectangle" in constant time per bucket (uniform buckets).
* :func:`best_seats` picks N seats for the counter; see its docstring for the tiers.

Masks are ``bytes``/``bytearray`` indexed by seat index, non-zero meaning "yes".
"""

from __future__ import annotations

import heapq
import math
import statistics
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum
from functools import cached_property
from typing import Any

__all__ = [
    "ACCESSIBLE",
    "COMPANION",
    "OBSTRUCTED",
    "AreaInfo",
    "BestSeats",
    "RowInfo",
    "SeatGrid",
    "SeatInfo",
    "SeatMapLayout",
    "SeatState",
    "SeatStates",
    "SectionInfo",
    "TicketInfo",
    "Tier",
    "best_seats",
    "sellable_mask",
]

# Seat flags (bitmask in SeatMapLayout.flags)
ACCESSIBLE = 1
COMPANION = 2
OBSTRUCTED = 4
_FLAG_NAMES = {"accessible": ACCESSIBLE, "companion": COMPANION, "obstructed": OBSTRUCTED}

# Consecutive seats of a row further apart than this many seat pitches are split by an
# aisle: seats on either side are not "together".
AISLE_PITCHES = 1.7


class SeatState(IntEnum):
    """A seat's state for one event, as this counter sees it."""

    AVAILABLE = 0
    HELD = 1  # in someone's cart (another counter, a web customer, or our own hold)
    SOLD = 2
    BLOCKED = 3
    ALLOCATED_OTHER = 4  # allocated to another counter: not ours to sell
    ALLOCATED_HERE = 5  # allocated to this counter: only we sell it, also offline

    @classmethod
    def from_status(cls, status: str, *, allocated_here: bool = False) -> SeatState:
        """The state of an availability ``status`` (available, held, sold, blocked,
        allocated); ``allocated`` is ours when the seat is in this counter's allocation."""
        if status == "allocated":
            return cls.ALLOCATED_HERE if allocated_here else cls.ALLOCATED_OTHER
        try:
            return _STATUS_STATES[status]
        except KeyError:
            raise ValueError(f"unknown seat status {status!r}") from None

    @property
    def status(self) -> str:
        """The availability status word of this state."""
        return "allocated" if self >= SeatState.ALLOCATED_OTHER else self.name.lower()


_STATUS_STATES = {
    "available": SeatState.AVAILABLE,
    "held": SeatState.HELD,
    "sold": SeatState.SOLD,
    "blocked": SeatState.BLOCKED,
}


# -- the layout --------------------------------------------------------------------------


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


@dataclass(frozen=True)
class TicketInfo:
    """A ticket on sale: the price of seats of one category (or places in one GA area)."""

    id: int
    name: str
    price: Decimal
    currency: str
    category: str | None = None
    area: int | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> TicketInfo:
        return cls(
            id=int(data["id"]),
            name=str(data["name"]),
            price=Decimal(str(data["price"])),
            currency=str(data.get("currency") or "EUR"),
            category=data.get("category") or None,
            area=data.get("area"),
        )


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

    @cached_property
    def _search(self) -> _SearchIndex:
        return _SearchIndex(self)


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


# -- states ------------------------------------------------------------------------------


class SeatStates:
    """Each seat's :class:`SeatState` for one event (``codes``, by seat index), plus this
    counter's allocation, which decides whether an ``allocated`` seat is ours."""

    def __init__(self, layout: SeatMapLayout) -> None:
        self.layout = layout
        self.codes = bytearray(len(layout))  # all AVAILABLE
        self._allocated = bytearray(len(layout))  # seat is (or was) allocated, per server
        self._here: set[int] = set()  # seat ids allocated to this counter

    def state(self, index: int) -> SeatState:
        return SeatState(self.codes[index])

    def apply(self, statuses: Mapping[int, str | SeatState]) -> list[int]:
        """Set states from ``{seat id: status word or SeatState}``; seats of other maps
        are ignored. Returns the indices of the seats whose state changed."""
        changed = []
        index_of, codes = self.layout.index_of, self.codes
        for seat_id, status in statuses.items():
            i = index_of.get(seat_id)
            if i is None:
                continue
            if isinstance(status, str):
                state = SeatState.from_status(status, allocated_here=seat_id in self._here)
            else:
                state = SeatState(status)
            self._allocated[i] = state >= SeatState.ALLOCATED_OTHER
            if codes[i] != state:
                codes[i] = state
                changed.append(i)
        return changed

    def set_allocation(self, seat_ids: Iterable[int]) -> list[int]:
        """This counter's allocated seats; allocated seats move between "here" and
        "other". Returns the indices whose state changed."""
        self._here = set(seat_ids)
        changed = []
        codes, ids, allocated = self.codes, self.layout.ids, self._allocated
        i = allocated.find(1)
        while i >= 0:
            state = SeatState.ALLOCATED_HERE if ids[i] in self._here else SeatState.ALLOCATED_OTHER
            if codes[i] != state:
                codes[i] = state
                changed.append(i)
            i = allocated.find(1, i + 1)
        return changed

    def count(self, state: SeatState, seats: range | None = None) -> int:
        if seats is None:
            return self.codes.count(state)
        return self.codes.count(state, seats.start, seats.stop)


_SELLABLE_ONLINE = bytes(
    1 if c in (SeatState.AVAILABLE, SeatState.ALLOCATED_HERE) else 0 for c in range(256)
)
_SELLABLE_OFFLINE = bytes(1 if c == SeatState.ALLOCATED_HERE else 0 for c in range(256))
_NONZERO = bytes([0] + [1] * 255)


def sellable_mask(states: SeatStates | bytes | bytearray, *, offline: bool = False) -> bytes:
    """Seats this counter may sell now: available or allocated here when online, only
    allocated here when offline (two counters can never sell the same seat)."""
    codes = states.codes if isinstance(states, SeatStates) else states
    return bytes(codes).translate(_SELLABLE_OFFLINE if offline else _SELLABLE_ONLINE)


def mask_and(a: bytes | bytearray, b: bytes | bytearray) -> bytes:
    """Seat-wise AND of two 0/1 masks of the same length (at C speed)."""
    n = len(a)
    a = bytes(a).translate(_NONZERO)
    b = bytes(b).translate(_NONZERO)
    return (int.from_bytes(a, "little") & int.from_bytes(b, "little")).to_bytes(n, "little")


def mask_from(layout: SeatMapLayout, seats: Iterable[int] | Callable[[int], bool]) -> bytearray:
    """A mask from seat ids, or from a predicate on the seat id."""
    mask = bytearray(len(layout))
    if callable(seats):
        for i, seat_id in enumerate(layout.ids):
            if seats(seat_id):
                mask[i] = 1
    else:
        index_of = layout.index_of
        for seat_id in seats:
            i = index_of.get(seat_id)
            if i is not None:
                mask[i] = 1
    return mask


# -- spatial index -----------------------------------------------------------------------


class SeatGrid:
    """Uniform buckets over seat centres: hit-testing and rectangle queries.

    Buckets are two seat pitches wide, stored compressed (bucket start offsets plus
    seat indices sorted by bucket), so a lookup touches a handful of seats.
    """

    def __init__(self, layout: SeatMapLayout, cell: float | None = None) -> None:
        self.layout = layout
        self.cell = cell or layout.pitch * 2
        n = len(layout)
        xs, ys = layout.xs, layout.ys
        if n:
            self.x0, self.y0 = min(xs), min(ys)
            self.cols = int((max(xs) - self.x0) / self.cell) + 1
            self.rows = int((max(ys) - self.y0) / self.cell) + 1
        else:
            self.x0 = self.y0 = 0.0
            self.cols = self.rows = 1
        inv, x0, y0, cols = 1 / self.cell, self.x0, self.y0, self.cols
        bucket = [int((xs[i] - x0) * inv) + int((ys[i] - y0) * inv) * cols for i in range(n)]
        counts = [0] * (self.cols * self.rows + 1)
        for b in bucket:
            counts[b + 1] += 1
        for k in range(1, len(counts)):
            counts[k] += counts[k - 1]
        self.starts = array("i", counts)
        fill = list(counts)
        order = [0] * n
        for i, b in enumerate(bucket):
            order[fill[b]] = i
            fill[b] += 1
        self.order = array("i", order)

    def _cells(self, x0: float, y0: float, x1: float, y1: float) -> Iterable[int]:
        inv = 1 / self.cell
        c0 = max(0, int((x0 - self.x0) * inv))
        c1 = min(self.cols - 1, int((x1 - self.x0) * inv))
        r0 = max(0, int((y0 - self.y0) * inv))
        r1 = min(self.rows - 1, int((y1 - self.y0) * inv))
        for r in range(r0, r1 + 1):
            base = r * self.cols
            yield from range(base + c0, base + c1 + 1)

    def seat_at(self, x: float, y: float, radius: float | None = None) -> int | None:
        """Index of the seat nearest (x, y) within ``radius`` (default 0.6 pitch: the
        drawn seat, corners included), or None."""
        r = self.layout.pitch * 0.6 if radius is None else radius
        best, best_d = None, r * r
        xs, ys, starts, order = self.layout.xs, self.layout.ys, self.starts, self.order
        for b in self._cells(x - r, y - r, x + r, y + r):
            for k in range(starts[b], starts[b + 1]):
                i = order[k]
                dx, dy = xs[i] - x, ys[i] - y
                d = dx * dx + dy * dy
                if d <= best_d:
                    best, best_d = i, d
        return best

    def in_rect(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        """Indices of seats whose centre lies in the rectangle, in seat order."""
        if x0 > x1:
            x0, x1 = x1, x0
        if y0 > y1:
            y0, y1 = y1, y0
        xs, ys, starts, order = self.layout.xs, self.layout.ys, self.starts, self.order
        out = []
        for b in self._cells(x0, y0, x1, y1):
            for k in range(starts[b], starts[b + 1]):
                i = order[k]
                if x0 <= xs[i] <= x1 and y0 <= ys[i] <= y1:
                    out.append(i)
        out.sort()
        return out

    def nearest_in_direction(
        self, index: int, dx: float, dy: float, *, exclude_row: bool = True
    ) -> int | None:
        """The nearest seat from seat ``index`` roughly in direction (dx, dy) (within 60
        degrees of it), e.g. for moving a keyboard cursor across an aisle."""
        lay = self.layout
        x, y = lay.xs[index], lay.ys[index]
        norm = math.hypot(dx, dy) or 1.0
        ux, uy = dx / norm, dy / norm
        row = lay.row_of[index]
        radius = lay.pitch * 2
        limit = max(lay.bounds[2] - lay.bounds[0], lay.bounds[3] - lay.bounds[1])
        while radius <= limit * 2:
            best, best_score = None, math.inf
            for i in self.in_rect(x - radius, y - radius, x + radius, y + radius):
                if i == index or (exclude_row and lay.row_of[i] == row):
                    continue
                vx, vy = lay.xs[i] - x, lay.ys[i] - y
                along = vx * ux + vy * uy
                if along <= 0:
                    continue
                across = abs(vx * uy - vy * ux)
                if across > along * 1.8:  # outside +-60 degrees
                    continue
                score = along + 2 * across
                if score < best_score:
                    best, best_score = i, score
            if best is not None:
                return best
            radius *= 2
        return None


# -- best available ----------------------------------------------------------------------


class Tier(IntEnum):
    """How far "best available" had to relax to find seats (lower is better)."""

    TOGETHER = 1  # together in one row, no single empty seat left beside them
    TOGETHER_SINGLE_GAP = 2  # together in one row, leaving a single empty seat
    TWO_ROWS = 3  # split over two neighbouring rows of one section
    SCATTERED = 4  # the nearest free seats
    NONE = 5  # not enough free seats

    @property
    def description(self) -> str:
        return _TIER_TEXT[self]


_TIER_TEXT = {
    Tier.TOGETHER: "together in one row",
    Tier.TOGETHER_SINGLE_GAP: "together in one row, leaving a single empty seat beside them",
    Tier.TWO_ROWS: "split over two neighbouring rows",
    Tier.SCATTERED: "not together: the nearest free seats",
    Tier.NONE: "not enough free seats",
}


@dataclass(frozen=True)
class BestSeats:
    seat_ids: tuple[int, ...]
    tier: Tier
    accessible: bool = False  # True when the accessible seats asked for were found

    def __bool__(self) -> bool:
        return bool(self.seat_ids)

    @property
    def message(self) -> str:
        n = len(self.seat_ids)
        if not n:
            return "No seats found: " + self.tier.description + "."
        what = f"{n} seat{'s' if n != 1 else ''}"
        extra = " with wheelchair space" if self.accessible else ""
        return f"{what}{extra}: {self.tier.description}."


# Score = distance of the block's centre to its target point (map units), plus these.
OBSTRUCTED_PENALTY_PITCHES = 3.0  # per seat with a restricted view
CENTRALITY_WEIGHT = 0.1  # per unit of distance from the middle of the row
NOT_ACCESSIBLE_PENALTY_PITCHES = 2.0  # accessible mode: per seat neither accessible nor companion
TWO_ROW_SPREAD_WEIGHT = 1.0  # two-row mode: per unit of distance between the two blocks

# The default ranking of sections (no focal point given), see `_default_targets`:
FACING_WEIGHT = 1.5  # x median seat distance x (1 - cos) of a section's angle off the stage axis
SIDE_ANGLE_DEGREES = 60.0  # a section this far off the axis sits beside the stage: an arena
ARENA_FRONT_FRACTION = 0.2  # in an arena, the sweet row lies this far back in its section
UNRANKED = 1_000  # where sections without a rank go when the venue ranked others

Target = tuple[float, float, float]  # x, y, penalty of a section


def _section_targets(layout: SeatMapLayout) -> list[Target]:
    """Per section: the point its seats are measured from, and what the section costs.

    * With ranks (the venue's own, ``SectionInfo.rank``, 1 best), a better rank always
      wins: each step costs more than any distance on the map. Equal ranks (and the
      unranked sections, after all ranked ones) are ordered by the default below.
    * The default favours sections that face the stage head-on (a section's angle off the
      axis from the stage to the seats' centre costs ``FACING_WEIGHT`` x the median seat
      distance x (1 - cos)), then sections near the stage (the distance of the section's
      nearest seat). Seats are measured from the middle of the section's sweet row: the
      front row, except in an arena (some section sits beside the stage, more than
      ``SIDE_ANGLE_DEGREES`` off the axis), where the first rows sit low behind the floor
      and the sweet row is ``ARENA_FRONT_FRACTION`` of the way back.
    """
    n = len(layout)
    sx, sy = layout.stage_x, layout.stage_y
    if not n:
        return [(sx, sy, 0.0)] * len(layout.sections)
    xs, ys = layout.xs, layout.ys
    ax, ay = sum(xs) / n - sx, sum(ys) / n - sy
    norm = math.hypot(ax, ay)
    ax, ay = (ax / norm, ay / norm) if norm > 1e-9 else (0.0, 1.0)
    step = max(1, n // 20_000)  # a sample is plenty for the median
    scale = (
        statistics.median(math.hypot(xs[i] - sx, ys[i] - sy) for i in range(0, n, step))
        or layout.pitch
    )
    facing: list[tuple[float, float] | None] = []  # (cos off the axis, nearest distance)
    for section in layout.sections:
        a, b = section.seats.start, section.seats.stop
        if a == b:
            facing.append(None)
            continue
        vx, vy = sum(xs[a:b]) / (b - a) - sx, sum(ys[a:b]) / (b - a) - sy
        d = math.hypot(vx, vy)
        cos = (vx * ax + vy * ay) / d if d > 1e-9 else 1.0
        nearest = min(math.hypot(xs[i] - sx, ys[i] - sy) for i in range(a, b))
        facing.append((cos, nearest))
    side = math.cos(math.radians(SIDE_ANGLE_DEGREES))
    arena = any(f is not None and f[0] < side for f in facing)
    left, top, right, bottom = layout.bounds
    rank_step = 4 * (math.hypot(right - left, bottom - top) + scale)
    ranked = any(section.rank for section in layout.sections)
    targets: list[Target] = []
    for section, f in zip(layout.sections, facing, strict=True):
        if f is None:
            targets.append((sx, sy, 0.0))
            continue
        cos, nearest = f
        penalty = FACING_WEIGHT * scale * (1 - cos) + nearest
        if ranked:
            penalty += ((section.rank or UNRANKED) - 1) * rank_step
        rows = section.rows
        sweet = rows.start + (round(ARENA_FRONT_FRACTION * (len(rows) - 1)) if arena else 0)
        seats = layout.rows[sweet].seats
        m1 = seats.start + (len(seats) - 1) // 2
        m2 = seats.start + len(seats) // 2
        targets.append(((xs[m1] + xs[m2]) / 2, (ys[m1] + ys[m2]) / 2, penalty))
    return targets


class _SearchIndex:
    """Per-layout arrays for best_seats, computed once: prefix sums along seat order."""

    def __init__(self, layout: SeatMapLayout) -> None:
        n = len(layout)
        xs, ys, flags = layout.xs, layout.ys, layout.flags
        px = [0.0] * (n + 1)
        py = [0.0] * (n + 1)
        pob = [0] * (n + 1)
        pacc = [0] * (n + 1)
        pcomp = [0] * (n + 1)
        sx = sy = 0.0
        ob = acc = comp = 0
        for i in range(n):
            sx += xs[i]
            sy += ys[i]
            f = flags[i]
            ob += f & OBSTRUCTED and 1
            acc += f & ACCESSIBLE and 1
            comp += f & COMPANION and 1
            px[i + 1], py[i + 1], pob[i + 1], pacc[i + 1], pcomp[i + 1] = sx, sy, ob, acc, comp
        self.px, self.py, self.pob, self.pacc, self.pcomp = px, py, pob, pacc, pcomp
        # segments (aisle-split rows) with bounding boxes, section and row
        self.segments = layout.segments
        boxes = []
        for a, b in self.segments:
            sxs, sys_ = xs[a:b], ys[a:b]
            boxes.append((min(sxs), min(sys_), max(sxs), max(sys_)))
        self.boxes = boxes
        self.segment_row = [layout.row_of[a] for a, _b in self.segments]
        self.has_accessible = [pacc[b] - pacc[a] > 0 for a, b in self.segments]
        # for two-row mode: the segments of each row, by row index
        by_row: dict[int, list[int]] = {}
        for k, row in enumerate(self.segment_row):
            by_row.setdefault(row, []).append(k)
        self.row_segments = by_row
        self.section_of_segment = [layout.section_of[a] for a, _b in self.segments]
        self.pitch = layout.pitch
        self.default_targets = _section_targets(layout)

    def ordered(self, targets: Sequence[Target]) -> list[tuple[float, int]]:
        """(lower bound of a block's score, segment), lowest first: the distance from the
        segment's box to its section's target, plus the section's penalty."""
        out = []
        for k, (x0, y0, x1, y1) in enumerate(self.boxes):
            fx, fy, penalty = targets[self.section_of_segment[k]]
            dx = x0 - fx if fx < x0 else (fx - x1 if fx > x1 else 0.0)
            dy = y0 - fy if fy < y0 else (fy - y1 if fy > y1 else 0.0)
            out.append((math.sqrt(dx * dx + dy * dy) + penalty, k))
        out.sort()
        return out

    def target(self, targets: Sequence[Target], k: int) -> Target:
        return targets[self.section_of_segment[k]]


def best_seats(
    layout: SeatMapLayout,
    free: bytes | bytearray,
    n: int,
    *,
    focal: tuple[float, float] | None = None,
    accessible: bool = False,
    pickable: bytes | bytearray | None = None,
) -> BestSeats:
    """The best ``n`` seats this counter can sell.

    ``free``: mask by seat index of seats that may be sold now (see :func:`sellable_mask`),
    ``pickable``: an extra mask ANDed with it (e.g. offline: this counter's allocation),
    ``focal``: the point the seats should be near (the cashier's pick on the map). Without
    it, the venue's ranking decides: sections by their rank, else centre-facing sections
    near the stage first, each measured from the middle of its sweet row (see
    :func:`_section_targets`).

    Tiers, relaxed one by one until seats are found (``BestSeats.tier`` says which):

    1. ``n`` adjacent seats in one row (aisles split rows), leaving no single empty seat
       between the block and a taken seat, an aisle or the row end;
    2. the same, allowing such a single gap;
    3. split over two neighbouring rows of one section (``ceil(n/2)`` and the rest),
       the blocks as close to each other as possible;
    4. the ``n`` best free seats one by one.

    Within a tier the block with the lowest score wins: the distance of its centre to its
    section's target point plus the section's penalty; seats with a restricted view and
    blocks away from the middle of their row cost a little. With ``accessible``, tiers
    1-3 first try blocks that include a wheelchair space (preferring companion seats
    beside it); if none exists, the plain tiers follow and ``BestSeats.accessible`` is
    False.
    """
    if n < 1:
        raise ValueError("ask for at least one seat")
    if len(free) != len(layout):
        raise ValueError(f"the free mask covers {len(free)} seats, the map has {len(layout)}")
    mask = bytes(free).translate(_NONZERO) if pickable is None else mask_and(free, pickable)
    if mask.count(1) < n:
        return BestSeats((), Tier.NONE)
    index = layout._search
    targets: Sequence[Target] = (
        index.default_targets
        if focal is None
        else [(float(focal[0]), float(focal[1]), 0.0)] * len(layout.sections)
    )
    order = index.ordered(targets)
    ids = layout.ids

    modes = [True, False] if accessible else [False]
    for need_accessible in modes:
        for tier in (Tier.TOGETHER, Tier.TOGETHER_SINGLE_GAP):
            block = _best_block(index, order, mask, n, targets, tier, need_accessible)
            if block is not None:
                return BestSeats(
                    tuple(ids[i] for i in range(block, block + n)), tier, need_accessible
                )
        if n > 1:
            pair = _best_two_rows(index, order, mask, n, targets, need_accessible)
            if pair is not None:
                return BestSeats(tuple(ids[i] for i in pair), Tier.TWO_ROWS, need_accessible)
    seats = _nearest_free(layout, index, order, mask, n, targets)
    return BestSeats(tuple(ids[i] for i in seats), Tier.SCATTERED)


def _runs(mask: bytes, start: int, stop: int, length: int) -> Iterable[tuple[int, int]]:
    """Maximal runs [a, b) of free seats in [start, stop) at least ``length`` long; the
    scanning happens in C (bytes.find)."""
    needle = b"\x01" * length
    pos = start
    while True:
        a = mask.find(needle, pos, stop)
        if a < 0:
            return
        b = mask.find(b"\x00", a + length, stop)
        if b < 0:
            b = stop
        yield a, b
        pos = b


def _block_score(
    index: _SearchIndex, s: int, n: int, target: Target, seg: tuple[int, int]
) -> float:
    px, py = index.px, index.py
    cx = (px[s + n] - px[s]) / n
    cy = (py[s + n] - py[s]) / n
    fx, fy, penalty = target
    score = math.hypot(cx - fx, cy - fy) + penalty
    obstructed = index.pob[s + n] - index.pob[s]
    if obstructed:
        score += obstructed * OBSTRUCTED_PENALTY_PITCHES * index.pitch
    # distance from the middle of the row, in seats times pitch
    a, b = seg
    off = abs((s + (n - 1) / 2) - (a + b - 1) / 2) * index.pitch
    return score + CENTRALITY_WEIGHT * off


def _accessible_penalty(index: _SearchIndex, s: int, n: int) -> float | None:
    """None when the block holds no wheelchair space; otherwise the cost of its seats
    that are neither accessible nor companion seats."""
    acc = index.pacc[s + n] - index.pacc[s]
    if not acc:
        return None
    comp = index.pcomp[s + n] - index.pcomp[s]
    plain = max(0, n - acc - comp)
    return plain * NOT_ACCESSIBLE_PENALTY_PITCHES * index.pitch


def _candidates(
    index: _SearchIndex,
    mask: bytes,
    k: int,
    n: int,
    target: Target,
    no_single_gap: bool,
    need_accessible: bool,
) -> Iterable[tuple[float, int]]:
    """(score, start) of every allowed block of ``n`` seats in segment ``k``."""
    seg = index.segments[k]
    for a, b in _runs(mask, seg[0], seg[1], n):
        for s in range(a, b - n + 1):
            if no_single_gap and (s - a == 1 or b - (s + n) == 1):
                continue
            score = _block_score(index, s, n, target, seg)
            if need_accessible:
                extra = _accessible_penalty(index, s, n)
                if extra is None:
                    continue
                score += extra
            yield score, s


def _best_block(
    index: _SearchIndex,
    order: list[tuple[float, int]],
    mask: bytes,
    n: int,
    targets: Sequence[Target],
    tier: Tier,
    need_accessible: bool,
) -> int | None:
    best, best_score = None, math.inf
    no_single_gap = tier == Tier.TOGETHER
    needle = b"\x01" * n
    if mask.find(needle) < 0:
        return None  # no n free seats in a row anywhere (one C scan)
    segments = index.segments
    for bound, k in order:
        if bound >= best_score:
            break  # every block further down the list scores at least its bound
        if need_accessible and not index.has_accessible[k]:
            continue
        a, b = segments[k]
        if mask.find(needle, a, b) < 0:
            continue
        target = index.target(targets, k)
        for score, s in _candidates(index, mask, k, n, target, no_single_gap, need_accessible):
            if score < best_score:
                best, best_score = s, score
    return best


def _best_two_rows(
    index: _SearchIndex,
    order: list[tuple[float, int]],
    mask: bytes,
    n: int,
    targets: Sequence[Target],
    need_accessible: bool,
) -> list[int] | None:
    """ceil(n/2) seats in one row and the rest in a neighbouring row of the same
    section: the pair whose combined centre is nearest the section's target, plus the
    distance between the two blocks."""
    layout_rows = index.segment_row
    first, second = (n + 1) // 2, n // 2
    px, py = index.px, index.py
    best, best_score = None, math.inf
    slack = index.pitch * 2  # the combined centre can lie between two rows' boxes
    needle = b"\x01" * first
    if mask.find(needle) < 0:
        return None
    segments = index.segments
    for bound, k in order:
        if bound - slack >= best_score:
            break
        if need_accessible and not index.has_accessible[k]:
            continue
        if mask.find(needle, *segments[k]) < 0:
            continue
        target = index.target(targets, k)
        fx, fy, _penalty = target
        cand_a = heapq.nsmallest(
            8, _candidates(index, mask, k, first, target, False, need_accessible)
        )
        if not cand_a:
            continue
        row = layout_rows[k]
        for other_row in (row - 1, row + 1):
            for k2 in index.row_segments.get(other_row, ()):
                if not _same_section(index, k, k2):
                    continue
                seg2 = index.segments[k2]
                starts_b = [
                    s
                    for a, b in _runs(mask, seg2[0], seg2[1], second)
                    for s in range(a, b - second + 1)
                ]
                if not starts_b:
                    continue
                for score_a, sa in cand_a:
                    ax = (px[sa + first] - px[sa]) / first
                    ay = (py[sa + first] - py[sa]) / first
                    # a's penalties (the section's included) without its distance
                    a_penalties = score_a - math.hypot(ax - fx, ay - fy)
                    for sb in starts_b:
                        bx = (px[sb + second] - px[sb]) / second
                        by = (py[sb + second] - py[sb]) / second
                        cx = (ax * first + bx * second) / n
                        cy = (ay * first + by * second) / n
                        score = (
                            math.hypot(cx - fx, cy - fy)
                            + TWO_ROW_SPREAD_WEIGHT * math.hypot(ax - bx, ay - by)
                            + (index.pob[sb + second] - index.pob[sb])
                            * OBSTRUCTED_PENALTY_PITCHES
                            * index.pitch
                            + a_penalties
                        )
                        if score < best_score:
                            best_score = score
                            best = [*range(sa, sa + first), *range(sb, sb + second)]
    return best


def _same_section(index: _SearchIndex, k1: int, k2: int) -> bool:
    return index.section_of_segment[k1] == index.section_of_segment[k2]


def _nearest_free(
    layout: SeatMapLayout,
    index: _SearchIndex,
    order: list[tuple[float, int]],
    mask: bytes,
    n: int,
    targets: Sequence[Target],
) -> list[int]:
    """The n free seats scoring best one by one (a max-heap of the best so far)."""
    heap: list[tuple[float, int]] = []  # (-score, index)
    xs, ys = layout.xs, layout.ys
    for bound, k in order:
        if len(heap) == n and bound > -heap[0][0]:
            break
        a, b = index.segments[k]
        fx, fy, penalty = index.target(targets, k)
        i = mask.find(1, a, b)
        while i >= 0:
            d = math.hypot(xs[i] - fx, ys[i] - fy) + penalty
            if len(heap) < n:
                heapq.heappush(heap, (-d, i))
            elif d < -heap[0][0]:
                heapq.heapreplace(heap, (-d, i))
            i = mask.find(1, i + 1, b)
    return sorted(i for _d, i in heap)


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


def tickets_by_category(tickets: Sequence[TicketInfo]) -> dict[str, list[TicketInfo]]:
    out: dict[str, list[TicketInfo]] = {}
    for ticket in tickets:
        if ticket.category:
            out.setdefault(ticket.category, []).append(ticket)
    return out
