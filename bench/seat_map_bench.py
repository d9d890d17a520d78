"""Seat map widget: build, paint, pan, update and hit-test times for big venues.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/seat_map_bench.py [--seats 100000]

Software rendering (the offscreen platform's raster backing store), one process, the
synthetic arena of tests/pos/seat_map_fixtures.py (35 % sold, 3 % held, 1 % blocked).
The view is a frameless SeatMapView whose viewport is exactly 1920x1080. Paint figures
are wall times of ``viewport().repaint()`` (synchronous, into the backing store) or of
running the event loop once after a change (which paints what the change exposed);
each is the median (and worst) of several runs. The load average is printed: on a
shared machine other processes inflate the figures.

What each line measures:

* build: ``SeatMapLayout.from_api`` on the API dict (parse into columns), then
  ``SeatMapView.set_layout`` (spatial grid, paint codes, graphics items, fit).
* full repaint, no caches: the map fitted to the view (every seat visible) with item
  caching switched off, so every tile draws all its seats. Target < 60 ms.
* first paint with caches: the same with the tiles' device caches on but empty (after
  a zoom, every tile renders into its cache).
* pan from cached tiles: zoomed to 2.5x the fit, warm caches, the view scrolled by
  48 px per step (alternating right and down) and the event loop run once: the view
  moves its pixels and paints the exposed strip, tiles rendering only the newly exposed
  part of their caches. Target < 16 ms. Also, after each step, a forced repaint of the
  whole viewport from the caches (what a window without scroll acceleration would do).
* 50 seats change: ``set_statuses`` of 50 random seats (all over the map), then the
  event loop run once: only those seats' rectangles are re-rendered into the caches
  and painted. Target < 30 ms. Also with a forced repaint of the whole viewport.
* hit-test: ``SeatMapView.seat_at`` on 20,000 random viewport points (map to scene +
  grid lookup), per call. Target < 1 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "pos"))

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFrame, QGraphicsItem
from seat_map_fixtures import arena_seat_map, availability_statuses

from enturf_core.seating.layout import SeatMapLayout
from enturf_pos.ui.seat_map import SeatMapView

TARGETS = {"full": 60.0, "pan": 16.0, "change": 30.0, "hit": 1.0}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def report(what: str, samples: list[float], target_ms: float | None = None) -> None:
    median = statistics.median(samples)
    line = f"  {what:<52} median {ms(median)}   worst {ms(max(samples))}"
    if target_ms is not None:
        verdict = "ok" if median * 1000 < target_ms else "OVER"
        line += f"   target < {target_ms:g} ms: {verdict}"
    print(line)


def build(app: QApplication, seats: int) -> tuple[SeatMapView, SeatMapLayout, dict]:
    data = arena_seat_map(seats)
    t0 = time.perf_counter()
    layout = SeatMapLayout.from_api(data)
    t1 = time.perf_counter()
    view = SeatMapView()
    view.setFrameShape(QFrame.Shape.NoFrame)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.resize(1920, 1080)
    statuses = availability_statuses(data, sold=0.35, held=0.03, blocked=0.01)
    t2 = time.perf_counter()
    view.set_layout(layout, statuses=statuses)
    t3 = time.perf_counter()
    print(f"build, {seats:,} seats ({len(view.map_scene.tiles)} tiles, "
          f"{len(view.map_scene.items())} graphics items):")  # fmt: skip
    print(f"  {'parse the API dict into SeatMapLayout columns':<52} {ms(t1 - t0)}")
    print(f"  {'set_layout: grid, paint codes, items (statuses incl.)':<52} {ms(t3 - t2)}")
    print(f"  {'total':<52} {ms(t1 - t0 + t3 - t2)}")
    view.show()
    for _ in range(5):
        app.processEvents()
    view.fit()
    app.processEvents()
    return view, layout, data


def paint_figures(app: QApplication, view: SeatMapView, layout: SeatMapLayout) -> None:
    viewport = view.viewport()
    assert viewport.width() == 1920 and viewport.height() == 1080, viewport.size()
    scene = view.map_scene
    print(f"paint, {len(layout):,} seats, viewport {viewport.width()}x{viewport.height()}, "
          f"seat {view.seat_px():.1f} px at fit:")  # fmt: skip

    scene.set_cache_mode(QGraphicsItem.CacheMode.NoCache)
    viewport.repaint()
    report(
        "full repaint, all seats visible, no caches", timed(viewport.repaint, 7), TARGETS["full"]
    )

    scene.set_cache_mode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def cold() -> None:
        for tile in scene.tiles:
            tile.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            tile.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        viewport.repaint()

    report("first paint with empty caches (after a zoom)", timed(cold, 5))
    report("repaint from warm caches, nothing changed", timed(viewport.repaint, 7))

    view.zoom_by(2.5)
    app.processEvents()
    viewport.repaint()
    h, v = view.horizontalScrollBar(), view.verticalScrollBar()
    h.setValue(h.minimum() + (h.maximum() - h.minimum()) // 4)
    v.setValue(v.minimum() + (v.maximum() - v.minimum()) // 4)
    app.processEvents()
    viewport.repaint()
    steps, full_steps, rendered = [], [], 0
    for k in range(40):
        before = sum(t.paints for t in scene.tiles)
        t = time.perf_counter()
        if k % 2:
            v.setValue(v.value() + 48)
        else:
            h.setValue(h.value() + 48)
        app.processEvents()  # the view scrolls its pixels and paints the exposed strip
        steps.append(time.perf_counter() - t)
        rendered += sum(t.paints for t in scene.tiles) - before
        t = time.perf_counter()
        viewport.repaint()
        full_steps.append(time.perf_counter() - t)
    px = view.seat_px()
    report(f"pan 48 px per step (seat {px:.1f} px): scroll + paint", steps, TARGETS["pan"])
    print(f"  {'':<52} ({rendered} tile renders of newly exposed strips in 40 steps)")
    report("  the same, whole viewport repainted from caches", full_steps)

    view.fit()
    app.processEvents()
    viewport.repaint()
    rng = random.Random(5)
    states = ["sold", "held", "available", "blocked"]
    changes, full_changes = [], []
    for _ in range(15):
        picks = rng.sample(range(len(layout)), 50)
        statuses = {layout.ids[i]: rng.choice(states) for i in picks}
        t = time.perf_counter()
        view.set_statuses(statuses)
        app.processEvents()  # the changed seats' rectangles are re-rendered and painted
        changes.append(time.perf_counter() - t)
        statuses = {layout.ids[i]: rng.choice(states) for i in picks}
        t = time.perf_counter()
        view.set_statuses(statuses)
        app.processEvents()
        viewport.repaint()
        full_changes.append(time.perf_counter() - t)
    report("50 seats change: set_statuses + paint", changes, TARGETS["change"])
    report("  the same, whole viewport repainted", full_changes)

    view.zoom_by(2.5)
    app.processEvents()
    points = [QPoint(rng.randrange(1920), rng.randrange(1080)) for _ in range(20_000)]
    t = time.perf_counter()
    hits = sum(1 for p in points if view.seat_at(p) is not None)
    per_call = (time.perf_counter() - t) / len(points)
    print(f"  {'hit-test: seat_at(viewport point), per call':<52} "
          f"mean {per_call * 1e6:8.1f} µs   ({hits:,} of {len(points):,} points on a seat)"
          f"   target < {TARGETS['hit']:g} ms: {'ok' if per_call * 1000 < TARGETS['hit'] else 'OVER'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, nargs="*", default=[20_000, 100_000])
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    print(
        f"Qt platform: {app.platformName()} (software rendering), Python "
        f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    for seats in args.seats:
        view, layout, _data = build(app, seats)
        paint_figures(app, view, layout)
        view.close()
        view.deleteLater()
        app.processEvents()
        print()


if __name__ == "__main__":
    main()
