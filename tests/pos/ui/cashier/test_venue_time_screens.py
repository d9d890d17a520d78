"""The counter's screens show the venue's time (Europe/Berlin) with the machine's own zone
far away (TZ=America/Los_Angeles): the programme and the seat map header of the cashier
window, and the manager's event table, where a start time is also typed in the venue's
zone (20:00 typed in winter is stored as 19:00Z and reaches the server so). Real server
behind the proxy, the real windows driven by keyboard (pytest-qt, offscreen)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDateTimeEdit
from support.artifacts import ARTIFACTS
from support.cashier_window import open_counter_window, open_event_by_keyboard
from support.machine_zone import machine_zone
from support.manager_window import open_manager, row_of
from support.pos_windows import WAIT, close, make_flow
from support.sync_support import make_show

from enturf_pos.models import Event
from enturf_pos.ui.table_models import EventTableModel


@pytest.fixture
def flow(registered, qtbot):
    """The windows on a machine whose clock zone is Los Angeles; short sync intervals."""
    registered.config = replace(
        registered.config, sync_interval_seconds=1.0, sync_max_backoff_seconds=2.0
    )
    with machine_zone("America/Los_Angeles"):
        flow = make_flow(registered, qtbot)
        yield flow
        close(flow)


def berlin_show(api, starts_at: str):
    """A show at a venue in Berlin, starting at `starts_at` (UTC, ISO 8601)."""
    show = make_show(api)
    api.patch(f"venues/{show.venue_id}/", {"timezone": "Europe/Berlin"})
    api.patch(f"events/{show.event_id}/", {"starts_at": starts_at})
    return show


def test_programme_and_seat_map_header_show_the_venue_time(flow, api, qtbot):
    show = berlin_show(api, "2031-01-15T19:00:00Z")  # 20:00 in Berlin, 11:00 in LA
    name = api.get(f"events/{show.event_id}/")["name"]
    window = open_counter_window(qtbot, flow, {"event": show.event_id})
    row = window.events.row_of(show.event_id)
    listed = window.events.index(row, 0).data()
    assert "Wed 15 Jan, 20:00" in listed and "11:00" not in listed, listed

    open_event_by_keyboard(qtbot, window, {"event": show.event_id, "name": name})
    header = window.event_info.text()
    assert header.startswith("Wednesday 15 January 2031, 20:00"), header
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "venue-time-cashier-window.png"))


def test_the_manager_types_and_reads_start_times_in_the_venue_zone(flow, api, qtbot):
    show = berlin_show(api, "2031-01-15T17:00:00Z")  # 18:00 in Berlin, 09:00 in LA
    open_manager(qtbot, flow, show)
    view = flow.manager_window.events_view

    def shown(column: int) -> str:
        return view.model().index(row_of(view, show.event_id), column).data()

    qtbot.waitUntil(lambda: shown(EventTableModel.TIME) == "18:00", timeout=WAIT)
    assert shown(EventTableModel.DATE) == "Wed 15 Jan 2031"

    view.setCurrentIndex(view.model().index(row_of(view, show.event_id), EventTableModel.TIME))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    (editor,) = [e for e in view.findChildren(QDateTimeEdit) if e.isVisible()]
    assert editor.objectName() == "startsAtEditor"
    assert editor.text() == "15 Jan 2031 18:00"  # the venue's wall clock, not the machine's
    editor.setSelectedSection(QDateTimeEdit.Section.HourSection)
    qtbot.keyClicks(editor, "20")
    assert editor.text() == "15 Jan 2031 20:00"
    flow.manager_window.grab().save(str(ARTIFACTS / "venue-time-manager-editing.png"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=WAIT)

    qtbot.waitUntil(lambda: shown(EventTableModel.TIME) == "20:00", timeout=WAIT)
    with flow.ctx.db.transaction() as s:
        assert s.get(Event, show.event_id).starts_at == datetime(2031, 1, 15, 19, 0, tzinfo=UTC)
    qtbot.waitUntil(
        lambda: api.get(f"events/{show.event_id}/")["starts_at"].startswith("2031-01-15T19:00"),
        timeout=WAIT,
    )
