"""The manager window driven like a user (pytest-qt, offscreen): logged in as the admin,
synced, an event selected in its table; cells typed into, dialogs opened from their
buttons, seats dragged over on the event map."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLineEdit, QPushButton, QWidget

from enturf_pos.ui.table_models import RowRole
from support.pos_windows import WAIT, log_in


def row_of(view, event_or_ticket_id: int) -> int:
    proxy = view.model()
    for r in range(proxy.rowCount()):
        if proxy.index(r, 0).data(RowRole).id == event_or_ticket_id:
            return r
    raise AssertionError(f"{event_or_ticket_id} not in the table")


def open_manager(qtbot, flow, show) -> None:
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    window = flow.manager_window
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: not flow.sync.worker.running, timeout=WAIT)
    window.events_view.selectRow(row_of(window.events_view, show.event_id))


def type_into_cell(qtbot, view, row: int, column: int, text: str) -> None:
    """Select the cell, start editing (F2), replace its text, press Enter."""
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    (editor,) = [e for e in view.findChildren(QLineEdit) if e.isVisible()]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=WAIT)


def click(qtbot, parent: QWidget, name: str) -> None:
    button = parent.findChild(QPushButton, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_dialog(qtbot, window, button: str) -> QDialog:
    """Click one of the events tab's buttons; the dialog it opens."""
    click(qtbot, window.events_tab, button)
    qtbot.waitUntil(lambda: window.events_tab.dialog is not None, timeout=WAIT)
    dialog = window.events_tab.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    return dialog


def type_into(qtbot, parent: QWidget, name: str, text: str) -> None:
    edit = parent.findChild(QLineEdit, name)
    assert edit is not None, name
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def drag_over_seats(qtbot, view, seat_ids: list[int]) -> None:
    """Drag a rectangle round these seats on a seat map view, as a user would."""
    layout = view.state.layout
    indices = [layout.index(s) for s in seat_ids]
    xs = [layout.xs[i] for i in indices]
    ys = [layout.ys[i] for i in indices]
    pad = layout.pitch * 0.45
    start = view.mapFromScene(QPointF(min(xs) - pad, min(ys) - pad))
    end = view.mapFromScene(QPointF(max(xs) + pad, max(ys) + pad))
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    qtbot.mouseMove(viewport, middle)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def log_in_manager(qtbot, flow) -> None:
    """The admin logged in, the first sync done (no event to select)."""
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: not flow.sync.worker.running, timeout=WAIT)


def show_tab(qtbot, window, index: int) -> None:
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert window.tabs.currentIndex() == index


def click_seats(qtbot, view, seat_ids: list[int]) -> None:
    """Click each seat on a seat map view (a click adds it to the selection)."""
    layout = view.state.layout
    for seat_id in seat_ids:
        i = layout.index(seat_id)
        where = view.mapFromScene(QPointF(layout.xs[i], layout.ys[i]))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def manager_tab(qtbot, flow, show, name: str) -> QWidget:
    """The admin's manager window on a 1366x768 screen's size, `show`'s event selected, the
    tab of objectName `name` shown."""
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    tab = window.findChild(QWidget, name)
    window.tabs.setCurrentWidget(tab)
    return tab
