"""Printing through Qt (ui/printing): a real local sale printed by the PrintController to
PDF printers (QPrinter, PdfFormat, an output file) and read back: pypdf text (seats,
booking code, COPY on reprints), pypdfium2 pages with QR codes decoded by zxing-cpp and
verified; failures say why in the window and print again; every job in the print log."""

from __future__ import annotations

import re
import threading
from io import BytesIO
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QMainWindow, QPushButton, QVBoxLayout, QWidget
from support.artifacts import ARTIFACTS
from support.printing_shop import seat_label, seed_shop, sell

from enturf_core.ticket_codes import verify
from enturf_core.ticket_pdf import STOCK_SIZE
from enturf_pos.services.printing import documents, print_log
from enturf_pos.services.printing.receipt_pdf import render_receipt
from enturf_pos.services.printing.ticket_pdf import TicketLayout, render_tickets
from enturf_pos.ui.printing import PrintController, PrinterSettings, PrintTarget, TargetKind
from enturf_pos.ui.printing.cashier_printing import CashierPrinting
from enturf_pos.ui.printing.settings import load_settings
from enturf_pos.ui.printing.settings_dialog import PrinterSettingsDialog
from enturf_pos.ui.printing.spool import paint_pdf
from enturf_pos.ui.printing.status_panel import PrintStatus

WAIT = 20_000
DPI = 150


@pytest.fixture
def shop(ctx):
    return ctx, seed_shop(ctx)


def controller_for(ctx, host, settings: PrinterSettings | None = None) -> PrintController:
    controller = PrintController(ctx=ctx, user="jane", parent=host)
    if settings is not None:
        controller.set_settings(settings)
    return controller


def pdf_folder(path: Path) -> PrintTarget:
    return PrintTarget(TargetKind.PDF, folder=str(path))


def wait_done(qtbot, controller: PrintController, count: int) -> list:
    qtbot.waitUntil(lambda: len(controller.results) >= count and not controller.busy, timeout=WAIT)
    return controller.results[-count:]


def text_of(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(path.read_bytes())).pages)


def qr_texts(pdf: bytes, name: str) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    found = []
    ARTIFACTS.mkdir(exist_ok=True)
    for i in range(len(doc)):
        image = doc[i].render(scale=DPI / 72).to_pil()
        image.save(ARTIFACTS / f"{name}-{i + 1}.png")
        found += [
            r.text
            for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode
        ]
    doc.close()
    return found


def test_a_sale_prints_to_pdf_printers_and_a_reprint_says_copy(shop, host, qtbot, tmp_path):
    ctx, _key = shop
    sale_id = sell(ctx, [11, 12], standing=1)
    code = documents.receipt_for_sale(ctx, sale_id).booking_code
    controller = controller_for(
        ctx,
        host,
        PrinterSettings(receipt=pdf_folder(tmp_path / "roll"), tickets=pdf_folder(tmp_path / "t")),
    )

    controller.print_sale(sale_id)
    receipt, tickets = wait_done(qtbot, controller, 2)
    assert receipt.ok and tickets.ok, (receipt.message, tickets.message)
    assert receipt.title == f"Receipt {code}" and tickets.title == f"Tickets {code}"
    assert receipt.output.parent == tmp_path / "roll" and tickets.pages == 3
    receipt_text = text_of(receipt.output)
    for expected in (code, seat_label(11), seat_label(12), "Standing · Floor", "TOTAL"):
        assert expected in receipt_text, expected
    ticket_text = text_of(tickets.output)
    assert code in ticket_text and "The Magic Flute" in ticket_text
    assert "COPY" not in receipt_text + ticket_text
    assert len(PdfReader(tickets.output).pages) == 3

    controller.print_sale(sale_id, {"receipt", "tickets"}, reprint=True)
    receipt_copy, tickets_copy = wait_done(qtbot, controller, 2)
    assert receipt_copy.copy and receipt_copy.title == f"Receipt {code} (COPY)"
    assert text_of(receipt_copy.output).lstrip().startswith("COPY")
    assert text_of(tickets_copy.output).count("COPY") >= 2 * 3
    assert receipt_copy.output != receipt.output and "-COPY-" in receipt_copy.output.name
    assert tickets_copy.output.name.startswith(f"Tickets-{code}-COPY-")  # COPY said once

    rows = print_log.entries(ctx=ctx, sale_id=sale_id)  # latest first
    assert [(r.kind, r.copy, r.outcome) for r in reversed(rows)] == [
        ("receipt", False, "printed"),
        ("tickets", False, "printed"),
        ("receipt", True, "printed"),
        ("tickets", True, "printed"),
    ]
    assert {r.user for r in rows} == {"Jane Doe"} and {r.booking_code for r in rows} == {code}
    assert rows[0].printer == str(tickets_copy.output) and rows[0].pages == 3

    # reprint=None (the cashier's buttons): COPY because the log says it printed
    controller.print_sale(sale_id, {"receipt"}, reprint=None)
    (again,) = wait_done(qtbot, controller, 1)
    assert again.copy and text_of(again.output).lstrip().startswith("COPY")
    # a reprint of a reprint is one more copy, named so once
    controller.reprint(tickets_copy.job)
    (twice,) = wait_done(qtbot, controller, 1)
    assert re.match(rf"Tickets-{code}-COPY-\d{{8}}-", twice.output.name), twice.output.name
    assert twice.output.name.count("COPY") == 1


def test_the_window_keeps_working_while_a_job_renders(shop, host, qtbot, tmp_path):
    ctx, _key = shop
    sale_id = sell(ctx, [11])
    controller = controller_for(ctx, host)
    status = PrintStatus(controller)
    button = QPushButton("Next sale")
    clicks = []
    button.clicked.connect(lambda: clicks.append(1))
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.addWidget(status)
    layout.addWidget(button)
    host.setCentralWidget(panel)
    host.show()
    gate = threading.Event()

    def slow_render() -> bytes:  # holds the worker until the UI thread has answered
        gate.wait(30)
        return render_receipt_of(ctx, sale_id)

    controller.print_pdf("report", "Day report", slow_render, target=pdf_folder(tmp_path))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == [1] and controller.busy  # handled while the job is still rendering
    assert status.label.text() == "Printing the Day report…"
    gate.set()
    (result,) = wait_done(qtbot, controller, 1)
    assert result.ok and result.output.parent == tmp_path


def test_printed_ticket_pages_keep_their_size_and_their_codes_scan_and_verify(shop, qapp, tmp_path):
    """The printer path: pages rasterised by QtPdf and painted onto a QPrinter."""
    ctx, key = shop
    sale_id = sell(ctx, [11, 12], standing=1)
    keyring = {key.key_id: key.public_info()}
    for layout, pages in ((TicketLayout.STOCK, 3), (TicketLayout.A4, 1)):
        tickets = documents.tickets_for_sale(ctx, sale_id, copy=layout is TicketLayout.A4)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        out = tmp_path / f"printed-{layout}.pdf"
        printer.setOutputFileName(str(out))

        assert paint_pdf(render_tickets(tickets, layout), printer) == pages

        printed = out.read_bytes()
        reader = PdfReader(BytesIO(printed))
        assert len(reader.pages) == pages
        if layout is TicketLayout.STOCK:
            for page in reader.pages:
                size = tuple(float(v) for v in page.mediabox.upper_right)
                assert size == pytest.approx(STOCK_SIZE, abs=1)
        codes = qr_texts(printed, f"printed-tickets-{layout}")
        assert sorted(codes) == sorted(t.code for t in tickets)
        assert all(verify(c, keyring).event_id == 5 for c in codes)

    # the print dialog's page range and copies (a PDF printer makes no copies itself)
    tickets = documents.tickets_for_sale(ctx, sale_id)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "range.pdf"))
    printer.setFromTo(2, 3)
    printer.setCopyCount(2)
    assert paint_pdf(render_tickets(tickets, TicketLayout.STOCK), printer) == 4
    codes = qr_texts((tmp_path / "range.pdf").read_bytes(), "printed-range")
    assert codes == [tickets[1].code, tickets[2].code] * 2  # collated


def test_a_failing_printer_says_why_and_print_again_prints_a_copy(shop, host, qtbot, tmp_path):
    ctx, _key = shop
    sale_id = sell(ctx, [11])
    missing = PrintTarget(TargetKind.PRINTER, printer="Front desk TM-T88")
    controller = controller_for(ctx, host, PrinterSettings(receipt=missing, tickets=missing))
    status = PrintStatus(controller)
    host.setCentralWidget(status)
    host.show()

    controller.print_sale(sale_id)
    wait_done(qtbot, controller, 2)
    assert status.isVisible() and status.label.property("error")
    assert "“Front desk TM-T88” is not installed" in status.label.text()
    assert "2 documents not printed" in status.label.text()
    assert status.reprint.isVisible() and len(controller.failed) == 2

    # the cashier picks a working printer, then presses "Print again"
    controller.set_settings(
        PrinterSettings(receipt=pdf_folder(tmp_path / "r"), tickets=pdf_folder(tmp_path / "t"))
    )
    qtbot.mouseClick(status.reprint, Qt.MouseButton.LeftButton)
    receipt, tickets = wait_done(qtbot, controller, 2)
    assert receipt.ok and tickets.ok and receipt.copy and tickets.copy
    assert text_of(receipt.output).lstrip().startswith("COPY")
    assert not controller.failed and not status.reprint.isVisible()
    assert not status.label.property("error") and "printed" in status.label.text()

    rows = list(reversed(print_log.entries(ctx=ctx, sale_id=sale_id)))
    assert [(r.kind, r.copy, r.outcome) for r in rows] == [
        ("receipt", False, "failed"),
        ("tickets", False, "failed"),
        ("receipt", True, "printed"),
        ("tickets", True, "printed"),
    ]
    assert "not installed" in rows[0].message and rows[0].printer == "Front desk TM-T88"

    # a folder that cannot be made, and a document that cannot be rendered
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    controller.print_pdf("report", "Z report 1", lambda: b"%PDF", target=pdf_folder(blocker))
    (unwritable,) = wait_done(qtbot, controller, 1)
    assert not unwritable.ok and "Cannot save PDFs in" in unwritable.message

    def broken() -> bytes:
        raise RuntimeError("no data for that shift")

    controller.print_pdf("report", "Z report 2", broken, target=pdf_folder(tmp_path / "z"))
    (unrendered,) = wait_done(qtbot, controller, 1)
    assert "could not be prepared: no data for that shift" in unrendered.message
    assert "could not be prepared" in status.label.text() and status.reprint.isVisible()


def test_the_print_dialog_and_the_preview(shop, host, qtbot, tmp_path, monkeypatch):
    ctx, _key = shop
    sale_id = sell(ctx, [11])
    controller = controller_for(ctx, host)  # a fresh counter asks: the print dialog
    assert controller.settings.receipt.kind is TargetKind.ASK
    chosen = tmp_path / "chosen.pdf"
    seen = []

    def print_to_file(dialog: QPrintDialog) -> int:  # the person picks "Print to file"
        seen.append(dialog.windowTitle())
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(chosen))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", print_to_file)
    controller.print_sale(sale_id, {"receipt"})
    (result,) = wait_done(qtbot, controller, 1)
    assert result.ok and result.output == chosen and seen == [f"Print {result.title}"]
    assert documents.receipt_for_sale(ctx, sale_id).booking_code in text_of(chosen)

    monkeypatch.setattr(QPrintDialog, "exec", lambda _d: QDialog.DialogCode.Rejected)
    controller.print_pdf("report", "Z report 3", lambda: render_receipt_of(ctx, sale_id))
    (cancelled,) = wait_done(qtbot, controller, 1)
    assert cancelled.outcome == "cancelled" and not controller.failed

    previewed = tmp_path / "previewed.pdf"

    def preview_then_print(dialog: QPrintPreviewDialog) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(previewed))
        dialog.paintRequested.emit(printer)  # what the preview's Print button does
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview_then_print)
    controller.set_settings(PrinterSettings(report=PrintTarget(TargetKind.PREVIEW)))
    controller.print_pdf("report", "Z report 4", lambda: render_receipt_of(ctx, sale_id))
    (shown,) = wait_done(qtbot, controller, 1)
    assert shown.ok and shown.pages == 1
    assert len(PdfReader(previewed).pages) == 1

    rows = print_log.entries(ctx=ctx)
    assert [(r.kind, r.title, r.outcome) for r in rows[:3]] == [
        ("report", "Z report 4", "printed"),
        ("report", "Z report 3", "cancelled"),
        ("receipt", result.title, "printed"),
    ]


def render_receipt_of(ctx, sale_id) -> bytes:
    return render_receipt(documents.receipt_for_sale(ctx, sale_id))


def test_printer_settings_are_kept_per_counter(ctx, qtbot, tmp_path):
    dialog = PrinterSettingsDialog(load_settings(ctx.config.data_dir))
    qtbot.addWidget(dialog)
    combo = dialog.tickets.combo
    combo.setCurrentIndex(combo.findData(TargetKind.PDF.value))
    assert dialog.tickets.folder.isVisibleTo(dialog)
    dialog.accept()  # no folder yet: refused with a reason
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Choose the folder" in dialog.error.text()
    dialog.tickets.folder.setText(str(tmp_path / "tickets"))
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("a4"))
    dialog.auto_receipt.setChecked(False)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted

    host = QMainWindow()
    qtbot.addWidget(host)
    controller = controller_for(ctx, host)
    controller.set_settings(dialog.settings())
    again = load_settings(ctx.config.data_dir)  # read back from this counter's file
    assert again.tickets == PrintTarget(TargetKind.PDF, folder=str(tmp_path / "tickets"))
    assert again.ticket_layout is TicketLayout.A4
    assert not again.auto_receipt and again.auto_tickets
    assert again.receipt.kind is TargetKind.ASK


def test_after_a_sale_only_documents_with_a_printer_print_by_themselves(shop, qtbot, tmp_path):
    ctx, _key = shop
    sale_id = sell(ctx, [11])
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = CashierPrinting(window, ctx=ctx, user="jane", last_sale=lambda: sale_id)
    window.setCentralWidget(panel)
    window.show()
    controller = panel.controller
    controller.set_settings(PrinterSettings(receipt=pdf_folder(tmp_path)))  # tickets: ask

    panel.sale_completed(sale_id)
    (receipt,) = wait_done(qtbot, controller, 1)
    assert receipt.ok and receipt.job.kind == "receipt" and len(controller.results) == 1
    text = panel.status.label.text()
    assert text.startswith(f"{receipt.title} printed") and "No printer set for the tickets" in text
