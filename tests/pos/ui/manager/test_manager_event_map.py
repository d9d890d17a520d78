"""A manager puts seats of an event on a counter and blocks seats on the event map,
offline (each change queued for the server), and sees refusals naming the seats."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from support.manager_window import click, drag_over_seats, open_manager
from support.pos_windows import WAIT
from support.sync_support import make_show

from enturf_core.seating.states import SeatState
from enturf_pos.models import CounterDevice, Device
from enturf_pos.services.catalog import allocation_edits
from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.seat_map import SeatMapView


def known_counters(ctx, api) -> int:
    """The registered counters, as the feed's `device` entity brings them (written here
    when the server does not send that entity yet); this counter's device id."""
    with ctx.db.transaction() as s:
        mine = int(s.get(Device, 1).device_id)
        if not allocation_edits.counter_devices(ctx=ctx):
            answer = api.get("devices/")
            for d in answer["results"] if isinstance(answer, dict) else answer:
                s.merge(CounterDevice(id=d["id"], name=d["name"], active=True, version=1))
    return mine


def open_event_map(qtbot, window) -> SeatMapView:
    tabs = window.tabs
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    assert tabs.currentWidget() is window.event_map_tab
    view = window.findChild(SeatMapView, "eventSeatMap")
    qtbot.waitUntil(lambda: view.isVisible() and view.state.layout is not None, timeout=WAIT)
    return view


def test_seats_go_on_a_counter_and_get_blocked_offline_and_refusals_name_the_seats(
    flow, api, proxy, qtbot
):
    show = make_show(api, rows=3, seats=5)
    seats = [s["id"] for s in api.get(f"events/{show.event_id}/availability/")["seats"]]
    held = seats[14]
    api.post("holds/", {"event": show.event_id, "seats": [held]})  # a buyer's cart
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    device = known_counters(flow.ctx, api)
    proxy.down()
    qtbot.waitUntil(lambda: window.sync_status.state == "offline", timeout=WAIT)
    view = open_event_map(qtbot, window)
    counts = window.findChild(QLabel, "eventMapCounts")
    assert counts.text().startswith("Free 14 · Held 1 · Sold 0")

    counter = window.findChild(QComboBox, "allocationCounter")
    counter.setCurrentIndex(counter.findData(device))
    drag_over_seats(qtbot, view, seats[:3])
    assert view.selection() == seats[:3]
    assert window.findChild(QLabel, "eventMapSelection").text().startswith("3 seats selected")
    click(qtbot, window.event_map_tab, "allocateSeatsButton")
    assert not window.message.isVisible(), window.message.text()
    assert [view.state.states.state(view.state.layout.index(s)) for s in seats[:3]] == [
        SeatState.ALLOCATED_HERE
    ] * 3
    assert "On counters 3 · Blocked 0" in counts.text()

    drag_over_seats(qtbot, view, seats[5:7])
    reason = window.findChild(QComboBox, "blockReason")
    reason.setCurrentIndex(reason.findData("camera"))
    window.findChild(QLineEdit, "blockNote").setText("Camera 2")
    click(qtbot, window.event_map_tab, "blockSeatsButton")
    assert "On counters 3 · Blocked 2" in counts.text()
    index = view.state.layout.index(seats[5])
    assert view.state.states.state(index) == SeatState.BLOCKED
    assert "Camera position" in view.state.describe(index)
    qtbot.wait(100)  # the layouts settle
    window.grab().save("/tmp/mgrui_event_map.png")
    assert sync_engine.counts(flow.ctx)[0] == 2  # both queued for the server

    # a held seat refuses the change, and the message names it
    drag_over_seats(qtbot, view, [seats[13], held])
    click(qtbot, window.event_map_tab, "blockSeatsButton")
    assert window.message.isVisible()
    assert "Stalls C 5 (held)" in window.message.text()
    assert sync_engine.counts(flow.ctx)[0] == 2
    qtbot.wait(100)
    window.grab().save("/tmp/mgrui_event_map_refusal.png")

    # released again: one seat off the counter, the blocked ones back on sale
    click(qtbot, window.event_map_tab, "clearSeatSelectionButton")
    drag_over_seats(qtbot, view, seats[:1])
    click(qtbot, window.event_map_tab, "releaseAllocationButton")
    drag_over_seats(qtbot, view, seats[5:7])
    click(qtbot, window.event_map_tab, "releaseBlockButton")
    assert "On counters 2 · Blocked 0" in counts.text()
    assert sync_engine.counts(flow.ctx)[0] == 4
