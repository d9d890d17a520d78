"""The door window in the app's window flow, against the real server (through the proxy):
a device on door duty opens it after login instead of the counter, a counter reaches it
through its Door action, the mode follows the link by itself, the lock screen covers it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from support.door_live import set_door_duty
from support.pos_windows import WAIT, close, log_in, make_flow
from support.server_process import USERS

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
