"""A supervisor's price override at the counter (issue 12 item 11): the cashier changes a
cart row's price or gives a discount, an administrator approves in place, and the sale
reaches the server paid at that price (online, or offline with the approval signed on
this counter). Against the real server subprocess behind the loopback proxy."""

from __future__ import annotations

import io
from decimal import Decimal

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support.booking_lookup import show as seated_show
from support.cashier_window import pay_exact_and_complete, press, selling_window, wait_on_server
from support.open_drawer import open_drawer
from support.pos_windows import WAIT
from support.server_process import USERS
from support.sync_support import log_in_online

from enturf_core.money import Money
from enturf_pos.services.printing.documents import receipt_for_sale
from enturf_pos.services.printing.receipt_pdf import render_receipt
from enturf_pos.services.sales import counter_selectors, price_override, sale_service
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.sales.price_override import PriceChange
from enturf_pos.services.session import auth_service
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_engine

show = seated_show  # the booking lookup's fixture: a show of seats only, one per test


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _visible(window, cls):
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
    shown += [d for d in window.findChildren(cls) if d.isVisible() and d not in shown]
    return shown[0] if shown else None


def key_in(qtbot, dialog, key) -> None:
    """A key where the dialog's keyboard focus is."""
    qtbot.keyClick(dialog.focusWidget() or dialog, key)


def test_a_cashier_changes_a_price_an_admin_approves_in_place_and_the_server_takes_it(
    flow, show, api, qtbot, artifacts, tmp_path
):
    from enturf_pos.ui.cashier.price_dialog import PriceDialog
    from enturf_pos.ui.cashier.supervisor_dialog import SupervisorDialog

    window = selling_window(qtbot, flow, show)
    window.seat_panel.seat_count.setValue(2)
    press(qtbot, window, Qt.Key.Key_B)  # two best seats at 20.00
    assert len(window.cart.seat_ids()) == 2
    assert window.cart.totals().total == Money("40.00", "EUR")

    # select the first cart row, then Ctrl+P: the price dialog on that row
    window.cart_panel.table.setFocus()
    window.cart_panel.table.selectRow(0)
    first = window.cart_panel.selected_key()
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _visible(window, PriceDialog) is not None, timeout=WAIT)
    dialog = _visible(window, PriceDialog)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.value, timeout=WAIT)
    qtbot.keyClicks(dialog.value, "15")
    key_in(qtbot, dialog, Qt.Key.Key_Return)  # no reason yet: refused, says so
    assert dialog.isVisible() and "reason" in dialog.message.text()
    assert dialog.focusWidget() is dialog.reason
    qtbot.keyClicks(dialog.reason, "Student rush")
    assert "€15.00" in dialog.preview.text() and "€20.00" in dialog.preview.text()
    dialog.grab().save(str(artifacts / "price-override-dialog.png"))
    key_in(qtbot, dialog, Qt.Key.Key_Return)

    # an administrator approves in place: a cashier's password approves nothing
    qtbot.waitUntil(lambda: _visible(window, SupervisorDialog) is not None, timeout=WAIT)
    box = _visible(window, SupervisorDialog)
    assert "€15.00 instead of €20.00: Student rush" in box.text.text()
    qtbot.keyClicks(box.username, "cashier")
    qtbot.keyClicks(box.password, USERS["cashier"][1])
    key_in(qtbot, box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not an administrator" in window.message.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: _visible(window, SupervisorDialog) is not None, timeout=WAIT)
    assert window.cart.totals().total == Money("40.00", "EUR")  # nothing changed
    box = _visible(window, SupervisorDialog)
    qtbot.keyClicks(box.username, "admin")
    key_in(qtbot, box, Qt.Key.Key_Tab)
    assert box.focusWidget() is box.password
    qtbot.keyClicks(box.password, USERS["admin"][1])
    box.grab().save(str(artifacts / "price-override-approval.png"))
    key_in(qtbot, box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.cart.override(first) is not None, timeout=WAIT)
    assert window.cart.totals().total == Money("35.00", "EUR")
    row = window.cart_panel.model.row_at(0)
    price_text = window.cart_panel.model.data(window.cart_panel.model.index(0, 3))
    assert (row.key, price_text) == (first, "€15.00\nwas €20.00")
    assert window.cart_panel.total.text() == "€35.00"
    assert "Price changed from €20.00 to €15.00" in window.message.text()
    window.grab().save(str(artifacts / "price-override-cart.png"))

    pay_exact_and_complete(qtbot, window)
    sale_id = window.last_sale
    status = wait_on_server(qtbot, flow.ctx, sale_id)
    assert status.state == "applied", status.message
    booking = api.get(f"bookings/{sale_id}/")
    assert (booking["state"], booking["total"]) == ("paid", "35.00")
    assert sorted(line["price"] for line in booking["lines"]) == ["15.00", "20.00"]

    # the receipt shows the changed price and the listed one
    pdf = render_receipt(receipt_for_sale(flow.ctx, sale_id))
    (artifacts / "price-override-receipt.pdf").write_bytes(pdf)
    text = _pdf_text(pdf)
    assert "€15.00" in text and "Price changed from €20.00: Student rush" in text
    assert "€35.00" in text


def _cart(ctx: PosContext, show, seats: list[int]) -> Cart:
    event = counter_selectors.event_for_sale(ctx=ctx, event_id=show["event"])
    cart = Cart(event_id=event.id, tickets=event.tickets, area_names={})
    assert cart.set_seats([SeatPick(s, f"Seat {s}", "standard") for s in seats]) == []
    return cart


def _cash_sale(ctx: PosContext, cart: Cart, amount: str) -> sale_service.SaleResult:
    """Exact cash, recorded as an online sale is (no hold); it waits in the outbox."""
    return sale_service.record_cash_sale(
        ctx=ctx,
        cart=cart,
        tendered=Money(amount, "EUR"),
        seller="cashier",
        hold_id=None,
        offline=False,
    )


def test_offline_the_approval_is_signed_here_and_the_server_checks_it_on_arrival(
    registered, show, api, proxy
):
    ctx = registered
    # the admin logged in online on this counter once: their sealed approval key
    admin = auth_service.login(ctx=ctx, username="admin", password=USERS["admin"][1])
    assert admin.ok, admin.message
    log_in_online(ctx, "cashier")
    open_drawer(ctx)
    assert sync_engine.run_sync(ctx=ctx).ok
    cart = _cart(ctx, show, show["seats"][:1])

    proxy.down()  # offline from here on
    change = PriceChange(cart.rows()[0].key, price_override.PERCENT, "25", "Staff discount")
    refused = price_override.approve_change(
        ctx=ctx, cart=cart, change=change, username="admin", password="wrong"
    )
    assert not refused.ok and refused.override is None
    result = price_override.approve_change(
        ctx=ctx, cart=cart, change=change, username="admin", password=USERS["admin"][1]
    )
    assert result.ok and result.override is not None, result.message
    assert "checked on this counter" in result.message
    [line] = result.override.lines
    assert (line.listed, line.price) == (Money("20.00", "EUR"), Money("15.00", "EUR"))
    assert line.approval is not None  # signed here, offline
    cart.set_override(change.key, result.override)
    sale = _cash_sale(ctx, cart, "15.00")
    assert sale.ok, sale.message

    proxy.up()
    report = sync_engine.run_sync(ctx=ctx)
    assert report.ok and report.pending == 0, report.message
    status = sale_service.sale_status(ctx=ctx, sale_id=sale.sale_id)
    assert status.state == "applied", status.message
    booking = api.get(f"bookings/{sale.sale_id}/")
    assert (booking["state"], booking["total"]) == ("paid", "15.00")
    assert [line["price"] for line in booking["lines"]] == [str(Decimal("15.00"))]


def test_an_override_without_a_signed_approval_is_held_for_review_and_the_counter_says_why(
    registered, show, api
):
    """An admin with no approval key on this counter (never logged in here): the change
    is approved by password but cannot be signed; the sale is kept and held for review."""
    import uuid

    from enturf_pos.services.sales.cart_service import LineOverride, RowOverride

    ctx = registered
    log_in_online(ctx, "cashier")
    open_drawer(ctx)
    assert sync_engine.run_sync(ctx=ctx).ok
    cart = _cart(ctx, show, show["seats"][1:2])
    key = cart.rows()[0].key
    unsigned = LineOverride(uuid.uuid4(), Money("20.00", "EUR"), Money("12.00", "EUR"), None)
    cart.set_override(key, RowOverride("Press ticket", "admin", (unsigned,)))
    sale = _cash_sale(ctx, cart, "12.00")
    assert sale.ok, sale.message
    assert sync_engine.run_sync(ctx=ctx).ok
    status = sale_service.sale_status(ctx=ctx, sale_id=sale.sale_id)
    assert status.state == "review", status.message
    assert "No administrator's approval was signed at the counter" in status.message
    booking = api.get(f"bookings/{sale.sale_id}/")
    assert (booking["state"], booking["total"]) == ("review", "12.00")


def test_changing_the_rows_ticket_drops_its_changed_price_and_says_so(flow, show, qtbot):
    window = selling_window(qtbot, flow, show)
    window.seat_panel.seat_count.setValue(1)
    press(qtbot, window, Qt.Key.Key_B)
    key = window.cart.rows()[0].key
    change = PriceChange(key, price_override.AMOUNT, "5", "Loyalty card")
    result = price_override.approve_change(
        ctx=flow.ctx, cart=window.cart, change=change, username="admin", password=USERS["admin"][1]
    )
    assert result.ok, result.message
    window.cart.set_override(key, result.override)
    window.sale.refresh_cart()
    assert window.cart_panel.total.text() == "€15.00"
    window.cart_panel.table.setFocus()
    window.cart_panel.table.selectRow(0)
    press(qtbot, window, Qt.Key.Key_T)  # the next ticket type (21.00)
    assert window.cart.override(key) is None
    assert window.cart_panel.total.text() == "€21.00"
    assert "back to the listed price €21.00 (the row changed)" in window.message.text()
