"""What an ESC/POS printer gets, and how long the counter takes to send it.

    .venv/bin/python bench/escpos_bench.py [--runs 10]

The printing tests' shop (`tests/support/printing_shop.py`) and a 2-ticket cash sale in a
temporary local database; the fake ESC/POS printer (`tests/support/fake_escpos_printer.py`,
TCP on 127.0.0.1, answering status requests) as the printer. For each document the
median (and worst) wall time of ``--runs`` runs from the sale to the printer's socket
closed (read the sale, build the commands or the raster, connect, status, send), and the
bytes sent:

* receipt (ESC/POS): ``receipt_writer`` in the printer's own commands;
* receipt (raster): the receipt PDF rendered by QtPdf at 203 dpi and sent as GS v 0;
* tickets (raster): the ticket-stock PDF, each ticket a bitmap 2 in across (406 dots);
* drawer: the kick pulse alone (no status asked);
* 2 tickets (Boca FGL): the same tickets in FGL (`fgl_tickets`) to the fake FGL printer
  (`tests/support/fake_fgl_printer.py`, answering `<S1>` before and after).
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
from PySide6.QtGui import QGuiApplication
from support.fake_escpos_printer import FakeEscposPrinter
from support.fake_fgl_printer import FakeFglPrinter
from support.memory_keyring import MemoryKeyring
from support.printing_shop import seed_shop, sell

from enturf_core.ticket_pdf import render_ticket_stock
from enturf_pos.config import PosConfig
from enturf_pos.services.printing.documents import receipt_for_sale, tickets_for_sale
from enturf_pos.services.printing.escpos_device import EscposDevice, kick_drawer, run_job
from enturf_pos.services.printing.escpos_raster import pages_writer
from enturf_pos.services.printing.escpos_receipt import receipt_writer
from enturf_pos.services.printing.fgl_tickets import read_fgl_status, tickets_writer
from enturf_pos.services.printing.receipt_pdf import render_receipt
from enturf_pos.services.session.pos_context import open_context
from enturf_pos.ui.printing.spool import pdf_images


def _time(fn: Callable[[], None], fake: FakeEscposPrinter, runs: int) -> tuple[float, float, int]:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        before = fake.finished
        start = time.perf_counter()
        fn()
        fake.wait_jobs(before + 1)
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), fake.jobs[-1].received


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    keyring.set_keyring(MemoryKeyring())
    app = QGuiApplication.instance() or QGuiApplication([])
    with (
        tempfile.TemporaryDirectory() as folder,
        FakeEscposPrinter() as fake,
        FakeFglPrinter() as boca,
    ):
        ctx = open_context(PosConfig(data_dir=Path(folder)))
        seed_shop(ctx)
        sale = sell(ctx, [1, 2])
        roll = EscposDevice(host=fake.host, port=fake.port)
        stock = EscposDevice(host=fake.host, port=fake.port, width_dots=406)
        fgl = EscposDevice(host=boca.host, port=boca.port, width_dots=400)
        jobs: dict[str, Callable[[], None]] = {
            "receipt (ESC/POS)": lambda: run_job(roll, receipt_writer(receipt_for_sale(ctx, sale))),
            "receipt (raster)": lambda: run_job(
                roll,
                pages_writer(
                    pdf_images(render_receipt(receipt_for_sale(ctx, sale)), width_dots=576, dpi=203)
                ),
            ),
            "2 tickets (raster)": lambda: run_job(
                stock,
                pages_writer(
                    pdf_images(
                        render_ticket_stock(tickets_for_sale(ctx, sale)), width_dots=406, dpi=203
                    )
                ),
            ),
            "drawer": lambda: run_job(roll, lambda p: kick_drawer(p, roll), check_status=False),
        }
        print(f"runs per figure: {args.runs}, load average {load:.2f}")
        print(f"{'document':<22}{'median ms':>10}{'worst ms':>10}{'KiB sent':>10}")
        fgl_job = lambda: run_job(  # noqa: E731
            fgl, tickets_writer(tickets_for_sale(ctx, sale), fgl), status=read_fgl_status
        )
        for name, job, printer in [
            *((name, job, fake) for name, job in jobs.items()),
            ("2 tickets (Boca FGL)", fgl_job, boca),
        ]:
            median, worst, size = _time(job, printer, args.runs)
            print(f"{name:<22}{median * 1000:>10.1f}{worst * 1000:>10.1f}{size / 1024:>10.1f}")
        ctx.close()
    del app


if __name__ == "__main__":
    main()
