"""The counter sells only inside an open shift (pytest-qt, offscreen, the real server and
gateway simulator): a payment started without one opens it in place and goes on; a
refund is booked to the shift it happens in, with its own lines, and never makes the
expected amounts negative; the close is a blind count, and its figures and the approval
box do not overlap."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from support.cashier_window import (
    open_counter_window,
    open_event_by_keyboard,
    pay_exact_and_complete,
    press,
    wait_for_reader,
    wait_on_server,
    wait_online,
)
from support.open_drawer import open_drawer
from support.pos_windows import WAIT, close, make_flow
from support.shift_window import (
    ADMIN_PASSWORD,
    click,
    dialog_of,
    synced,
    threshold,
    type_into,
    z_report_pdf,
)
from support.sync_support import make_show

from enturf_pos.models import LocalSale
from enturf_pos.services.sales import booking_lookup, refund_service
from enturf_pos.services.shifts import shift_service
from enturf_pos.ui.cashier.close_shift_dialog import CloseShiftDialog
from enturf_pos.ui.cashier.shift_dialogs import OpenShiftDialog
from enturf_pos.ui.cashier.shift_report_dialog import ShiftReportDialog
from enturf_pos.ui.cashier.window import CashierWindow
from enturf_pos.ui.printing.settings import PrintTarget, TargetKind
from enturf_pos.ui.window_flow import WindowFlow


@pytest.fixture
def flow(registered, qtbot) -> Iterator[WindowFlow]:
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


@pytest.fixture
def show(api):
    made = make_show(api, tickets=2, rows=2, seats=6)  # Price 1: 20.00, Price 2: 21.00
    return {"event": made.event_id, "name": api.get(f"events/{made.event_id}/")["name"]}


def counter(qtbot, flow: WindowFlow, show) -> CashierWindow:
    window = open_counter_window(qtbot, flow, show)
    qtbot.waitUntil(lambda: threshold(flow) is not None, timeout=WAIT)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    return window


def two_best_seats(qtbot, window: CashierWindow) -> None:
    window.map.setFocus()
    press(qtbot, window, Qt.Key.Key_B)
    assert window.cart_panel.total.text() == "€40.00"
    qtbot.waitUntil(lambda: window.live.in_step and window.live.hold is not None, timeout=WAIT)


def test_paying_without_a_shift_opens_one_in_place_and_the_sale_goes_on(
    flow,
    show,
    api,
    qtbot,
    artifacts,
):
    window = counter(qtbot, flow, show)
    panel = window.shift_panel
    qtbot.waitUntil(lambda: panel.status.text() == "No shift open", timeout=WAIT)
    two_best_seats(qtbot, window)

    # F11 without a shift: the open-shift dialog instead of the reader; Esc leaves it
    press(qtbot, window, Qt.Key.Key_F11)
    offered = dialog_of(qtbot, window, OpenShiftDialog)
    assert not window.card_panel.busy and not window.cash.isVisible()
    offered.reject()
    qtbot.waitUntil(lambda: panel.dialog is None, timeout=WAIT)
    assert shift_service.current_shift(ctx=flow.ctx) is None

    # F9: the dialog again; the float and Enter, and the cash payment is under way
    press(qtbot, window, Qt.Key.Key_F9)
    dialog = dialog_of(qtbot, window, OpenShiftDialog)
    assert (
        "the counter sells only inside a shift"
        in dialog.findChild(QWidget, "openShiftIntro").text()
    )
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.amount, timeout=WAIT)
    qtbot.keyClicks(dialog.amount, "100")
    dialog.grab().save(str(artifacts / "shift-open-offered-at-payment.png"))
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(window.cash.isVisible, timeout=WAIT)
    assert window.focusWidget() is window.cash.tendered  # where the payment goes on
    window.activateWindow()  # the offscreen platform does not give it back by itself
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.cash.tendered, timeout=WAIT)
    assert not window.message.isVisible()  # "no shift is open" went with the dialog
    assert panel.status.text().startswith("Shift open since")
    assert "already open" not in panel.message.text()  # Enter opened it once
    window.grab().save(str(artifacts / "shift-opened-sale-goes-on.png"))
    press(qtbot, window, Qt.Key.Key_F10)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)

    shift = shift_service.current_shift(ctx=flow.ctx)
    with flow.ctx.db.transaction() as s:
        payload = s.get(LocalSale, window.last_sale).payload
    assert payload["booking"]["shift"] == str(shift.id)
    wait_on_server(qtbot, flow.ctx, window.last_sale)
    report = shift_service.shift_report(ctx=flow.ctx)
    assert report.expected["cash"].amount == Decimal("140.00") and report.sales_count == 1


def _no_overlap(dialog: CloseShiftDialog) -> None:
    """The revealed figures, the approval box, the message and the buttons each get at
    least the height they ask for, one below the other."""
    parts = [
        dialog.reveal_box,
        dialog.figures,
        dialog.approval,
        dialog.ok,
    ]
    for widget in parts:
        assert widget.isVisible(), widget.objectName()
        assert widget.height() >= widget.minimumSizeHint().height(), widget.objectName()

    def rect(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(dialog, widget.rect().topLeft()), widget.size())

    reveal, approval, ok = rect(dialog.reveal_box), rect(dialog.approval), rect(dialog.ok)
    assert not reveal.intersects(approval) and reveal.bottom() < approval.top()
    assert approval.bottom() < ok.top()
    for label in (dialog.expected_cash, dialog.expected_card, dialog.difference):
        assert rect(label).bottom() < approval.top()
    assert dialog.height() >= dialog.minimumSizeHint().height()


def test_a_refund_in_the_next_shift_is_booked_there_and_never_makes_expected_negative(
    flow,
    show,
    api,
    sim,
    qtbot,
    tmp_path,
    artifacts,
):
    ctx = flow.ctx
    open_drawer(ctx, opening_float="100")  # the first shift
    window = counter(qtbot, flow, show)
    folder = tmp_path / "reports"
    folder.mkdir()
    printing = window.shift_panel.printing()
    printing.set_settings(
        replace(printing.settings, report=PrintTarget(TargetKind.PDF, folder=str(folder)))
    )
    two_best_seats(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F11)
    wait_for_reader(qtbot, window)
    sim.tap()
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    card_sale = window.last_sale
    wait_on_server(qtbot, ctx, card_sale)
    two_best_seats(qtbot, window)
    pay_exact_and_complete(qtbot, window)
    panel = window.shift_panel

    # close the first shift: a blind count, Enter from field to field
    click(qtbot, panel.close_button)
    dialog = dialog_of(qtbot, window, CloseShiftDialog)
    assert not dialog.reveal_box.isVisible() and dialog.expected_cash.text() == ""
    shown = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert not any("€" in text for text in shown), shown  # nothing expected before the count
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.cash, timeout=WAIT)
    dialog.grab().save(str(artifacts / "shift-close-blind-count.png"))
    qtbot.keyClicks(dialog.cash, "140")
    qtbot.keyClick(dialog.cash, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.card and not dialog.reveal_box.isVisible()
    assert not dialog.message.isVisible()
    qtbot.keyClicks(dialog.card, "40")
    qtbot.keyClick(dialog.card, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.reveal_box.isVisible, timeout=WAIT)
    assert dialog.isVisible() and not dialog.approval.isVisible()  # not closed by that Enter
    assert not dialog.message.isVisible()
    assert (dialog.expected_cash.text(), dialog.expected_card.text()) == ("€140.00", "€40.00")
    assert dialog.difference.text() == "€0.00" and dialog.card.isReadOnly()
    dialog.grab().save(str(artifacts / "shift-close-revealed.png"))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    z = dialog_of(qtbot, window, ShiftReportDialog)
    z.reject()
    qtbot.waitUntil(lambda: panel.dialog is None, timeout=WAIT)

    # the next shift: one ticket of the first shift's card sale is refunded in it
    click(qtbot, panel.open_button)
    opened = dialog_of(qtbot, window, OpenShiftDialog)
    type_into(qtbot, opened.amount, "100")
    qtbot.keyClick(opened.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.dialog is None, timeout=WAIT)
    second = shift_service.current_shift(ctx=ctx)
    detail = booking_lookup.detail(ctx=ctx, booking_id=card_sale, online=True).booking
    refunded = refund_service.refund(
        ctx=ctx,
        booking=detail,
        line_ids=[detail.lines[0].id],
        user="cashier",
        refund_id=uuid.uuid4(),
    )
    assert refunded.ok, refunded.message

    click(qtbot, panel.x_button)
    x_report = dialog_of(qtbot, window, ShiftReportDialog)
    text = x_report.text.text()
    assert "Refunds card" in text and "Refunds cash" in text
    assert "<b>Card expected</b></td><td align='right'><b>€0.00</b>" in text
    assert "-€" not in text.split("Card expected")[1].split("</tr>")[0]
    x_report.grab().save(str(artifacts / "shift-x-report-refund-lines.png"))
    x_report.reject()
    qtbot.waitUntil(lambda: panel.dialog is None, timeout=WAIT)
    report = shift_service.shift_report(ctx=ctx)
    assert report.expected["card"].amount == Decimal("0.00")
    assert report.figures.card_refunds.amount == Decimal("20.00")
    assert report.refunds_count == 1 and report.sales_count == 0

    qtbot.waitUntil(lambda: any(folder.glob("*.pdf")), timeout=WAIT)
    for first_z in folder.glob("*.pdf"):
        first_z.unlink()  # the next Z is read back alone

    # 10.00 short in the drawer: after the count, the approval box below the figures
    click(qtbot, panel.close_button)
    dialog = dialog_of(qtbot, window, CloseShiftDialog)
    qtbot.keyClicks(dialog.cash, "90")
    qtbot.keyClick(dialog.cash, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.card, "0")
    qtbot.keyClick(dialog.card, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.approval.isVisible, timeout=WAIT)
    assert dialog.difference.text() == "-€10.00" and not dialog.message.isVisible()
    assert QApplication.focusWidget() is dialog.approver
    dialog.grab().save(str(artifacts / "shift-close-approval.png"))
    qtbot.wait(100)  # the layout settles
    _no_overlap(dialog)
    qtbot.keyClicks(dialog.approver, "admin")
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    dialog_of(qtbot, window, ShiftReportDialog)
    pdf_text = z_report_pdf(qtbot, window, folder)
    assert "card\n0.00\n20.00\n-20.00" in pdf_text  # sales, refunds, net
    assert "card refunds €20.00 went back through the gateway" in pdf_text.replace("\n", " ")
    pdf = next(folder.glob("*.pdf"))
    (artifacts / "shift-z-report-refunds.pdf").write_bytes(pdf.read_bytes())
    assert len(PdfReader(BytesIO(pdf.read_bytes())).pages) >= 1

    # the server's own figures agree with the counter's
    qtbot.waitUntil(lambda: synced(flow), timeout=WAIT * 2)
    on_server = api.get(f"shifts/{second.id}/")
    server = on_server["z_report"]["server"]
    assert server["expected"] == {"cash": "100.00", "card": "0.00"}
    assert server["takings"]["card"] == {"sales": "0.00", "refunds": "20.00"}
    assert Decimal(on_server["server_difference"]) == Decimal(on_server["difference"])
    assert on_server["approved_by"] == "admin"
