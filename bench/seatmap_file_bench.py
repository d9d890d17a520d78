"""Seat-map files (enturf_core/seatmap_editing): checking and converting 100,000 seats.

    .venv/bin/python bench/seatmap_file_bench.py [--seats 100000] [--repeat 5]

Pure Python, no Qt, no Django. The file is a grid of 50 sections of 40 rows, decoded
from JSON as the server and the editor get it (a third of the seats with whole-number
places, one in fifty with a flag). What each line measures, median of the runs:

* ``parse_layout``: the check the server runs on ``POST /api/v1/seatmaps/`` and the
  publish op (the first problem refused).
* ``problems``: the import dialog's check of a whole file (every problem listed).
* ``layout_to_file``: a checked layout written back as a file (export).
* ``to_pretix`` / ``from_pretix``: the file as a pretix seating plan and back, each
  including the check of the file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from enturf_core.seatmap_editing import file_format as ff
from enturf_core.seatmap_editing.pretix_format import from_pretix, to_pretix


def grid_file(seats: int) -> dict[str, Any]:
    sections, rows = 50, 40
    per_row = max(1, seats // (sections * rows))
    data = {
        "format": ff.FORMAT,
        "name": "Bench",
        "categories": [{"name": "premium", "colour": "#B03A2E"}],
        "sections": [
            {
                "name": f"S{s + 1}",
                "rows": [
                    {
                        "label": f"R{r + 1}",
                        "seats": [
                            {
                                "label": str(n + 1),
                                "x": n * 10 if n % 3 == 0 else n * 10.5,
                                "y": float(s * 1000 + r * 12),
                                "category": "premium" if n % 2 else "standard",
                                **({"accessible": True} if n % 50 == 0 else {}),
                            }
                            for n in range(per_row)
                        ],
                    }
                    for r in range(rows)
                ],
            }
            for s in range(sections)
        ],
        "decorations": [{"kind": "stage", "points": [[0, -60], [500, -60], [500, -10], [0, -10]]}],
    }
    return json.loads(json.dumps(data))


def timed(label: str, run: Callable[[], Any], repeat: int) -> Any:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    print(f"{label:<16} median {statistics.median(times):6.3f} s   worst {max(times):6.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seats", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = grid_file(args.seats)
    layout = ff.parse_layout(data)
    print(f"{layout.seat_count:,} seats, load average {os.getloadavg()[0]:.2f}")
    timed("parse_layout", lambda: ff.parse_layout(data), args.repeat)
    assert timed("problems", lambda: ff.problems(data), args.repeat) == []
    timed("layout_to_file", lambda: ff.layout_to_file(layout, name="Bench"), args.repeat)
    plan = timed("to_pretix", lambda: to_pretix(data), args.repeat)
    timed("from_pretix", lambda: from_pretix(plan), args.repeat)


if __name__ == "__main__":
    main()
