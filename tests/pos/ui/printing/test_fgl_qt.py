"""The fgl target (a Boca ticket printer) through the print controller and the Printers…
dialog, against the fake FGL printer: a sale's tickets print in FGL with their signed
codes as the printer's QR and a cut each; a receipt sent there is refused with what to do;
a printer out of tickets says so and *Print again* prints a COPY once it is ready; the
dialog offers the target for tickets only and prints its test ticket."""

from __future__ import annotations

import pytest
from support.fake_fgl_printer import FakeFglPrinter
from support.printing_shop import seed_shop, sell

from enturf_core.ticket_codes import verify
from enturf_pos.services.printing import documents, print_log
from enturf_pos.services.printing.escpos_device import EscposDevice
from enturf_pos.services.printing.printer_test_page import QR_PAYLOAD
from enturf_pos.ui.printing import PrintController, PrinterSettings, PrintTarget, TargetKind
from enturf_pos.ui.printing.settings import load_settings
from enturf_pos.ui.printing.settings_dialog import PrinterSettingsDialog

WAIT = 20_000


@pytest.fixture
def printer():
    with FakeFglPrinter() as fake:
        yield fake
    assert not fake.errors, f"what the fake FGL printer did not understand: {fake.errors}"


def boca(fake: FakeFglPrinter) -> PrintTarget:
    device = EscposDevice(
        host=fake.host, port=fake.port, width_dots=400, timeout=3, status_timeout=0.5
    )
    return PrintTarget(TargetKind.FGL, device=device)


def wait_done(qtbot, controller: PrintController, count: int) -> list:
    qtbot.waitUntil(lambda: len(controller.results) >= count and not controller.busy, timeout=WAIT)
    return controller.results[-count:]


def test_a_sale_prints_its_tickets_in_fgl_and_a_receipt_there_is_refused(ctx, host, qtbot, printer):
    key = seed_shop(ctx)
    sale_id = sell(ctx, [11, 12], standing=1)
    controller = PrintController(ctx=ctx, user="jane", parent=host)
    controller.set_settings(PrinterSettings(receipt=boca(printer), tickets=boca(printer)))
    controller.print_sale(sale_id)
    receipt, tickets = wait_done(qtbot, controller, 2)

    assert not receipt.ok
    assert "prints tickets only" in receipt.message and "Printers" in receipt.message
    assert tickets.ok and tickets.pages == 3
    assert tickets.printer == f"Boca FGL 127.0.0.1:{printer.port}"
    (job,) = printer.wait_jobs(1)  # the refused receipt never reached the printer
    assert job.cuts == 3 and all("ADMIT ONE" in t.text for t in job.tickets)
    keyring = {key.key_id: key.public_info()}
    codes = [qr[3] for t in job.tickets for qr in t.qr]
    assert codes == [t.code for t in documents.tickets_for_sale(ctx, sale_id)]
    assert all(verify(code, keyring).event_id == 5 for code in codes)
    rows = print_log.entries(ctx=ctx, sale_id=sale_id)
    assert sorted((r.kind, r.outcome) for r in rows) == [
        ("receipt", "failed"),
        ("tickets", "printed"),
    ]


def test_out_of_tickets_says_so_and_print_again_prints_a_copy(ctx, host, qtbot, printer):
    seed_shop(ctx)
    sale_id = sell(ctx, [11])
    controller = PrintController(ctx=ctx, user="jane", parent=host)
    controller.set_settings(PrinterSettings(tickets=boca(printer)))
    printer.paper = "out"
    controller.print_sale(sale_id, {"tickets"})
    (refused,) = wait_done(qtbot, controller, 1)
    assert not refused.ok and "is not ready (out of tickets" in refused.message
    assert controller.failed

    printer.paper = "ok"
    controller.retry_failed()
    (again,) = wait_done(qtbot, controller, 1)
    assert again.ok and again.copy and again.title.endswith("(COPY)")
    _refused, printed = printer.wait_jobs(2)
    (copy,) = printed.tickets
    assert "COPY" in copy.text and "ADMIT ONE" not in copy.text


def test_the_dialog_offers_fgl_for_tickets_and_prints_its_test_ticket(ctx, host, qtbot, printer):
    controller = PrintController(ctx=ctx, user="jane", parent=host)
    dialog = PrinterSettingsDialog(controller.settings, host, controller=controller)
    qtbot.addWidget(dialog)
    combos = {
        name: [dialog.findChild(type(dialog.tickets.combo), f"{name}PrinterCombo")]
        for name in ("receipt", "ticket", "report")
    }
    kinds = {
        name: [combo.itemData(i) for i in range(combo.count())] for name, (combo,) in combos.items()
    }
    assert "fgl" in kinds["ticket"]
    assert "fgl" not in kinds["receipt"] and "fgl" not in kinds["report"]

    picker = dialog.tickets
    picker.combo.setCurrentIndex(picker.combo.findData("fgl"))
    assert picker.escpos.isVisibleTo(dialog)
    picker.escpos.host.setText(printer.host)
    picker.escpos.port.setValue(printer.port)
    picker.escpos.width.setValue(400)
    dialog.test_target.setCurrentIndex(dialog.test_target.findData("tickets"))
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "Test page printed" in dialog.test_result.text(), timeout=WAIT)
    assert f"Boca FGL 127.0.0.1:{printer.port}" in dialog.test_result.text()
    (job,) = printer.wait_jobs(1)
    (test,) = job.tickets
    assert "Enturf printer test" in test.text and test.qr[0][3] == QR_PAYLOAD
    assert not dialog.drawer_button.isEnabled()  # no drawer hangs off a ticket printer

    dialog.accept()
    controller.set_settings(dialog.settings())
    saved = load_settings(ctx.config.data_dir).tickets
    assert saved.kind is TargetKind.FGL and saved.device.port == printer.port
    assert saved.device.width_dots == 400
