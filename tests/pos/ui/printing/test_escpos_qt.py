"""The escpos target through the print controller (ui/printing) and the printer settings
dialog, against the fake ESC/POS printer (TCP on 127.0.0.1): a sale's receipt in the
printer's own commands, its tickets as raster images whose codes scan and verify, the
drawer pulse in the queue and the drawer log; paper out and a printer gone mid-job say
why in the window and *Print again* prints a COPY; the dialog's test page and drawer."""

from __future__ import annotations

import pytest
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from support.artifacts import ARTIFACTS
from support.fake_escpos_printer import FakeEscposPrinter
from support.printing_shop import seed_shop, sell

from enturf_core.ticket_codes import verify
from enturf_pos.services.printing import documents, drawer_log, print_log
from enturf_pos.services.printing.drawer_log import DrawerReason
from enturf_pos.services.printing.escpos_device import Connection, EscposDevice
from enturf_pos.ui.printing import PrintController, PrinterSettings, PrintTarget, TargetKind
from enturf_pos.ui.printing.settings import load_settings
from enturf_pos.ui.printing.settings_dialog import PrinterSettingsDialog
from enturf_pos.ui.printing.status_panel import PrintStatus

WAIT = 20_000


@pytest.fixture
def shop(ctx):
    return ctx, seed_shop(ctx)


@pytest.fixture
def printer():
    with FakeEscposPrinter() as fake:
        yield fake
    assert not fake.errors, f"commands the fake did not understand: {fake.errors}"


def escpos(fake: FakeEscposPrinter, width_dots: int = 576) -> PrintTarget:
    device = EscposDevice(
        host=fake.host, port=fake.port, width_dots=width_dots, timeout=3, status_timeout=0.5
    )
    return PrintTarget(TargetKind.ESCPOS, device=device)


def controller_with(ctx, host, fake, **targets) -> PrintController:
    controller = PrintController(ctx=ctx, user="jane", parent=host)
    controller.set_settings(PrinterSettings(**{k: escpos(fake) for k in targets}))
    return controller


def wait_done(qtbot, controller: PrintController, count: int) -> list:
    qtbot.waitUntil(lambda: len(controller.results) >= count and not controller.busy, timeout=WAIT)
    return controller.results[-count:]


def test_a_sale_prints_natively_tickets_as_raster_and_the_drawer_opens(shop, host, qtbot, printer):
    ctx, key = shop
    sale_id = sell(ctx, [11, 12])
    controller = PrintController(ctx=ctx, user="jane", parent=host)
    controller.set_settings(
        PrinterSettings(receipt=escpos(printer), tickets=escpos(printer, width_dots=406))
    )
    assert controller.open_drawer(DrawerReason.SALE, sale_id=sale_id) is not None
    controller.print_sale(sale_id)
    drawer, receipt, tickets = wait_done(qtbot, controller, 3)
    assert drawer.ok and receipt.ok and tickets.ok
    assert drawer.title == "Cash drawer (cash sale)" and tickets.pages == 2
    assert receipt.printer == f"ESC/POS 127.0.0.1:{printer.port}"

    kick, paper, stock = printer.wait_jobs(3)  # one at a time, in the order asked
    code = documents.receipt_for_sale(ctx, sale_id).booking_code
    assert kick.pulses == [(2, 50, 50)] and not kick.lines
    assert paper.qr == [code] and paper.cuts == 1 and not paper.pulses
    assert any(line.startswith("RECEIPT") and code in line for line in paper.lines)
    assert stock.cuts == 2 and stock.qr == [] and len(stock.images) == 2
    assert all(image.width <= 408 for image in stock.images)  # 2 in across the head
    keyring = {key.key_id: key.public_info()}
    scanned = [
        r.text
        for image in stock.images
        for r in zxingcpp.read_barcodes(image.convert("L"))
        if r.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert sorted(scanned) == sorted(t.code for t in documents.tickets_for_sale(ctx, sale_id))
    assert all(verify(c, keyring).event_id == 5 for c in scanned)

    rows = print_log.entries(ctx=ctx, sale_id=sale_id)
    assert [(r.kind, r.outcome) for r in reversed(rows)] == [
        ("drawer", "printed"),
        ("receipt", "printed"),
        ("tickets", "printed"),
    ]
    (opened,) = drawer_log.openings(ctx=ctx)
    assert (opened.reason, opened.user, opened.outcome) == ("sale", "jane", "printed")
    assert opened.sale_id == sale_id and opened.shift_id is not None


def test_paper_out_and_a_printer_gone_mid_job_say_why_and_print_again(shop, host, qtbot, printer):
    ctx, _key = shop
    sale_id = sell(ctx, [11])
    controller = controller_with(ctx, host, printer, receipt=True)
    status = PrintStatus(controller)
    host.setCentralWidget(status)
    host.show()

    printer.paper = "out"
    controller.print_sale(sale_id, {"receipt"})
    (refused,) = wait_done(qtbot, controller, 1)
    assert not refused.ok and "is out of paper" in refused.message
    assert "out of paper" in status.label.text() and status.label.property("error")
    assert status.reprint.isVisible()

    printer.paper, printer.close_after = "ok", 200  # loaded, then switched off mid-job
    qtbot.mouseClick(status.reprint, Qt.MouseButton.LeftButton)
    (gone,) = wait_done(qtbot, controller, 1)
    assert not gone.ok and "went away during the job" in gone.message
    assert "went away during the job" in status.label.text() and status.reprint.isVisible()

    printer.close_after, printer.paper = None, "near_end"  # back on: Print again
    qtbot.mouseClick(status.reprint, Qt.MouseButton.LeftButton)
    (again,) = wait_done(qtbot, controller, 1)
    assert again.ok and again.copy and not status.reprint.isVisible()
    assert "paper is running low" in status.label.text()  # printed, and said
    assert not status.label.property("error")
    last = printer.wait_jobs(3)[2]
    assert last.lines[0].strip() == "COPY" and last.cuts == 1

    rows = print_log.entries(ctx=ctx, sale_id=sale_id)
    assert [r.outcome for r in reversed(rows)] == ["failed", "failed", "printed"]
    assert "out of paper" in rows[2].message and "went away" in rows[1].message

    # a drawer on a printer that is not there: said, never offered again as a reprint
    printer.stop()
    controller.open_drawer(DrawerReason.NO_SALE, approved_by="admin")
    (closed,) = wait_done(qtbot, controller, 1)
    assert not closed.ok and "does not answer" in closed.message
    assert status.label.text().startswith("The cash drawer did not open")
    assert not status.reprint.isVisible()
    (row,) = drawer_log.openings(ctx=ctx)
    assert (row.reason, row.approved_by, row.outcome) == ("no_sale", "admin", "failed")


def test_the_settings_dialog_picks_and_tries_an_escpos_printer(ctx, host, qtbot, printer):
    controller = PrintController(ctx=ctx, user="jane", parent=host)
    dialog = PrinterSettingsDialog(controller.settings, host, controller=controller)
    qtbot.addWidget(dialog)
    dialog.show()
    picker = dialog.receipt
    assert not dialog.drawer_button.isEnabled()  # the print dialog opens no drawer
    picker.combo.setCurrentIndex(picker.combo.findData(TargetKind.ESCPOS.value))
    assert picker.escpos.isVisible() and dialog.drawer_button.isEnabled()
    assert dialog.test_button.objectName() == "printerTestButton"
    assert dialog.drawer_button.objectName() == "openDrawerButton"

    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)  # no address yet
    assert "network address" in dialog.test_result.text()
    picker.escpos.host.setText(printer.host)
    picker.escpos.port.setValue(printer.port)
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "printer-settings-escpos.png"))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Test page printed" in dialog.test_result.text(), timeout=WAIT)
    qtbot.mouseClick(dialog.drawer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Drawer opened" in dialog.test_result.text(), timeout=WAIT)
    page, kick = printer.wait_jobs(2)
    assert page.qr == ["ENTURF-TEST"] and page.cuts == 1
    assert any("é ü ß € £" in line for line in page.lines)
    assert kick.pulses == [(2, 50, 50)]
    assert [r.reason for r in drawer_log.openings(ctx=ctx)] == ["test"]

    # USB and serial need their ids; the choice is kept for this counter
    picker.escpos.connection.setCurrentIndex(
        picker.escpos.connection.findData(Connection.USB.value)
    )
    picker.escpos.usb.setText("nonsense")
    dialog.accept()
    assert dialog.isVisible() and "hexadecimal" in dialog.error.text()
    picker.escpos.usb.setText("04b8:0202")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    controller.set_settings(dialog.settings())
    kept = load_settings(ctx.config.data_dir).receipt
    assert kept.kind is TargetKind.ESCPOS and kept.device.connection is Connection.USB
    assert (kept.device.vendor_id, kept.device.product_id) == (0x04B8, 0x0202)
    assert kept.describe() == "ESC/POS USB 04b8:0202"
