"""Who the server believes and which prices it agrees to, for what counters push.

A counter's push is recorded as made by the authenticated user (the token) at the
authenticated device (`X-Enturf-Device`), whatever the payload names; a counter sale
priced differently from the server is kept but held for an administrator's decision
(`review`), who accepts it (paid, invoiced) or rejects it (voided, money back)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from support import billing_fixtures
from support.billing_fixtures import card_on_reader
from support.counters import (
    allocated,
    movement,
    opening,
    pos_client,
    push,
    push_ops,
    register_counter,
    sale_line,
    sale_payload,
)
from support.counters import statuses as seat_statuses

pytestmark = pytest.mark.django_db
gateway = billing_fixtures.gateway


def _audit(booking_id, action: str):
    from enturf_server.audit.models import AuditEntry

    return AuditEntry.objects.get(action=action, object_id=str(booking_id))


def _booking(booking_id):
    from enturf_server.sales.models import Booking

    return Booking.objects.select_related("created_by").get(pk=booking_id)


# -- who did it ----------------------------------------------------------------------------------


def test_a_cashiers_sale_naming_an_admin_is_the_cashiers_at_this_device(
    admin_client, shop, counter
):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.billing.models import Payment

    device, pos, key = counter  # logged in as "cashier"; the admin is "alice"
    allocated(admin_client, shop, device, shop.seats[:1])
    payload = sale_payload(
        shop, [sale_line(shop, "standard", seat=shop.seats[0], key=key)], seller="alice"
    )
    [result] = push(pos, payload)
    assert result["status"] == "applied", result
    assert result["booking"]["claimed_seller"] == "alice"
    booking = _booking(result["booking"]["id"])
    assert (booking.created_by.username, booking.device_id) == ("cashier", device.pk)
    assert booking.claimed_seller == "alice"  # a note, not the actor
    entries = AuditEntry.objects.filter(object_id__in=[str(booking.pk)]).select_related("actor")
    assert {e.action for e in entries} >= {"counter_sale", "booking.paid"}
    assert {(e.actor.username, e.device_id) for e in entries} == {("cashier", device.pk)}
    sale_entry = _audit(booking.pk, "counter_sale")
    assert sale_entry.details["claimed_seller"] == "alice"
    payment = Payment.objects.get(booking=booking)
    assert (payment.created_by.username, payment.device_id) == ("cashier", device.pk)
    taken = AuditEntry.objects.get(action="payment.take", object_id=str(payment.pk))
    assert (taken.actor.username, taken.device_id) == ("cashier", device.pk)


@pytest.mark.parametrize("named", ["gone", "carla", "nobody"])
def test_a_seller_who_is_no_active_staff_is_not_kept_and_the_sale_stands(
    admin_client, make_user, shop, counter, named
):
    gone = make_user("gone", "employee")  # deactivated since
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    make_user("carla", "customer")
    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:1])
    payload = sale_payload(
        shop, [sale_line(shop, "standard", seat=shop.seats[0], key=key)], seller=named
    )
    [result] = push(pos, payload)
    assert (result["status"], result["booking"]["state"]) == ("applied", "paid"), result
    assert result["booking"]["claimed_seller"] is None
    booking = _booking(result["booking"]["id"])
    assert (booking.created_by.username, booking.claimed_seller) == ("cashier", "")
    entry = _audit(booking.pk, "counter_sale")
    assert (entry.actor.username, entry.device_id) == ("cashier", device.pk)
    assert (entry.details["claimed_seller"], entry.details["claimed_seller_refused"]) == (
        None,
        named,
    )


def test_an_offline_sale_pushed_later_by_the_next_cashier_is_recorded_under_that_login(
    admin_client, make_user, shop, counter
):
    """Ann sold offline and logged out; Bob logged in on the same counter and his sync
    pushed her sale with his token. The server records Bob (who it authenticated) with
    Ann as the counter's unverified note, and still expects the money in Ann's drawer."""
    from enturf_server.shifts.figures import server_figures
    from enturf_server.shifts.models import Shift

    device, ann, key = counter  # "cashier"
    from enturf_server.accounts.models import Device

    token = ann._credentials["HTTP_X_ENTURF_DEVICE"]
    bob = pos_client(make_user("bob", "employee"), token)
    allocated(admin_client, shop, device, shop.seats[:1])
    opened = timezone.now() - timedelta(hours=2)
    shift_id = uuid.uuid4()
    [shift] = push_ops(ann, opening(shift_id, opened))
    assert shift["status"] == "applied", shift
    sold_at = opened + timedelta(minutes=30)
    payload = sale_payload(
        shop,
        [sale_line(shop, "standard", seat=shop.seats[0], key=key)],
        seller="cashier",
        created_at=sold_at.isoformat(),
    )
    [result] = push(bob, payload)
    assert result["status"] == "applied", result
    booking = _booking(result["booking"]["id"])
    assert (booking.created_by.username, booking.claimed_seller) == ("bob", "cashier")
    assert Device.objects.get(pk=booking.device_id) == device
    entry = _audit(booking.pk, "counter_sale")
    assert (entry.actor.username, entry.device_id) == ("bob", device.pk)
    figures = server_figures(shift=Shift.objects.get(pk=shift_id), until=timezone.now())
    assert figures.expected["cash"] == Decimal("125.00")  # float 100 + Ann's 25.00 sale
    assert figures.bookings == 1


def test_shift_ops_naming_someone_else_are_the_authenticated_users(admin_client, counter):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.shifts.models import DrawerMovement, Shift

    device, pos, _key = counter
    shift_id, now = uuid.uuid4(), timezone.now()
    moved = uuid.uuid4()
    cash_in = movement(shift_id, "cash_in", "5.00", "coins", now, movement_id=moved)
    cash_in[1]["movement"]["user"] = "alice"
    results = push_ops(pos, opening(shift_id, now, cashier="alice"), cash_in)
    assert [r["status"] for r in results] == ["applied", "applied"], results
    shift = Shift.objects.select_related("cashier").get(pk=shift_id)
    assert shift.cashier.username == "cashier"
    assert DrawerMovement.objects.get(pk=moved).user.username == "cashier"
    opened = AuditEntry.objects.get(action="shift.open", object_id=str(shift_id))
    assert (opened.actor.username, opened.device_id) == ("cashier", device.pk)
    assert opened.details["claimed_cashier"] == "alice"
    entry = AuditEntry.objects.get(action="drawer.cash_in", object_id=str(moved))
    assert (entry.actor.username, entry.details["claimed_user"]) == ("cashier", "alice")


# -- prices the server did not agree to ----------------------------------------------------------


def _review_sale(admin_client, shop, counter, *, price="20.00", payments=None, seats=1):
    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:seats])
    lines = [sale_line(shop, "standard", seat=shop.seats[0], key=key, price=price)]
    lines += [sale_line(shop, "standard", seat=s, key=key) for s in shop.seats[1:seats]]
    payload = sale_payload(shop, lines, payments=payments)
    [result] = push(pos, payload)
    assert result["status"] == "applied", result
    return result, lines


def test_a_seat_pushed_at_zero_without_payment_is_held_for_review_not_paid(
    admin_client, customer_client, shop, counter
):
    from enturf_server.billing.models import Payment
    from enturf_server.invoicing.models import Invoice

    result, lines = _review_sale(admin_client, shop, counter, price="0.00", payments=[])
    sale = result["booking"]
    assert (sale["state"], sale["invoice"], sale["total"]) == ("review", None, "0.00")
    assert sale["server_prices"] == {lines[0]["id"]: "25.00"}
    booking = _booking(sale["id"])
    assert (booking.state, booking.paid_at, booking.expires_at) == ("review", None, None)
    assert booking.lines.get().server_price == Decimal("25.00")
    assert not Invoice.objects.filter(booking=booking).exists()
    assert not Payment.objects.filter(booking=booking).exists()
    assert seat_statuses(customer_client, shop)[shop.seats[0]] == "sold"  # kept, not lost
    listed = admin_client.get("/api/v1/bookings/?state=review").json()["results"]
    assert [b["id"] for b in listed] == [sale["id"]]


def test_a_manager_accepts_a_sale_in_review_it_is_paid_at_the_counters_price_and_invoiced(
    admin_client, shop, counter
):
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sync.models import ChangeLogEntry

    result, lines = _review_sale(admin_client, shop, counter, seats=2)
    sale = result["booking"]
    assert (sale["state"], sale["total"], sale["invoice"]) == ("review", "45.00", None)
    page = admin_client.get("/api/v1/sales-review/").json()
    assert page["count"] == 1
    [shown] = page["results"]
    assert (shown["code"], shown["total"], shown["server_total"], shown["paid"]) == (
        sale["code"],
        "45.00",
        "50.00",
        "45.00",
    )
    assert (shown["created_by"], shown["device"]) == ("cashier", "Counter 1")
    assert {line["line"]: line["server_price"] for line in shown["lines"]} == {
        lines[0]["id"]: "25.00",
        lines[1]["id"]: None,
    }

    r = admin_client.post(
        f"/api/v1/bookings/{sale['id']}/review/",
        {"decision": "accept", "reason": "staff discount, agreed"},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["state"], body["refund"]) == ("paid", None)
    invoice = Invoice.objects.get(booking_id=sale["id"], kind="invoice")
    assert body["invoice"] == invoice.full_number and invoice.total_gross == Decimal("45.00")
    entry = _audit(sale["id"], "booking.review_accepted")
    assert (entry.actor.username, entry.details["reason"]) == ("alice", "staff discount, agreed")
    feed = ChangeLogEntry.objects.filter(entity="booking", entity_id=sale["id"]).order_by("seq")
    assert [e.data["state"] for e in feed] == ["review", "paid"]
    assert admin_client.get("/api/v1/sales-review/").json()["count"] == 0
    again = admin_client.post(
        f"/api/v1/bookings/{sale['id']}/review/", {"decision": "reject"}, format="json"
    )
    assert (again.status_code, again.json()["error"]["code"]) == (409, "not_in_review")


def test_a_manager_rejects_a_cash_sale_in_review_seats_back_cash_recorded_to_give_back(
    admin_client, customer_client, shop, counter
):
    from enturf_server.invoicing.models import Invoice

    result, _lines = _review_sale(admin_client, shop, counter)
    sale = result["booking"]
    r = admin_client.post(
        f"/api/v1/bookings/{sale['id']}/review/",
        {"decision": "reject", "reason": "no such offer"},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "cancelled" and body["invoice"] is None
    refund = body["refund"]
    assert (refund["amount"], refund["method"], refund["state"]) == ("20.00", "cash", "succeeded")
    booking = _booking(sale["id"])
    assert booking.state == "cancelled"
    assert {line.state for line in booking.lines.all()} == {"refunded"}
    assert seat_statuses(customer_client, shop)[shop.seats[0]] == "allocated"  # back to it
    assert not Invoice.objects.filter(booking=booking).exists()  # no invoice, no credit note
    entry = _audit(sale["id"], "booking.review_rejected")
    assert (entry.actor.username, entry.details["cash_to_give_back"]) == ("alice", "20.00")


def test_a_rejected_card_sale_in_review_is_refunded_at_the_gateway(
    admin_client, shop, counter, gateway
):
    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:1])
    booking_id = str(uuid.uuid4())
    terminal, handle, outcome = card_on_reader(gateway, booking_id, "20.00")
    assert outcome.state == "authorised"
    card = {"id": str(uuid.uuid4()), "method": "card", "amount": "20.00"}
    card["payment_intent"] = handle.payment_id
    line = sale_line(shop, "standard", seat=shop.seats[0], key=key, price="20.00")
    [result] = push(pos, sale_payload(shop, [line], booking_id=booking_id, payments=[card]))
    assert (result["status"], result["booking"]["state"]) == ("applied", "review"), result
    terminal.capture(handle)  # as the counter does once the server has the sale
    r = admin_client.post(
        f"/api/v1/bookings/{booking_id}/review/", {"decision": "reject"}, format="json"
    )
    assert r.status_code == 200, r.content
    refund = r.json()["refund"]
    assert (refund["method"], refund["amount"], refund["state"]) == ("card", "20.00", "succeeded")
    [part] = refund["parts"]
    assert part["gateway_refund_id"]
    assert _audit(booking_id, "booking.review_rejected").details["cash_to_give_back"] == "0.00"


def test_only_an_admin_sees_and_decides_sales_in_review(
    admin_client, employee_client, customer_client, anon_client, shop, counter
):
    result, _lines = _review_sale(admin_client, shop, counter)
    url = f"/api/v1/bookings/{result['booking']['id']}/review/"
    for client, status in ((employee_client, 403), (customer_client, 403), (anon_client, 401)):
        assert client.get("/api/v1/sales-review/").status_code == status
        r = client.post(url, {"decision": "accept"}, format="json")
        assert r.status_code == status, r.content
    _pos_device, pos, _key = counter  # the cashier who pushed it may not accept it either
    assert pos.post(url, {"decision": "accept"}, format="json").status_code == 403
    assert _booking(result["booking"]["id"]).state == "review"
    bad = admin_client.post(url, {"decision": "maybe"}, format="json")
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid")
    missing = admin_client.post(
        f"/api/v1/bookings/{uuid.uuid4()}/review/", {"decision": "accept"}, format="json"
    )
    assert missing.status_code == 404


def test_a_sale_at_the_servers_prices_is_paid_at_once_not_reviewed(admin_client, shop):
    device, token, key = register_counter("Counter 2")
    from enturf_server.accounts.models import User

    pos = pos_client(User.objects.get(username="alice"), token)
    allocated(admin_client, shop, device, shop.seats[:1])
    [result] = push(
        pos, sale_payload(shop, [sale_line(shop, "standard", seat=shop.seats[0], key=key)])
    )
    assert (result["booking"]["state"], result["booking"]["server_prices"]) == ("paid", {})
    assert result["booking"]["invoice"]


def test_a_sale_is_priced_as_the_server_priced_its_ticket_at_the_sale_time(
    admin_client, shop, counter
):
    """Offline, the counter sold at the price it had synced; the price went up before its
    push. The sale agrees with the server's price at its time and is paid; a sale made
    after the change at the old price is held for review."""
    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:2])
    before_change = timezone.now() - timedelta(minutes=5)
    ticket = shop.tickets["standard"]
    r = admin_client.patch(f"/api/v1/tickets/{ticket.pk}/", {"price": "30.00"}, format="json")
    assert r.status_code == 200, r.content
    old_price = sale_line(shop, "standard", seat=shop.seats[0], key=key)  # 25.00, synced
    assert old_price["price"] == "25.00"
    sold_then = sale_payload(shop, [old_price], created_at=before_change.isoformat())
    late = sale_line(shop, "standard", seat=shop.seats[1], key=key)
    sold_after = sale_payload(shop, [late], created_at=timezone.now().isoformat())
    then, after = push(pos, sold_then, sold_after)
    assert (then["booking"]["state"], then["booking"]["server_prices"]) == ("paid", {})
    assert then["booking"]["invoice"]
    assert after["booking"]["state"] == "review"
    assert after["booking"]["server_prices"] == {late["id"]: "30.00"}


def test_a_sale_dated_before_its_counter_existed_gets_no_older_price(admin_client, shop):
    from enturf_server.accounts.models import User

    long_ago = timezone.now() - timedelta(days=30)
    ticket = shop.tickets["standard"]
    r = admin_client.patch(f"/api/v1/tickets/{ticket.pk}/", {"price": "30.00"}, format="json")
    assert r.status_code == 200, r.content
    device, token, key = register_counter("Counter 3")  # after the price went up
    pos = pos_client(User.objects.get(username="alice"), token)
    allocated(admin_client, shop, device, shop.seats[:1])
    line = sale_line(shop, "standard", seat=shop.seats[0], key=key)  # 25.00: the old price
    [result] = push(pos, sale_payload(shop, [line], created_at=long_ago.isoformat()))
    assert (result["booking"]["state"], result["booking"]["server_prices"]) == (
        "review",
        {line["id"]: "30.00"},
    )


def test_a_reject_stopped_at_the_gateway_blocks_accepting_it(admin_client, shop, counter, gateway):
    """Two cards paid a sale held for review; the second was not captured yet, so its
    refund fails at the gateway after the first went back: the reject is half done (its
    refund pending, money partly back). Accepting it is refused meanwhile."""
    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:1])
    booking_id = str(uuid.uuid4())
    cards, handles = [], []
    for _ in range(2):
        terminal, handle, outcome = card_on_reader(gateway, booking_id, "10.00")
        assert outcome.state == "authorised"
        handles.append((terminal, handle))
        cards.append(
            {
                "id": str(uuid.uuid4()),
                "method": "card",
                "amount": "10.00",
                "payment_intent": handle.payment_id,
            }
        )
    line = sale_line(shop, "standard", seat=shop.seats[0], key=key, price="20.00")
    [result] = push(pos, sale_payload(shop, [line], booking_id=booking_id, payments=cards))
    assert result["booking"]["state"] == "review", result
    terminal, handle = handles[0]
    terminal.capture(handle)  # the counter captured the first card only (it stopped)

    url = f"/api/v1/bookings/{booking_id}/review/"
    stopped = admin_client.post(url, {"decision": "reject"}, format="json")
    assert stopped.status_code >= 500, stopped.content  # the gateway refused one part
    assert _booking(booking_id).state == "review"
    accept = admin_client.post(url, {"decision": "accept"}, format="json")
    assert (accept.status_code, accept.json()["error"]["code"]) == (409, "rejection_in_progress")
    assert _booking(booking_id).state == "review"
