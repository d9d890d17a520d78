"""Synthetic seat maps in the server's seat-map detail shape (`GET /api/v1/seatmaps/{id}/`),
for the seat-map tests and benchmarks (no server code is imported).

* :func:`theatre_seat_map`: a 1,500-seat theatre like the demo's Theatre Royal (stalls,
  circle, balcony in curved rows facing a stage at the top).
* :func:`arena_seat_map`: an arena like the demo's Enturf Arena (a horseshoe of sections
  in tiers round a standing floor and a stage), scaling to any size: 20,000 seats is the
  demo's size, 100,000 the stress test.

Seat ids start at ``first_id`` (not 0), so that an id is never mistaken for an index.
"""

from __future__ import annotations

import math
import random
import string
from typing import Any

ROW_LETTERS = [c for c in string.ascii_uppercase if c not in "IO"]


def _arc(cx: float, cy: float, radius: float, start: float, end: float, n: int) -> list[tuple]:
    span = end - start
    return [
        (
            round(cx + radius * math.sin(start + span * (j + 0.5) / n), 1),
            round(cy + radius * math.cos(start + span * (j + 0.5) / n), 1),
        )
        for j in range(n)
    ]


class _Ids:
    def __init__(self, first: int) -> None:
        self.next = first

    def __call__(self) -> int:
        value = self.next
        self.next += 1
        return value


def _seat(ids: _Ids, section: str, row: str, label: str, x: float, y: float, category: str,
          accessible: bool = False, companion: bool = False, obstructed: bool = False) -> dict:  # fmt: skip
    return {
        "id": ids(),
        "key": f"{section}/{row}/{label}",
        "label": label,
        "x": x,
        "y": y,
        "category": category,
        "accessible": accessible,
        "companion": companion,
        "obstructed": obstructed,
    }


def _row_sizes(total: int, rows: int, first: int) -> list[int]:
    if rows == 1:
        return [total]
    step = 2 * (total - first * rows) / (rows * (rows - 1))
    sizes = [round(first + i * step) for i in range(rows)]
    sizes[-1] += total - sum(sizes)
    return sizes


def theatre_seat_map(first_id: int = 10_001) -> dict[str, Any]:
    """1,500 seats: stalls 800 (20 rows), circle 450 (10), balcony 250 (6)."""
    ids = _Ids(first_id)
    section_ids = _Ids(1)
    cx, cy, seat_pitch, row_pitch = 500.0, -260.0, 11.0, 14.0
    sections = []
    for name, total, rows, first, radius0, premium_rows in [
        ("Stalls", 800, 20, 30, 360.0, 5),
        ("Circle", 450, 10, 38, 660.0, 3),
        ("Balcony", 250, 6, 38, 830.0, 0),
    ]:
        out_rows = []
        for i, size in enumerate(_row_sizes(total, rows, first)):
            radius = radius0 + i * row_pitch
            half = size * seat_pitch / radius / 2
            row_label = ROW_LETTERS[i]
            last = i == rows - 1
            seats = []
            for j, (x, y) in enumerate(_arc(cx, cy, radius, -half, half, size)):
                number = j + 1
                seats.append(
                    _seat(
                        ids,
                        name,
                        row_label,
                        str(number),
                        x,
                        y,
                        "premium" if i < premium_rows else "standard",
                        accessible=name == "Stalls" and last and number in (1, size),
                        companion=name == "Stalls" and last and number in (2, size - 1),
                        obstructed=name == "Balcony"
                        and i == 0
                        and (number <= 3 or number > size - 3),
                    )
                )
            out_rows.append({"id": section_ids() * 100 + i, "label": row_label, "seats": seats})
        sections.append({"id": section_ids.next, "name": name, "rows": out_rows})
    return {
        "id": 1,
        "name": "Theatre (synthetic)",
        "stage_x": 500.0,
        "stage_y": 60.0,
        "width": 1000.0,
        "height": 1120.0,
        "sections": sections,
        "areas": [],
    }


ARENA_CATEGORIES = ["lower", "club", "upper", "gallery", "summit"]


def arena_seat_map(total: int = 20_000, first_id: int = 100_001) -> dict[str, Any]:
    """`total` seats in a horseshoe (270 degrees, open towards the stage) of tiers of 22
    rows, each tier cut into sections by radial aisles (more sections in outer tiers);
    a standing floor in front of the stage. Categories by tier; the middle sections of
    the lowest tier are "premium"; wheelchair spaces at the back row's ends of each
    section, companions beside them; the front row's outer seats of the end sections
    have a restricted view."""
    ids = _Ids(first_id)
    cx, cy = 0.0, 0.0
    seat_pitch, row_pitch, tier_gap, rows_per_tier = 10.0, 10.0, 28.0, 22
    opening = math.radians(45)
    start, end = math.pi - opening, -math.pi + opening
    aisle = 2.2 * seat_pitch  # width of a radial aisle (map units)
    sections: list[dict[str, Any]] = []
    left = total
    tier = 0
    radius = 560.0
    while left > 0:
        count = 8 + 4 * min(tier, 3)  # sections in this tier
        category = ARENA_CATEGORIES[min(tier, len(ARENA_CATEGORIES) - 1)]
        span = (end - start) / count
        tier_sections = [
            {"id": tier * 100 + k + 1, "name": f"{(tier + 1) * 100 + k + 1}", "rows": []}
            for k in range(count)
        ]
        for r in range(rows_per_tier):
            if left <= 0:
                break
            rad = radius + r * row_pitch
            gap = aisle / rad  # radians
            per_section = max(4, int((abs(span) - gap) * rad / seat_pitch))
            for k, section in enumerate(tier_sections):
                if left <= 0:
                    break
                size = min(per_section, left)
                a = start + k * span + math.copysign(gap / 2, span)
                b = a + math.copysign(size * seat_pitch / rad, span)
                if size < per_section:  # the last, partial row: centred in the section
                    shift = (abs(span) - gap - size * seat_pitch / rad) / 2
                    a += math.copysign(shift, span)
                    b += math.copysign(shift, span)
                row_label = str(r + 1)
                name = section["name"]
                last_row = r == rows_per_tier - 1
                end_section = k in (0, count - 1)
                seat_category = (
                    "premium"
                    if tier == 0 and count // 2 - 2 <= k < count // 2 + 2 and r < 10
                    else category
                )
                section["rows"].append(
                    {
                        "id": section["id"] * 1000 + r,
                        "label": row_label,
                        "seats": [
                            _seat(
                                ids,
                                name,
                                row_label,
                                str(j + 1),
                                x,
                                y,
                                seat_category,
                                accessible=last_row and j in (0, size - 1),
                                companion=last_row and j in (1, size - 2),
                                obstructed=end_section and r == 0 and j < 4,
                            )
                            for j, (x, y) in enumerate(_arc(cx, cy, rad, a, b, size))
                        ],
                    }
                )
                left -= size
        sections.extend(s for s in tier_sections if s["rows"])
        radius += rows_per_tier * row_pitch + tier_gap
        tier += 1
    extent = radius + 20
    return {
        "id": 2,
        "name": f"Arena (synthetic, {total:,} seats)",
        "stage_x": 0.0,
        "stage_y": -420.0,
        "width": 2 * extent,
        "height": 2 * extent,
        "sections": sections,
        "areas": [
            {
                "id": 1,
                "name": "Floor Standing",
                "capacity": 2_000,
                "x": -260.0,
                "y": -330.0,
                "width": 520.0,
                "height": 640.0,
            }
        ],
    }


def availability_statuses(
    seat_map: dict[str, Any], *, sold: float, held: float = 0.0, blocked: float = 0.0, seed: int = 7
) -> dict[int, str]:
    """{seat id: status} for a house that is `sold`/`held`/`blocked` (fractions) full,
    sold seats clustered towards the front, as real sales are."""
    rng = random.Random(seed)
    out: dict[int, str] = {}
    for section in seat_map["sections"]:
        rows = section["rows"]
        for r, row in enumerate(rows):
            front = 1.0 - r / max(1, len(rows))  # front rows sell first
            for seat in row["seats"]:
                p = rng.random()
                if p < sold * (0.5 + front):
                    out[seat["id"]] = "sold"
                elif p < sold * (0.5 + front) + held:
                    out[seat["id"]] = "held"
                elif p < sold * (0.5 + front) + held + blocked:
                    out[seat["id"]] = "blocked"
    return out


def all_seat_ids(seat_map: dict[str, Any]) -> list[int]:
    return [s["id"] for sec in seat_map["sections"] for row in sec["rows"] for s in row["seats"]]
