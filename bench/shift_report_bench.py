"""X / Z report time at the counter against the number of sales in the shift.

    .venv/bin/python bench/shift_report_bench.py [--runs 5] [--sales 100 1000 5000]

A local database in a temporary folder gets the synced settings, one event with two
tickets, an open shift (`shift_service.open_shift`) and, for each size, that many
`local_sales` rows of the shift's cashier (2 lines each; every third paid by card, the
others in cash with change) plus one refund (cash and card parts) per 20 sales, written
directly as the sale and refund services store them. For each size it prints the median
and worst wall time of ``--runs`` runs of:

* report: ``shift_service.shift_report`` (read the shift's sales, refunds and movements
  from SQLite, expected per method, sales and refunds by event and ticket);
* pdf: ``shift_report_pdf.render_shift_report`` (the above + the A4 PDF by reportlab);
* close: ``shift_service.close_shift`` without approval, measured once at the end (it
  computes the report twice: a preview, then again in the closing transaction).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.local_sales import sale_payload

from enturf_core.money import Money
from enturf_pos.config import PosConfig
from enturf_pos.models import Event, LocalRefund, LocalSale, SiteSettings, Ticket
from enturf_pos.services.printing.shift_report_pdf import render_shift_report
from enturf_pos.services.session.pos_context import PosContext, open_context
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.shift_records import CloseRequest


def seed(ctx: PosContext, sales: int) -> None:
    now = datetime.now(UTC)
    with ctx.db.transaction() as s:
        s.add(SiteSettings(id=1, data={"currency": "EUR", "seller_name": "Bench Hall"}))
        s.add(Event(id=1, seat_map_id=1, name="Gala", starts_at=now, state="on_sale"))
        s.add(Ticket(id=1, event_id=1, name="Adult", price=Decimal("25.00"), currency="EUR"))
        s.add(Ticket(id=2, event_id=1, name="Child", price=Decimal("15.00"), currency="EUR"))
    assert shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100").ok
    start = datetime.now(UTC)
    with ctx.db.transaction() as s:
        for n in range(sales):
            sale_id, at = uuid.uuid4(), start + timedelta(microseconds=n)
            if n % 3 == 0:
                payment = {"method": "card", "amount": "40.00"}
            else:
                payment = {
                    "method": "cash",
                    "amount": "40.00",
                    "tendered": "50.00",
                    "change": "10.00",
                }
            payload = sale_payload(
                sale_id,
                event=1,
                seller="eve",
                lines=((1, "25.00"), (2, "15.00")),
                payments=(payment,),
                at=at,
            )
            s.add(
                LocalSale(
                    id=sale_id,
                    created_at=at,
                    payload=payload,
                    event_id=1,
                    total=Decimal("40.00"),
                    currency="EUR",
                    seller="eve",
                )
            )
            if n % 20 == 0:
                s.add(
                    LocalRefund(
                        id=uuid.uuid4(),
                        booking_id=uuid.uuid4(),
                        amount=Decimal("25.00"),
                        currency="EUR",
                        parts=[
                            {"method": "cash", "amount": "15.00"},
                            {"method": "card", "amount": "10.00"},
                        ],
                        lines=[{"line": "x", "event": 1, "ticket": 1, "amount": "25.00"}],
                        user="eve",
                        shift_id=shift_service.open_shift_id(s),
                    )
                )


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm-up: imports, fonts, first query
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def measure(data_dir: Path, sales: int, runs: int) -> str:
    ctx = open_context(PosConfig(data_dir=data_dir / "pos"))
    seed(ctx, sales)
    report_med, report_max = timed(lambda: shift_service.shift_report(ctx=ctx), runs)
    pdf_med, pdf_max = timed(lambda: render_shift_report(ctx=ctx), runs)
    size = len(render_shift_report(ctx=ctx) or b"")
    expected = shift_service.shift_report(ctx=ctx).expected
    request = CloseRequest({m: Money(v.amount, "EUR") for m, v in expected.items()})
    start = time.perf_counter()
    assert shift_service.close_shift(ctx=ctx, request=request).ok
    close_ms = (time.perf_counter() - start) * 1000
    ctx.close()
    return (
        f"{sales:>6} {report_med * 1000:>8.1f} (max {report_max * 1000:>5.1f})"
        f" {pdf_med * 1000:>8.1f} (max {pdf_max * 1000:>5.1f}) {close_ms:>9.1f}"
        f" {size / 1024:>7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sales", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    print(f"{'sales':>6} {'report ms':>18} {'pdf ms':>18} {'close ms':>9} {'pdf KB':>7}")
    for sales in args.sales:
        with tempfile.TemporaryDirectory() as tmp:
            print(measure(Path(tmp), sales, args.runs), flush=True)


if __name__ == "__main__":
    main()
