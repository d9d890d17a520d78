"""The cashier window with an ESC/POS receipt printer (the fake one, TCP on 127.0.0.1):
a cash sale by keyboard opens the drawer and prints the receipt natively (its QR code is
the booking code); a card sale prints the receipt and leaves the drawer shut; Ctrl+Shift+D
opens the drawer once an administrator approved it, and the drawer log says who; a cash
refund opens it and its refund slip prints as a raster image. Real server behind the
proxy, the gateway simulator for the card."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from support.booking_lookup import find, open_lookup
from support.cashier_window import (
    pay_exact_and_complete,
    press,
    selling_window,
    wait_for_reader,
    wait_on_server,
)
from support.fake_escpos_printer import FakeEscposPrinter
from support.open_drawer import open_drawer
from support.pos_windows import WAIT, close, make_flow
from support.server_process import USERS

from enturf_pos.services.printing import drawer_log
from enturf_pos.services.printing.escpos_device import EscposDevice
from enturf_pos.ui.cashier.supervisor_dialog import SupervisorDialog
from enturf_pos.ui.printing import PrinterSettings, PrintTarget, TargetKind
from enturf_pos.ui.printing.settings import save_settings


@pytest.fixture
def printer():
    with FakeEscposPrinter() as fake:
        yield fake
    assert not fake.errors, f"commands the fake did not understand: {fake.errors}"


@pytest.fixture
def flow(registered, qtbot, printer, tmp_path):
    device = EscposDevice(host=printer.host, port=printer.port, timeout=3, status_timeout=0.5)
    save_settings(  # receipts on the ESC/POS printer, tickets to a PDF folder
        registered.config.data_dir,
        PrinterSettings(
            receipt=PrintTarget(TargetKind.ESCPOS, device=device),
            tickets=PrintTarget(TargetKind.PDF, folder=str(tmp_path / "tickets")),
        ),
    )
    open_drawer(registered)
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def sale_code(window) -> str:
    return window.receipt.text().split("Sale ", 1)[1].split("<", 1)[0]


def test_cash_opens_the_drawer_card_does_not_and_a_manager_opens_it_approved(
    flow, show, printer, sim, qtbot
):
    window = selling_window(qtbot, flow, show)
    controller = window.printing.controller

    press(qtbot, window, Qt.Key.Key_B)  # two best seats, cash: F9, F10, Enter
    press(qtbot, window, Qt.Key.Key_F9)
    press(qtbot, window, Qt.Key.Key_F10)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    cash_code = sale_code(window)
    kick, receipt = printer.wait_jobs(2)  # the drawer first, then the receipt
    assert kick.pulses == [(2, 50, 50)] and not kick.lines
    assert receipt.qr == [cash_code] and receipt.cuts == 1 and not receipt.pulses
    assert any(line.startswith("Paid in cash") for line in receipt.lines)
    qtbot.waitUntil(lambda: len(controller.results) == 3 and not controller.busy, timeout=WAIT)
    assert [r.ok for r in controller.results] == [True, True, True]  # + the tickets' PDF

    press(qtbot, window, Qt.Key.Key_B)  # two more seats, by card: F11, the tap
    qtbot.waitUntil(lambda: window.live.in_step and window.live.hold is not None, timeout=WAIT)
    press(qtbot, window, Qt.Key.Key_F11)
    wait_for_reader(qtbot, window)
    sim.tap()
    qtbot.waitUntil(lambda: sale_code(window) != cash_code, timeout=WAIT)
    (card_receipt,) = printer.wait_jobs(3)[2:]
    assert card_receipt.qr == [sale_code(window)] and card_receipt.cuts == 1
    assert any(line.startswith("Paid by card") for line in card_receipt.lines)
    qtbot.waitUntil(lambda: len(controller.results) == 5 and not controller.busy, timeout=WAIT)
    assert sum(len(job.pulses) for job in printer.jobs) == 1  # no drawer for a card
    assert [o.reason for o in drawer_log.openings(ctx=flow.ctx)] == ["sale"]

    # the manager's "open drawer": a cashier's password opens nothing, an admin's does
    window.printing.drawer_action.trigger()
    box = next(d for d in window.findChildren(SupervisorDialog) if d.isVisible())
    qtbot.keyClicks(box.username, "cashier")
    qtbot.keyClicks(box.password, USERS["cashier"][1])
    qtbot.keyClick(box.password, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: "not an administrator" in window.printing.status.label.text(), timeout=WAIT
    )
    window.activateWindow()  # the cashier is back on the window: the shortcut
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT)
    press(
        qtbot,
        window,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in window.findChildren(SupervisorDialog)), timeout=WAIT
    )
    box = next(d for d in window.findChildren(SupervisorDialog) if d.isVisible())
    qtbot.keyClicks(box.username, "admin")
    qtbot.keyClicks(box.password, USERS["admin"][1])
    qtbot.keyClick(box.password, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: "(no sale): opened" in window.printing.status.label.text(), timeout=WAIT
    )
    (manual,) = printer.wait_jobs(4)[3:]
    assert manual.pulses == [(2, 50, 50)]
    latest = drawer_log.openings(ctx=flow.ctx)[0]
    assert (latest.reason, latest.user, latest.approved_by) == ("no_sale", "cashier", "admin")
    assert QApplication.activeModalWidget() is None


def test_a_cash_refund_opens_the_drawer_and_its_slip_prints_as_raster(flow, show, printer, qtbot):
    window = selling_window(qtbot, flow, show)
    press(qtbot, window, Qt.Key.Key_B)
    pay_exact_and_complete(qtbot, window)
    sale_id, code = window.last_sale, sale_code(window)
    wait_on_server(qtbot, flow.ctx, sale_id)
    assert len(printer.wait_jobs(2)) == 2  # the sale's pulse and receipt

    dialog = open_lookup(qtbot, window)
    find(qtbot, dialog, code, sale_id)
    dialog.lines.set_checked(0, False)  # refund the second ticket only, in cash
    qtbot.mouseClick(dialog.refund_button, Qt.MouseButton.LeftButton)
    confirm = dialog.findChild(QMessageBox, "refundConfirm")
    qtbot.mouseClick(
        confirm.findChild(QPushButton, "refundConfirmButton"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.last_slip is not None, timeout=WAIT)
    assert dialog.last_slip.ok, dialog.last_slip.message
    kick, slip = printer.wait_jobs(4)[2:]
    assert kick.pulses == [(2, 50, 50)]
    assert len(slip.images) == 1 and slip.cuts == 1 and not slip.pulses
    assert slip.images[0].width <= 576
    latest = drawer_log.openings(ctx=flow.ctx)[0]
    assert (latest.reason, latest.sale_id) == ("refund", sale_id)
    assert latest.note.startswith(code)
