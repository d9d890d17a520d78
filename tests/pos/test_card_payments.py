"""Card payments at the counter through the service layer: the real server (subprocess,
behind the proxy) and the gateway simulator over HTTP; money is checked at the simulator
with its secret key, sales through the server's API as the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from card_support import DECLINED_CARD, NO_FUNDS_CARD, GatewayView, cart_for
from pypdf import PdfReader
from support.open_drawer import open_drawer
from sync_support import AdminApi, log_in_online, make_show, open_counter, register

from enturf_core.money import Money
from enturf_pos.models import CardAttempt, LocalSale
from enturf_pos.services.payments import card_attempts, card_gateway, card_payments, card_reconcile
from enturf_pos.services.printing.documents import receipt_for_sale
from enturf_pos.services.printing.receipt_pdf import render_receipt
from enturf_pos.services.sales import sale_service
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.services.sync import sync_engine


@pytest.fixture
def counter(new_counter):
    ctx = new_counter("Card counter", "cashier")
    open_drawer(ctx)
    return ctx


@pytest.fixture
def show(api):
    return make_show(api, tickets=1, rows=2, seats=5)  # Price 1: 20.00 at 10 %


def seats_of(api: AdminApi, show) -> list[int]:
    detail = api.get(f"seatmaps/{show.seat_map_id}/")
    return [s["id"] for sec in detail["sections"] for r in sec["rows"] for s in r["seats"]]


def pay_by_card(ctx, cart, sim: GatewayView, *, card_amount=None, tendered=None, card=None):
    step = card_payments.start_card_payment(
        ctx=ctx, cart=cart, card_amount=card_amount, offline=False
    )
    assert step.state == card_payments.WAITING, step.message
    sim.tap(card)
    step = card_payments.wait_for_card(ctx=ctx, step=step, timeout=10)
    return step


def complete(ctx, cart, step, tendered=None, offline=False):
    return card_payments.complete_card_sale(
        ctx=ctx,
        cart=cart,
        step=step,
        tendered=tendered,
        seller="cashier",
        hold_id=None,
        offline=offline,
    )


def pushed_booking(ctx, api: AdminApi, sale_id) -> dict:
    assert sync_engine.run_sync(ctx=ctx).ok
    status = sale_service.sale_status(ctx=ctx, sale_id=sale_id)
    assert status is not None and status.state == "applied", status
    return api.get(f"bookings/{sale_id}/")


def receipt_text(ctx, sale_id) -> str:
    import io

    pdf = render_receipt(receipt_for_sale(ctx, sale_id))
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_card_approved_sale_reaches_the_server_paid_by_card_and_captured(counter, show, api, sim):
    cart = cart_for(counter, show.event_id, seats_of(api, show)[:2])
    step = pay_by_card(counter, cart, sim)
    assert step.state == card_payments.APPROVED, step.message
    assert (step.brand, step.last4) == ("visa", "4242")

    done = complete(counter, cart, step)
    assert done.sale.ok and done.captured, done.message
    sale_id = done.sale.sale_id
    [intent] = sim.intents(booking=str(sale_id))
    assert intent["status"] == "succeeded" and intent["amount"] == 4000
    assert intent["amount_received"] == 4000
    with counter.db.transaction() as s:
        assert s.get(CardAttempt, step.attempt_id).state == "captured"

    booking = pushed_booking(counter, api, sale_id)
    assert booking["state"] == "paid" and Decimal(booking["total"]) == Decimal("40.00")
    payments = api.get(f"bookings/{sale_id}/payments/")
    payments = payments["results"] if isinstance(payments, dict) else payments
    [card] = payments
    assert card["method"] == "card" and card["payment_intent"] == intent["id"]
    text = receipt_text(counter, sale_id)
    assert "Visa" in text and "4242" in text


def test_declined_then_cash_releases_the_card_and_sells_in_cash(counter, show, api, sim):
    cart = cart_for(counter, show.event_id, seats_of(api, show)[:2])
    step = pay_by_card(counter, cart, sim, card=NO_FUNDS_CARD)
    assert step.state == card_payments.DECLINED
    assert "insufficient funds" in step.message

    step = card_payments.retry_card(ctx=counter, step=step)  # another card, declined too
    assert step.state == card_payments.WAITING
    sim.tap(DECLINED_CARD)
    step = card_payments.wait_for_card(ctx=counter, step=step, timeout=10)
    assert step.state == card_payments.DECLINED and "declined" in step.message

    stopped = card_payments.cancel_card(ctx=counter, step=step)  # the cashier takes cash
    assert stopped.state == card_payments.STOPPED
    cash = sale_service.record_cash_sale(
        ctx=counter,
        cart=cart,
        tendered=Money(Decimal("50.00"), "EUR"),
        seller="cashier",
        hold_id=None,
        offline=False,
    )
    assert cash.ok, cash.message
    [intent] = sim.intents(local_id=str(step.attempt_id))
    assert intent["status"] == "canceled"  # nothing authorised, nothing left open
    assert card_attempts.open_attempts(counter) == []
    booking = pushed_booking(counter, api, cash.sale_id)
    assert booking["state"] == "paid"


def test_split_tender_part_cash_part_card(counter, show, api, sim):
    cart = cart_for(counter, show.event_id, seats_of(api, show)[2:4])  # 40.00
    step = pay_by_card(counter, cart, sim, card_amount=Money(Decimal("25.00"), "EUR"))
    assert step.state == card_payments.APPROVED, step.message
    short = complete(counter, cart, step, tendered=Money(Decimal("10.00"), "EUR"))
    assert not short.sale.ok and "does not cover the rest of €15.00" in short.message
    done = complete(counter, cart, step, tendered=Money(Decimal("20.00"), "EUR"))
    assert done.sale.ok and done.captured, done.message
    assert done.sale.change == Money(Decimal("5.00"), "EUR")
    [intent] = sim.intents(booking=str(done.sale.sale_id))
    assert (intent["status"], intent["amount_received"]) == ("succeeded", 2500)
    with counter.db.transaction() as s:
        payments = s.get(LocalSale, done.sale.sale_id).payload["payments"]
    assert [(p["method"], p["amount"]) for p in payments] == [("card", "25.00"), ("cash", "15.00")]
    booking = pushed_booking(counter, api, done.sale.sale_id)
    assert booking["state"] == "paid" and Decimal(booking["total"]) == Decimal("40.00")
    text = receipt_text(counter, done.sale.sale_id)
    assert "4242" in text and "Cash" in text


def test_cancel_on_the_reader_takes_nothing(counter, show, api, sim):
    cart = cart_for(counter, show.event_id, seats_of(api, show)[4:5])
    step = card_payments.start_card_payment(ctx=counter, cart=cart, card_amount=None, offline=False)
    assert step.state == card_payments.WAITING
    assert (sim.reader_action() or {}).get("status") == "in_progress"
    stopped = card_payments.cancel_card(ctx=counter, step=step)
    assert stopped.state == card_payments.STOPPED
    assert sim.reader_action() is None or sim.reader_action().get("status") != "in_progress"
    [intent] = sim.intents(local_id=str(step.attempt_id))
    assert intent["status"] == "canceled"
    with counter.db.transaction() as s:
        assert s.get(LocalSale, step.draft.sale_id) is None


def test_card_while_the_server_is_down_waits_in_the_outbox(counter, show, api, sim, proxy):
    seat_ids = seats_of(api, show)[5:7]
    with counter.db.transaction() as s:
        from enturf_pos.models import Device

        device_id = int(s.get(Device, 1).device_id)
    api.post(f"events/{show.event_id}/allocations/", {"device": device_id, "seats": seat_ids})
    cart = cart_for(counter, show.event_id, seat_ids)
    proxy.down()
    step = card_payments.start_card_payment(ctx=counter, cart=cart, card_amount=None, offline=True)
    assert step.state == card_payments.WAITING, step.message
    sim.tap()
    step = card_payments.wait_for_card(ctx=counter, step=step, timeout=10)
    done = complete(counter, cart, step, offline=True)
    assert done.sale.ok and done.captured and done.sale.offline, done.message
    assert sale_service.sale_status(ctx=counter, sale_id=done.sale.sale_id).state == "pending"
    proxy.up()
    booking = pushed_booking(counter, api, done.sale.sale_id)
    assert booking["state"] == "paid"


def test_card_unavailable_says_so_and_cash_still_works(counter, show, api, sim):
    cart = cart_for(counter, show.event_id, seats_of(api, show)[7:8])
    key = counter.secrets.get(Secret.GATEWAY_KEY)
    with counter.db.transaction() as s:
        from enturf_pos.models import Device

        device = s.get(Device, 1)
        url, device.gateway_base_url = device.gateway_base_url, "http://127.0.0.1:9"
    check = card_gateway.check_card(counter)
    assert not check.ok and "cannot be reached" in check.message
    step = card_payments.start_card_payment(ctx=counter, cart=cart, card_amount=None, offline=False)
    assert step.state == card_payments.FAILED and "Cash still works" in step.message
    assert card_attempts.open_attempts(counter) != []  # settled once the gateway answers
    with counter.db.transaction() as s:
        s.get(Device, 1).gateway_base_url = url
    report = card_reconcile.reconcile(ctx=counter)
    assert report.canceled == 1 and card_attempts.open_attempts(counter) == []

    with counter.db.transaction() as s:
        reader, s.get(Device, 1).reader_id = s.get(Device, 1).reader_id, ""
    step = card_payments.start_card_payment(ctx=counter, cart=cart, card_amount=None, offline=False)
    assert step.state == card_payments.FAILED and "No card reader is set up" in step.message
    assert card_attempts.open_attempts(counter) == []  # nothing was started
    with counter.db.transaction() as s:
        s.get(Device, 1).reader_id = reader

    counter.secrets.delete(Secret.GATEWAY_KEY)
    check = card_gateway.check_card(counter)
    assert not check.ok and "key" in check.message
    counter.secrets.set(Secret.GATEWAY_KEY, key)
    assert card_gateway.check_card(counter).ok


# -- the server refuses the sale: the card money goes back -----------------------------------


def sell_elsewhere_first(tmp_path, server, proxy, show, seat_id: int) -> None:
    """Another counter sells the seat in cash and its sale reaches the server first."""
    other = register(open_counter(tmp_path / "other"), server, proxy.base_url, "Other counter")
    try:
        log_in_online(other, "cashier")
        open_drawer(other)
        cart = cart_for(other, show.event_id, [seat_id])
        sold = sale_service.record_cash_sale(
            ctx=other,
            cart=cart,
            tendered=Money(Decimal("20.00"), "EUR"),
            seller="cashier",
            hold_id=None,
            offline=False,
        )
        assert sold.ok and sync_engine.run_sync(ctx=other).ok
    finally:
        other.close()


def refused(ctx, sale_id) -> dict:
    from enturf_pos.models import OutboxOp

    sync_engine.run_sync(ctx=ctx)
    with ctx.db.transaction() as s:
        op = s.get(OutboxOp, s.get(LocalSale, sale_id).op_id)
        assert op.state == "rejected", (op.state, op.result)
        return op.result


def test_sold_elsewhere_refunds_a_captured_card_payment(
    counter, show, api, sim, tmp_path, server, proxy
):
    seat_id = seats_of(api, show)[8]
    cart = cart_for(counter, show.event_id, [seat_id])
    step = pay_by_card(counter, cart, sim)
    proxy.down()  # the sale stays on this counter a while...
    done = complete(counter, cart, step)
    assert done.sale.ok and done.captured
    proxy.up()
    sell_elsewhere_first(tmp_path, server, proxy, show, seat_id)  # ...and the seat goes

    result = refused(counter, done.sale.sale_id)
    assert result["code"] == "sold_elsewhere"
    [card] = result["details"]["refund"]["card"]
    assert card["status"] == "refunded" and card["amount"] == "20.00"
    assert "went back to the customer's card" in result["reason"]
    [intent] = sim.intents(booking=str(done.sale.sale_id))
    [refund] = sim.refunds(intent["id"])
    assert (refund["amount"], refund["status"]) == (2000, "succeeded")
    assert sync_engine.run_sync(ctx=counter).ok  # a replay gives nothing back twice
    assert len(sim.refunds(intent["id"])) == 1


def test_sold_elsewhere_cancels_an_uncaptured_card_payment(
    counter, show, api, sim, gateway, tmp_path, server, proxy
):
    seat_id = seats_of(api, show)[9]
    cart = cart_for(counter, show.event_id, [seat_id])
    step = pay_by_card(counter, cart, sim)
    proxy.down()
    gateway.add_fault("error", count=4, path=f"/v1/payment_intents/{step.handle.payment_id}/")
    done = complete(counter, cart, step)  # recorded; the capture did not go through
    gateway.clear_faults()
    assert done.sale.ok and not done.captured and "captured as soon as" in done.message
    proxy.up()
    sell_elsewhere_first(tmp_path, server, proxy, show, seat_id)

    result = refused(counter, done.sale.sale_id)
    [card] = result["details"]["refund"]["card"]
    assert card["status"] == "canceled"
    report = card_reconcile.reconcile(ctx=counter)  # the refused sale is not captured
    assert (report.captured, report.canceled) == (0, 1)
    [intent] = sim.intents(booking=str(done.sale.sale_id))
    assert intent["status"] == "canceled" and intent["amount_received"] == 0
    assert sim.refunds(intent["id"]) == []
