"""The door window never waits for a sync: with the sync worker held mid-run (its pull's
answer held back by the proxy), the scanner's field still takes codes and the verdicts
still show, online and offline; the sync then ends normally."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from support.door_live import lists_of, printed_codes, seat_ids, set_door_duty, web_booking
from support.door_window import scan, shot, verdict
from support.pos_windows import WAIT, close, log_in, make_flow
from support.sync_support import make_show

from enturf_pos.ui import sync_controller
from enturf_pos.ui.window_flow import WindowFlow

CHANGES = b"GET /api/v1/sync/changes/"


@pytest.fixture
def show_and_codes(api):
    show = make_show(api, tickets=1, rows=2, seats=5)
    booking = web_booking(api, show, seat_ids(api, show)[:4])
    return show, printed_codes(api, booking["id"])  # read back from the tickets' PDF


@pytest.fixture
def door_flow(registered, api, qtbot) -> Iterator[WindowFlow]:
    set_door_duty(api, registered)
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def mode(window) -> str:
    return str(window.findChild(QLabel, "doorModeStatus").property("state"))


def test_scans_are_taken_and_judged_while_a_sync_waits_on_the_server(
    door_flow, show_and_codes, proxy, api, qtbot
):
    show, codes = show_and_codes
    [checkin_list] = lists_of(api, show)
    flow = door_flow
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.door_window is not None, timeout=WAIT)
    window, sync = flow.door_window, flow.sync
    picker = window.picker
    qtbot.waitUntil(lambda: picker.event_combo.findData(show.event_id) >= 0, timeout=WAIT)
    picker.choose(event_id=show.event_id, list_id=checkin_list["id"], gate="A")
    qtbot.waitUntil(lambda: not sync.worker.running and mode(window) == "online", timeout=WAIT)

    proxy.hold_responses(match=CHANGES)  # the next pull waits for the server's answer
    sync.sync_now()
    qtbot.waitUntil(lambda: proxy.responses_held == 1, timeout=WAIT)
    assert sync.worker.running and sync.state == sync_controller.SYNCING

    scan(qtbot, window, codes[0], wait=WAIT)  # online: the server decides, the sync waits
    assert verdict(window)["colour"] == "green" and window.scans.last.mode == "online"
    scan(qtbot, window, codes[0], wait=WAIT)
    assert verdict(window)["colour"] == "amber"
    counts = window.findChild(QWidget, "checkinCounts")
    qtbot.waitUntil(lambda: counts.property("in") == 1, timeout=WAIT)
    shot(window, "scans_during_sync")

    # the link fails for the next scan: this device decides by itself, the sync still held
    proxy.drop_responses(1, match=b"POST /api/v1/checkins/")
    scan(qtbot, window, codes[1], wait=WAIT)
    assert verdict(window)["colour"] == "green" and window.scans.last.mode == "offline"
    assert sync.worker.running and proxy.responses_held == 1  # all this while it waited

    proxy.release()
    qtbot.waitUntil(lambda: not sync.worker.running, timeout=WAIT)
    assert sync.state != sync_controller.SYNCING
    scan(qtbot, window, codes[2], wait=WAIT)
    assert verdict(window)["colour"] == "green"
