"""The demo venues' seat maps, generated in the seat-map import format (docs/api.md).

Theatre Royal: 1,500 seats in curved rows facing a stage at the top (stalls 800,
circle 450, balcony 250). Enturf Arena: 20,000 seats in 16 sections on two tiers
around a standing floor (2,000) in front of a stage at the top.

Map units are abstract (about 10 per seat); the POS scales the map to fit.
"""

from __future__ import annotations

import math
import string
from typing import Any

THEATRE_NAME = "Theatre Royal"
ARENA_NAME = "Enturf Arena"
MAIN_LAYOUT = "Main layout"
FLOOR_AREA = "Floor Standing"

# Theatre rows skip I and O, as most theatres do (they read like 1 and 0).
ROW_LETTERS = [c for c in string.ascii_uppercase if c not in "IO"]


def row_sizes(total: int, rows: int, first: int) -> list[int]:
    """`rows` row sizes growing evenly from `first` and adding up to exactly `total`."""
    if rows == 1:
        return [total]
    step = 2 * (total - first * rows) / (rows * (rows - 1))
    sizes = [round(first + i * step) for i in range(rows)]
    sizes[-1] += total - sum(sizes)
    return sizes


def _arc(cx: float, cy: float, radius: float, start: float, end: float, n: int) -> list[tuple]:
    """`n` points evenly spaced on an arc; angles in radians, 0 pointing down (+y)."""
    span = end - start
    return [
        (
            round(cx + radius * math.sin(start + span * (j + 0.5) / n), 1),
            round(cy + radius * math.cos(start + span * (j + 0.5) / n), 1),
        )
        for j in range(n)
    ]


def _seat(label: str, x: float, y: float, category: str, **flags: bool) -> dict[str, Any]:
    seat: dict[str, Any] = {"label": label, "x": x, "y": y, "category": category}
    seat.update({k: v for k, v in flags.items() if v})
    return seat


def _theatre_section(
    name: str, total: int, rows: int, first: int, radius0: float, premium_rows: int
) -> dict[str, Any]:
    # Rows curve round a point above the stage, so every seat faces it.
    cx, cy, seat_pitch, row_pitch = 500.0, -260.0, 11.0, 14.0
    out_rows = []
    sizes = row_sizes(total, rows, first)
    for i, size in enumerate(sizes):
        radius = radius0 + i * row_pitch
        half = size * seat_pitch / radius / 2
        # drawn from the audience's left (stage right) to right, numbered 1..n
        points = _arc(cx, cy, radius, -half, half, size)
        last_row = i == rows - 1
        seats = []
        for j, (x, y) in enumerate(points):
            number = j + 1
            at_end = number in (1, size)
            beside_end = number in (2, size - 1)
            seats.append(
                _seat(
                    str(number),
                    x,
                    y,
                    "premium" if i < premium_rows else "standard",
                    accessible=name == "Stalls" and last_row and at_end,
                    companion=name == "Stalls" and last_row and beside_end,
                    obstructed=name == "Balcony" and i == 0 and (number <= 3 or number > size - 3),
                )
            )
        out_rows.append({"label": ROW_LETTERS[i], "seats": seats})
    return {"name": name, "rows": out_rows}


def theatre_royal() -> dict[str, Any]:
    """Theatre Royal's seat map: 1,500 seats (stalls 800, circle 450, balcony 250)."""
    sections = [
        _theatre_section("Stalls", 800, 20, 30, radius0=360.0, premium_rows=5),
        _theatre_section("Circle", 450, 10, 38, radius0=660.0, premium_rows=3),
        _theatre_section("Balcony", 250, 6, 38, radius0=830.0, premium_rows=0),
    ]
    return {
        "name": MAIN_LAYOUT,
        "stage_x": 500.0,
        "stage_y": 60.0,
        "width": 1000.0,
        "height": 700.0,
        "sections": sections,
        "areas": [],
    }


def _arena_section(
    name: str,
    category: str,
    start: float,
    end: float,
    radius0: float,
    rows: int,
    total: int,
    first: int,
    accessible_back_row: bool,
    obstructed_front: bool,
) -> dict[str, Any]:
    cx, cy, row_pitch = 1100.0, 900.0, 10.0
    out_rows = []
    for i, size in enumerate(row_sizes(total, rows, first)):
        points = _arc(cx, cy, radius0 + i * row_pitch, start, end, size)
        back = i == rows - 1
        seats = [
            _seat(
                str(j + 1),
                x,
                y,
                category,
                accessible=accessible_back_row and back and j in (0, size - 1),
                companion=accessible_back_row and back and j in (1, size - 2),
                obstructed=obstructed_front and i == 0 and j < 4,
            )
            for j, (x, y) in enumerate(points)
        ]
        out_rows.append({"label": str(i + 1), "seats": seats})
    return {"name": name, "rows": out_rows}


def enturf_arena() -> dict[str, Any]:
    """Enturf Arena's seat map: 20,000 seats in 16 sections plus a 2,000-place floor."""
    # A horseshoe open towards the stage: 270 degrees, eight sections per tier.
    opening = math.radians(45)
    start, end = math.pi - opening, -math.pi + opening  # from stage left round to stage right
    tier_span = (end - start) / 8
    gap = math.radians(1.5)
    sections = []
    for tier, (category, radius0, rows, total, first) in enumerate(
        [("lower", 600.0, 25, 1_400, 46), ("upper", 880.0, 20, 1_100, 45)]
    ):
        for k in range(8):
            a = start + k * tier_span + gap / 2 * (1 if tier_span > 0 else -1)
            b = start + (k + 1) * tier_span - gap / 2 * (1 if tier_span > 0 else -1)
            sections.append(
                _arena_section(
                    f"{category.title()} {(tier + 1) * 100 + k + 1}",
                    category,
                    a,
                    b,
                    radius0,
                    rows,
                    total,
                    first,
                    accessible_back_row=tier == 0,
                    obstructed_front=tier == 1 and k in (0, 7),
                )
            )
    return {
        "name": MAIN_LAYOUT,
        "stage_x": 1100.0,
        "stage_y": 300.0,
        "width": 2200.0,
        "height": 2100.0,
        "sections": sections,
        "areas": [
            {
                "name": FLOOR_AREA,
                "capacity": 2_000,
                "x": 800.0,
                "y": 420.0,
                "width": 600.0,
                "height": 560.0,
            }
        ],
    }
