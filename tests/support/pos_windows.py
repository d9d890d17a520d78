"""The POS app driven like a user (pytest-qt, offscreen): its window flow started and
closed, a user logged in through the login window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from enturf_pos.ui.app import create_application
from enturf_pos.ui.window_flow import WindowFlow
from support.server_process import USERS

WAIT = 20_000  # ms: logins hash with scrypt and talk to a real server on a busy machine


def make_flow(ctx, qtbot) -> WindowFlow:
    create_application()
    flow = WindowFlow(ctx)
    flow.start()
    return flow


def close(flow: WindowFlow) -> None:
    flow.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()


def log_in(qtbot, flow: WindowFlow, username: str, password: str | None = None) -> None:
    window = flow.login_window
    assert window is not None and window.isVisible()
    window.username.clear()
    window.password.clear()
    qtbot.keyClicks(window.username, username)
    qtbot.keyClicks(window.password, password or USERS[username][1])
    qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
