"""Fixtures of the door window tests: a door device's local data (tests/support/door_data:
an event, its check-in lists, keys and admissions, as a sync brings them; its server
address answers nothing), a supervisor and a steward who logged in here before, and the
door window as they see it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from support.door_data import seed_door
from support.door_window import SUPERVISOR_PASSWORD

from enturf_pos.models import LocalUser
from enturf_pos.services.session import counter_key
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.ui.app import create_application
from enturf_pos.ui.door.window import DoorWindow
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.task_runner import TaskRunner


@pytest.fixture
def door(ctx):
    """This device on door duty, offline, with the door's data; the `DoorShop` signs codes."""
    shop = seed_door(ctx)
    now = datetime.now(UTC)
    with ctx.db.transaction() as s:
        s.add(
            LocalUser(
                id=1,
                username="boss",
                role="admin",
                password_hash=counter_key.new_hash(ctx, SUPERVISOR_PASSWORD),
                last_online_login=now,
            )
        )
        s.add(LocalUser(id=2, username="sam", role="employee", last_online_login=now))
    return shop


@pytest.fixture
def open_door(ctx, door, qtbot) -> Iterator[Callable[[CurrentUser], DoorWindow]]:
    """The door window of `user`, shown at 1366 x 768 (a common gate laptop)."""
    create_application()
    made: list[tuple[DoorWindow, SyncController, TaskRunner]] = []

    def make(user: CurrentUser) -> DoorWindow:
        runner = TaskRunner()
        sync = SyncController(ctx, runner, ping_seconds=60)
        window = DoorWindow(ctx=ctx, user=user, sync=sync)
        window.resize(1366, 768)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        made.append((window, sync, runner))
        return window

    yield make
    for window, sync, runner in made:
        window.runner.shutdown()
        window.close()
        window.deleteLater()
        sync.shutdown()
        runner.shutdown()
        # deleted by Qt now, not by the garbage collector at some later test's moment
        sync.deleteLater()
        runner.deleteLater()
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
