"""Best available: :func:`best_seats` picks N seats for the counter.

See its docstring for the tiers and the score; ``docs/seat-map.md`` explains the
default ranking of sections.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from weakref import WeakKeyDictionary

from enturf_core.seating.layout import ACCESSIBLE, COMPANION, OBSTRUCTED, SeatMapLayout
from enturf_core.seating.states import mask_and, nonzero_mask

__all__ = ["BestSeats", "Tier", "best_seats"]


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


# A layout is immutable: its search index is computed once and lives as long as it.
_SEARCH_INDEXES: WeakKeyDictionary[SeatMapLayout, _SearchIndex] = WeakKeyDictionary()


def search_index(layout: SeatMapLayout) -> _SearchIndex:
    """The layout's prefix sums and segment boxes for :func:`best_seats` (cached)."""
    index = _SEARCH_INDEXES.get(layout)
    if index is None:
        index = _SEARCH_INDEXES[layout] = _SearchIndex(layout)
    return index


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
    mask = nonzero_mask(free) if pickable is None else mask_and(free, pickable)
    if mask.count(1) < n:
        return BestSeats((), Tier.NONE)
    index = search_index(layout)
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
