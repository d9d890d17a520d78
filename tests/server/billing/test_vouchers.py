"""Vouchers: the admin API, applying a code to a booking, uses returned by cancellation and
expiry, and the last use contended by concurrent bookings (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from support.billing_fixtures import book, booked
from support.databases import requires_postgres


def _voucher(client, **fields):
    body = {"code": "SPRING", "kind": "percent", "percent": "10", **fields}
    r = client.post("/api/v1/vouchers/", body, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def _used(client, voucher):
    return client.get(f"/api/v1/vouchers/{voucher['id']}/").json()["used"]


@pytest.mark.django_db
def test_voucher_admin_api(admin_client, employee_client, customer_client, shop):
    created = _voucher(
        admin_client,
        code="Gala5",
        kind="fixed",
        amount="5.00",
        currency="eur",
        max_uses=2,
        events=[shop.event.pk],
        tickets=[shop.tickets["premium"].pk],
    )
    assert (created["code"], created["currency"], created["used"]) == ("Gala5", "EUR", 0)
    assert created["events"] == [shop.event.pk]
    r = admin_client.post(
        "/api/v1/vouchers/", {"code": "gala5", "kind": "percent", "percent": "5"}, format="json"
    )
    assert (r.status_code, r.json()["error"]["code"]) == (409, "voucher_code_taken")
    for bad in (
        {"code": "X1", "kind": "percent", "percent": "150"},
        {"code": "X2", "kind": "percent"},
        {"code": "X3", "kind": "fixed", "amount": "5.00"},
        {"code": "X4", "kind": "gift"},
        {"code": "X5", "kind": "percent", "percent": "5", "events": [999999]},
    ):
        r = admin_client.post("/api/v1/vouchers/", bad, format="json")
        assert r.status_code in (400, 404), (bad, r.content)

    for n in range(3):
        _voucher(admin_client, code=f"BULK{n}")
    page = admin_client.get("/api/v1/vouchers/", {"page_size": 2}).json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]

    r = admin_client.patch(
        f"/api/v1/vouchers/{created['id']}/", {"active": False, "max_uses": 5}, format="json"
    )
    assert r.status_code == 200 and (r.json()["active"], r.json()["max_uses"]) == (False, 5)
    assert admin_client.delete(f"/api/v1/vouchers/{created['id']}/").status_code == 204
    assert admin_client.get(f"/api/v1/vouchers/{created['id']}/").status_code == 404

    for client, expected in ((employee_client, 403), (customer_client, 403)):
        assert client.get("/api/v1/vouchers/").status_code == expected
        r = client.post("/api/v1/vouchers/", {"code": "Z", "kind": "percent", "percent": "5"})
        assert r.status_code == expected


@pytest.mark.django_db
def test_voucher_applied_and_refused_with_reasons(admin_client, customer_client, shop):
    from enturf_server.billing.models import VoucherRedemption
    from enturf_server.sales.models import BookingLine

    voucher = _voucher(admin_client, code="Spring", max_uses=1)
    booking = booked(customer_client, shop, shop.seats[:2], voucher="  spring ")
    assert booking["total"] == "45.00"
    discounts = BookingLine.objects.filter(booking_id=booking["id"]).values_list(
        "discount", flat=True
    )
    assert sorted(discounts) == [Decimal("2.50"), Decimal("2.50")]
    assert VoucherRedemption.objects.get(booking_id=booking["id"]).discount == Decimal("5.00")
    assert _used(admin_client, voucher) == 1

    r = book(customer_client, shop, shop.seats[2:3], voucher="SPRING")
    assert (r.status_code, r.json()["error"]["code"]) == (400, "voucher_used_up")
    assert "used up" in r.json()["error"]["message"]
    r = book(customer_client, shop, shop.seats[2:3], voucher="NOPE")
    assert (r.status_code, r.json()["error"]["code"]) == (400, "voucher_invalid")

    past = timezone.now() - timedelta(days=1)
    _voucher(admin_client, code="OLD", valid_until=past.isoformat())
    r = book(customer_client, shop, shop.seats[2:3], voucher="old")
    assert (r.status_code, r.json()["error"]["code"]) == (400, "voucher_expired")
    _voucher(
        admin_client, code="LATER", valid_from=(timezone.now() + timedelta(days=1)).isoformat()
    )
    r = book(customer_client, shop, shop.seats[2:3], voucher="later")
    assert r.json()["error"]["code"] == "voucher_not_yet_valid"
    _voucher(admin_client, code="PREMIUMONLY", tickets=[shop.tickets["premium"].pk])
    r = book(customer_client, shop, shop.seats[2:3], voucher="premiumonly")
    assert (r.status_code, r.json()["error"]["code"]) == (400, "voucher_not_applicable")
    _voucher(admin_client, code="OFF", active=False)
    assert book(customer_client, shop, shop.seats[2:3], voucher="off").status_code == 400
    # a refused booking changed nothing: the seat is still free
    assert book(customer_client, shop, shop.seats[2:3]).status_code == 201


@pytest.mark.django_db
def test_cancellation_and_expiry_return_the_use(admin_client, customer_client, shop):
    from enturf_server.sales.models import Booking

    voucher = _voucher(admin_client, code="ONCE", max_uses=1)
    first = booked(customer_client, shop, shop.seats[:1], voucher="once")
    assert _used(admin_client, voucher) == 1
    r = customer_client.post(f"/api/v1/bookings/{first['id']}/cancel/")
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    assert _used(admin_client, voucher) == 0

    second = booked(customer_client, shop, shop.seats[1:2], voucher="once")
    Booking.objects.filter(pk=second["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _used(admin_client, voucher) == 0  # expired counts as returned, even before clean-up
    third = booked(customer_client, shop, shop.seats[2:3], voucher="once")
    assert third["total"] == "22.50"


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_use_taken_once_by_eight_concurrent_bookings(make_user, shop):
    from django.db import connection

    from enturf_server.api.errors import ServiceError
    from enturf_server.billing.models import Voucher, VoucherRedemption
    from enturf_server.sales.services import LineRequest, create_booking

    voucher = Voucher.objects.create(code="LAST", kind="percent", percent=Decimal("50"), max_uses=3)
    customer = make_user("racer", "customer")
    for n in range(2):  # two of three uses taken already
        create_booking(
            actor=customer,
            event=shop.event,
            lines=[LineRequest(ticket=shop.tickets["standard"].pk, seat=shop.seats[n])],
            voucher="last",
        )

    barrier = threading.Barrier(8)
    won, refused, errors = [], [], []

    def attempt(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            booking, _ = create_booking(
                actor=customer,
                event=shop.event,
                lines=[LineRequest(ticket=shop.tickets["standard"].pk, seat=shop.seats[10 + n])],
                voucher="LAST",
            )
            won.append(booking.pk)
        except ServiceError as exc:
            refused.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(won) == 1 and refused == ["voucher_used_up"] * 7
    assert VoucherRedemption.objects.filter(voucher=voucher).count() == 3


@pytest.mark.django_db
def test_counter_voucher_check_prices_without_redeeming(admin_client, employee_client, shop):
    voucher = _voucher(admin_client, code="CHECK10")
    ticket = shop.tickets["premium"].pk
    r = employee_client.post(
        "/api/v1/vouchers/check/",
        {"code": "check10", "event": shop.event.pk, "tickets": [ticket]},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["voucher"]["percent"] == "10.00"
    assert _used(admin_client, voucher) == 0
    r = employee_client.post(
        "/api/v1/vouchers/check/",
        {"code": "NOSUCH", "event": shop.event.pk, "tickets": [ticket]},
        format="json",
    )
    assert r.status_code == 400 and r.json()["error"]["message"], r.content
    r = employee_client.post(
        "/api/v1/vouchers/check/",
        {"code": "CHECK10", "event": 2**31, "tickets": [ticket]},
        format="json",
    )
    assert (r.status_code, r.json()["error"]["code"]) == (400, "invalid"), r.content
    r = employee_client.post(
        "/api/v1/vouchers/check/",
        {"code": "CHECK10", "event": 999999, "tickets": [ticket]},
        format="json",
    )
    assert r.status_code == 404, r.content
