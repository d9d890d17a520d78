"""Refunds: card through the gateway simulator, cash, split tender, credit notes, seats back
on sale, the employee limit and who may refund."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from support import billing_fixtures
from support.billing_fixtures import booked, card_on_reader, pay, seat_status, secret_client

pytestmark = pytest.mark.django_db
gateway = billing_fixtures.gateway


def _paid_by_card(client, shop, sim, seats):
    booking = booked(client, shop, seats)
    terminal, handle, _result = card_on_reader(sim, booking["id"], booking["total"])
    r = pay(client, booking["id"], "card", booking["total"], payment_intent=handle.payment_id)
    assert r.status_code == 201 and r.json()["state"] == "paid", r.content
    terminal.capture(handle)
    return booking, handle


def _refund(client, booking_id, lines=None, **extra):
    body = {"booking": booking_id, "reason": "customer cannot come", **extra}
    if lines is not None:
        body["lines"] = lines
    return client.post("/api/v1/refunds/", body, format="json")


def _credit_notes(booking_id):
    from enturf_server.invoicing.models import Invoice

    return list(Invoice.objects.filter(booking_id=booking_id, kind="credit_note").order_by("pk"))


def test_partial_then_full_card_refund(admin_client, shop, gateway):
    from enturf_server.sales.models import BookingLine
    from enturf_server.sync.models import ChangeLogEntry

    seats = shop.seats[:3]
    booking, handle = _paid_by_card(admin_client, shop, gateway, seats)  # 75.00
    first_line = booking["lines"][0]

    r = _refund(admin_client, booking["id"], [first_line["id"]])
    assert r.status_code == 201, r.content
    refund = r.json()
    assert (refund["amount"], refund["method"], refund["state"]) == ("25.00", "card", "succeeded")
    assert refund["lines"] == [first_line["id"]] and refund["parts"][0]["gateway_refund_id"]
    detail = admin_client.get(f"/api/v1/bookings/{booking['id']}/").json()
    assert detail["state"] == "partially_refunded"
    states = {line["id"]: line["state"] for line in detail["lines"]}
    assert states[first_line["id"]] == "refunded"
    assert seat_status(shop, first_line["seat"]) == "available"
    assert [seat_status(shop, s) for s in seats if s != first_line["seat"]] == ["sold", "sold"]
    seat_change = ChangeLogEntry.objects.filter(entity="seat_status").last()
    assert seat_change.data["seats"] == {str(first_line["seat"]): "available"}
    intent = secret_client(gateway).retrieve_payment_intent(handle.payment_id)
    assert intent["latest_charge"]["amount_refunded"] == 2500
    (note,) = _credit_notes(booking["id"])
    assert note.total_gross == Decimal("-25.00")

    # the rest: no lines given means everything left
    r = _refund(admin_client, booking["id"])
    assert r.status_code == 201, r.content
    assert r.json()["amount"] == "50.00"
    detail = admin_client.get(f"/api/v1/bookings/{booking['id']}/").json()
    assert detail["state"] == "refunded"
    assert all(seat_status(shop, s) == "available" for s in seats)
    assert set(
        BookingLine.objects.filter(booking_id=booking["id"]).values_list("state", flat=True)
    ) == {"refunded"}
    intent = secret_client(gateway).retrieve_payment_intent(handle.payment_id)
    assert intent["latest_charge"]["amount_refunded"] == 7500
    assert [n.total_gross for n in _credit_notes(booking["id"])] == [
        Decimal("-25.00"),
        Decimal("-50.00"),
    ]
    r = _refund(admin_client, booking["id"])
    assert (r.status_code, r.json()["error"]["code"]) == (409, "not_refundable")

    # a refunded seat is on sale again
    again = booked(admin_client, shop, [first_line["seat"]])
    assert again["state"] == "pending"


def test_split_tender_refund_goes_to_card_first_then_cash(employee_client, shop, gateway):
    from enturf_server.billing.models import Payment

    booking = booked(employee_client, shop, shop.seats[:2])  # 50.00
    assert pay(employee_client, booking["id"], "cash", "20.00").status_code == 201
    terminal, handle, _r = card_on_reader(gateway, booking["id"], "30.00")
    r = pay(employee_client, booking["id"], "card", "30.00", payment_intent=handle.payment_id)
    assert r.json()["state"] == "paid"
    terminal.capture(handle)

    r = _refund(employee_client, booking["id"], [booking["lines"][0]["id"]])  # 25.00
    assert r.status_code == 201, r.content
    assert (r.json()["method"], [p["amount"] for p in r.json()["parts"]]) == ("card", ["25.00"])
    r = _refund(employee_client, booking["id"])  # 25.00 left: 5.00 on the card, 20.00 cash
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["method"] == "mixed"
    assert [p["amount"] for p in body["parts"]] == ["5.00", "20.00"]
    states = dict(Payment.objects.values_list("method", "state"))
    assert states == {"card": "refunded", "cash": "refunded"}
    intent = secret_client(gateway).retrieve_payment_intent(handle.payment_id)
    assert intent["latest_charge"]["amount_refunded"] == 3000


def test_employee_refund_limit(employee_client, admin_client, shop):
    from enturf_server.accounts.models import SiteSettings

    SiteSettings.objects.update_or_create(pk=1, defaults={"employee_refund_limit": Decimal("30")})
    booking = booked(employee_client, shop, shop.seats[:3])
    assert pay(employee_client, booking["id"], "cash", "75.00").json()["state"] == "paid"
    line_ids = [line["id"] for line in booking["lines"]]

    r = _refund(employee_client, booking["id"], line_ids[:2])  # 50.00
    assert r.status_code == 403, r.content
    error = r.json()["error"]
    assert error["code"] == "refund_limit_exceeded" and "30.00 EUR" in error["message"]
    assert employee_client.get(f"/api/v1/bookings/{booking['id']}/").json()["state"] == "paid"

    r = _refund(employee_client, booking["id"], line_ids[:1])  # 25.00
    assert (r.status_code, r.json()["method"]) == (201, "cash")
    r = _refund(admin_client, booking["id"], line_ids[1:])  # 50.00: admins have no limit
    assert r.status_code == 201 and r.json()["amount"] == "50.00"


def test_employee_refund_limit_counts_what_employees_refunded_on_the_booking(
    employee_client, admin_client, make_user, client_for, shop
):
    """Limit 100.00, a 136.00 booking: one 68.00 line passes, the second is refused (136.00
    in all by employees), by the same cashier or another; an admin may; admins' refunds do
    not use up the employees' allowance."""
    from support.factories import make_ticket

    from enturf_server.accounts.models import SiteSettings

    SiteSettings.objects.update_or_create(pk=1, defaults={"employee_refund_limit": Decimal("100")})
    gala = make_ticket(shop.event, name="Gala", price="68.00", category="standard", position=5)
    shop.tickets["gala"] = gala
    booking = booked(employee_client, shop, shop.seats[:2], "gala")
    assert booking["total"] == "136.00"
    assert pay(employee_client, booking["id"], "cash", "136.00").json()["state"] == "paid"
    first_line, second_line = (line["id"] for line in booking["lines"])

    r = _refund(employee_client, booking["id"], [first_line])
    assert (r.status_code, r.json()["amount"]) == (201, "68.00")
    for cashier in (employee_client, client_for(make_user("till2", "employee"))):
        r = _refund(cashier, booking["id"], [second_line])
        assert r.status_code == 403, r.content
        error = r.json()["error"]
        assert error["code"] == "refund_limit_exceeded"
        assert error["details"] == {
            "limit": "100.00",
            "amount": "68.00",
            "already_refunded": "68.00",
            "total": "136.00",
            "left": "32.00",
        }
        assert error["message"] == (
            "Cashiers may refund up to 100.00 EUR per booking without an approval. "
            "68.00 EUR of this booking was already refunded by cashiers, so this refund "
            "of 68.00 EUR would make 136.00 EUR; up to 32.00 EUR more can be refunded "
            "without an approval. Ask someone whose role may refund this much to approve "
            "or make it."
        )
    assert employee_client.get(f"/api/v1/bookings/{booking['id']}/").json()["state"] == (
        "partially_refunded"
    )
    r = _refund(admin_client, booking["id"], [second_line])
    assert (r.status_code, r.json()["amount"]) == (201, "68.00")

    # an admin's refund does not count towards what employees may refund
    other = booked(employee_client, shop, shop.seats[2:5], "gala")  # 204.00
    assert pay(employee_client, other["id"], "cash", "204.00").json()["state"] == "paid"
    lines = [line["id"] for line in other["lines"]]
    assert _refund(admin_client, other["id"], lines[:1]).status_code == 201
    assert _refund(employee_client, other["id"], lines[1:2]).status_code == 201
    r = _refund(employee_client, other["id"], lines[2:])
    assert r.status_code == 403 and r.json()["error"]["details"]["already_refunded"] == "68.00"


def test_refund_permissions_and_visibility(
    employee_client, customer_client, other_customer_client, shop
):
    mine = booked(customer_client, shop, shop.seats[:1])
    assert pay(employee_client, mine["id"], "cash", "25.00").status_code == 201
    r = _refund(customer_client, mine["id"])
    assert r.status_code == 403
    staff_sale = booked(employee_client, shop, shop.seats[1:2])
    assert pay(employee_client, staff_sale["id"], "cash", "25.00").status_code == 201
    assert _refund(employee_client, mine["id"]).status_code == 201
    assert _refund(employee_client, staff_sale["id"]).status_code == 201

    own = customer_client.get("/api/v1/refunds/").json()
    assert [r["booking"] for r in own["results"]] == [mine["id"]]
    assert other_customer_client.get("/api/v1/refunds/").json()["results"] == []
    assert employee_client.get("/api/v1/refunds/").json()["count"] == 2
    refund_id = own["results"][0]["id"]
    assert other_customer_client.get(f"/api/v1/refunds/{refund_id}/").status_code == 404
    assert customer_client.get(f"/api/v1/refunds/{refund_id}/").status_code == 200


def test_refund_bad_requests_and_replay(employee_client, shop):
    pending = booked(employee_client, shop, shop.seats[:1])
    r = _refund(employee_client, pending["id"])
    assert (r.status_code, r.json()["error"]["code"]) == (409, "not_refundable")

    booking = booked(employee_client, shop, shop.seats[1:3])
    assert pay(employee_client, booking["id"], "cash", "50.00").json()["state"] == "paid"
    r = _refund(employee_client, booking["id"], [pending["lines"][0]["id"]])
    assert (r.status_code, r.json()["error"]["code"]) == (400, "unknown_line")
    r = _refund(employee_client, booking["id"], ["not-a-uuid"])
    assert r.status_code == 400
    r = _refund(employee_client, str(uuid.uuid4()))
    assert r.status_code == 404

    refund_id = str(uuid.uuid4())
    line = booking["lines"][0]["id"]
    first = _refund(employee_client, booking["id"], [line], id=refund_id)
    again = _refund(employee_client, booking["id"], [line], id=refund_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == refund_id and again.json()["amount"] == "25.00"
    other = _refund(employee_client, booking["id"], [booking["lines"][1]["id"]], id=refund_id)
    assert (other.status_code, other.json()["error"]["code"]) == (409, "refund_id_taken")
    r = _refund(employee_client, booking["id"], [line])
    assert (r.status_code, r.json()["error"]["code"]) == (409, "line_not_refundable")
    from enturf_server.billing.models import Refund

    assert Refund.objects.count() == 1


def test_refund_with_booking_fee_and_voucher(customer_client, employee_client, admin_client, shop):
    from enturf_server.accounts.models import SiteSettings

    SiteSettings.objects.update_or_create(
        pk=1, defaults={"booking_fee_amount": Decimal("1.50"), "booking_fee_basis": "per_ticket"}
    )
    r = admin_client.post(
        "/api/v1/vouchers/", {"code": "TENOFF", "kind": "percent", "percent": "10"}, format="json"
    )
    assert r.status_code == 201, r.content
    booking = booked(customer_client, shop, shop.seats[:2], voucher="tenoff")
    # 2 x 25.00 - 10 % + 2 x 1.50 fee
    assert booking["total"] == "48.00"
    assert [line["price"] for line in booking["lines"]] == ["22.50", "22.50"]
    assert pay(employee_client, booking["id"], "cash", "48.00").json()["state"] == "paid"

    r = _refund(employee_client, booking["id"], [booking["lines"][0]["id"]])
    assert r.json()["amount"] == "24.00"  # the line as paid, with its fee
    r = _refund(employee_client, booking["id"])
    assert r.json()["amount"] == "24.00"
    notes = _credit_notes(booking["id"])
    assert sum(n.total_gross for n in notes) == Decimal("-48.00")
