"""A counter sale the server holds for a manager's review (its prices differ from the
server's) reads as such at the counter: not an error, not "on the server" as if invoiced.
Against the real server subprocess; the show is this test's own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from support.open_drawer import open_drawer
from sync_support import log_in_online, make_show
from test_booking_lookup import open_lookup
from test_cashier_sale import (
    open_counter_window,
    open_event_by_keyboard,
    pay_exact_and_complete,
    press,
    wait_online,
)
from test_windows import WAIT, close, make_flow

from enturf_pos.models import Device, LocalSale
from enturf_pos.services.sales import counter_selectors, local_bookings, sale_service
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_engine

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_sale_held_for_review_says_so_at_the_counter(registered: PosContext, api):
    show = make_show(api, tickets=1, rows=1, seats=4)
    detail = api.get(f"seatmaps/{show.seat_map_id}/")
    seat = detail["sections"][0]["rows"][0]["seats"][0]["id"]
    log_in_online(registered, "cashier")
    assert sync_engine.run_sync(ctx=registered).ok
    open_drawer(registered)  # a counter sells inside an open shift
    # the price goes up on the server; the counter still sells at the one it synced
    api.patch(f"tickets/{show.ticket_ids[0]}/", {"price": "30.00"})
    event = counter_selectors.event_for_sale(ctx=registered, event_id=show.event_id)
    cart = Cart(event_id=event.id, tickets=event.tickets, area_names={})
    assert cart.set_seats([SeatPick(seat, "A1", "standard")]) == []
    total = cart.totals().total
    sold = sale_service.record_cash_sale(
        ctx=registered, cart=cart, tendered=total, seller="cashier", hold_id=None, offline=False
    )
    assert sold.ok, sold.message

    report = sync_engine.run_sync(ctx=registered)
    assert report.ok and report.pending == 0 and report.rejected == 0, report.message
    status = sale_service.sale_status(ctx=registered, sale_id=sold.sale_id)
    assert status.state == "review", status
    assert "held for a manager's review" in status.message
    assert status.invoice is None
    local = local_bookings.local_detail(ctx=registered, booking_id=sold.sale_id)
    assert local.summary.state == "review"

    held = api.get("sales-review/")["results"]
    [mine] = [b for b in held if b["id"] == str(sold.sale_id)]
    assert (mine["total"], mine["server_total"], mine["created_by"]) == (
        str(total.amount),
        "30.00",
        "cashier",
    )


# -- on the cashier window -----------------------------------------------------------------------


@pytest.fixture
def flow(registered, qtbot):
    open_drawer(registered)  # a counter sells inside an open shift
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def test_an_offline_sale_at_an_old_price_reads_held_for_review_on_the_window(
    flow, api, proxy, qtbot, artifacts
):
    made = make_show(api, tickets=1, rows=1, seats=4)
    detail = api.get(f"seatmaps/{made.seat_map_id}/")
    seats = [s["id"] for s in detail["sections"][0]["rows"][0]["seats"]]
    show = {"event": made.event_id, "name": api.get(f"events/{made.event_id}/")["name"]}
    with flow.ctx.db.transaction() as s:
        device_id = int(s.get(Device, 1).device_id)
    api.post(f"events/{made.event_id}/allocations/", {"device": device_id, "seats": seats[:2]})
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    qtbot.waitUntil(lambda: window.allocation.seat_ids == frozenset(seats[:2]), timeout=WAIT)

    proxy.down()
    qtbot.waitUntil(lambda: window.offline, timeout=WAIT)
    api.patch(f"tickets/{made.ticket_ids[0]}/", {"price": "30.00"})  # unseen offline
    press(qtbot, window, Qt.Key.Key_B)
    assert len(window.cart.seat_ids()) == 2  # the best 2, inside the allocation
    pay_exact_and_complete(qtbot, window)
    sale_id = window.last_sale
    proxy.up()

    def held() -> bool:
        status = sale_service.sale_status(ctx=flow.ctx, sale_id=sale_id)
        return status is not None and status.state == "review"

    qtbot.waitUntil(held, timeout=WAIT * 2)
    qtbot.waitUntil(lambda: "manager's review" in window.receipt.text(), timeout=WAIT * 2)
    assert "refused" not in window.receipt.text()
    window.grab().save(str(artifacts / "cashier-sale-held-for-review.png"))

    with flow.ctx.db.transaction() as s:
        code = s.get(LocalSale, sale_id).code
    dialog = open_lookup(qtbot, window)
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, code)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.booking is not None, timeout=WAIT)
    assert "Held for a manager's review" in dialog.title.text()
    assert not dialog.booking.refundable  # the manager decides on the server
    dialog.grab().save(str(artifacts / "booking-lookup-held-for-review.png"))
