"""Fixtures of the seat-map editor tests: the editor on a counter whose local database
holds the synthetic venue "Hall" and its seat map (tests/support/back_office_feed.py)."""

from __future__ import annotations

import pytest
from support.back_office_feed import seed
from support.seat_map_editor import FakeDialogs

from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor


@pytest.fixture
def editor(qtbot, ctx):
    seed(ctx)
    widget = SeatMapEditor(ctx)
    widget.file_dialogs = FakeDialogs()
    widget.confirm = lambda _text: True
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
