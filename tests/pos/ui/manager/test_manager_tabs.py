"""The manager window's tabs: events, the seat-map editor (made when first shown), the
event map."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from support.manager_window import open_manager
from support.pos_windows import WAIT
from support.sync_support import make_show


def test_the_seat_maps_tab_opens_the_editor(flow, api, qtbot):
    show = make_show(api)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    bar = window.tabs.tabBar()
    assert [bar.tabText(i) for i in range(bar.count())] == [
        "Events",
        "Seat maps",
        "Event map",
        "Door",
        "Reports",
        "Vouchers",
        "Staff",
        "Audit",
    ]
    assert window.findChild(QWidget, "seatMapEditor") is None  # made when first shown
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    editor = window.findChild(QWidget, "seatMapEditor")
    qtbot.waitUntil(editor.isVisible, timeout=WAIT)
    window.resize(1366, 768)
    qtbot.wait(100)  # the layouts settle
    window.grab().save("/tmp/mgrui_seat_maps_tab.png")
