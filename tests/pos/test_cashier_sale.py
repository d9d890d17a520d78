"""Selling at the counter, driven by keyboard on the real window (pytest-qt, offscreen),
against the real server behind the loopback proxy; what reached the server is read back
through its API as the admin."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from support.open_drawer import open_drawer
from sync_support import AdminApi, make_show, open_counter, register
from test_windows import WAIT, close, log_in, make_flow

from enturf_core.ticket_codes import PublicKeyInfo, verify
from enturf_pos.models import Device, LocalSale, OutboxOp
from enturf_pos.services.sales import hold_service, sale_service
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.cashier.window import CashierWindow
from enturf_pos.ui.window_flow import WindowFlow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def show(api):
    """An event on sale: 2 rows x 6 seats (Adult 20.00, Child 21.00 at 10 %), and a
    standing area (50 places, Standing 15.00 at 7 %)."""
    show = make_show(api, tickets=2, rows=2, seats=6)
    detail = api.get(f"seatmaps/{show.seat_map_id}/")
    area_id = detail["areas"][0]["id"]
    ga = api.post(
        "tickets/",
        {
            "event": show.event_id,
            "name": "Standing",
            "price": "15.00",
            "tax_rate": "7.00",
            "area": area_id,
            "position": 5,
        },
    )
    seats = [s for sec in detail["sections"] for r in sec["rows"] for s in r["seats"]]
    return {
        "event": show.event_id,
        "name": api.get(f"events/{show.event_id}/")["name"],
        "area": area_id,
        "ga_ticket": ga["id"],
        "tickets": show.ticket_ids,
        "seats": [s["id"] for s in seats],
    }


@pytest.fixture
def flow(registered, qtbot) -> Iterator[WindowFlow]:
    open_drawer(registered)
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def press(qtbot, window: QWidget, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    """One key press, where the keyboard focus is (as a person at the counter)."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, mods)


def open_counter_window(qtbot, flow: WindowFlow, show) -> CashierWindow:
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    window = flow.cashier_window
    window.activateWindow()
    qtbot.waitUntil(lambda: window.events.row_of(show["event"]) is not None, timeout=WAIT)
    return window


def open_event_by_keyboard(qtbot, window: CashierWindow, show) -> None:
    press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.programme.search
    qtbot.keyClicks(window.programme.search, show["name"])
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.event is not None and window.event.id == show["event"], timeout=WAIT
    )


def wait_online(qtbot, window: CashierWindow) -> None:
    qtbot.waitUntil(lambda: not window.offline and window.live.version is not None, timeout=WAIT)


def selling_window(qtbot, flow: WindowFlow, show) -> CashierWindow:
    """The cashier's window with `show` open (by keyboard), online."""
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    return window


def pay_exact_and_complete(qtbot, window: CashierWindow) -> None:
    press(qtbot, window, Qt.Key.Key_F9)
    assert window.cash.isVisible()
    press(qtbot, window, Qt.Key.Key_F10)
    press(qtbot, window, Qt.Key.Key_Return)
    try:
        qtbot.waitUntil(window.receipt.isVisible, timeout=WAIT)
    except Exception:
        print("cashier message:", window.message.text())
        raise


def wait_on_server(qtbot, ctx: PosContext, sale_id: uuid.UUID) -> sale_service.SaleStatus:
    def arrived() -> bool:
        status = sale_service.sale_status(ctx=ctx, sale_id=sale_id)
        return status is not None and status.state == "applied"

    qtbot.waitUntil(arrived, timeout=WAIT * 2)
    return sale_service.sale_status(ctx=ctx, sale_id=sale_id)


def server_booking(api: AdminApi, sale_id: uuid.UUID) -> dict:
    booking = api.get(f"bookings/{sale_id}/")
    invoices = api.get(f"invoices/?booking={sale_id}")
    booking["invoices"] = invoices["results"] if isinstance(invoices, dict) else invoices
    return booking


def device_key(ctx: PosContext, api: AdminApi) -> dict:
    with ctx.db.transaction() as s:
        device_id = s.get(Device, 1).device_id
    return api.get(f"devices/{device_id}/")


# -- online ----------------------------------------------------------------------------------


def test_a_two_seat_cash_sale_by_keyboard_reaches_the_server_paid_and_invoiced(
    flow, show, api, qtbot
):
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)

    press(qtbot, window, Qt.Key.Key_B)  # best 2 seats
    assert len(window.cart.seat_ids()) == 2
    assert window.cart_panel.model.rowCount() == 2
    assert window.cart_panel.total.text() == "€40.00"
    qtbot.waitUntil(lambda: window.live.in_step and window.live.hold is not None, timeout=WAIT)
    hold = api.get(f"holds/{window.live.hold.id}/")
    assert sorted(hold["seats"]) == sorted(window.cart.seat_ids())
    assert window.cart_panel.countdown.text().startswith("Held ")
    seats = window.cart.seat_ids()

    pay_exact_and_complete(qtbot, window)  # F9, F10, Enter
    sale_id = window.last_sale
    assert "Change due" in window.receipt.text() and "€0.00" in window.receipt.text()
    assert window.cart.empty and window.cart_panel.model.rowCount() == 0

    status = wait_on_server(qtbot, flow.ctx, sale_id)
    booking = server_booking(api, sale_id)
    assert booking["state"] == "paid" and booking["channel"] == "counter"
    assert Decimal(booking["total"]) == Decimal("40.00")
    assert sorted(line["seat"] for line in booking["lines"]) == sorted(seats)
    assert len(booking["invoices"]) == 1
    assert status.invoice == booking["invoices"][0]["number"]
    qtbot.waitUntil(lambda: status.invoice in window.receipt.text(), timeout=WAIT)
    pending, _conflicts, rejected = sync_engine.counts(flow.ctx)
    assert pending == 0 and rejected == 0
    # the hold was used by the sale; the seats are sold
    assert api.get(f"holds/{hold['id']}/")["state"] != "active"
    availability = api.get(f"events/{show['event']}/availability/")
    sold = {s["id"] for s in availability["seats"] if s["status"] == "sold"}
    assert set(seats) <= sold


def test_ticket_codes_are_signed_with_the_counters_key(flow, show, api, qtbot):
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    press(qtbot, window, Qt.Key.Key_B)
    press(qtbot, window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # last line: Child
    rows = [window.cart_panel.model.row_at(r) for r in range(2)]
    assert sorted(r.ticket_name for r in rows) == ["Price 1", "Price 2"]
    assert window.cart_panel.total.text() == "€41.00"
    pay_exact_and_complete(qtbot, window)
    sale_id = window.last_sale
    wait_on_server(qtbot, flow.ctx, sale_id)

    key = PublicKeyInfo.from_base64(_public_key(api, flow.ctx))
    booking = server_booking(api, sale_id)
    assert Decimal(booking["total"]) == Decimal("41.00")
    with flow.ctx.db.transaction() as s:
        from enturf_pos.models import LocalSale

        payload = s.get(LocalSale, sale_id).payload
    for line in payload["lines"]:
        claims = verify(line["ticket_code"], {key.key_id: key})
        assert str(claims.line_id) == line["id"]
        assert str(claims.event_id) == str(show["event"]) and str(claims.seat_id) == str(
            line["seat"]
        )


def _public_key(api: AdminApi, ctx: PosContext) -> str:
    """The counter's public key as the server published it (synced to the counter)."""
    from enturf_pos.models import TicketKey

    with ctx.db.transaction() as s:
        key_id = s.get(Device, 1).signing_key_id
        row = s.get(TicketKey, key_id)
        assert row is not None and row.owner.startswith("device:")
        return row.public_key


def test_a_standing_sale_by_quantity(flow, show, api, qtbot):
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    assert window.cart_panel.ga_box.isVisible()

    press(qtbot, window, Qt.Key.Key_G)
    spin = window.cart_panel.ga_quantity
    assert QApplication.focusWidget() in (spin, spin.lineEdit())
    press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.cart.area_quantities() == {show["area"]: 4}
    assert window.cart_panel.total.text() == "€60.00"
    qtbot.waitUntil(lambda: window.live.in_step and window.live.hold is not None, timeout=WAIT)
    assert window.live.hold.areas == {show["area"]: 4}
    pay_exact_and_complete(qtbot, window)
    sale_id = window.last_sale
    wait_on_server(qtbot, flow.ctx, sale_id)

    booking = server_booking(api, sale_id)
    assert booking["state"] == "paid" and len(booking["invoices"]) == 1
    assert [line["area"] for line in booking["lines"]] == [show["area"]] * 4
    assert Decimal(booking["total"]) == Decimal("60.00")
    remaining = api.get(f"events/{show['event']}/availability/")["areas"][0]["remaining"]
    assert remaining == 46


def test_a_voucher_created_by_the_admin_discounts_the_sale(flow, show, api, qtbot):
    code = f"TEN{uuid.uuid4().hex[:6].upper()}"
    voucher = api.post("vouchers/", {"code": code, "kind": "percent", "percent": "10"})
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    press(qtbot, window, Qt.Key.Key_B)

    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.cart_panel.voucher
    qtbot.keyClicks(window.cart_panel.voucher, "NOPE")
    press(qtbot, window, Qt.Key.Key_Return)
    note = window.cart_panel.voucher_note
    qtbot.waitUntil(lambda: "not valid" in note.text(), timeout=WAIT)
    assert window.cart_panel.total.text() == "€40.00"

    window.cart_panel.voucher.clear()
    qtbot.keyClicks(window.cart_panel.voucher, code.lower())
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.cart.voucher is not None, timeout=WAIT)
    assert window.cart_panel.total.text() == "€36.00"
    assert window.cart_panel.discount.text() == "-€4.00"
    pay_exact_and_complete(qtbot, window)
    sale_id = window.last_sale
    wait_on_server(qtbot, flow.ctx, sale_id)

    booking = server_booking(api, sale_id)
    assert booking["state"] == "paid" and len(booking["invoices"]) == 1
    assert Decimal(booking["total"]) == Decimal("36.00")
    assert [Decimal(line["price"]) for line in booking["lines"]] == [Decimal("18.00")] * 2
    assert [Decimal(line["discount"]) for line in booking["lines"]] == [Decimal("2.00")] * 2
    # the server priced it with the same voucher: not flagged, one use counted
    with flow.ctx.db.transaction() as session:
        op = session.get(OutboxOp, session.get(LocalSale, sale_id).op_id)
        pushed = op.result["booking"]
    assert (pushed["price_mismatch"], pushed["server_prices"]) == (False, {})
    assert api.get(f"vouchers/{voucher['id']}/")["used"] == 1


def test_two_counters_pick_the_same_seat_the_second_is_refused_at_once(
    flow, show, api, server, proxy, tmp_path, qtbot
):
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)

    other = register(open_counter(tmp_path / "other"), server, proxy.base_url, "Counter 2")
    try:
        from sync_support import log_in_online

        log_in_online(other, "cashier")
        first, second = show["seats"][3], show["seats"][4]
        held = hold_service.sync_hold(
            ctx=other, event_id=show["event"], hold=None, seats=[first], areas={}
        )
        assert held.ok, held.message
        state = window.map.state
        index = window.event.layout.index(first)
        # someone else's pick shows on this map within seconds (the availability poll)
        qtbot.waitUntil(lambda: state.status_text(index).lower().startswith("held"), timeout=WAIT)
        assert not state.toggle(index)  # cannot be picked

        # a pick that races the poll: refused at once by the server, shown as held
        held = hold_service.sync_hold(
            ctx=other, event_id=show["event"], hold=held.hold, seats=[first, second], areas={}
        )
        assert held.ok, held.message
        window.map.set_selection([second], emit=True)
        assert window.cart.seat_ids() == [second]
        qtbot.waitUntil(window.message.isVisible, timeout=WAIT)
        assert "just taken" in window.message.text() and "Row A" in window.message.text()
        assert window.cart.seat_ids() == [] and window.map.selection() == []
        assert state.status_text(window.event.layout.index(second)).lower().startswith("held")
    finally:
        other.close()


# -- offline ---------------------------------------------------------------------------------


def test_offline_the_allocation_sells_and_reaches_the_server_when_back(
    flow, show, api, proxy, qtbot
):
    with flow.ctx.db.transaction() as s:
        device_id = int(s.get(Device, 1).device_id)
    allocated = show["seats"][6:9]  # row B, seats 1-3
    api.post(
        f"events/{show['event']}/allocations/",
        {"device": device_id, "seats": allocated, "areas": [{"area": show["area"], "quantity": 3}]},
    )
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    qtbot.waitUntil(lambda: window.allocation.seat_ids == frozenset(allocated), timeout=WAIT)

    proxy.down()
    qtbot.waitUntil(lambda: window.offline, timeout=WAIT)
    assert "Offline" in window.mode_label.text()
    state, layout = window.map.state, window.event.layout
    outside = layout.index(show["seats"][0])
    assert not state.toggle(outside)  # shows, cannot be picked
    assert state.status_text(outside) != ""

    def places_left() -> dict[str, int]:
        """What the programme says is left, per ticket (as the cashier reads it)."""
        row = window.events.row_at(window.events.row_of(show["event"]))
        return {t.name: t.left for t in row.tickets}

    before = places_left()
    press(qtbot, window, Qt.Key.Key_B)  # best 2 seats, inside the allocation
    assert set(window.cart.seat_ids()) <= set(allocated) and len(window.cart.seat_ids()) == 2
    pay_exact_and_complete(qtbot, window)
    sale_id = window.last_sale
    # the programme counts the two seats sold offline at once (allocated seats were ours)
    qtbot.waitUntil(lambda: places_left()["Price 1"] == before["Price 1"] - 2, timeout=WAIT)
    assert "kept on this counter" in window.receipt.text()
    assert sale_service.sale_status(ctx=flow.ctx, sale_id=sale_id).state == "pending"
    seats = [s for s in allocated if state.status_text(layout.index(s)).lower() == "sold"]
    assert len(seats) == 2

    # GA beyond the quota is refused offline
    press(qtbot, window, Qt.Key.Key_G)
    press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.cart.empty and "may sell 3 more" in window.message.text()
    press(qtbot, window, Qt.Key.Key_G)  # one standing place, inside the quota
    press(qtbot, window, Qt.Key.Key_1)
    press(qtbot, window, Qt.Key.Key_Return)
    pay_exact_and_complete(qtbot, window)
    qtbot.waitUntil(lambda: places_left()["Standing"] == before["Standing"] - 1, timeout=WAIT)

    proxy.up()
    status = wait_on_server(qtbot, flow.ctx, sale_id)
    booking = server_booking(api, sale_id)
    assert booking["state"] == "paid" and len(booking["invoices"]) == 1
    assert sorted(line["seat"] for line in booking["lines"]) == sorted(seats)
    assert status.invoice == booking["invoices"][0]["number"]


def test_new_sale_frees_the_seats_it_released_at_once_so_b_picks_them_again(
    flow, show, api, qtbot, artifacts
):
    from enturf_core.seating.states import SeatState
    from enturf_pos.ui.seat_map.palette import Look

    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    press(qtbot, window, Qt.Key.Key_B)
    picked = window.cart.seat_ids()
    assert len(picked) == 2
    qtbot.waitUntil(lambda: window.live.in_step and window.live.hold is not None, timeout=WAIT)
    state = window.map.state
    index = [state.layout.index(s) for s in picked]
    # the poll brings our own hold back as "held" (the server does not say whose)
    window.live.poll_now()
    qtbot.waitUntil(
        lambda: all(state.states.codes[i] == SeatState.HELD for i in index), timeout=WAIT
    )

    press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # new sale
    assert window.cart.seat_ids() == []
    # at once, not after the next poll: free on this counter's own map
    assert [state.look(i) for i in index] == [Look.FREE, Look.FREE]
    window.live.poll_now()  # an answer from before the release changes nothing
    press(qtbot, window, Qt.Key.Key_B)
    assert window.cart.seat_ids() == picked
    window.grab().save(str(artifacts / "cashier-new-sale-then-b.png"))
