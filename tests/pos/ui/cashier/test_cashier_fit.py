"""The cashier window on common screens (issue 12 item 3): it works at 1366x768 with
every control in reach, never resizes itself when the cart fills or a payment panel
opens, and opens inside the free area of the screen it is opened from. The tests run on
the two offscreen screens of tests/conftest.py ("wide" 1920x1080, "small" 1366x768)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QScrollArea,
    QWidget,
)
from support.cashier_window import press, selling_window
from support.pos_windows import WAIT, log_in

SIZES = (QSize(1366, 768), QSize(1600, 900), QSize(1920, 1080))
CONTROLS = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView)


def screen(name: str):
    return next(s for s in QGuiApplication.screens() if s.name() == name)


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def scroll_to(area: QScrollArea, widget: QWidget) -> None:
    """Scroll `area` so that all of `widget` is in view (Qt's ensureWidgetVisible shows
    only a text field's cursor)."""
    top = widget.mapTo(area.widget(), QPoint(0, 0)).y()
    bar = area.verticalScrollBar()
    bar.setValue(min(top, max(bar.value(), top + widget.height() - area.viewport().height())))


def wholly_visible(window: QWidget, widget: QWidget) -> bool:
    """Shown, inside the window, and not clipped by a scroll area or splitter."""
    return (
        widget.isVisible()
        and window.rect().contains(rect_in(window, widget))
        and widget.visibleRegion().boundingRect() == widget.rect()
    )


def test_the_cashier_window_fits_common_screens_and_never_resizes_itself(
    flow,
    show,
    qtbot,
    artifacts,
):
    window = selling_window(qtbot, flow, show)
    window.showNormal()
    for size in SIZES:
        window.resize(size)
        qtbot.waitUntil(lambda s=size: window.size() == s, timeout=WAIT)
        assert window.minimumSizeHint().width() <= 1366
        window.sale.start_new_sale()
        window.seat_panel.seat_count.setValue(6)
        press(qtbot, window, Qt.Key.Key_B)
        assert len(window.cart.seat_ids()) == 6
        window.cart_panel.ga_quantity.setValue(3)
        qtbot.mouseClick(window.cart_panel.ga_add, Qt.MouseButton.LeftButton)
        assert window.cart_panel.model.rowCount() == 7
        window.map.setFocus()
        press(qtbot, window, Qt.Key.Key_F9)
        assert window.cash.isVisible()
        qtbot.wait(100)  # let the layout settle
        name = f"{size.width()}x{size.height()}"
        window.grab().save(str(artifacts / f"cashier-fit-{name}.png"))

        assert window.size() == size, f"the window resized itself at {name}"
        for widget in (
            window.pay_cash,
            window.card_panel.pay_button,
            window.new_sale,
            window.cart_panel.total,
            window.cash.tendered,
            window.cash.exact,
            window.cash.complete,
            window.cash.change,
        ):
            assert wholly_visible(window, widget), f"{widget.objectName()} at {name}"
        # every other control: in the window, and reachable (the sale pane scrolls)
        for widget in window.findChildren(QWidget):
            if not isinstance(widget, CONTROLS) or isinstance(widget, QHeaderView):
                continue  # (a table's header is part of its table)
            if not widget.isVisible():
                continue
            if widget.window() is not window or window.toolbar.isAncestorOf(widget):
                continue  # the toolbar folds what does not fit into its extension menu
            if window.sale_scroll.isAncestorOf(widget):
                scroll_to(window.sale_scroll, widget)
            assert wholly_visible(window, widget), f"{widget.objectName()} at {name}"
        press(qtbot, window, Qt.Key.Key_Escape)
        assert not window.cash.isVisible() and window.size() == size


def test_the_counter_opens_inside_the_screen_of_the_manager_window(flow, qtbot):
    """ "Open counter" from the manager window: the counter opens on the manager's screen,
    inside its free area, even when that screen is smaller than the window's own size."""
    small = screen("small")
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    manager = flow.manager_window
    assert screen("wide").availableGeometry().contains(manager.frameGeometry())
    manager.move(small.availableGeometry().topLeft() + QPoint(300, 40))
    qtbot.waitUntil(lambda: manager.screen() is small, timeout=WAIT)
    manager.activateWindow()
    qtbot.keyClick(manager, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    counter = flow.cashier_window
    qtbot.waitUntil(counter.isVisible, timeout=WAIT)
    # maximized there (its own size does not fit), once the platform applied the state
    qtbot.waitUntil(
        lambda: small.availableGeometry().contains(counter.frameGeometry()), timeout=WAIT
    )
    assert counter.screen() is small and counter.isMaximized()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is counter, timeout=WAIT)
