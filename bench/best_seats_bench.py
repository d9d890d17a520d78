"""Best available seats (enturf_core.seating.best_available.best_seats) on big arenas.

    .venv/bin/python bench/best_seats_bench.py [--seats 20000 100000]

Pure Python, no Qt. The synthetic arena of tests/pos/seat_map_fixtures.py, houses
sold to several levels (each section's front rows first, with some randomness, as real
sales go; 2 % of the rest held),
plus a "checkerboard" house where every other seat is sold, so no two free seats are
together and the search falls through every tier to the last.

What each line measures:

* layout: ``SeatMapLayout.from_api`` (once per seat map) and the search index built on
  the first call (prefix sums and row boxes, once per layout, cached on it).
* per house: one ``best_seats`` call (free mask from ``sellable_mask``, already built),
  for n = 1, 2, 4, 8 and 12 seats, towards the stage and towards 10 random focal
  points each, plus accessible pairs; median and worst call, and which tiers answered.
  Target < 50 ms per call.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "pos"))

from seat_map_fixtures import arena_seat_map

from enturf_core.seating.best_available import best_seats
from enturf_core.seating.layout import SeatMapLayout
from enturf_core.seating.states import SeatStates, sellable_mask

TARGET_MS = 50.0


def house(layout: SeatMapLayout, name: str, rng: random.Random) -> bytes:
    """A house sold to the named share: the front rows of each section go first (with
    some randomness), 2 % of what is left is held by other carts."""
    states = SeatStates(layout)
    if name == "checkerboard":
        states.apply({layout.ids[i]: "sold" for i in range(0, len(layout), 2)})
    elif name != "empty":
        share = float(name.removesuffix("% sold")) / 100
        depth = {}
        for section in layout.sections:
            rows = len(section.rows)
            for r in section.rows:
                for i in layout.rows[r].seats:
                    depth[i] = (r - section.rows.start) / max(1, rows) + rng.random() * 0.6
        order = sorted(depth, key=depth.__getitem__)
        sold = order[: int(share * len(order))]
        rest = order[len(sold) :]
        statuses = {layout.ids[i]: "sold" for i in sold}
        statuses.update({layout.ids[i]: "held" for i in rng.sample(rest, len(rest) // 50)})
        states.apply(statuses)
    return sellable_mask(states)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, nargs="*", default=[20_000, 100_000])
    args = parser.parse_args()
    print(
        f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs; target < {TARGET_MS:g} ms per call"
    )
    for seats in args.seats:
        data = arena_seat_map(seats)
        t = time.perf_counter()
        layout = SeatMapLayout.from_api(data)
        parsed = time.perf_counter() - t
        free = bytes([1]) * len(layout)
        t = time.perf_counter()
        best_seats(layout, free, 2)
        first = time.perf_counter() - t
        print(
            f"\n{seats:,} seats, {len(layout.rows):,} rows, {len(layout.segments):,} row segments"
        )
        print(f"  {'SeatMapLayout.from_api':<44} {parsed * 1000:8.1f} ms")
        print(f"  {'first call (builds the search index)':<44} {first * 1000:8.1f} ms")
        rng = random.Random(11)
        left, top, right, bottom = layout.bounds
        focals = [None] + [(rng.uniform(left, right), rng.uniform(top, bottom)) for _ in range(10)]
        for name in ["empty", "35% sold", "70% sold", "90% sold", "98% sold", "checkerboard"]:
            mask = house(layout, name, rng)
            times, tiers = [], collections.Counter()
            for n in (1, 2, 4, 8, 12):
                for focal in focals:
                    t = time.perf_counter()
                    result = best_seats(layout, mask, n, focal=focal)
                    times.append(time.perf_counter() - t)
                    tiers[result.tier.name] += 1
            t = time.perf_counter()
            accessible = best_seats(layout, mask, 2, accessible=True)
            times.append(time.perf_counter() - t)
            tiers[f"accessible:{accessible.accessible}"] += 1
            median, worst = statistics.median(times) * 1000, max(times) * 1000
            verdict = "ok" if worst < TARGET_MS else "OVER"
            free_share = mask.count(1) / len(mask)
            print(
                f"  {name:<13} ({free_share:4.0%} free) {len(times):3d} calls: median "
                f"{median:6.2f} ms, worst {worst:6.2f} ms [{verdict}]  tiers "
                + ", ".join(f"{k} {v}" for k, v in sorted(tiers.items()))
            )


if __name__ == "__main__":
    main()
