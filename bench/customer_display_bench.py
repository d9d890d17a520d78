"""The customer display's cost on the cashier's side (offscreen Qt).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/customer_display_bench.py [--seats 20000]

The display draws the cart's seats on a second `SeatMapView` over the cashier's own
`SeatMapState`, so every layout load and every status change now paints two scenes.
What each line measures (median of --repeat runs, wall clock, this machine's load shown):

* open: `SeatMapState.set_layout` of the synthetic arena (tests/support/seat_map_fixtures)
  with the cashier's view alone, then with the display's read-only view as well;
* statuses: one sync answer marking 2 % of the seats sold (`set_statuses`), same two ways;
* cart: a cart change through `CustomerDisplayState.show_cart` to the redrawn display
  (lines, total, seats, the map zoomed on them), for 2 and 12 seats.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the support package
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from support.seat_map_fixtures import arena_seat_map

from enturf_core.money import Money
from enturf_core.seating.layout import SeatMapLayout
from enturf_pos.ui.customer_display.display_state import (
    CartLine,
    CustomerDisplayState,
)
from enturf_pos.ui.customer_display.window import CustomerDisplay
from enturf_pos.ui.seat_map import SeatMapState, SeatMapView


def timed(step, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        QApplication.processEvents()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _app = QApplication.instance() or QApplication([])  # kept alive for the run
    layout = SeatMapLayout.from_api(arena_seat_map(args.seats))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; {len(layout)} seats")
    rng = random.Random(7)
    sold = {layout.ids[i]: "sold" for i in rng.sample(range(len(layout)), len(layout) // 50)}

    figures = {}
    for name, with_display in (("cashier only", False), ("with display", True)):
        state = SeatMapState()
        view = SeatMapView(state)
        view.resize(900, 700)
        view.show()
        display = None
        if with_display:
            display = CustomerDisplay(CustomerDisplayState("Arena"), seat_map=state)
            display.resize(1366, 768)
            display.show()
            display.state.show_cart(
                "Gala",
                [CartLine("Seat", "Adult", 1, Money(Decimal("45"), "EUR"), layout.ids[0])],
                Money(Decimal("45"), "EUR"),
            )
        opened = timed(lambda s=state: s.set_layout(layout), args.repeat)
        statuses = timed(lambda s=state: (s.set_statuses(sold), s.set_statuses({})), 1)
        figures[name] = (opened, statuses)
        print(f"{name:13}  open {opened:8.1f} ms   statuses (2 % sold) {statuses:8.1f} ms")
        if display is not None:
            for count in (2, 12):
                seats = [layout.ids[i] for i in range(100, 100 + count)]
                lines = [
                    CartLine(f"Seat {i}", "Adult", 1, Money(Decimal("45"), "EUR"), sid)
                    for i, sid in enumerate(seats)
                ]

                def cart(lines=lines, seats=seats, state=state, display=display) -> None:
                    state.set_selection(seats, emit=False)
                    display.state.show_cart("Gala", lines, Money(Decimal("45") * len(lines), "EUR"))
                    display.repaint()

                print(
                    f"{'':13}  cart of {count:2} seats to the redrawn display "
                    f"{timed(cart, args.repeat):6.1f} ms"
                )
            display.close()
        view.close()
    ratio = figures["with display"][0] / figures["cashier only"][0]
    print(f"open with the display / without: {ratio:.2f}x")


if __name__ == "__main__":
    main()
