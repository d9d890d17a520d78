"""From nothing to a sale: a manager draws a theatre in the manager window and publishes
it, puts an event on sale with its tickets, puts seats on a cashier's counter and blocks
house seats; the cashier sells from its allocation offline and a free seat online, and
online nobody can book a blocked seat. The app driven like a user against the real server via the proxy."""

from __future__ import annotations

import uuid
from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QTableView
from support.manager_window import (
    click,
    click_seats,
    log_in_manager,
    open_dialog,
    show_tab,
    type_into,
    type_into_cell,
)
from support.open_drawer import open_drawer
from support.pos_windows import WAIT
from support.seat_map_editor import FakeDialogs, build_theatre, choose, trigger

from enturf_core.money import Money
from enturf_pos.services.catalog import seatmap_drafts
from enturf_pos.services.sales import sale_service
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.sales.counter_selectors import event_for_sale
from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.manager.ticket_drafts import TicketDraftModel
from enturf_pos.ui.seat_map import SeatMapView

PRICES = {"Seats · Standard": "30", "Seats · Premium": "55", "Standing · Promenade (300)": "15"}


def test_a_new_theatre_goes_on_sale_and_a_cashier_sells_from_its_allocation(
    flow, api, new_counter, qtbot
):
    venue = api.post("venues/", {"name": f"Theatre {uuid.uuid4().hex[:8]}"})
    # names unique on the server, which other tests' venues and counters share
    counter_name = f"Counter {uuid.uuid4().hex[:8]}"
    cashier = new_counter(counter_name, "cashier")
    log_in_manager(qtbot, flow)
    window = flow.manager_window
    window.resize(1366, 768)

    # draw and publish the theatre
    show_tab(qtbot, window, 1)
    editor = window.seat_map_editor
    editor.file_dialogs = FakeDialogs()
    choose(editor, "editorDraftVenue", venue["name"])
    build_theatre(qtbot, editor)
    trigger(editor, "editorPublish")
    qtbot.waitUntil(
        lambda: any(m.venue_id == venue["id"] for m in seatmap_drafts.seat_maps(ctx=flow.ctx)),
        timeout=3 * WAIT,
    )

    # an event on sale with a ticket per category and one for the standing area
    show_tab(qtbot, window, 0)
    dialog = open_dialog(qtbot, window, "eventCreateButton")
    box = dialog.findChild(QComboBox, "eventVenue")
    box.setCurrentIndex(box.findData(venue["id"]))
    type_into(qtbot, dialog, "eventName", "Opening night")
    state = dialog.findChild(QComboBox, "eventState")
    state.setCurrentIndex(state.findData("on_sale"))
    tickets = dialog.findChild(QTableView, "eventTickets")
    model = tickets.model()
    sells = [model.index(r, TicketDraftModel.SELLS).data() for r in range(model.rowCount())]
    assert sorted(sells) == sorted(PRICES)
    for row, what in enumerate(sells):
        type_into_cell(qtbot, tickets, row, TicketDraftModel.PRICE, PRICES[what])
    click(qtbot, dialog, "eventDialogCreate")
    qtbot.waitUntil(lambda: window.events_tab.dialog is None, timeout=WAIT)
    # once the server has it, it stays selected with the server's id
    qtbot.waitUntil(lambda: window.events_tab.selected_event().id > 0, timeout=3 * WAIT)
    assert window.events_tab.selected_event().name == "Opening night"
    event_id = window.events_tab.selected_event().id
    assert api.get(f"events/{event_id}/")["state"] == "on_sale"

    # four balcony seats on the cashier's counter, two house seats blocked
    show_tab(qtbot, window, 2)
    view = window.findChild(SeatMapView, "eventSeatMap")
    qtbot.waitUntil(lambda: view.state.layout is not None, timeout=WAIT)
    layout = view.state.layout
    balcony = [
        layout.ids[i]
        for i in range(len(layout))
        if layout.seat(i).section == "Balcony" and layout.seat(i).row == "A"
    ]
    counter = window.findChild(QComboBox, "allocationCounter")
    qtbot.waitUntil(lambda: counter.findText(counter_name) >= 0, timeout=WAIT)
    counter.setCurrentIndex(counter.findText(counter_name))
    click_seats(qtbot, view, balcony[:4])
    assert view.selection() == balcony[:4]
    click(qtbot, window.event_map_tab, "allocateSeatsButton")
    click_seats(qtbot, view, balcony[10:12])
    reason = window.findChild(QComboBox, "blockReason")
    reason.setCurrentIndex(reason.findData("house"))
    click(qtbot, window.event_map_tab, "blockSeatsButton")
    qtbot.wait(100)  # the layouts settle
    window.grab().save("/tmp/mgrui_theatre_event_map.png")
    qtbot.waitUntil(lambda: flow.sync.pending == 0, timeout=WAIT)
    statuses = {s["id"]: s["status"] for s in api.get(f"events/{event_id}/availability/")["seats"]}
    assert [statuses[s] for s in balcony[:4]] == ["allocated"] * 4
    assert [statuses[s] for s in balcony[10:12]] == ["blocked"] * 2

    # the cashier, offline, sells two seats of its allocation
    assert sync_engine.run_sync(ctx=cashier).ok
    sale = event_for_sale(ctx=cashier, event_id=event_id)
    assert sale.allocation.seat_ids == frozenset(balcony[:4])
    open_drawer(cashier)
    cart = Cart(event_id=event_id, tickets=list(sale.tickets), area_names={})
    cart.set_seats([SeatPick(s, f"Balcony A {s}", "standard") for s in balcony[:2]])
    done = sale_service.record_cash_sale(
        ctx=cashier,
        cart=cart,
        tendered=Money(Decimal("60"), "EUR"),
        seller="cashier",
        hold_id=None,
        offline=True,
    )
    assert done.ok, done.message
    assert sync_engine.run_sync(ctx=cashier).ok
    statuses = {s["id"]: s["status"] for s in api.get(f"events/{event_id}/availability/")["seats"]}
    assert [statuses[s] for s in balcony[:2]] == ["sold"] * 2

    # online, the cashier sells a stalls seat that is on no counter
    stalls = next(i for i in range(len(layout)) if layout.seat(i).section == "Stalls")
    seat = layout.seat(stalls)
    cart = Cart(event_id=event_id, tickets=list(sale.tickets), area_names={})
    cart.set_seats([SeatPick(seat.id, f"Stalls {seat.row} {seat.label}", seat.category)])
    done = sale_service.record_cash_sale(
        ctx=cashier,
        cart=cart,
        tendered=Money(Decimal("100"), "EUR"),
        seller="cashier",
        hold_id=None,
        offline=False,
    )
    assert done.ok, done.message
    assert sync_engine.run_sync(ctx=cashier).ok
    statuses = {s["id"]: s["status"] for s in api.get(f"events/{event_id}/availability/")["seats"]}
    assert statuses[seat.id] == "sold"

    # online, a blocked seat cannot be booked; a free one can
    standard = next(
        t["id"] for t in api.get(f"events/{event_id}/")["tickets"] if t["category"] == "standard"
    )
    answer = api.session.post(
        f"{api.base}/api/v1/bookings/",
        json={"event": event_id, "lines": [{"seat": balcony[10], "ticket": standard}]},
        timeout=60,
    )
    assert answer.status_code == 409 and "unavailable" in answer.text, answer.text
    booked = api.post(
        "bookings/", {"event": event_id, "lines": [{"seat": balcony[20], "ticket": standard}]}
    )
    assert booked["id"]
