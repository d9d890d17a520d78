"""Booking lookup and refunds at the counter (issue #7): the services against the real
server subprocess behind the loopback proxy, and the lookup dialog on the real cashier
window. Every test sells on a show of its own, so other tests' state does not matter."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from support.booking_lookup import find, online_booking, open_lookup
from support.booking_lookup import show as seated_show
from support.card_support import GatewayView, cart_for
from support.cashier_window import (
    open_counter_window,
    open_event_by_keyboard,
    pay_exact_and_complete,
    press,
    wait_on_server,
    wait_online,
)
from support.open_drawer import open_drawer
from support.pos_windows import WAIT
from support.server_process import USERS
from support.sync_support import log_in_online

from enturf_core.money import Money
from enturf_pos.models import LocalRefund, LocalSale
from enturf_pos.services.payments import card_payments
from enturf_pos.services.sales import (
    booking_lookup,
    booking_records,
    counter_selectors,
    refund_service,
    sale_service,
)
from enturf_pos.services.sales.buyer import Buyer
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.printing.settings import PrinterSettings, PrintTarget, TargetKind

show = seated_show  # a show of seats only, one per test


@pytest.fixture
def counter(registered: PosContext, show) -> PosContext:
    """A registered counter, the cashier logged in online, the show synced down."""
    log_in_online(registered, "cashier")
    open_drawer(registered)
    report = sync_engine.run_sync(ctx=registered)
    assert report.ok, report.message
    return registered


def sell(ctx: PosContext, show, seats: list[int], *, buyer: str = "", push: bool = True):
    """A cash sale of `seats` at this counter (exact cash), pushed to the server."""
    event = counter_selectors.event_for_sale(ctx=ctx, event_id=show["event"])
    cart = Cart(event_id=event.id, tickets=event.tickets, area_names={})
    labels = {s: f"Seat {s}" for s in seats}
    assert cart.set_seats([SeatPick(s, labels[s], "standard") for s in seats]) == []
    total = cart.totals().total
    result = sale_service.record_cash_sale(
        ctx=ctx,
        cart=cart,
        tendered=total,
        seller="cashier",
        hold_id=None,
        offline=False,  # recorded online; `push` False leaves it in the outbox
        buyer=Buyer(name=buyer) if buyer else None,
    )
    assert result.ok, result.message
    if push:
        report = sync_engine.run_sync(ctx=ctx)
        assert report.ok and report.pending == 0, report.message
        status = sale_service.sale_status(ctx=ctx, sale_id=result.sale_id)
        assert status.state == "applied", status.message
    return result


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


# -- services ------------------------------------------------------------------------------


def test_find_by_code_name_and_email_online_and_offline(counter, show, api, proxy):
    buyer = unique("Ada Lovelace")
    sale = sell(counter, show, show["seats"][:2], buyer=buyer)
    email = f"{uuid.uuid4().hex[:10]}@example.org"
    web = online_booking(api, show, show["seats"][5], name=unique("Web Buyer"), email=email)
    waiting = sell(counter, show, [show["seats"][3]], buyer=buyer, push=False)

    by_code = booking_lookup.search(ctx=counter, text=sale.code.lower(), online=True)
    assert by_code.online and [b.id for b in by_code.bookings] == [sale.sale_id]
    found = by_code.bookings[0]
    assert found.state == "paid" and found.total == Money("40.00", "EUR") and found.tickets == 2
    assert found.source == booking_records.SERVER and found.event_name.startswith("Show ")

    by_name = booking_lookup.search(ctx=counter, text=buyer.split()[-1], online=True)
    ids = {b.id: b for b in by_name.bookings}
    assert set(ids) == {sale.sale_id, waiting.sale_id}  # the unsent sale is found too
    assert ids[waiting.sale_id].pending_push and not ids[sale.sale_id].pending_push

    by_email = booking_lookup.search(ctx=counter, text=email.upper(), online=True)
    assert [b.id for b in by_email.bookings] == [uuid.UUID(web["id"])]

    unknown = booking_lookup.detail(ctx=counter, booking_id=uuid.uuid4(), online=True)
    assert not unknown.ok and unknown.message == "There is no such booking (any more)."
    detail = booking_lookup.detail(ctx=counter, booking_id=sale.sale_id, online=True)
    assert detail.ok and detail.booking.local_sale and detail.booking.refundable
    lines = detail.booking.lines
    assert [line.place for line in lines] == ["Stalls · Row A · Seat 1", "Stalls · Row A · Seat 2"]
    assert {line.ticket_name for line in lines} == {"Price 1"}
    assert [(p.method, p.amount) for p in detail.booking.payments] == [
        ("cash", Money("40.00", "EUR"))
    ]

    proxy.down()
    try:
        offline = booking_lookup.search(ctx=counter, text=sale.code, online=True)
        assert not offline.online and "offline" in offline.message
        assert [b.id for b in offline.bookings] == [sale.sale_id]
        assert offline.bookings[0].source == booking_records.LOCAL
        by_name = booking_lookup.search(ctx=counter, text=buyer.upper(), online=False)
        assert {b.id for b in by_name.bookings} == {sale.sale_id, waiting.sale_id}
        # the web booking is not this counter's: not found offline
        assert booking_lookup.search(ctx=counter, text=email, online=False).bookings == ()
        local = booking_lookup.detail(ctx=counter, booking_id=waiting.sale_id, online=False)
        assert local.ok and local.booking.lines[0].place == "Stalls · Row A · Seat 4"
        assert not local.booking.refundable  # refunds need the server
    finally:
        proxy.up()


def test_refund_one_ticket_of_a_cash_sale_frees_the_seat_and_records_the_cash(counter, show, api):
    sale = sell(counter, show, show["seats"][:2])
    shift = shift_service.current_shift(ctx=counter)  # opened by the fixture
    detail = booking_lookup.detail(ctx=counter, booking_id=sale.sale_id, online=True).booking
    line = detail.lines[1]
    refund_id = uuid.uuid4()
    result = refund_service.refund(
        ctx=counter, booking=detail, line_ids=[line.id], user="cashier", refund_id=refund_id
    )
    assert result.ok, result.message
    assert "Give back €20.00 cash." in result.message
    assert result.cash == Money("20.00", "EUR")

    booking = api.get(f"bookings/{sale.sale_id}/")
    states = {ln["id"]: ln["state"] for ln in booking["lines"]}
    assert states[str(line.id)] == "refunded" and booking["state"] == "partially_refunded"
    seats = {
        s["id"]: s["status"] for s in api.get(f"events/{show['event']}/availability/")["seats"]
    }
    kept = next(ln for ln in detail.lines if ln.id != line.id)
    assert seats[line.seat_id] == "available" and seats[kept.seat_id] == "sold", booking
    with counter.db.transaction() as s:
        row = s.get(LocalRefund, refund_id)
        assert row.parts == [{"method": "cash", "amount": "20.00"}]
        assert row.amount == Decimal("20.00") and row.booking_code == sale.code
        assert row.lines == [
            {
                "line": str(line.id),
                "event": show["event"],
                "ticket": line.ticket_id,
                "amount": "20.00",
            }
        ]
        assert row.user == "cashier" and row.shift_id == shift.id  # for the X/Z report
    report = shift_service.shift_report(ctx=counter)  # the X report counts the cash out
    assert report.figures.cash_refunds == Money("20.00", "EUR") and report.refunds_count == 1

    # a retry with the same id replays: recorded once; the same ticket again is refused
    again = refund_service.refund(
        ctx=counter, booking=detail, line_ids=[line.id], user="cashier", refund_id=refund_id
    )
    assert again.ok
    twice = refund_service.refund(
        ctx=counter, booking=detail, line_ids=[line.id], user="cashier", refund_id=uuid.uuid4()
    )
    assert not twice.ok and "already refunded" in twice.message
    assert twice.code == refund_service.RefundError.LINE_NOT_REFUNDABLE
    with counter.db.transaction() as s:
        assert s.query(LocalRefund).filter_by(booking_id=sale.sale_id).count() == 1
    fresh = booking_lookup.detail(ctx=counter, booking_id=sale.sale_id, online=True).booking
    assert [r.amount for r in fresh.refunds] == [Money("20.00", "EUR")]
    assert [ln.state for ln in fresh.lines] == ["valid", "refunded"]


def test_a_cashier_over_the_refund_limit_is_told_the_limit(counter, show, api):
    limit = Decimal(api.get("settings/")["employee_refund_limit"])
    seats = show["seats"][: int(limit // 20) + 1]  # just over the limit at 20.00 a seat
    sale = sell(counter, show, seats)
    detail = booking_lookup.detail(ctx=counter, booking_id=sale.sale_id, online=True).booking
    result = refund_service.refund(
        ctx=counter, booking=detail, line_ids=None, user="cashier", refund_id=uuid.uuid4()
    )
    assert not result.ok and result.code == refund_service.RefundError.LIMIT_EXCEEDED
    assert Money(limit, "EUR").format() in result.message and "administrator" in result.message
    assert api.get(f"bookings/{sale.sale_id}/")["state"] == "paid"
    with counter.db.transaction() as s:
        assert s.query(LocalRefund).filter_by(booking_id=sale.sale_id).count() == 0


def test_a_cashier_splitting_a_refund_is_told_what_was_refunded_already(counter, show, api):
    """The limit is per booking: single-ticket refunds pass until the cashiers' refunds of
    the booking would go above it; the refusal says what was refunded already."""
    limit = Decimal(api.get("settings/")["employee_refund_limit"])
    count = int(limit // 20) + 1  # 20.00 a seat: the last ticket takes it over the limit
    sale = sell(counter, show, show["seats"][:count])
    detail = booking_lookup.detail(ctx=counter, booking_id=sale.sale_id, online=True).booking
    for line in detail.lines[:-1]:
        done = refund_service.refund(
            ctx=counter, booking=detail, line_ids=[line.id], user="cashier", refund_id=uuid.uuid4()
        )
        assert done.ok, done.message
    last = refund_service.refund(
        ctx=counter,
        booking=detail,
        line_ids=[detail.lines[-1].id],
        user="cashier",
        refund_id=uuid.uuid4(),
    )
    assert not last.ok and last.code == refund_service.RefundError.LIMIT_EXCEEDED
    already = Money(Decimal("20.00") * (count - 1), "EUR").format()
    assert f"{already} of this booking was already refunded" in last.message
    assert f"up to {Money(limit, 'EUR').format()} per booking" in last.message
    assert "An administrator can approve it here" in last.message
    assert api.get(f"bookings/{sale.sale_id}/")["state"] == "partially_refunded"


def test_offline_a_refund_is_refused_plainly(counter, show, proxy, api):
    sale = sell(counter, show, [show["seats"][0]])
    detail = booking_lookup.detail(ctx=counter, booking_id=sale.sale_id, online=True).booking
    proxy.down()
    try:
        result = refund_service.refund(
            ctx=counter, booking=detail, line_ids=None, user="cashier", refund_id=uuid.uuid4()
        )
    finally:
        proxy.up()
    assert not result.ok and not result.reachable
    assert result.code == refund_service.RefundError.UNREACHABLE
    assert "Refunds need the server" in result.message and "Nothing was refunded" in result.message
    assert api.get(f"bookings/{sale.sale_id}/")["state"] == "paid"


def test_a_pending_booking_is_cancelled(counter, show, api):
    booking = api.post(
        "bookings/",
        {
            "event": show["event"],
            "lines": [{"seat": show["seats"][7], "ticket": show["tickets"][0]}],
        },
    )
    detail = booking_lookup.detail(ctx=counter, booking_id=uuid.UUID(booking["id"]), online=True)
    assert detail.booking.cancellable and not detail.booking.refundable
    result = refund_service.cancel(ctx=counter, booking=detail.booking)
    assert result.ok and "cancelled" in result.message
    assert api.get(f"bookings/{booking['id']}/")["state"] == "cancelled"


# -- the lookup dialog on the cashier window -------------------------------------------------


def cash_sale_by_keyboard(qtbot, flow, show, seats: int = 2):
    window = open_counter_window(qtbot, flow, show)
    open_event_by_keyboard(qtbot, window, show)
    wait_online(qtbot, window)
    window.seat_panel.seat_count.setValue(seats)
    press(qtbot, window, Qt.Key.Key_B)  # best seats
    assert len(window.cart.seat_ids()) == seats
    pay_exact_and_complete(qtbot, window)
    sale_id = window.last_sale
    wait_on_server(qtbot, flow.ctx, sale_id)
    return window, sale_id


def test_refund_one_ticket_and_reprint_from_the_lookup(flow, show, api, qtbot, artifacts, tmp_path):
    window, sale_id = cash_sale_by_keyboard(qtbot, flow, show)
    with flow.ctx.db.transaction() as s:
        code = s.get(LocalSale, sale_id).code
    dialog = open_lookup(qtbot, window)
    find(qtbot, dialog, code.lower(), sale_id)
    assert dialog.results.rowCount() == 1 and "1 booking found" in dialog.status.text()
    assert dialog.lines.rowCount() == 2 and dialog.refund_button.isEnabled()
    assert dialog.refund_button.text() == "Refund whole booking · €40.00"
    assert dialog.receipt_button.isEnabled()  # sold here: can be reprinted

    # receipts (and the refund slip) print into a PDF folder, never a print dialog
    controller = window.printing.controller
    folder = tmp_path / "prints"
    controller.set_settings(
        PrinterSettings(receipt=PrintTarget(TargetKind.PDF, folder=str(folder)))
    )
    dialog.lines.set_checked(0, False)  # keep the first ticket
    assert dialog.refund_button.text() == "Refund 1 ticket · €20.00"
    refunded = dialog.lines.row_at(1)
    qtbot.mouseClick(dialog.refund_button, Qt.MouseButton.LeftButton)
    confirm = dialog.findChild(QMessageBox, "refundConfirm")
    assert confirm is not None and "Refund 1 ticket · €20.00 of booking" in confirm.text()
    yes = confirm.findChild(QPushButton, "refundConfirmButton")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Give back" in dialog.message.text(), timeout=WAIT)
    assert "Give back €20.00 cash." in dialog.message.text()
    qtbot.waitUntil(lambda: dialog.last_slip is not None, timeout=WAIT)
    assert dialog.last_slip.ok and "Refund slip" in dialog.last_slip.title
    qtbot.waitUntil(lambda: dialog.booking.state == "partially_refunded", timeout=WAIT)
    assert [ln.state for ln in dialog.booking.lines] == ["valid", "refunded"]
    assert dialog.lines.data(dialog.lines.index(1, 0), Qt.ItemDataRole.CheckStateRole) is None
    dialog.grab().save(str(artifacts / "booking-lookup-refunded.png"))

    booking = api.get(f"bookings/{sale_id}/")
    lines = {ln["id"]: ln for ln in booking["lines"]}
    assert lines[str(refunded.id)]["state"] == "refunded"
    seats = {
        s["id"]: s["status"] for s in api.get(f"events/{show['event']}/availability/")["seats"]
    }
    assert seats[refunded.seat_id] == "available"
    with flow.ctx.db.transaction() as s:
        rows = s.query(LocalRefund).filter_by(booking_id=sale_id).all()
        assert [(r.parts, r.user) for r in rows] == [
            ([{"method": "cash", "amount": "20.00"}], "cashier")
        ]

    # reprint the receipt through the window's print controller: a PDF marked COPY
    qtbot.mouseClick(dialog.receipt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_print is not None, timeout=WAIT)
    assert dialog.last_print.ok, dialog.last_print.message
    assert "printed" in dialog.message.text()
    text = "".join(page.extract_text() for page in PdfReader(dialog.last_print.output).pages)
    assert "COPY" in text and code in text


def test_offline_the_lookup_finds_the_sale_and_refuses_the_refund(flow, show, api, proxy, qtbot):
    window, sale_id = cash_sale_by_keyboard(qtbot, flow, show)
    proxy.down()
    qtbot.waitUntil(lambda: window.offline, timeout=WAIT)
    with flow.ctx.db.transaction() as s:
        code = s.get(LocalSale, sale_id).code
    dialog = open_lookup(qtbot, window)
    find(qtbot, dialog, code, sale_id)
    assert "offline" in dialog.status.text()
    assert "offline" in dialog.info.text()
    qtbot.mouseClick(dialog.refund_button, Qt.MouseButton.LeftButton)
    assert "Refunds need the server" in dialog.message.text()
    assert dialog.message.property("error") is True
    proxy.up()
    assert api.get(f"bookings/{sale_id}/")["state"] == "paid"
    with flow.ctx.db.transaction() as s:
        assert s.query(LocalRefund).filter_by(booking_id=sale_id).count() == 0


def test_split_tender_refunds_card_first_then_cash(counter, show, api, gateway):
    """25.00 by card (gateway simulator) + 15.00 cash: the first ticket goes back to the
    card, the last one takes the card's rest and the cash."""
    sim = GatewayView(gateway.url, gateway.secret_key, gateway.reader_id)
    sim.idle_reader()
    try:
        cart = cart_for(counter, show["event"], show["seats"][8:10])  # 40.00
        step = card_payments.start_card_payment(
            ctx=counter, cart=cart, card_amount=Money("25.00", "EUR"), offline=False
        )
        assert step.state == card_payments.WAITING, step.message
        sim.tap()
        step = card_payments.wait_for_card(ctx=counter, step=step, timeout=10)
        done = card_payments.complete_card_sale(
            ctx=counter,
            cart=cart,
            step=step,
            tendered=Money("15.00", "EUR"),
            seller="cashier",
            hold_id=None,
            offline=False,
        )
        assert done.sale.ok and done.captured, done.message
        sale_id = done.sale.sale_id
        assert sync_engine.run_sync(ctx=counter).ok
        [intent] = sim.intents(booking=str(sale_id))

        detail = booking_lookup.detail(ctx=counter, booking_id=sale_id, online=True).booking
        assert [p.label for p in detail.payments] == ["Visa ending 4242", "Cash"]
        first = refund_service.refund(
            ctx=counter,
            booking=detail,
            line_ids=[detail.lines[0].id],
            user="cashier",
            refund_id=uuid.uuid4(),
        )
        assert first.ok, first.message
        assert "€20.00 back to the card ending 4242" in first.message
        assert first.cash is None and "Give back" not in first.message

        detail = booking_lookup.detail(ctx=counter, booking_id=sale_id, online=True).booking
        last = refund_service.refund(
            ctx=counter, booking=detail, line_ids=None, user="cashier", refund_id=uuid.uuid4()
        )
        assert last.ok, last.message
        assert "Give back €15.00 cash." in last.message
        assert "€5.00 back to the card ending 4242" in last.message
        assert sum(r["amount"] for r in sim.refunds(intent["id"])) == 2500
        assert api.get(f"bookings/{sale_id}/")["state"] == "refunded"
        with counter.db.transaction() as s:
            rows = s.query(LocalRefund).filter_by(booking_id=sale_id).all()
            parts = sorted(tuple(sorted(p.items())) for r in rows for p in r.parts)
        assert parts == [
            (("amount", "15.00"), ("method", "cash")),
            (("amount", "20.00"), ("method", "card")),
            (("amount", "5.00"), ("method", "card")),
        ]
    finally:
        sim.idle_reader()
        sim.close()


def test_lookup_models_pass_the_model_tester_and_tick_only_valid_tickets(qtbot):
    from PySide6.QtTest import QAbstractItemModelTester

    from enturf_pos.ui.cashier.booking_lookup import BookingLinesModel, BookingResultsModel

    eur = "EUR"
    lines = [
        booking_records.BookingLine(
            uuid.uuid4(),
            1,
            "Show",
            3,
            "Adult",
            f"Stalls · Row A · Seat {n}",
            Money("20.00", eur),
            state,
            seat_id=n,
        )
        for n, state in ((1, "valid"), (2, "refunded"), (3, "valid"))
    ]
    model = BookingLinesModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(lines)
    check = Qt.ItemDataRole.CheckStateRole
    assert [model.data(model.index(r, 0), check) for r in range(3)] == [
        Qt.CheckState.Checked,
        None,
        Qt.CheckState.Checked,
    ]
    assert not model.setData(model.index(1, 0), Qt.CheckState.Checked, check)
    model.set_checked(0, False)
    assert [line.id for line in model.chosen()] == [lines[2].id]
    assert model.data(model.index(1, BookingLinesModel.STATE)) == "Refunded"

    results = BookingResultsModel()
    QAbstractItemModelTester(results, QAbstractItemModelTester.FailureReportingMode.Fatal)
    summary = booking_records.BookingSummary(
        uuid.uuid4(),
        "K7QM2XA",
        "Ada",
        "",
        "Show",
        "paid",
        Money("40.00", eur),
        2,
        None,
        booking_records.LOCAL,
        pending_push=True,
    )
    results.set_rows([summary])
    assert results.data(results.index(0, BookingResultsModel.STATE)) == "Paid · not sent yet"
    assert results.data(results.index(0, BookingResultsModel.TOTAL)) == "€40.00"


def test_over_the_refund_limit_an_administrator_approves_in_place(
    flow, show, api, qtbot, artifacts, tmp_path
):
    """Issue 12, item 11: no logging out; the admin's approval is signed and the server
    accepts the refund above the cashier's limit."""
    from support.server_process import USERS

    from enturf_pos.ui.cashier.supervisor_dialog import SupervisorDialog

    limit = Decimal(api.get("settings/")["employee_refund_limit"])
    count = int(limit // 20) + 1  # just over the limit at 20.00 a seat
    window, sale_id = cash_sale_by_keyboard(qtbot, flow, show, seats=count)
    # the refund slip prints into a PDF folder, never a print dialog
    window.printing.controller.set_settings(
        PrinterSettings(receipt=PrintTarget(TargetKind.PDF, folder=str(tmp_path / "prints")))
    )
    with flow.ctx.db.transaction() as s:
        code = s.get(LocalSale, sale_id).code
    dialog = open_lookup(qtbot, window)
    find(qtbot, dialog, code, sale_id)
    qtbot.mouseClick(dialog.refund_button, Qt.MouseButton.LeftButton)
    confirm = dialog.findChild(QMessageBox, "refundConfirm")
    qtbot.mouseClick(
        confirm.findChild(QPushButton, "refundConfirmButton"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.message.property("error") is True, timeout=WAIT)
    text = dialog.message.text()
    dialog.grab().save(str(artifacts / "booking-lookup-refund-limit.png"))
    assert f"cashiers may refund up to {Money(limit, 'EUR').format()} per booking" in text
    assert "An administrator can approve it here" in text
    assert api.get(f"bookings/{sale_id}/")["state"] == "paid"

    def supervisor() -> SupervisorDialog | None:
        shown = [d for d in dialog.findChildren(SupervisorDialog) if d.isVisible()]
        return shown[0] if shown else None

    qtbot.waitUntil(lambda: supervisor() is not None, timeout=WAIT)
    amount = Money(Decimal("20.00") * count, "EUR").format()
    assert amount in supervisor().ok.text()
    # a cashier's password approves nothing; a wrong one neither
    for user, password, says in (
        ("cashier", USERS["cashier"][1], "not an administrator"),
        ("admin", "not-the-password", "Wrong administrator"),
    ):
        box = supervisor()
        qtbot.keyClicks(box.username, user)
        qtbot.keyClicks(box.password, password)
        qtbot.mouseClick(box.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda says=says: says in dialog.message.text(), timeout=WAIT)
        qtbot.waitUntil(lambda: supervisor() is not None, timeout=WAIT)
    assert api.get(f"bookings/{sale_id}/")["state"] == "paid"
    box = supervisor()
    qtbot.keyClicks(box.username, "admin")
    qtbot.keyClicks(box.password, USERS["admin"][1])
    box.grab().save(str(artifacts / "refund-supervisor-approval.png"))
    qtbot.mouseClick(box.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.property("done") is True, timeout=WAIT * 2)
    assert f"Refunded {amount}" in dialog.message.text()
    assert api.get(f"bookings/{sale_id}/")["state"] == "refunded"
    assert supervisor() is None
    qtbot.waitUntil(lambda: dialog.booking.state == "refunded", timeout=WAIT)
    dialog.grab().save(str(artifacts / "refund-approved-in-place.png"))


def test_an_unpaid_booking_is_cancelled_from_the_lookup(flow, show, api, qtbot):
    name = unique("Pending Buyer")
    booking = api.post(
        "bookings/",
        {
            "event": show["event"],
            "lines": [{"seat": show["seats"][11], "ticket": show["tickets"][0]}],
            "buyer_name": name,
        },
    )
    window = open_counter_window(qtbot, flow, show)
    qtbot.waitUntil(lambda: not window.offline, timeout=WAIT)
    dialog = open_lookup(qtbot, window)
    find(qtbot, dialog, name.split()[-1], uuid.UUID(booking["id"]))
    assert dialog.title.text().endswith("Not paid") and not dialog.refund_button.isEnabled()
    assert dialog.cancel_button.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in dialog.message.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: dialog.booking.state == "cancelled", timeout=WAIT)
    assert not dialog.cancel_button.isVisible()
    assert api.get(f"bookings/{booking['id']}/")["state"] == "cancelled"
    seats = {
        s["id"]: s["status"] for s in api.get(f"events/{show['event']}/availability/")["seats"]
    }
    assert seats[show["seats"][11]] == "available"


def test_a_scanned_ticket_code_finds_its_booking_with_one_search_and_esc_closes(
    flow, show, api, qtbot, monkeypatch, artifacts
):
    """Issue 12 item 9: a ticket's QR code (about 230 characters, beyond the server's
    200-character search) typed into the lookup finds its booking, for a sale of this
    counter (signed by its key) and a web booking (signed by the server); Enter searches
    once; Esc closes the lookup."""
    web = online_booking(api, show, show["seats"][5], name=unique("Web"), email="w@example.org")
    web_code = api.get(f"bookings/{web['id']}/")["lines"][0]["ticket_code"]
    window, sale_id = cash_sale_by_keyboard(qtbot, flow, show)
    with flow.ctx.db.transaction() as s:
        code = s.get(LocalSale, sale_id).payload["lines"][1]["ticket_code"]
    assert len(code) > 200 and len(web_code) > 200
    searched: list[str] = []
    real_search = booking_lookup.search

    def counting_search(**kwargs):
        searched.append(kwargs["text"])
        return real_search(**kwargs)

    monkeypatch.setattr(booking_lookup, "search", counting_search)
    dialog = open_lookup(qtbot, window)
    find(qtbot, dialog, code, sale_id)
    qtbot.wait(300)  # a second search would have been sent by now
    assert searched == [code]
    assert dialog.status.text() == "1 booking found." and dialog.message.isHidden()
    dialog.grab().save(str(artifacts / "booking-lookup-ticket-code.png"))

    find(qtbot, dialog, web_code, uuid.UUID(web["id"]))
    assert dialog.title.text().startswith(web["code"])

    middle = len(code) - 20  # a character of the signature, changed
    forged = code[:middle] + ("A" if code[middle] != "A" else "B") + code[middle + 1 :]
    dialog.search.setText(forged)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not a valid ticket" in dialog.status.text(), timeout=WAIT)

    qtbot.keyClick(dialog.search, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_locking_puts_the_lookup_and_its_refund_confirmation_away_until_unlock(
    flow, show, api, qtbot, artifacts
):
    """Issue 12 item 1: Ctrl+L in the lookup, or the idle lock with a refund waiting for
    its confirmation: nothing of the cashier's stays on screen or can act until the same
    cashier unlocks; then everything is back as it was."""
    window, sale_id = cash_sale_by_keyboard(qtbot, flow, show)
    with flow.ctx.db.transaction() as s:
        code = s.get(LocalSale, sale_id).code
    dialog = open_lookup(qtbot, window)
    find(qtbot, dialog, code, sale_id)

    press(qtbot, dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert flow.lock_window is not None and flow.lock_window.isVisible()
    assert not dialog.isVisible() and not window.isVisible()
    unlock(qtbot, flow)
    assert dialog.isVisible() and dialog.isEnabled() and window.isVisible()
    assert dialog.booking.id == sale_id  # as it was

    qtbot.mouseClick(dialog.refund_button, Qt.MouseButton.LeftButton)
    confirm = dialog.findChild(QMessageBox, "refundConfirm")
    yes = confirm.findChild(QPushButton, "refundConfirmButton")
    assert confirm.isVisible()
    flow.lock()  # what the idle watcher calls
    lock = flow.lock_window
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [lock]
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    yes.click()
    assert not dialog.busy and "Refunding" not in dialog.message.text()
    lock.grab().save(str(artifacts / "lock-screen-over-the-lookup.png"))

    unlock(qtbot, flow)
    assert confirm.isVisible() and confirm.isEnabled()  # the same cashier decides now
    qtbot.mouseClick(confirm.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert not dialog.busy and api.get(f"bookings/{sale_id}/")["state"] == "paid"


def unlock(qtbot, flow) -> None:
    lock = flow.lock_window
    qtbot.keyClicks(lock.password, USERS["cashier"][1])
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.lock_window is None, timeout=WAIT)
