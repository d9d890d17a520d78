"""The door window in the app's window flow, against the real server (through the proxy):
a device on door duty opens it after login instead of the counter, a counter reaches it
through its Door action, the mode follows the link by itself, the lock screen covers it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from support.door_live import lists_of, printed_codes, seat_ids, set_door_duty, web_booking
from support.door_window import scan, shot, verdict
from support.pos_windows import WAIT, close, log_in, make_flow
from support.server_process import USERS
from support.sync_support import make_show

from enturf_pos.ui.window_flow import WindowFlow


@pytest.fixture
def flow(registered, qtbot) -> Iterator[WindowFlow]:
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def mode(window) -> str:
    return str(window.findChild(QLabel, "doorModeStatus").property("state"))


def test_a_door_device_opens_the_door_window_and_its_mode_follows_the_link(
    registered, proxy, api, qtbot
):
    set_door_duty(api, registered)  # the back office's device list
    flow = make_flow(registered, qtbot)
    try:
        log_in(qtbot, flow, "cashier")
        qtbot.waitUntil(lambda: flow.door_window is not None, timeout=WAIT)
        window = flow.door_window
        assert window.objectName() == "doorWindow" and window.isVisible()
        assert flow.cashier_window is None and flow.manager_window is None
        qtbot.waitUntil(lambda: mode(window) == "online", timeout=WAIT)

        proxy.down()  # the server stops answering: offline, with no switch touched
        qtbot.waitUntil(lambda: mode(window) == "offline", timeout=WAIT)
        assert "Offline" in window.findChild(QLabel, "doorModeStatus").text()
        proxy.up()
        qtbot.waitUntil(lambda: mode(window) == "online", timeout=WAIT)

        window.findChild(type(window.lock_action), "lockAction").trigger()  # Ctrl+L
        lock = flow.lock_window
        assert lock is not None and not window.isVisible()
        qtbot.keyClicks(lock.password, USERS["cashier"][1])
        qtbot.keyClick(lock.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: flow.lock_window is None, timeout=WAIT)
        assert window.isVisible()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.scan_input, timeout=WAIT)
    finally:
        close(flow)


def test_a_counter_opens_the_door_window_with_its_door_action(flow, qtbot):
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    action = flow.cashier_window.door_action
    assert action.objectName() == "openDoorAction"
    action.trigger()  # Ctrl+Shift+G
    qtbot.waitUntil(lambda: flow.door_window is not None, timeout=WAIT)
    door = flow.door_window
    assert door.isVisible()
    assert door.findChild(QLabel, "doorModeStatus").text() != ""
    assert not door.override_button.isVisible()  # a cashier is no supervisor


def test_printed_tickets_scanned_online_then_offline_when_the_server_goes_away(
    registered, proxy, api, qtbot
):
    show = make_show(api, tickets=1, rows=2, seats=5)
    booking = web_booking(api, show, seat_ids(api, show)[:3])
    first, second, third = printed_codes(api, booking["id"])  # read back from the PDF
    [checkin_list] = lists_of(api, show)
    set_door_duty(api, registered)
    flow = make_flow(registered, qtbot)
    try:
        log_in(qtbot, flow, "cashier")
        qtbot.waitUntil(lambda: flow.door_window is not None, timeout=WAIT)
        window = flow.door_window
        picker = window.picker
        qtbot.waitUntil(lambda: picker.event_combo.findData(show.event_id) >= 0, timeout=WAIT)
        picker.choose(event_id=show.event_id, list_id=checkin_list["id"], gate="A")
        window.resize(1366, 768)
        qtbot.waitUntil(lambda: mode(window) == "online", timeout=WAIT)

        scan(qtbot, window, first, wait=WAIT)
        assert verdict(window)["colour"] == "green" and window.scans.last.mode == "online"
        assert "seat" in verdict(window)["scanPlace"].lower()
        counts = window.findChild(QWidget, "checkinCounts")
        qtbot.waitUntil(lambda: counts.property("in") == 1, timeout=WAIT)
        shot(window, "online_admitted")
        scan(qtbot, window, first, wait=WAIT)
        assert verdict(window)["colour"] == "amber"  # the server says so
        assert verdict(window)["scanPrevious"]

        proxy.down()  # the link goes: the next verdicts are this device's, at once
        qtbot.waitUntil(lambda: mode(window) == "offline", timeout=WAIT)
        scan(qtbot, window, second, wait=WAIT)
        assert verdict(window)["colour"] == "green" and window.scans.last.mode == "offline"
        shot(window, "offline_admitted")
        proxy.up()
        qtbot.waitUntil(lambda: mode(window) == "online", timeout=WAIT)
        scan(qtbot, window, third, wait=WAIT)
        assert window.scans.last.mode == "online"
        qtbot.waitUntil(lambda: counts.property("in") == 3, timeout=WAIT)
    finally:
        close(flow)
