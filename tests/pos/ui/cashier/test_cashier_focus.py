"""Keyboard focus in the cashier window (issue 12 item 5): after any dialog the focus is
back where the sale goes on, the cashier's keys work from wherever typing is not
expected, and Esc leaves the event search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QApplication, QPushButton
from support.cashier_window import press, selling_window
from support.open_drawer import open_drawer
from support.pos_windows import WAIT, close, make_flow

from enturf_pos.ui.cashier.shift_dialogs import OpenShiftDialog
from enturf_pos.ui.cashier.shift_report_dialog import ShiftReportDialog

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def flow(registered, qtbot):
    """The counter with no shift open yet: these tests open it through its dialog, and
    the Open shift button is one of the places the keys must work from."""
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def focus_is(qtbot, widget) -> None:
    """The window's focus is on `widget`, and the keyboard's once the window is active."""
    try:
        qtbot.waitUntil(lambda: widget.window().focusWidget() is widget, timeout=WAIT)
        widget.window().activateWindow()  # what the window manager does
        qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=WAIT)
    except Exception:
        print("the focus is on", widget.window().focusWidget(), "not on", widget)
        raise


def shift_dialog(qtbot, window, kind):
    qtbot.waitUntil(lambda: isinstance(window.shift_panel.dialog, kind), timeout=WAIT)
    return window.shift_panel.dialog


def test_after_a_dialog_the_focus_is_back_on_the_seat_map(flow, show, qtbot, artifacts):
    window = selling_window(qtbot, flow, show)
    programme_rows = window.programme.proxy.rowCount()
    searched = window.programme.search.text()

    qtbot.mouseClick(window.shift_panel.open_button, Qt.MouseButton.LeftButton)
    dialog = shift_dialog(qtbot, window, OpenShiftDialog)
    qtbot.keyClicks(dialog.amount, "100")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.shift_panel.dialog is None, timeout=WAIT)
    focus_is(qtbot, window.map)
    press(qtbot, window, Qt.Key.Key_B)  # best seats, not a "b" in the event search
    assert len(window.cart.seat_ids()) == 2
    assert window.programme.search.text() == searched
    assert window.programme.proxy.rowCount() == programme_rows
    window.grab().save(str(artifacts / "cashier-focus-after-open-shift.png"))

    qtbot.mouseClick(window.shift_panel.x_button, Qt.MouseButton.LeftButton)
    report = shift_dialog(qtbot, window, ShiftReportDialog)
    close = report.findChild(QPushButton, "closeReportButton")
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not report.isVisible(), timeout=WAIT)
    focus_is(qtbot, window.map)

    press(qtbot, window, Qt.Key.Key_B, CTRL)  # the booking lookup, closed with Esc
    qtbot.waitUntil(lambda: window.lookup is not None and window.lookup.isVisible(), timeout=WAIT)
    focus_is(qtbot, window.lookup.search)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.lookup.isVisible()
    focus_is(qtbot, window.map)

    press(qtbot, window, Qt.Key.Key_F9)  # paying: back in the amount after a dialog
    focus_is(qtbot, window.cash.tendered)
    window.printing.log_action.trigger()
    log = window.printing.log_dialog
    qtbot.waitUntil(log.isVisible, timeout=WAIT)
    log.close()
    focus_is(qtbot, window.cash.tendered)


def test_the_cashiers_keys_work_wherever_typing_is_not_expected(flow, show, qtbot):
    window = selling_window(qtbot, flow, show)
    keys = {
        "B": (Qt.Key.Key_B, Qt.KeyboardModifier.NoModifier, window.best_action),
        "G": (Qt.Key.Key_G, Qt.KeyboardModifier.NoModifier, window.places_action),
        "F9": (Qt.Key.Key_F9, Qt.KeyboardModifier.NoModifier, window.pay_action),
        "F10": (Qt.Key.Key_F10, Qt.KeyboardModifier.NoModifier, window.exact_action),
        "F11": (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier, window.card_panel.pay_action),
        "Ctrl+N": (Qt.Key.Key_N, CTRL, window.new_sale_action),
    }
    places = [
        window.map,
        window.programme.table,
        window.cart_panel.table,
        window.seat_panel.seat_count,
        window.cart_panel.ga_quantity,
        window.seat_panel.accessible,
        window.shift_panel.open_button,
        window.new_sale,
    ]
    missed = []
    for place in places:
        for name, (key, mods, act) in keys.items():
            window.sale.start_new_sale()  # an empty cart: F9 / F10 / F11 only say so
            place.setFocus()
            assert QApplication.focusWidget() is place or place.isAncestorOf(
                QApplication.focusWidget()
            ), place.objectName()
            spy = QSignalSpy(act.triggered)
            press(qtbot, window, key, mods)
            if spy.count() != 1:
                missed.append(f"{name} in {place.objectName()}")
    assert missed == []

    # Enter completes a cash sale whatever has the focus (the map's Enter picks a seat);
    # selling needs an open shift
    open_drawer(flow.ctx)
    window.shift_panel.refresh()
    for place in (
        window.map,
        window.cart_panel.table,
        window.pay_cash,
        window.seat_panel.best_button,
    ):
        window.sale.start_new_sale()
        window.map.setFocus()
        press(qtbot, window, Qt.Key.Key_B)
        press(qtbot, window, Qt.Key.Key_F9)
        press(qtbot, window, Qt.Key.Key_F10)
        place.setFocus()
        before = window.last_sale
        press(qtbot, window, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda b=before: window.last_sale != b, timeout=WAIT)
        assert not window.paying, place.objectName()


def test_esc_leaves_the_event_search(flow, show, qtbot):
    window = selling_window(qtbot, flow, show)
    rows = window.programme.model.rowCount()
    press(qtbot, window, Qt.Key.Key_F, CTRL)
    focus_is(qtbot, window.programme.search)
    qtbot.keyClicks(window.programme.search, "zzz")
    assert window.programme.proxy.rowCount() == 0
    press(qtbot, window, Qt.Key.Key_Escape)
    focus_is(qtbot, window.map)
    assert window.programme.search.text() == "" and window.programme.proxy.rowCount() == rows
    press(qtbot, window, Qt.Key.Key_B)
    assert len(window.cart.seat_ids()) == 2
