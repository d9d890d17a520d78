"""Card payments in the real cashier window (pytest-qt, offscreen): keyboard first, the
real server behind the proxy, the gateway simulator over HTTP (the customer's tap is the
simulator's test helper)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from support.card_support import DECLINED_CARD, cart_for, run_card_child
from support.cashier_window import (
    open_counter_window,
    open_event_by_keyboard,
    press,
    status_of,
    wait_for_reader,
    wait_on_server,
    wait_online,
    widget,
)
from support.open_drawer import open_drawer
from support.pos_windows import WAIT, close, log_in, make_flow
from support.sync_support import log_in_online, make_show

from enturf_pos.models import CardAttempt, Device


@pytest.fixture
def show(api):
    made = make_show(api, tickets=1, rows=2, seats=6)  # 20.00 a seat
    return {
        "event": made.event_id,
        "name": api.get(f"events/{made.event_id}/")["name"],
    }


def two_seats_in_the_cart(qtbot, flow, show):
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    press(qtbot, window, Qt.Key.Key_B)  # best 2 seats
    assert len(window.cart.seat_ids()) == 2
    qtbot.waitUntil(lambda: window.live.in_step and window.live.hold is not None, timeout=WAIT)
    return window


def test_card_sale_by_keyboard_captured_and_paid_on_the_server(flow, show, api, sim, qtbot):
    window = two_seats_in_the_cart(qtbot, flow, show)
    seats = window.cart.seat_ids()
    assert widget(window, QPushButton, "payCardButton").isEnabled()
    press(qtbot, window, Qt.Key.Key_F11)
    wait_for_reader(qtbot, window)
    assert "€40.00" in status_of(window)
    qtbot.wait(300)  # the window keeps working while the reader waits
    assert window.isVisible() and window.card_panel.busy

    sim.tap()
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    receipt = window.receipt.text()
    assert "Paid by card Visa •••• 4242 €40.00" in receipt
    assert window.cart.empty and not window.card_panel.isVisible()

    sale_id = window.last_sale
    wait_on_server(qtbot, flow.ctx, sale_id)
    booking = api.get(f"bookings/{sale_id}/")
    assert booking["state"] == "paid" and Decimal(booking["total"]) == Decimal("40.00")
    assert sorted(line["seat"] for line in booking["lines"]) == sorted(seats)
    [intent] = sim.intents(booking=str(sale_id))
    assert intent["status"] == "succeeded" and intent["amount_received"] == 4000


def test_declined_card_then_cash(flow, show, api, sim, qtbot):
    window = two_seats_in_the_cart(qtbot, flow, show)
    window.card_panel.pay_button.click()
    wait_for_reader(qtbot, window)
    sim.tap(DECLINED_CARD)
    qtbot.waitUntil(lambda: status_of(window).startswith("Declined:"), timeout=WAIT)
    assert "declined" in status_of(window).lower()
    assert widget(window, QPushButton, "retryCardButton").isVisible()

    widget(window, QPushButton, "cardToCashButton").click()
    qtbot.waitUntil(window.cash.isVisible, timeout=WAIT)
    press(qtbot, window, Qt.Key.Key_F10)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    assert "Change due" in window.receipt.text()
    wait_on_server(qtbot, flow.ctx, window.last_sale)
    declined = [i for i in sim.intents() if i["status"] != "succeeded"][:1]
    assert declined and declined[0]["status"] == "canceled"  # the card left nothing open


def test_split_tender_cash_given_rest_on_card(flow, show, api, sim, qtbot):
    window = two_seats_in_the_cart(qtbot, flow, show)
    press(qtbot, window, Qt.Key.Key_F9)
    qtbot.keyClicks(widget(window, QLineEdit, "cashTendered"), "15")
    press(qtbot, window, Qt.Key.Key_F11)  # the rest on the card
    wait_for_reader(qtbot, window)
    assert "€25.00 on the reader" in status_of(window) and "€15.00" in status_of(window)
    sim.tap()
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    assert "Paid by card Visa •••• 4242 €25.00, cash €15.00" in window.receipt.text()
    sale_id = window.last_sale
    wait_on_server(qtbot, flow.ctx, sale_id)
    assert api.get(f"bookings/{sale_id}/")["state"] == "paid"
    [intent] = sim.intents(booking=str(sale_id))
    assert intent["amount_received"] == 2500


def test_cancel_while_waiting_for_the_card(flow, show, sim, qtbot):
    window = two_seats_in_the_cart(qtbot, flow, show)
    press(qtbot, window, Qt.Key.Key_F11)
    wait_for_reader(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.card_panel.busy, timeout=WAIT)
    assert "canceled" in window.message.text()
    assert len(window.cart.seat_ids()) == 2  # the sale goes on: cash, or card again
    assert widget(window, QPushButton, "payCardButton").isEnabled()
    [intent] = sim.intents()[:1]
    assert intent["status"] == "canceled"


def test_card_unavailable_says_so_and_cash_still_sells(flow, show, sim, qtbot):
    with flow.ctx.db.transaction() as s:
        s.get(Device, 1).gateway_base_url = "http://127.0.0.1:9"  # nothing listens there
    window = two_seats_in_the_cart(qtbot, flow, show)
    button = widget(window, QPushButton, "payCardButton")
    qtbot.waitUntil(lambda: "unavailable" in button.toolTip(), timeout=WAIT)  # said at login
    press(qtbot, window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: "unavailable" in status_of(window), timeout=WAIT)
    assert "cannot be reached" in status_of(window) and "Cash still works" in status_of(window)
    assert not window.card_panel.busy
    press(qtbot, window, Qt.Key.Key_F9)
    press(qtbot, window, Qt.Key.Key_F10)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)


def test_login_reconciles_a_card_sale_a_crash_left_uncaptured(registered, gateway, sim, api, qtbot):
    ctx = registered
    log_in_online(ctx, "cashier")
    open_drawer(ctx)
    made = make_show(api, tickets=1, rows=1, seats=3)
    detail = api.get(f"seatmaps/{made.seat_map_id}/")
    seats = [s["id"] for sec in detail["sections"] for r in sec["rows"] for s in r["seats"]][:2]
    cart_for(ctx, made.event_id, seats)
    gateway.set_reader(auto_approve_delay=0.2)
    try:
        killed = run_card_child(ctx, kill_at="card_after_commit", event=made.event_id, seats=seats)
    finally:
        gateway.set_reader(auto_approve_delay=None)
    assert killed.returncode < 0, killed.stderr[-2000:]
    [intent] = sim.intents()[:1]
    assert intent["status"] == "requires_capture"  # sale recorded, money not taken yet

    flow = make_flow(ctx, qtbot)
    try:
        log_in(qtbot, flow, "cashier")
        qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
        window = flow.cashier_window
        qtbot.waitUntil(lambda: "1 captured" in window.message.text(), timeout=WAIT)
        assert window.message.text().startswith("Card payments checked")
        sale_id = intent["metadata"]["booking"]
        qtbot.waitUntil(
            lambda: sim.intents(booking=sale_id)[0]["status"] == "succeeded", timeout=WAIT
        )
        wait_on_server(qtbot, ctx, uuid.UUID(sale_id))  # the window's sync pushes it
        assert api.get(f"bookings/{sale_id}/")["state"] == "paid"
    finally:
        close(flow)


def offline_with_an_allocation(qtbot, flow, api, proxy, *, gateway_gone: bool = False):
    """A new event with 3 seats allocated to this counter, open in the window once the
    allocation arrived, then the server goes away: (window, allocated seat ids)."""
    made = make_show(api, tickets=1, rows=2, seats=6)
    show = {"event": made.event_id, "name": api.get(f"events/{made.event_id}/")["name"]}
    detail = api.get(f"seatmaps/{made.seat_map_id}/")
    seats = [s["id"] for sec in detail["sections"] for r in sec["rows"] for s in r["seats"]]
    allocated = seats[6:9]
    with flow.ctx.db.transaction() as s:
        device = s.get(Device, 1)
        device_id = int(device.device_id)
        if gateway_gone:
            device.gateway_base_url = "http://127.0.0.1:9"
    api.post(f"events/{made.event_id}/allocations/", {"device": device_id, "seats": allocated})
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    qtbot.waitUntil(lambda: window.allocation.seat_ids == frozenset(allocated), timeout=WAIT)
    proxy.down()
    qtbot.waitUntil(lambda: window.offline, timeout=WAIT)
    return window, allocated


def test_neither_card_nor_server_says_so_and_cash_sells_the_allocation(
    flow, api, sim, proxy, qtbot
):
    window, _allocated = offline_with_an_allocation(qtbot, flow, api, proxy, gateway_gone=True)
    press(qtbot, window, Qt.Key.Key_B)
    assert len(window.cart.seat_ids()) == 2

    press(qtbot, window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: "unavailable" in status_of(window), timeout=WAIT)
    assert "server cannot be reached either" in status_of(window)
    assert "allocation" in window.message.text()
    press(qtbot, window, Qt.Key.Key_F9)
    press(qtbot, window, Qt.Key.Key_F10)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    assert "kept on this counter" in window.receipt.text()
    assert not window.card_panel.isVisible()


def test_window_closed_while_waiting_cancels_the_card(registered, show, sim, qtbot):
    open_drawer(registered)
    flow = make_flow(registered, qtbot)
    try:
        window = two_seats_in_the_cart(qtbot, flow, show)
        press(qtbot, window, Qt.Key.Key_F11)
        wait_for_reader(qtbot, window)
        attempt = window.card_panel.step.attempt_id
    finally:
        close(flow)
    [intent] = sim.intents(local_id=str(attempt))
    assert intent["status"] == "canceled"  # nothing stays authorised or on the reader
    with registered.db.transaction() as s:
        assert s.get(CardAttempt, attempt).state != "open"  # settled, nothing to reconcile


def test_card_while_the_server_is_down_sells_the_allocation(flow, api, sim, proxy, qtbot):
    window, allocated = offline_with_an_allocation(qtbot, flow, api, proxy)
    press(qtbot, window, Qt.Key.Key_B)
    assert set(window.cart.seat_ids()) <= set(allocated)

    press(qtbot, window, Qt.Key.Key_F11)
    wait_for_reader(qtbot, window)
    sim.tap()
    qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    assert "Paid by card Visa •••• 4242 €40.00" in window.receipt.text()
    assert "kept on this counter" in window.receipt.text()
    sale_id = window.last_sale
    assert sim.intents(booking=str(sale_id))[0]["status"] == "succeeded"

    proxy.up()
    wait_on_server(qtbot, flow.ctx, sale_id)
    assert api.get(f"bookings/{sale_id}/")["state"] == "paid"
