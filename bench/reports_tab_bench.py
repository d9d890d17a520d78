"""The counter's side of the reports for the sold 20,000-seat arena: what the Reports tab
does with the server's answers once they have arrived (the server's own times are in
bench/reports_bench.py).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/reports_tab_bench.py

One process, software rendering (offscreen), the synthetic arena of
tests/support/seat_map_fixtures.py with 10,000 of its seats sold over 60 days at three
prices (a synthetic occupancy answer in the server's shape). Each line is the median
(and worst) of several runs; the load average is printed, as other processes on a
shared machine inflate the figures. What each line measures:

* occupancy JSON: `json.loads` of the occupancy answer (its seat columns: 20,000 ids,
  sale times and prices), what `requests` does with the body.
* heat scale: `heat_scale` of those columns by sale time, then by price (steps and the
  tooltips' words for 10,000 sold seats).
* heat map shown: `HeatMapState.show` on a `SeatMapView` (paint codes of every seat,
  graphics items, fit) and one repaint of the 1280x720 viewport.
* recolour: sale time -> price paid on the shown map (`HeatMapState.recolour`) and a
  repaint.
* exports of a year's sales by day (365 rows): CSV, XLSX (openpyxl), the PDF with the
  occupancy table and the sales-over-time chart (reportlab).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the support package

from PySide6.QtWidgets import QApplication
from support.seat_map_fixtures import arena_seat_map

from enturf_core.seating.layout import SeatMapLayout
from enturf_pos.services.reports import report_export, report_pdf
from enturf_pos.services.reports.heat_scale import BY_PRICE, BY_TIME, heat_scale
from enturf_pos.services.reports.report_tables import occupancy_table, sales_table
from enturf_pos.ui.manager.report_heat_map import STEPS, HeatMapState
from enturf_pos.ui.seat_map import SeatMapView

SOLD = 10_000
RUNS = 7


def timed(fn, runs: int = RUNS) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def line(what: str, times: list[float]) -> None:
    print(
        f"{what:<44} median {statistics.median(times) * 1000:8.2f} ms   worst {max(times) * 1000:8.2f} ms"
    )


def occupancy_answer(seat_ids: list[int]) -> dict:
    rng = random.Random(16)
    sold = set(rng.sample(seat_ids, SOLD))
    start = int(datetime(2026, 10, 1, 9, tzinfo=UTC).timestamp())
    times, prices = [], []
    for seat in seat_ids:
        if seat in sold:
            times.append(start + int(rng.random() ** 2 * 60 * 86_400))  # most sell early
            prices.append(rng.choice((3900, 5900, 8900)))
        else:
            times.append(None)
            prices.append(None)
    return {
        "event": 1, "capacity": len(seat_ids), "sold": SOLD, "held": 0, "allocated": 0,
        "blocked": 0, "free": len(seat_ids) - SOLD,
        "by_category": [{"category": "standard", "capacity": len(seat_ids), "sold": SOLD,
                         "held": 0, "allocated": 0, "blocked": 0, "free": len(seat_ids) - SOLD}],
        "standing": [],
        "seats": {"ids": seat_ids, "sold_at": times, "price_cents": prices},
        "generated_at": "2026-12-07T15:30:00Z",
    }  # fmt: skip


def year_by_day() -> dict:
    rows = []
    for k in range(365):
        day = date(2026, 1, 1) + timedelta(days=k)
        tickets = 20 + k % 50
        rows.append({"key": day.isoformat(), "label": f"{day:%a %d %b %Y}", "tickets": tickets,
                     "refunded_tickets": k % 3, "gross_cents": tickets * 5900,
                     "tax_cents": tickets * 942, "net_cents": tickets * 4958,
                     "refunds_cents": (k % 3) * 5900})  # fmt: skip
    totals = {key: sum(r[key] for r in rows) for key in rows[0] if key not in ("key", "label")}
    return {"group_by": "day", "currency": "EUR", "rows": rows, "totals": totals}


def main() -> None:
    app = QApplication.instance() or QApplication([])
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}, {os.cpu_count()} CPUs")
    layout = SeatMapLayout.from_api(arena_seat_map(20_000))
    ids = list(layout.ids)
    body = json.dumps(occupancy_answer(ids))
    print(f"arena: {len(layout):,} seats, {SOLD:,} sold; occupancy answer {len(body) / 1e6:.2f} MB")
    line("occupancy JSON", timed(lambda: json.loads(body)))
    data = json.loads(body)
    line("heat scale by sale time", timed(lambda: heat_scale(data["seats"], BY_TIME, STEPS, "EUR")))
    line("heat scale by price", timed(lambda: heat_scale(data["seats"], BY_PRICE, STEPS, "EUR")))

    state = HeatMapState()
    view = SeatMapView(state)
    view.resize(1280, 720)
    view.show()
    by_time = heat_scale(data["seats"], BY_TIME, STEPS, "EUR")
    by_price = heat_scale(data["seats"], BY_PRICE, STEPS, "EUR")

    def show() -> None:
        state.show(layout, {}, by_time)
        view.viewport().repaint()

    line("heat map shown (set up + repaint)", timed(show))
    scales = [by_price, by_time]

    def recolour() -> None:
        state.recolour(scales[0])
        scales.reverse()
        view.viewport().repaint()

    line("recolour (time <-> price) + repaint", timed(recolour))

    table = sales_table(year_by_day())
    occupancy = occupancy_table(data)
    document = report_pdf.ReportDocument(
        "Sales report", "Enturf Arena", ["Period: 2026"], [table, occupancy],
        [report_pdf.Line("Arena", tuple((k, k * 150) for k in range(61)))],
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        line("CSV, 365 rows", timed(lambda: report_export.write_csv(table, folder / "a.csv")))
        line("XLSX, 365 rows", timed(lambda: report_export.write_xlsx(table, folder / "a.xlsx")))
        line(
            "PDF, 365 rows + occupancy + chart",
            timed(lambda: report_pdf.write_pdf(document, folder / "a.pdf")),
        )
    view.close()
    app.processEvents()


if __name__ == "__main__":
    main()
