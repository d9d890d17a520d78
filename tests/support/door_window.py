"""Driving the door window like door staff (pytest-qt): the staff, a code scanned as a USB
scanner types it (characters, then Enter, into `scanInput`), the verdict as shown."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.ui.door.window import DoorWindow
from support.door_data import ADULT, admission, apply

SUPERVISOR = CurrentUser(1, "boss", "admin", "Bo Boss", offline=True)
STEWARD = CurrentUser(2, "sam", "employee", "Sam Steward", offline=True)
SUPERVISOR_PASSWORD = "Boss-pass-99"
WAIT = 10_000


def shot(window: QWidget, name: str) -> None:
    """A screenshot for a person to look at: /tmp/chkui_<name>.png."""
    window.grab().save(f"/tmp/chkui_{name}.png")


def sold(ctx, shop, *, seat: int | None = None, ticket: int = ADULT, state: str = "valid") -> str:
    """A booking line the feed brought (tests/support/door_data), and its printed code."""
    line = str(uuid.uuid4())
    apply(ctx, admission(line, ticket=ticket, seat=seat, state=state))
    return shop.code(line, seat=seat)


def scan(qtbot, window: DoorWindow, code: str, *, wait: int = WAIT) -> None:
    """The code's characters, then Enter, into the focused field (it must be scanInput)."""
    field = window.findChild(QLineEdit, "scanInput")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=2_000)
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.scans.pending == 0, timeout=wait)
    qtbot.waitUntil(lambda: verdict(window)["colour"] != "waiting", timeout=wait)


def verdict(window: DoorWindow) -> dict[str, str]:
    """The verdict's colour and its visible texts, by objectName."""
    panel = window.findChild(QWidget, "scanVerdict")
    texts = {
        name: label.text() if label.isVisible() else ""
        for name in ("scanWords", "scanReason", "scanPlace", "scanTicket", "scanPrevious")
        if (label := panel.findChild(QLabel, name)) is not None
    }
    return {"colour": str(panel.property("colour")), **texts}


def on_list(qtbot, window: DoorWindow, list_id: int, gate: str = "") -> None:
    window.picker.choose(list_id=list_id, gate=gate)
    qtbot.waitUntil(lambda: window.picker.list_id == list_id)
