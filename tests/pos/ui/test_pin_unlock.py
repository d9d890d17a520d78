"""The unlock PIN at the counter, driven like a user: set it from the user's menu ("Set
unlock PIN…"), unlock the lock screen with it (``pinUnlock``), wrong PINs and the
lock-out, offline, users without a PIN, and a keyring that lost the counter key. Against
the live server through the proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMenu, QPushButton
from shiboken6 import isValid
from support.pos_windows import WAIT, close, log_in, make_flow
from support.server_process import USERS

from enturf_pos.services.session import counter_key, unlock_pin
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.ui.window_flow import WindowFlow


@pytest.fixture
def flow(registered, qtbot) -> Iterator[WindowFlow]:
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def logged_in(qtbot, flow: WindowFlow, username: str = "cashier"):
    log_in(qtbot, flow, username)
    qtbot.waitUntil(lambda: bool(flow.main_windows), timeout=WAIT)
    return flow.main_windows[0]


def set_pin(qtbot, window, pin: str, again: str | None = None) -> QDialog:
    assert window.pin_action in window.findChild(QMenu, "userMenu").actions()
    window.pin_action.trigger()
    (dialog,) = [d for d in window.findChildren(QDialog, "pinDialog") if d.isVisible()]
    qtbot.keyClicks(dialog.findChild(QLineEdit, "pinEdit"), pin)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "pinAgainEdit"), pin if again is None else again)
    qtbot.mouseClick(dialog.findChild(QPushButton, "pinSetButton"), Qt.MouseButton.LeftButton)
    return dialog


def gone(dialog: QDialog) -> bool:
    return not isValid(dialog) or not dialog.isVisible()


def type_pin(qtbot, flow: WindowFlow, pin: str) -> None:
    lock = flow.lock_window
    field = lock.findChild(QLineEdit, "pinUnlock")
    assert field.isEnabled()
    qtbot.keyClicks(field, pin)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def wrong_pin(qtbot, flow: WindowFlow, pin: str) -> str:
    lock = flow.lock_window
    before = lock.error.text()
    type_pin(qtbot, flow, pin)
    qtbot.waitUntil(lambda: lock.button.isEnabled() and lock.error.text() != before, timeout=WAIT)
    return lock.error.text()


def on_screen(widget, path) -> None:
    """What the user sees on a 1366x768 screen: `widget` centred on it, as it places itself."""
    canvas = QPixmap(1366, 768)
    canvas.fill(QColor("#2b3440"))
    painter = QPainter(canvas)
    shot = widget.grab()
    assert shot.width() <= 1366 and shot.height() <= 768  # it fits that screen
    painter.drawPixmap(QPoint((1366 - shot.width()) // 2, (768 - shot.height()) // 2), shot)
    painter.end()
    canvas.save(str(path))


def test_a_cashier_sets_a_pin_and_unlocks_with_it_offline(flow, proxy, qtbot, artifacts):
    window = logged_in(qtbot, flow)
    # the two PINs differ: the dialog says so and stays open
    dialog = set_pin(qtbot, window, "4821", "4812")
    assert dialog.isVisible()
    assert dialog.message.objectName() == "pinMessage"
    assert dialog.message.text() == unlock_pin.NOT_SAME
    dialog.reject()
    dialog = set_pin(qtbot, window, "482193")
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    assert "PIN is set" in window.statusBar().currentMessage()

    proxy.down()  # the PIN is checked on this counter
    flow.lock()
    lock = flow.lock_window
    pin = lock.findChild(QLineEdit, "pinUnlock")
    assert pin.isVisible() and pin.isEnabled() and lock.focusWidget() is pin
    assert not lock.findChild(QLabel, "pinUnlockNote").isVisible()
    assert pin.echoMode() == QLineEdit.EchoMode.Password
    assert wrong_pin(qtbot, flow, "111111").startswith("Wrong PIN. 4 more tries")
    on_screen(lock, artifacts / "lock-screen-pin-1366x768.png")
    type_pin(qtbot, flow, "482193")
    qtbot.waitUntil(lambda: flow.lock_window is None, timeout=WAIT)
    assert window.isVisible()


def test_five_wrong_pins_turn_pin_unlock_off_until_the_password(flow, qtbot, artifacts):
    window = logged_in(qtbot, flow)
    dialog = set_pin(qtbot, window, "2468")
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    flow.lock()
    for _ in range(4):
        wrong_pin(qtbot, flow, "0000")
    assert wrong_pin(qtbot, flow, "0000") == unlock_pin.LOCKED_OUT
    lock = flow.lock_window
    pin = lock.findChild(QLineEdit, "pinUnlock")
    assert not pin.isEnabled() and pin.toolTip() == unlock_pin.LOCKED_OUT
    assert lock.findChild(QLabel, "pinUnlockNote").text() == unlock_pin.LOCKED_OUT
    assert lock.focusWidget() is lock.password
    on_screen(lock, artifacts / "lock-screen-pin-locked-out-1366x768.png")
    qtbot.keyClicks(lock.password, USERS["cashier"][1])
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.lock_window is None, timeout=WAIT)
    # the password turned PIN unlock on again
    flow.lock()
    type_pin(qtbot, flow, "2468")
    qtbot.waitUntil(lambda: flow.lock_window is None, timeout=WAIT)


def test_a_pin_unlocks_only_its_own_users_session(flow, qtbot):
    window = logged_in(qtbot, flow, "admin")
    dialog = set_pin(qtbot, window, "13579")
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    window.logout_action.trigger()
    qtbot.waitUntil(lambda: flow.login_window is not None, timeout=WAIT)
    window = logged_in(qtbot, flow, "cashier")
    flow.lock()
    pin = flow.lock_window.findChild(QLineEdit, "pinUnlock")
    assert not pin.isEnabled()  # the cashier has no PIN here; the admin's is not theirs
    assert pin.toolTip() == unlock_pin.NO_PIN
    # why, in sight too: a tooltip cannot be read on a touch screen
    note = flow.lock_window.findChild(QLabel, "pinUnlockNote")
    assert note.isVisible() and note.text() == unlock_pin.NO_PIN
    assert flow.lock_window.focusWidget() is flow.lock_window.password
    lock = flow.lock_window
    qtbot.keyClicks(lock.password, USERS["cashier"][1])
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.lock_window is None, timeout=WAIT)
    dialog = set_pin(qtbot, window, "24680")
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    flow.lock()
    assert wrong_pin(qtbot, flow, "13579").startswith("Wrong PIN.")  # the admin's PIN
    assert flow.lock_window is not None


def test_a_keyring_without_the_counter_key_refuses_pin_and_password_saying_to_sign_in_online(
    flow, proxy, qtbot, artifacts
):
    window = logged_in(qtbot, flow)
    dialog = set_pin(qtbot, window, "4821")
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    flow.ctx.secrets.delete(Secret.LOCAL_HASH_KEY)  # the keyring was reset (only that key)
    proxy.down()
    flow.lock()
    lock = flow.lock_window
    pin = lock.findChild(QLineEdit, "pinUnlock")
    assert not pin.isEnabled() and pin.toolTip() == counter_key.MISSING_LOCKED
    assert lock.focusWidget() is lock.password
    qtbot.keyClicks(lock.password, USERS["cashier"][1])
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lock.error.text() == counter_key.MISSING_LOCKED, timeout=WAIT)
    assert flow.lock_window is lock and lock.button.isEnabled()  # still locked, no crash
    on_screen(lock, artifacts / "lock-screen-no-counter-key-1366x768.png")

    # as it says: log out, and offline login is not offered; online it is set up again
    qtbot.mouseClick(lock.logout_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.login_window is not None, timeout=WAIT)
    login = flow.login_window
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: counter_key.MISSING in login.error.text(), timeout=WAIT)
    assert not login.offline_button.isVisible()
    proxy.up()
    window = logged_in(qtbot, flow)
    dialog = set_pin(qtbot, window, "4821")
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    proxy.down()
    flow.lock()
    type_pin(qtbot, flow, "4821")
    qtbot.waitUntil(lambda: flow.lock_window is None, timeout=WAIT)
