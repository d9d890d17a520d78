"""The printing tests' window: the print controller's parent and the dialogs' host."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow


@pytest.fixture
def host(qtbot) -> QMainWindow:
    window = QMainWindow()
    window.setObjectName("hostWindow")
    qtbot.addWidget(window)
    return window
