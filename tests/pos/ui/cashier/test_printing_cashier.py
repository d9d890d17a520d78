"""The cashier window prints: after "complete" the receipt and the tickets print by
themselves to the counter's printers (PDF folders here), the print buttons print them
again as COPY, the printer settings and the print log are one click away. Real server
behind the proxy, a real sale by keyboard."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from support.artifacts import ARTIFACTS
from support.cashier_window import open_counter_window, open_event_by_keyboard, press, wait_online
from support.open_drawer import open_drawer
from support.pos_windows import WAIT, close, make_flow
from support.sync_support import make_show

from enturf_pos.services.printing import print_log
from enturf_pos.services.printing.ticket_pdf import TicketLayout
from enturf_pos.ui.printing import PrinterSettings, PrintTarget, TargetKind
from enturf_pos.ui.printing.log_dialog import PrintLogDialog
from enturf_pos.ui.printing.settings import save_settings
from enturf_pos.ui.printing.settings_dialog import PrinterSettingsDialog


def text_of(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(path.read_bytes())).pages)


@pytest.fixture
def flow(registered, qtbot, tmp_path):
    save_settings(  # this counter prints to PDF folders, by itself after each sale
        registered.config.data_dir,
        PrinterSettings(
            receipt=PrintTarget(TargetKind.PDF, folder=str(tmp_path / "receipts")),
            tickets=PrintTarget(TargetKind.PDF, folder=str(tmp_path / "tickets")),
        ),
    )
    open_drawer(registered)
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def test_complete_prints_receipt_and_tickets_and_the_buttons_print_copies(
    flow, api, qtbot, monkeypatch
):
    show = make_show(api, tickets=2, rows=2, seats=6)
    event = api.get(f"events/{show.event_id}/")
    window = open_counter_window(qtbot, flow, {"event": show.event_id})
    assert not window.printing.receipt_button.isEnabled()  # no sale yet
    open_event_by_keyboard(qtbot, window, {"event": show.event_id, "name": event["name"]})
    wait_online(qtbot, window)
    press(qtbot, window, Qt.Key.Key_B)  # best 2 seats
    press(qtbot, window, Qt.Key.Key_F9)
    press(qtbot, window, Qt.Key.Key_F10)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    code = window.receipt.text().split("Sale ", 1)[1].split("<", 1)[0]

    controller = window.printing.controller
    qtbot.waitUntil(lambda: len(controller.results) == 2 and not controller.busy, timeout=WAIT)
    receipt, tickets = controller.results
    assert receipt.ok and tickets.ok and not receipt.copy and not tickets.copy
    assert code in text_of(receipt.output) and "COPY" not in text_of(receipt.output)
    assert tickets.pages == 2 and code in text_of(tickets.output)
    status = window.printing.status
    assert status.isVisible() and status.objectName() == "printStatus"
    assert "printed" in status.label.text() and not status.reprint.isVisible()

    qtbot.mouseClick(window.printing.receipt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(controller.results) == 3 and not controller.busy, timeout=WAIT)
    copy = controller.results[-1]
    assert copy.ok and copy.copy and text_of(copy.output).lstrip().startswith("COPY")

    # Printers…: the ticket layout becomes A4 (the dialog is answered, not shown)
    def choose_a4(dialog: PrinterSettingsDialog) -> int:
        dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("a4"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PrinterSettingsDialog, "exec", choose_a4)
    window.printing.settings_action.trigger()
    assert controller.settings.ticket_layout is TicketLayout.A4
    qtbot.mouseClick(window.printing.tickets_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(controller.results) == 4 and not controller.busy, timeout=WAIT)
    a4 = controller.results[-1]
    assert a4.ok and a4.copy and a4.pages == 1  # two tickets on one A4 page
    assert text_of(a4.output).count("COPY") >= 2

    rows = print_log.entries(ctx=flow.ctx, sale_id=window.last_sale)
    assert [(r.kind, r.copy) for r in reversed(rows)] == [
        ("receipt", False),
        ("tickets", False),
        ("receipt", True),
        ("tickets", True),
    ]
    assert {r.user for r in rows} == {"Cashier"} and {r.booking_code for r in rows} == {code}

    window.printing.log_action.trigger()  # the print log, with its reprint button
    dialog = window.printing.log_dialog
    assert isinstance(dialog, PrintLogDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 4, timeout=WAIT)
    assert not dialog.reprint.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.reprint.isEnabled()
    qtbot.mouseClick(dialog.reprint, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 5, timeout=WAIT)
    assert controller.results[-1].ok and controller.results[-1].copy
    dialog.grab().save(str(ARTIFACTS / "pos-print-log.png"))
    # every column is in view (a long printer path does not push Outcome off the dialog)
    header = dialog.table.horizontalHeader()
    last = dialog.model.columnCount() - 1
    assert header.sectionViewportPosition(last) + 40 < dialog.table.viewport().width()
    assert dialog.table.horizontalScrollBar().maximum() == 0
