"""The manager window's Door tab driven like a user: opened from its tab, lists made
through the list dialog, figures read off the tree."""

from __future__ import annotations

import uuid

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


def paid_codes(api, show, count: int) -> list[str]:
    """`count` seats of `show` booked on the server and paid in cash: their ticket codes."""
    seats = [s["id"] for s in api.get(f"events/{show.event_id}/availability/")["seats"]]
    booking = api.post(
        "bookings/",
        {
            "event": show.event_id,
            "lines": [{"seat": seat, "ticket": show.ticket_ids[0]} for seat in seats[:count]],
            "buyer_name": "Door Test",
        },
    )
    api.post(
        f"bookings/{booking['id']}/payments/",
        {"id": str(uuid.uuid4()), "method": "cash", "amount": booking["total"], "currency": "EUR"},
    )
    lines = api.get(f"bookings/{booking['id']}/")["lines"]
    return [line["ticket_code"] for line in lines]


def scan(api, code: str, list_id: int, gate: str, kind: str = "entry") -> dict:
    """A door scan made online (`POST /api/v1/checkins/`), as the admin."""
    return api.post(
        "checkins/",
        {"id": str(uuid.uuid4()), "code": code, "list": list_id, "gate": gate, "kind": kind},
    )
