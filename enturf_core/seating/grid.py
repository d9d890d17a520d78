"""Which seat is at a point, which seats lie in a rectangle: a spatial index."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable

from enturf_core.seating.layout import SeatMapLayout

__all__ = ["SeatGrid"]


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
