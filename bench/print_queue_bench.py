"""From "complete" to the tickets in the printer queue, at the counter.

    .venv/bin/python bench/print_queue_bench.py [--runs 10]

A local database in a temporary folder holds the printing tests' shop
(`tests/support/printing_shop.py`); each run records a new cash sale with
`sale_service.record_cash_sale` (as "complete" does) and measures, as the median (and
worst) wall time of ``--runs`` runs, for sales of 1, 2 and 10 seated tickets:

* record: the sale's local transaction (what the cashier waits for before the change
  shows; not part of the print figures);
* queue (PDF): from the sale recorded to the tickets handed over: the cashier window's
  path, `PrintController.print_sale(sale_id, {"tickets"})` with the ticket printer set
  to "save as PDF" (a QPrinter, PdfFormat) until its `jobFinished` arrives on the UI
  thread, the file written (read the sale, render the stock PDF on the worker, write);
* queue (raster): the same, with the PDF rasterised by QtPdf at 300 dpi and painted onto
  a QPrinter (`spool.paint_pdf`, what a physical ticket printer gets; its PDF output
  stands in for the printer's spooler), timed on one thread;

and the same per ticket. The window stays responsive meanwhile (rendering runs on the
controller's worker thread); the shared 2-core machine inflates the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the shared shop

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMainWindow
from support.memory_keyring import MemoryKeyring
from support.printing_shop import seed_shop, sell

from enturf_pos.config import PosConfig
from enturf_pos.services.printing.documents import tickets_for_sale
from enturf_pos.services.printing.ticket_pdf import render_ticket_stock
from enturf_pos.services.session.pos_context import PosContext, open_context
from enturf_pos.ui.printing import PrintController, PrinterSettings, PrintTarget, TargetKind
from enturf_pos.ui.printing.spool import paint_pdf


def _queued_pdf(controller: PrintController, ctx: PosContext, tickets: int) -> tuple[float, float]:
    start = time.perf_counter()
    sale_id = sell(ctx, list(range(1, tickets + 1)), tendered="1000")
    recorded = time.perf_counter()
    loop = QEventLoop()
    results = []

    def done(result) -> None:
        results.append(result)
        loop.quit()

    controller.jobFinished.connect(done)
    controller.print_sale(sale_id, {"tickets"})
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    queued = time.perf_counter()
    controller.jobFinished.disconnect(done)
    if not results or not results[0].ok:
        raise SystemExit(f"printing failed: {results[0].message if results else 'timeout'}")
    return recorded - start, queued - recorded


def _queued_raster(ctx: PosContext, tickets: int, folder: Path) -> float:
    sale_id = sell(ctx, list(range(1, tickets + 1)), tendered="1000")
    start = time.perf_counter()
    pdf = render_ticket_stock(tickets_for_sale(ctx, sale_id))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(folder / f"raster-{sale_id}.pdf"))
    paint_pdf(pdf, printer)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    keyring.set_keyring(MemoryKeyring())  # the counter's signing key, never the system's
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_context(PosConfig(data_dir=Path(folder) / "pos"))
        seed_shop(ctx)
        window = QMainWindow()
        controller = PrintController(ctx=ctx, user="jane", parent=window)
        out = Path(folder) / "printed"
        controller.set_settings(
            PrinterSettings(tickets=PrintTarget(TargetKind.PDF, folder=str(out)))
        )
        _queued_pdf(controller, ctx, 1)  # warm-up: imports, fonts, Qt's PDF engine
        _queued_raster(ctx, 1, Path(folder))
        print(f"runs per figure: {args.runs}, load average {load:.2f}")
        print(f"{'sale':<12}{'step':<16}{'median ms':>10}{'worst ms':>10}{'ms/ticket':>11}")
        for tickets in (1, 2, 10):
            record, pdf, raster = [], [], []
            for _ in range(args.runs):
                r, q = _queued_pdf(controller, ctx, tickets)
                record.append(r)
                pdf.append(q)
                raster.append(_queued_raster(ctx, tickets, Path(folder)))
            for name, times in (
                ("record", record),
                ("queue (PDF)", pdf),
                ("queue (raster)", raster),
            ):
                median = statistics.median(times) * 1000
                print(
                    f"{f'{tickets} ticket' + ('s' if tickets > 1 else ''):<12}{name:<16}"
                    f"{median:>10.1f}{max(times) * 1000:>10.1f}{median / tickets:>11.1f}"
                )
        controller.shutdown()
        window.deleteLater()
        app.processEvents()
        ctx.close()


if __name__ == "__main__":
    main()
