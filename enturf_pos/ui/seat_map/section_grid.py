"""SectionedGrid: the spatial index of an edited seat map, one :class:`SeatGrid` per
section, so that an edit rebuilds only the grids of the sections it changed.

The seat-map editor's layouts are assembled from per-section parts (a section is a
contiguous range of seat indices); this grid answers the same questions as
:class:`SeatGrid` (``seat_at``, ``in_rect``, ``nearest_in_direction``) by asking the
grids of the sections whose box is near, and shifting their answers by the section's
first seat index.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from enturf_core.seating.grid import SeatGrid
from enturf_core.seating.layout import SeatMapLayout


@dataclass(frozen=True, eq=False)
class SeatPoints:
    """A section's seat centres, indexed from 0: what a :class:`SeatGrid` reads."""

    xs: array
    ys: array
    pitch: float

    def __len__(self) -> int:
        return len(self.xs)


class SectionGrid:
    """One section's grid and box; built once per version of the section."""

    def __init__(self, points: SeatPoints, cell: float) -> None:
        self.grid = SeatGrid(points, cell)  # type: ignore[arg-type]  # duck-typed layout
        if len(points):
            self.box = (min(points.xs), min(points.ys), max(points.xs), max(points.ys))
        else:
            self.box = (0.0, 0.0, -1.0, -1.0)


class SectionedGrid(SeatGrid):
    """A SeatGrid over a whole layout made of section grids (``parts[k]`` is section
    ``k``'s, its seats starting at ``layout.sections[k].seats.start``)."""

    def __init__(self, layout: SeatMapLayout, parts: Sequence[SectionGrid]) -> None:
        # no bucket arrays of its own: every query goes to the parts
        self.layout = layout
        self.cell = parts[0].grid.cell if parts else layout.pitch * 2
        self.parts = list(parts)
        self.starts_of = [s.seats.start for s in layout.sections]

    def _near(self, x0: float, y0: float, x1: float, y1: float):
        for part, start in zip(self.parts, self.starts_of, strict=True):
            bx0, by0, bx1, by1 = part.box
            if bx0 <= x1 and x0 <= bx1 and by0 <= y1 and y0 <= by1:
                yield part, start

    def seat_at(self, x: float, y: float, radius: float | None = None) -> int | None:
        r = self.layout.pitch * 0.6 if radius is None else radius
        best, best_d = None, r * r
        xs, ys = self.layout.xs, self.layout.ys
        for part, start in self._near(x - r, y - r, x + r, y + r):
            i = part.grid.seat_at(x, y, r)
            if i is not None:
                i += start
                d = (xs[i] - x) ** 2 + (ys[i] - y) ** 2
                if d <= best_d:
                    best, best_d = i, d
        return best

    def in_rect(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        if x0 > x1:
            x0, x1 = x1, x0
        if y0 > y1:
            y0, y1 = y1, y0
        out: list[int] = []
        for part, start in self._near(x0, y0, x1, y1):  # sections in seat order
            out.extend(i + start for i in part.grid.in_rect(x0, y0, x1, y1))
        return out
