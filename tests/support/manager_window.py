"""The manager window driven like a user (pytest-qt, offscreen): logged in as the admin,
synced, an event selected in its table."""

from __future__ import annotations

from enturf_pos.ui.table_models import RowRole
from support.pos_windows import WAIT, log_in


def row_of(view, event_or_ticket_id: int) -> int:
    proxy = view.model()
    for r in range(proxy.rowCount()):
        if proxy.index(r, 0).data(RowRole).id == event_or_ticket_id:
            return r
    raise AssertionError(f"{event_or_ticket_id} not in the table")


def open_manager(qtbot, flow, show) -> None:
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    window = flow.manager_window
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: not flow.sync.worker.running, timeout=WAIT)
    window.events_view.selectRow(row_of(window.events_view, show.event_id))
