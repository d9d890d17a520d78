"""The customer display follows a real sale in the cashier window (pytest-qt, offscreen on
the suite's two screens: the counter on "wide", the display on "small"), against the real
server and the gateway simulator; everything is read by objectName."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QTableView, QWidget
from support.card_support import DECLINED_CARD
from support.cashier_window import (
    open_counter_window,
    open_event_by_keyboard,
    press,
    wait_for_reader,
    wait_online,
    widget,
)
from support.pos_windows import WAIT

from enturf_pos.ui.customer_display import settings as display_settings
from enturf_pos.ui.printing.settings import PrinterSettings
from enturf_pos.ui.printing.settings_dialog import PrinterSettingsDialog


def display_of(window) -> QWidget:
    found = [w for w in QApplication.topLevelWidgets() if w.objectName() == "customerDisplay"]
    assert len(found) == 1 and found[0] is window.customer_display.display
    return found[0]


def text(display: QWidget, name: str) -> str:
    return widget(display, QLabel, name).text()


def page(display: QWidget) -> str:
    return display.pages.currentWidget().objectName()


def lines(display: QWidget) -> list[list[str]]:
    model = widget(display, QTableView, "customerDisplayLines").model()
    return [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]


def selling_with_display(qtbot, flow, show):
    display_settings.save_screen(flow.ctx.config.data_dir, "small")  # Printers… did this
    window = open_counter_window(qtbot, flow, show)
    window.customer_display._thanks.setInterval(300)  # the thanks screen, shortened
    display = display_of(window)
    assert display.isVisible() and display.isFullScreen()
    assert display.screen().name() == "small" and window.screen().name() == "wide"
    assert page(display) == "customerDisplayWelcome"
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    return window, display


def test_a_cash_sale_on_the_customer_display(flow, show, qtbot, artifacts):
    window, display = selling_with_display(qtbot, flow, show)
    press(qtbot, window, Qt.Key.Key_B)  # best 2 seats
    qtbot.waitUntil(lambda: page(display) == "customerDisplaySale", timeout=WAIT)
    rows = lines(display)
    assert len(rows) == 2 and all(row[0] == show["name"] for row in rows)
    labels = sorted(window.cart_panel.model.row_at(r).label for r in range(2))
    assert sorted(row[1] for row in rows) == labels
    assert text(display, "customerDisplayTotal") == window.cart_panel.total.text() == "€40.00"
    assert sorted(display.state.seats) == sorted(window.cart.seat_ids())
    assert sorted(display.seat_map.state.selection()) == sorted(window.cart.seat_ids())
    # the cashier's keyboard stays on the counter: the map, then the amount received
    assert QApplication.activeWindow() is window and QApplication.focusWidget() is window.map

    press(qtbot, window, Qt.Key.Key_F9)
    assert text(display, "customerDisplayPayment") == "To pay €40.00"
    assert QApplication.focusWidget() is window.cash.tendered
    qtbot.keyClicks(widget(window, QLineEdit, "cashTendered"), "50")
    assert text(display, "customerDisplayPayment") == "Cash given €50.00 · Your change €10.00"
    assert QApplication.focusWidget() is window.cash.tendered
    display.grab().save(str(artifacts / "customer-display-sale-cash-1366x768.png"))

    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    assert text(display, "customerDisplayHeading").startswith("Thank you")
    assert "Your change €10.00" in text(display, "customerDisplayPayment")
    qtbot.waitUntil(lambda: page(display) == "customerDisplayWelcome", timeout=WAIT)
    assert QApplication.activeWindow() is window


def test_a_card_sale_declined_then_approved_on_the_customer_display(
    flow, show, sim, qtbot, artifacts
):
    window, display = selling_with_display(qtbot, flow, show)
    press(qtbot, window, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: window.live.in_step and window.live.hold is not None, timeout=WAIT)
    press(qtbot, window, Qt.Key.Key_F11)
    wait_for_reader(qtbot, window)
    assert text(display, "customerDisplayPayment") == "Please tap or insert your card: €40.00"
    display.grab().save(str(artifacts / "customer-display-sale-card-1366x768.png"))

    sim.tap(DECLINED_CARD)
    qtbot.waitUntil(lambda: "declined" in text(display, "customerDisplayPayment"), timeout=WAIT)
    assert text(display, "customerDisplayPayment").startswith("Card declined.")
    widget(window, QWidget, "retryCardButton").click()
    wait_for_reader(qtbot, window)  # on the reader again (the tap before that is refused)
    assert text(display, "customerDisplayPayment") == "Please tap or insert your card: €40.00"
    sim.tap()
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    assert text(display, "customerDisplayPayment") == "Card approved €40.00. Thank you!"
    assert text(display, "customerDisplayHeading").startswith("Thank you")
    qtbot.waitUntil(lambda: page(display) == "customerDisplayWelcome", timeout=WAIT)


def test_going_back_and_a_new_sale_clear_the_display(flow, show, sim, qtbot):
    window, display = selling_with_display(qtbot, flow, show)
    press(qtbot, window, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: page(display) == "customerDisplaySale", timeout=WAIT)
    qtbot.waitUntil(lambda: window.live.in_step and window.live.hold is not None, timeout=WAIT)
    press(qtbot, window, Qt.Key.Key_F11)
    wait_for_reader(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Escape)  # the card is canceled: back to the cart
    qtbot.waitUntil(lambda: not window.card_panel.busy, timeout=WAIT)
    payment = widget(display, QLabel, "customerDisplayPayment")
    qtbot.waitUntil(lambda: not payment.isVisible(), timeout=WAIT)
    assert display.state.card_status == "" and page(display) == "customerDisplaySale"
    press(qtbot, window, Qt.Key.Key_F9)
    qtbot.keyClicks(widget(window, QLineEdit, "cashTendered"), "5")
    assert "still to pay" in text(display, "customerDisplayPayment")
    press(qtbot, window, Qt.Key.Key_Escape)  # back to the cart
    qtbot.waitUntil(lambda: not widget(display, QLabel, "customerDisplayPayment").isVisible())
    assert display.state.tendered is None
    press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # new sale
    qtbot.waitUntil(lambda: page(display) == "customerDisplayWelcome", timeout=WAIT)


def test_the_screen_is_chosen_in_the_printers_dialog_and_off_hides_it(flow, show, qtbot):
    window, display = selling_with_display(qtbot, flow, show)
    dialog = PrinterSettingsDialog(
        PrinterSettings(), window, display_screen=window.printing.display_screen
    )
    combo = widget(dialog, QComboBox, "customerDisplayScreen")
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[0] == "Off" and sorted(items[1:]) == ["small (1366x768)", "wide (1920x1080)"]
    assert combo.currentData() == "small"
    combo.setCurrentIndex(combo.findData(""))
    assert dialog.display_screen() == ""
    dialog.deleteLater()
    window.printing.displayScreenChosen.emit(dialog.display_screen())  # what Save does
    assert not display.isVisible()
    assert display_settings.load_screen(flow.ctx.config.data_dir) == ""
    assert PrinterSettingsDialog(PrinterSettings()).display_combo is None  # other windows


def test_the_display_never_covers_the_cashiers_own_screen(flow, show, qtbot):
    display_settings.save_screen(flow.ctx.config.data_dir, "wide")  # the counter's screen
    window = open_counter_window(qtbot, flow, show)
    assert window.screen().name() == "wide"
    qtbot.waitUntil(lambda: "stays off" in window.message.text(), timeout=WAIT)
    display = window.customer_display.display
    assert display is None or not display.isVisible()
    window.printing.displayScreenChosen.emit("small")
    qtbot.waitUntil(lambda: display_of(window).isVisible(), timeout=WAIT)
    assert display_of(window).screen().name() == "small"
