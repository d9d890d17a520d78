"""Counter payments through the API, card payments verified at a running gateway simulator."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from support import billing_fixtures
from support.billing_fixtures import booked, card_on_reader, charged_minor, pay, seat_status

pytestmark = pytest.mark.django_db
gateway = billing_fixtures.gateway


def _audit(action: str):
    from enturf_server.audit.models import AuditEntry

    return list(AuditEntry.objects.filter(action=action))


def test_cash_payment_marks_the_booking_paid_with_invoice_and_signed_tickets(employee_client, shop):
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sales.models import BookingLine
    from enturf_server.sync.models import ChangeLogEntry

    booking = booked(employee_client, shop, shop.seats[:2])
    assert booking["total"] == "50.00"
    seq_before = ChangeLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    r = pay(employee_client, booking["id"], "cash", "60.00")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["state"] == "paid"
    assert body["balance"] == "0.00"
    payment = body["payment"]
    assert (payment["method"], payment["amount"], payment["tendered"], payment["change"]) == (
        "cash",
        "50.00",
        "60.00",
        "10.00",
    )
    assert payment["state"] == "succeeded"

    detail = employee_client.get(f"/api/v1/bookings/{booking['id']}/").json()
    assert detail["state"] == "paid" and detail["paid_at"]
    assert all(seat_status(shop, s) == "sold" for s in shop.seats[:2])
    codes = list(
        BookingLine.objects.filter(booking_id=booking["id"]).values_list("ticket_code", flat=True)
    )
    assert len(codes) == 2 and all(code.startswith("v1.") for code in codes)
    assert sorted(line["ticket_code"] for line in detail["lines"]) == sorted(codes)
    invoice = Invoice.objects.get(booking_id=booking["id"], kind="invoice")
    assert invoice.total_gross == Decimal("50.00")
    emitted = ChangeLogEntry.objects.filter(
        entity="booking", entity_id=booking["id"], seq__gt=seq_before or 0
    ).last()
    assert emitted.data["state"] == "paid"
    assert [e.details["amount"] for e in _audit("payment.take")] == ["50.00"]
    assert len(_audit("booking.paid")) == 1


def test_split_tender_cash_then_card(employee_client, shop, gateway):
    booking = booked(employee_client, shop, shop.seats[:2])  # 50.00
    r = pay(employee_client, booking["id"], "cash", "20.00")
    assert r.status_code == 201, r.content
    assert (r.json()["state"], r.json()["balance"]) == ("pending", "30.00")

    terminal, handle, result = card_on_reader(gateway, booking["id"], "30.00")
    assert result.state == "authorised"
    r = pay(employee_client, booking["id"], "card", "30.00", payment_intent=handle.payment_id)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["state"], body["balance"]) == ("paid", "0.00")
    card = body["payment"]
    assert card["gateway_status"] == "requires_capture"
    assert (card["card_brand"], card["card_last4"]) == ("visa", "4242")
    assert card["card_exp_month"] and card["card_exp_year"] and card["charge_id"]
    assert "number" not in card
    terminal.capture(handle)  # the POS captures once the server accepted the sale

    listed = employee_client.get(f"/api/v1/bookings/{booking['id']}/payments/").json()
    assert [(p["method"], p["amount"]) for p in listed] == [("cash", "20.00"), ("card", "30.00")]


def test_card_payment_refused_when_the_amount_differs(employee_client, shop, gateway):
    booking = booked(employee_client, shop, shop.seats[:1])  # 25.00
    _t, handle, _r = card_on_reader(gateway, booking["id"], "20.00")
    r = pay(employee_client, booking["id"], "card", "25.00", payment_intent=handle.payment_id)
    assert r.status_code == 400, r.content
    assert r.json()["error"]["code"] == "amount_mismatch"
    from enturf_server.billing.models import Payment

    assert not Payment.objects.exists()
    assert employee_client.get(f"/api/v1/bookings/{booking['id']}/").json()["state"] == "pending"


def test_card_payment_checks_booking_and_status(employee_client, shop, gateway):
    first = booked(employee_client, shop, shop.seats[:1])
    other = booked(employee_client, shop, shop.seats[1:2])
    _t, handle, _r = card_on_reader(gateway, other["id"], "25.00")
    r = pay(employee_client, first["id"], "card", "25.00", payment_intent=handle.payment_id)
    assert (r.status_code, r.json()["error"]["code"]) == (400, "booking_mismatch")

    # shown on the reader but not yet paid by the customer
    from support.billing_fixtures import counter_terminal

    terminal = counter_terminal(gateway)
    waiting = terminal.start_on_reader(
        f"sale-{uuid.uuid4()}", 2500, "eur", metadata={"booking": first["id"]}
    )
    r = pay(employee_client, first["id"], "card", "25.00", payment_intent=waiting.payment_id)
    assert (r.status_code, r.json()["error"]["code"]) == (409, "not_paid")
    r = pay(employee_client, first["id"], "card", "25.00", payment_intent="pi_doesnotexist")
    assert (r.status_code, r.json()["error"]["code"]) == (400, "unknown_payment_intent")


def test_card_overpayment_and_reused_intent_refused(employee_client, shop, gateway):
    booking = booked(employee_client, shop, shop.seats[:1])  # 25.00
    _t, handle, _r = card_on_reader(gateway, booking["id"], "30.00")
    r = pay(employee_client, booking["id"], "card", "30.00", payment_intent=handle.payment_id)
    assert (r.status_code, r.json()["error"]["code"]) == (400, "overpayment")

    _t, handle, _r = card_on_reader(gateway, booking["id"], "10.00")
    assert (
        pay(
            employee_client, booking["id"], "card", "10.00", payment_intent=handle.payment_id
        ).status_code
        == 201
    )
    r = pay(employee_client, booking["id"], "card", "10.00", payment_intent=handle.payment_id)
    assert (r.status_code, r.json()["error"]["code"]) == (409, "payment_intent_used")


def test_payment_id_is_idempotent(employee_client, shop):
    booking = booked(employee_client, shop, shop.seats[:2])
    payment_id = uuid.uuid4()
    first = pay(employee_client, booking["id"], "cash", "20.00", payment_id=payment_id)
    again = pay(employee_client, booking["id"], "cash", "20.00", payment_id=payment_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    other = pay(employee_client, booking["id"], "cash", "30.00", payment_id=payment_id)
    assert (other.status_code, other.json()["error"]["code"]) == (409, "payment_id_taken")
    from enturf_server.billing.models import Payment

    assert Payment.objects.count() == 1


def test_paid_expired_and_bad_payments_refused(employee_client, shop):
    from datetime import timedelta

    from django.utils import timezone

    from enturf_server.sales.models import Booking

    booking = booked(employee_client, shop, shop.seats[:1])
    assert pay(employee_client, booking["id"], "cash", "25.00").status_code == 201
    r = pay(employee_client, booking["id"], "cash", "1.00")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "already_paid")

    late = booked(employee_client, shop, shop.seats[1:2])
    Booking.objects.filter(pk=late["id"]).update(expires_at=timezone.now() - timedelta(seconds=5))
    employee_client.get(f"/api/v1/events/{shop.event.pk}/availability/")  # lazy expiry runs
    r = pay(employee_client, late["id"], "cash", "25.00")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "booking_expired")

    fresh = booked(employee_client, shop, shop.seats[2:3])
    for body, field in (
        ({"method": "cash", "amount": "-1", "currency": "EUR"}, "amount"),
        ({"method": "cheque", "amount": "1", "currency": "EUR"}, "method"),
        ({"method": "cash", "amount": "1.001", "currency": "EUR"}, "amount"),
        ({"method": "cash", "amount": "1", "currency": "EUR", "id": "x"}, "id"),
    ):
        r = employee_client.post(
            f"/api/v1/bookings/{fresh['id']}/payments/",
            {"id": str(uuid.uuid4()), **body},
            format="json",
        )
        assert r.status_code == 400 and field in r.json()["error"]["details"], r.content
    r = pay(employee_client, fresh["id"], "card", "25.00")
    assert (r.status_code, r.json()["error"]["code"]) == (400, "payment_intent_required")
    r = employee_client.post(
        f"/api/v1/bookings/{fresh['id']}/payments/",
        {"id": str(uuid.uuid4()), "method": "cash", "amount": "25.00", "currency": "USD"},
        format="json",
    )
    assert (r.status_code, r.json()["error"]["code"]) == (400, "currency_mismatch")


def test_customers_cannot_take_counter_payments(customer_client, anon_client, shop):
    booking = booked(customer_client, shop, shop.seats[:1])
    r = pay(customer_client, booking["id"], "cash", "25.00")
    assert r.status_code == 403
    assert pay(anon_client, booking["id"], "cash", "25.00").status_code == 401
    assert customer_client.get(f"/api/v1/bookings/{booking['id']}/").json()["state"] == "pending"


def test_gateway_unreachable_is_a_clear_503(employee_client, shop, settings):
    settings.ENTURF_GATEWAY_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    booking = booked(employee_client, shop, shop.seats[:1])
    r = pay(employee_client, booking["id"], "card", "25.00", payment_intent="pi_123")
    assert r.status_code == 503, r.content
    assert r.json()["error"]["code"] == "gateway_unreachable"


def test_online_payment_in_progress_keeps_the_seats_and_a_late_payment_is_refunded(
    customer_client, shop, gateway
):
    from datetime import timedelta

    from django.utils import timezone
    from support.billing_fixtures import secret_client

    from enturf_server.billing.models import Payment, Refund
    from enturf_server.sales.models import Booking
    from enturf_server.sales.services import release_expired

    booking = booked(customer_client, shop, shop.seats[:1])
    Booking.objects.filter(pk=booking["id"]).update(
        expires_at=timezone.now() + timedelta(seconds=2)
    )
    started = customer_client.post(f"/api/v1/bookings/{booking['id']}/pay/")
    assert started.status_code == 200, started.content
    kept_until = Booking.objects.get(pk=booking["id"]).expires_at
    assert kept_until >= timezone.now() + timedelta(minutes=14)
    release_expired(event=shop.event)
    assert Booking.objects.get(pk=booking["id"]).state == "pending"
    assert seat_status(shop, shop.seats[0]) == "sold"

    # the payment window passes without payment: the booking expires, its seat is free
    Booking.objects.filter(pk=booking["id"]).update(expires_at=timezone.now())
    release_expired(event=shop.event)
    assert Booking.objects.get(pk=booking["id"]).state == "expired"
    assert seat_status(shop, shop.seats[0]) == "available"

    # ...and then the customer's card goes through: the money goes back automatically
    intent_id = started.json()["payment_intent"]
    client = secret_client(gateway)
    client.confirm_payment_intent(intent_id, "late-test", payment_method="pm_card_visa")
    r = customer_client.post(f"/api/v1/bookings/{booking['id']}/pay/refresh/")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "expired"
    payment = Payment.objects.get(payment_intent=intent_id)
    assert payment.state == "refunded"
    refund = Refund.objects.get(booking_id=booking["id"])
    assert (refund.state, refund.amount, refund.lines.count()) == ("succeeded", payment.amount, 0)
    charge = client.retrieve_payment_intent(intent_id)["latest_charge"]
    assert charge["amount_refunded"] == 2500


@pytest.mark.parametrize("cash", ["25.00", "10.00"])
def test_cash_taken_while_the_online_checkout_is_open_gives_the_extra_back(
    customer_client, employee_client, shop, gateway, cash
):
    """The box office takes cash (all, or part) while the customer's checkout is open;
    the card then goes through: what the booking did not need goes back to the card at
    once, as a Refund without lines, audited; the booking stays paid."""
    from support.billing_fixtures import secret_client

    from enturf_server.billing.models import Payment, Refund
    from enturf_server.invoicing.models import Invoice

    booking = booked(customer_client, shop, shop.seats[:1])  # 25.00
    started = customer_client.post(f"/api/v1/bookings/{booking['id']}/pay/").json()
    r = pay(employee_client, booking["id"], "cash", cash)
    assert r.status_code == 201, r.content

    secret_client(gateway).confirm_payment_intent(
        started["payment_intent"], "browser", payment_method="pm_card_visa"
    )
    r = customer_client.post(f"/api/v1/bookings/{booking['id']}/pay/refresh/")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "paid"

    extra = Decimal(cash)  # the card paid 25.00; the cash made that much of it extra
    online = Payment.objects.get(payment_intent=started["payment_intent"])
    assert online.refunded_amount == extra
    assert online.state == ("refunded" if extra == online.amount else "partially_refunded")
    refund = Refund.objects.get(booking_id=booking["id"])
    assert (refund.state, refund.amount, refund.method, refund.lines.count()) == (
        "succeeded",
        extra,
        "card",
        0,
    )
    assert [p.payment_id for p in refund.parts.all()] == [online.pk]
    assert charged_minor(gateway, booking["id"]) + int(Decimal(cash) * 100) == 2500
    assert [a.details["amount"] for a in _audit("payment.extra")] == [str(extra)]
    assert [a.details["automatic"] for a in _audit("refund")] == [True]
    # still paid, one invoice and no credit note: the extra was never part of the sale
    detail = employee_client.get(f"/api/v1/bookings/{booking['id']}/").json()
    assert detail["state"] == "paid"
    kinds = list(Invoice.objects.filter(booking_id=booking["id"]).values_list("kind", flat=True))
    assert kinds == ["invoice"]

    # a second look changes nothing: refunded once
    r = customer_client.post(f"/api/v1/bookings/{booking['id']}/pay/refresh/")
    assert r.status_code == 200 and Refund.objects.filter(booking_id=booking["id"]).count() == 1


def test_an_automatic_refund_the_gateway_refused_is_tried_again_on_the_next_look(
    customer_client, employee_client, shop, gateway
):
    from support.billing_fixtures import secret_client

    from enturf_server.billing.models import Payment, Refund

    booking = booked(customer_client, shop, shop.seats[:1])  # 25.00
    started = customer_client.post(f"/api/v1/bookings/{booking['id']}/pay/").json()
    assert pay(employee_client, booking["id"], "cash", "25.00").status_code == 201
    secret_client(gateway).confirm_payment_intent(
        started["payment_intent"], "browser", payment_method="pm_card_visa"
    )
    gateway.add_fault("error", count=3, path="/v1/refunds")  # the server's client tries 3 times
    r = customer_client.post(f"/api/v1/bookings/{booking['id']}/pay/refresh/")
    assert r.status_code == 200 and r.json()["state"] == "paid", r.content
    refund = Refund.objects.get(booking_id=booking["id"])
    assert refund.state == "failed" and refund.failure_message  # visible to staff
    assert Payment.objects.get(payment_intent=started["payment_intent"]).state == "succeeded"
    assert charged_minor(gateway, booking["id"]) == 2500

    gateway.clear_faults()
    r = customer_client.post(f"/api/v1/bookings/{booking['id']}/pay/refresh/")
    assert r.status_code == 200, r.content
    refund.refresh_from_db()
    assert (refund.state, refund.amount) == ("succeeded", Decimal("25.00"))
    assert Payment.objects.get(payment_intent=started["payment_intent"]).state == "refunded"
    assert charged_minor(gateway, booking["id"]) == 0
    assert Refund.objects.filter(booking_id=booking["id"]).count() == 1
