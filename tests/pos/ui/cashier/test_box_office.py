"""Box-office basics in the cashier window (pytest-qt, offscreen, the real server): the
buyer's name and e-mail in one optional field of the payment area, "4 B" for four best
seats, the tickets of a web booking reprinted from the lookup (signed by the server,
audited there, COPY in the local print log), and the refund slip printed after a refund."""

from __future__ import annotations

import json
import uuid
from io import BytesIO

import pypdfium2
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from support.booking_lookup import (
    find,
    online_booking,
    open_lookup,
)
from support.booking_lookup import show as seated_show
from support.cashier_window import (
    open_counter_window,
    open_event_by_keyboard,
    press,
    wait_on_server,
    wait_online,
)
from support.pos_windows import WAIT

from enturf_pos.models import LocalSale
from enturf_pos.services.printing import print_log
from enturf_pos.ui.printing.settings import PrinterSettings, PrintTarget, TargetKind

show = seated_show  # the booking lookup's fixture: a show of seats only, one per test


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(path.read_bytes())).pages)


def save_png(pdf_path, png_path) -> None:
    page = pypdfium2.PdfDocument(str(pdf_path))[0]
    page.render(scale=1.5).to_pil().save(str(png_path))


def test_buyer_name_and_email_travel_with_the_sale_and_a_digit_then_b_picks_that_many(
    flow, show, api, qtbot, artifacts
):
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)

    press(qtbot, window, Qt.Key.Key_4)  # "4 B"
    assert "4 seats: press B" in window.message.text()
    press(qtbot, window, Qt.Key.Key_B)
    assert len(window.cart.seat_ids()) == 4 and window.seat_panel.seat_count.value() == 4
    window.grab().save(str(artifacts / "cashier-4-b.png"))
    qtbot.waitUntil(lambda: window.live.in_step, timeout=WAIT)

    press(qtbot, window, Qt.Key.Key_F9)
    assert QApplication.focusWidget() is window.cash.tendered
    qtbot.keyClicks(window.cash.tendered, "100")
    qtbot.keyClick(window.cash.tendered, Qt.Key.Key_Tab)  # the buyer, optional
    assert QApplication.focusWidget() is window.buyer.edit
    qtbot.keyClicks(window.buyer.edit, "Ada Lovelace ada@example")
    qtbot.keyClick(window.buyer.edit, Qt.Key.Key_Return)
    assert window.buyer.message.isVisible()
    assert "not an e-mail address" in window.buyer.message.text()
    assert not window.receipt.isVisible()  # nothing sold with a bad address
    window.grab().save(str(artifacts / "cashier-buyer-bad-email.png"))
    qtbot.keyClicks(window.buyer.edit, ".org")
    assert not window.buyer.message.isVisible()
    qtbot.keyClick(window.buyer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    assert window.buyer.edit.text() == ""  # the next sale starts without a buyer
    sale_id = window.last_sale
    with flow.ctx.db.transaction() as s:
        booking = s.get(LocalSale, sale_id).payload["booking"]
    assert (booking["buyer_name"], booking["buyer_email"]) == ("Ada Lovelace", "ada@example.org")
    wait_on_server(qtbot, flow.ctx, sale_id)
    on_server = api.get(f"bookings/{sale_id}/")
    assert (on_server["buyer_name"], on_server["buyer_email"]) == (
        "Ada Lovelace",
        "ada@example.org",
    )

    # Tab skips it: F9, F10, Enter sells without a buyer
    window.map.setFocus()
    press(qtbot, window, Qt.Key.Key_1)
    press(qtbot, window, Qt.Key.Key_B)
    assert len(window.cart.seat_ids()) == 1
    qtbot.waitUntil(lambda: window.live.in_step, timeout=WAIT)
    press(qtbot, window, Qt.Key.Key_F9)
    press(qtbot, window, Qt.Key.Key_F10)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.last_sale != sale_id, timeout=WAIT)
    with flow.ctx.db.transaction() as s:
        booking = s.get(LocalSale, window.last_sale).payload["booking"]
    assert "buyer_name" not in booking and "buyer_email" not in booking


def test_a_web_bookings_tickets_are_reprinted_and_a_refund_prints_its_slip(
    flow, show, api, server, qtbot, tmp_path, artifacts
):
    web = online_booking(
        api, show, show["seats"][0], name="Grace Hopper", email="grace@example.org"
    )
    window = open_counter_window(qtbot, flow, show)
    receipts, tickets = tmp_path / "receipts", tmp_path / "tickets"
    window.printing.controller.set_settings(
        PrinterSettings(
            receipt=PrintTarget(TargetKind.PDF, folder=str(receipts)),
            tickets=PrintTarget(TargetKind.PDF, folder=str(tickets)),
        )
    )
    dialog = open_lookup(qtbot, window)
    find(qtbot, dialog, web["code"], uuid.UUID(web["id"]))
    assert not dialog.booking.local_sale and dialog.tickets_button.isEnabled()
    assert not dialog.receipt_button.isEnabled()  # its receipt is not this counter's
    qtbot.mouseClick(dialog.tickets_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_print is not None, timeout=WAIT)
    assert dialog.last_print.ok, dialog.last_print.message
    printed = dialog.last_print.output
    text = pdf_text(printed)
    assert "COPY" in text and web["code"] in text
    save_png(printed, artifacts / "reprint-web-booking-tickets.png")
    [entry] = [e for e in print_log.entries(ctx=flow.ctx) if e.kind == "tickets"]
    assert entry.copy and entry.title == f"Tickets {web['code']} (COPY)"
    audit = server.shell(
        "import json; from enturf_server.audit.models import AuditEntry as A; "
        f"print(json.dumps([[e.action, e.actor.username, e.device.name if e.device else '', "
        f"e.details['count']] for e in A.objects.filter(object_id='{web['id']}', "
        "action='tickets.reprint')]))"
    )
    assert json.loads(audit.strip().splitlines()[-1]) == [
        ["tickets.reprint", "cashier", "Test counter", 1]
    ]

    # refund it (cash, from this shift's drawer): the slip comes out of the receipt printer
    qtbot.mouseClick(dialog.refund_button, Qt.MouseButton.LeftButton)
    confirm = dialog.findChild(QMessageBox, "refundConfirm")
    qtbot.mouseClick(
        confirm.findChild(QPushButton, "refundConfirmButton"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.last_slip is not None, timeout=WAIT)
    assert dialog.last_slip.ok, dialog.last_slip.message
    assert "Give back €20.00 cash." in dialog.message.text()  # the instruction stays
    assert "Refund slip printed." in dialog.message.text()
    slip = dialog.last_slip.output
    page = PdfReader(BytesIO(slip.read_bytes())).pages[0]
    assert float(page.mediabox.width) == pytest.approx(80 * 72 / 25.4)
    text = pdf_text(slip)
    for expected in (
        "REFUND",
        f"Booking {web['code']}",
        show["name"],
        "Price 1",
        "1 ticket refunded",
        "REFUNDED",
        "Cash given back",
        "€20.00",
        "Cashier: ",
        "Test counter",
    ):
        assert expected in text, expected
    save_png(slip, artifacts / "refund-slip.png")
    dialog.grab().save(str(artifacts / "booking-lookup-refund-slip.png"))
