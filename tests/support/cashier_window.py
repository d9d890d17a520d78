"""The cashier window driven by keyboard (pytest-qt, offscreen): opened on a show, the
keys a cashier presses, a cash sale paid and completed, its arrival on the server, the
card panel's state."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from enturf_pos.services.sales import sale_service
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.cashier.window import CashierWindow
from enturf_pos.ui.window_flow import WindowFlow
from support.pos_windows import WAIT, log_in


def press(qtbot, window: QWidget, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    """One key press, where the keyboard focus is (as a person at the counter)."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, mods)


def open_counter_window(qtbot, flow: WindowFlow, show) -> CashierWindow:
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    window = flow.cashier_window
    window.activateWindow()
    qtbot.waitUntil(lambda: window.events.row_of(show["event"]) is not None, timeout=WAIT)
    return window


def open_event_by_keyboard(qtbot, window: CashierWindow, show) -> None:
    press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.programme.search
    qtbot.keyClicks(window.programme.search, show["name"])
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            window.sale.current_event is not None and window.sale.current_event.id == show["event"]
        ),
        timeout=WAIT,
    )


def wait_online(qtbot, window: CashierWindow) -> None:
    qtbot.waitUntil(lambda: not window.offline and window.live.version is not None, timeout=WAIT)


def selling_window(qtbot, flow: WindowFlow, show) -> CashierWindow:
    """The cashier's window with `show` open (by keyboard), online."""
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    return window


def pay_exact_and_complete(qtbot, window: CashierWindow) -> None:
    press(qtbot, window, Qt.Key.Key_F9)
    assert window.cash.isVisible()
    press(qtbot, window, Qt.Key.Key_F10)
    press(qtbot, window, Qt.Key.Key_Return)
    try:
        qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    except Exception:
        print("cashier message:", window.message.text())
        raise


def wait_on_server(qtbot, ctx: PosContext, sale_id: uuid.UUID) -> sale_service.SaleStatus:
    def arrived() -> bool:
        status = sale_service.sale_status(ctx=ctx, sale_id=sale_id)
        return status is not None and status.state == "applied"

    qtbot.waitUntil(arrived, timeout=WAIT * 2)
    return sale_service.sale_status(ctx=ctx, sale_id=sale_id)


def widget(window, cls, name):
    found = window.findChild(cls, name)
    assert found is not None, name
    return found


def status_of(window) -> str:
    return widget(window, QLabel, "cardStatus").text()


def wait_for_reader(qtbot, window) -> None:
    qtbot.waitUntil(lambda: "Waiting for the card" in status_of(window), timeout=WAIT)
    assert widget(window, QPushButton, "cancelCardButton").isVisible()
