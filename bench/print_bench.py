"""Receipt and ticket PDF generation time at the counter.

    .venv/bin/python bench/print_bench.py [--runs 20]

A local database in a temporary folder holds the printing tests' shop
(`tests/support/printing_shop.py`: settings, a venue, an event, its tickets) and two
cash sales recorded by `sale_service.record_cash_sale` (2 and 10 seated tickets, codes
signed with a fresh Ed25519 key). For each sale it measures, as the median (and worst) wall time of ``--runs`` runs:

* receipt: ``receipt_for_sale`` (read the sale from SQLite) + ``render_receipt`` (PDF
  bytes of the 80 mm roll, QR of the booking code included);
* stock: ``tickets_for_sale`` + ``render_ticket_stock`` (one 2 x 5.5 in page per ticket,
  a QR of each signed code);
* A4: ``tickets_for_sale`` + ``render_tickets_a4`` (three per page);

and the same per ticket. Printing itself (spooling to a printer) is not measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the shared shop

import keyring
from support.memory_keyring import MemoryKeyring
from support.printing_shop import seed_shop, sell

from enturf_pos.config import PosConfig
from enturf_pos.services.printing.documents import receipt_for_sale, tickets_for_sale
from enturf_pos.services.printing.receipt_pdf import render_receipt
from enturf_pos.services.printing.ticket_pdf import (
    render_ticket_stock,
    render_tickets_a4,
)
from enturf_pos.services.session.pos_context import open_context


def _time(fn: Callable[[], bytes], runs: int) -> tuple[float, float, int]:
    fn()  # warm-up: imports, fonts, first query
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    keyring.set_keyring(MemoryKeyring())  # the counter's signing key, never the system's
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_context(PosConfig(data_dir=Path(folder)))
        seed_shop(ctx)
        print(f"runs per figure: {args.runs}, load average {load:.2f}")
        print(
            f"{'sale':<12}{'document':<10}{'median ms':>10}{'worst ms':>10}"
            f"{'ms/ticket':>11}{'pages':>7}{'KiB':>7}"
        )
        for tickets in (2, 10):
            sale_id = sell(ctx, list(range(1, tickets + 1)), tendered="1000")
            jobs = {
                "receipt": (lambda s=sale_id: render_receipt(receipt_for_sale(ctx, s)), 1),
                "stock": (
                    lambda s=sale_id: render_ticket_stock(tickets_for_sale(ctx, s)),
                    tickets,
                ),
                "A4": (
                    lambda s=sale_id: render_tickets_a4(tickets_for_sale(ctx, s)),
                    (tickets + 2) // 3,
                ),
            }
            for name, (job, pages) in jobs.items():
                median, worst, size = _time(job, args.runs)
                print(
                    f"{f'{tickets} tickets':<12}{name:<10}{median * 1000:>10.1f}"
                    f"{worst * 1000:>10.1f}{median * 1000 / tickets:>11.1f}"
                    f"{pages:>7}{size / 1024:>7.1f}"
                )
        ctx.close()


if __name__ == "__main__":
    main()
