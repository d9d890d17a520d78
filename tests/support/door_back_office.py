"""The manager window's Door tab driven like a user: opened from its tab, lists made
through the list dialog, figures read off the tree."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QListWidget, QPushButton

from support.pos_windows import WAIT


def open_door_tab(qtbot, window):
    tabs = window.tabs
    bar = tabs.tabBar()
    index = tabs.indexOf(window.door_tab)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentWidget() is window.door_tab
    qtbot.waitUntil(window.door_tab.isVisible, timeout=WAIT)
    return window.door_tab


def fill_list_dialog(
    qtbot, dialog, *, name: str, gates: str, exits: bool, tickets: tuple[int, ...] = ()
) -> None:
    edit = dialog.findChild(QLineEdit, "checkinListName")
    edit.selectAll()
    qtbot.keyClicks(edit, name)
    gates_edit = dialog.findChild(QLineEdit, "checkinListGates")
    gates_edit.selectAll()
    qtbot.keyClicks(gates_edit, gates)
    box = dialog.findChild(QCheckBox, "checkinListExits")
    if box.isChecked() != exits:
        box.click()
    listed = dialog.findChild(QListWidget, "checkinListTickets")
    for i in range(listed.count()):
        item = listed.item(i)
        wanted = item.data(Qt.ItemDataRole.UserRole) in tickets
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def press(qtbot, parent, name: str) -> None:
    button = parent.findChild(QPushButton, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
