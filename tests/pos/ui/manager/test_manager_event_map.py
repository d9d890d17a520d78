"""A manager puts seats of an event on a counter and blocks seats on the event map,
offline (each change queued for the server), and sees refusals naming the seats."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox
from support.manager_window import click, drag_over_seats, open_manager
from support.pos_windows import WAIT
from support.sync_support import make_show

from enturf_core.seating.states import SeatState
from enturf_pos.models import Device
from enturf_pos.services.catalog import allocation_edits
from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.seat_map import SeatMapView


def this_device(ctx) -> int:
    with ctx.db.transaction() as s:
        return int(s.get(Device, 1).device_id)


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
    device = this_device(flow.ctx)
    # the registered counters came with the feed
    assert device in {d.id for d in allocation_edits.counter_devices(ctx=flow.ctx)}
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
    assert window.message.text() == "3 seats put on Test counter."
    assert window.message.property("error") is False
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

    # ten standing places on the counter
    window.findChild(QSpinBox, "standingPlaces").setValue(10)
    click(qtbot, window.event_map_tab, "setStandingPlacesButton")
    assert window.message.text() == "10 places of Standing on Test counter."
    assert sync_engine.counts(flow.ctx)[0] == 5

    # back online, the changes reach the server in order
    proxy.up()
    qtbot.waitUntil(lambda: sync_engine.counts(flow.ctx)[0] == 0, timeout=WAIT)
    assert sync_engine.counts(flow.ctx) == (0, 0, 0)
    statuses = server_statuses(api, show.event_id)
    # (a seat taken off a counter is free once that counter has pushed: it may have sold
    # it offline)
    assert [statuses[s] for s in seats[1:3]] == ["allocated", "allocated"]
    assert [statuses[s] for s in seats[5:7]] == ["available", "available"]
    (area,) = view.state.layout.areas
    qtbot.waitUntil(  # the feed brings the counter's allocation back with its quota
        lambda: (
            allocation_edits.area_quotas(ctx=flow.ctx, event_id=show.event_id)
            == {device: {area.id: 10}}
        ),
        timeout=WAIT,
    )


def server_statuses(api, event_id: int) -> dict[int, str]:
    return {s["id"]: s["status"] for s in api.get(f"events/{event_id}/availability/")["seats"]}


def test_a_block_reaches_the_server_at_once_and_a_seat_sold_meanwhile_is_refused(flow, api, qtbot):
    show = make_show(api, rows=2, seats=5)
    seats = [s["id"] for s in api.get(f"events/{show.event_id}/availability/")["seats"]]
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    view = open_event_map(qtbot, window)
    drag_over_seats(qtbot, view, seats[:2])
    reason = window.findChild(QComboBox, "blockReason")
    reason.setCurrentIndex(reason.findData("house"))
    click(qtbot, window.event_map_tab, "blockSeatsButton")
    qtbot.waitUntil(
        lambda: [server_statuses(api, show.event_id)[s] for s in seats[:2]] == ["blocked"] * 2,
        timeout=WAIT,
    )

    # a buyer holds a seat the counter does not know about yet: the server refuses
    flow.sync.stop()
    api.post("holds/", {"event": show.event_id, "seats": [seats[9]]})
    drag_over_seats(qtbot, view, seats[8:10])
    click(qtbot, window.event_map_tab, "blockSeatsButton")
    index = view.state.layout.index(seats[9])
    assert view.state.states.state(index) == SeatState.BLOCKED  # here at once
    flow.sync.start()
    flow.sync.sync_now()
    qtbot.waitUntil(lambda: window.conflict_dialog is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: view.state.states.state(index) == SeatState.HELD, timeout=WAIT)
    assert server_statuses(api, show.event_id)[seats[8]] == "available"
