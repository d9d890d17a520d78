"""Vouchers in bulk (`POST /api/v1/vouchers/bulk/`): up to 500 unguessable codes with one
voucher's rules, in a batch found again by `?batch=` and exported as CSV; each voucher's
redemptions; and who may do it."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from support.billing_fixtures import booked, pay

pytestmark = pytest.mark.django_db
BULK = "/api/v1/vouchers/bulk/"


def _bulk(client, **body):
    r = client.post(BULK, {"kind": "percent", "percent": "10", **body}, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_five_hundred_codes_with_one_vouchers_rules_in_a_batch(admin_client, shop):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.billing.models import Voucher

    until = timezone.now() + timedelta(days=30)
    made = _bulk(
        admin_client,
        count=500,
        prefix="gala-",
        kind="fixed",
        amount="5.00",
        currency="eur",
        max_uses=1,
        valid_until=until.isoformat(),
        events=[shop.event.pk],
        tickets=[shop.tickets["premium"].pk],
    )
    codes = made["codes"]
    assert made["count"] == 500 and len(set(c.upper() for c in codes)) == 500
    assert all(re.fullmatch(r"GALA-[2-9A-HJKMNP-Z]{12}", c) for c in codes), codes[:3]
    batch = made["batch"]
    assert batch.startswith("GALA-")
    vouchers = Voucher.objects.filter(batch=batch)
    assert vouchers.count() == 500
    assert set(vouchers.values_list("kind", "amount", "currency", "max_uses")) == {
        ("fixed", Decimal("5.00"), "EUR", 1)
    }
    assert {tuple(v.events.values_list("pk", flat=True)) for v in vouchers[:20]} == {
        (shop.event.pk,)
    }
    [entry] = AuditEntry.objects.filter(action="voucher.bulk_create", details__batch=batch)
    assert entry.details["count"] == 500 and sorted(entry.details["codes"]) == sorted(codes)

    page = admin_client.get("/api/v1/vouchers/", {"batch": batch, "page_size": 500}).json()
    assert page["count"] == 500
    assert {v["code"] for v in page["results"]} == set(codes)
    assert {v["batch"] for v in page["results"]} == {batch}
    assert {v["used"] for v in page["results"]} == {0}

    r = admin_client.get("/api/v1/vouchers/export/", {"batch": batch})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert f'filename="{batch}.csv"' in r["Content-Disposition"]
    rows = _csv(r)
    assert sorted(row["code"] for row in rows) == sorted(codes)
    assert {(row["kind"], row["amount"], row["currency"], row["batch"]) for row in rows} == {
        ("fixed", "5.00", "EUR", batch)
    }
    assert {row["events"] for row in rows} == {str(shop.event.pk)}

    assert (
        {v["valid_until"] for v in page["results"]} == {page["results"][0]["valid_until"]} != {None}
    )


def test_the_list_filters_by_code_event_and_batch(admin_client, shop):
    tag = f"T{uuid.uuid4().hex[:8]}"
    made = _bulk(admin_client, count=3, batch=tag, events=[shop.event.pk])
    _bulk(admin_client, count=2)
    assert admin_client.get("/api/v1/vouchers/", {"batch": tag}).json()["count"] == 3
    one = made["codes"][1]
    found = admin_client.get("/api/v1/vouchers/", {"code": one[-6:].lower()}).json()
    assert [v["code"] for v in found["results"]] == [one]
    by_event = admin_client.get("/api/v1/vouchers/", {"event": shop.event.pk}).json()
    assert {v["code"] for v in by_event["results"]} >= set(made["codes"])
    assert by_event["count"] == 3
    r = admin_client.post(
        BULK, {"count": 1, "batch": tag, "kind": "percent", "percent": "5"}, format="json"
    )
    assert (r.status_code, r.json()["error"]["code"]) == (409, "voucher_batch_taken")


@pytest.mark.parametrize(
    "body",
    [
        {"count": 0},
        {"count": 501},
        {"count": "many"},
        {"count": 2, "percent": "150"},
        {"count": 2, "kind": "fixed", "percent": None, "amount": "5.00"},  # no currency
        {"count": 2, "kind": "gift"},
        {"count": 2, "prefix": "bad prefix!"},
        {"count": 2, "prefix": "x" * 17},
        {"count": 2, "batch": "a b"},
        {"count": 2, "events": [2**40]},
        {"count": 2, "events": [999999]},
        {"count": 2, "valid_from": "2030-01-02T00:00:00Z", "valid_until": "2030-01-01T00:00:00Z"},
        {"count": 2, "max_uses": 0},
    ],
)
def test_bad_bulk_input_is_refused_with_a_reason_and_nothing_made(admin_client, body):
    from enturf_server.billing.models import Voucher

    before = Voucher.objects.count()
    r = admin_client.post(BULK, {"kind": "percent", "percent": "10", **body}, format="json")
    assert 400 <= r.status_code < 500, (body, r.content)
    assert r.json()["error"]["message"]
    assert Voucher.objects.count() == before


def test_too_many_links_are_refused_before_anything_is_made(admin_client, shop):
    from enturf_server.billing.models import Voucher
    from enturf_server.catalog.models import Ticket

    ticket = shop.tickets["standard"]
    extra = Ticket.objects.bulk_create(
        [
            Ticket(
                event=shop.event,
                name=f"T{n}",
                price=ticket.price,
                tax_rate=ticket.tax_rate,
                category=ticket.category,
            )
            for n in range(110)
        ]
    )
    before = Voucher.objects.count()
    r = admin_client.post(
        BULK,
        {"count": 500, "kind": "percent", "percent": "5", "tickets": [t.pk for t in extra]},
        format="json",
    )
    assert (r.status_code, r.json()["error"]["code"]) == (400, "too_many_links"), r.content
    assert Voucher.objects.count() == before


def test_only_holders_of_manage_vouchers(
    employee_client, customer_client, anon_client, client_for, make_user
):
    manager = client_for(make_user("manny", "manager"))
    assert (
        manager.post(
            BULK, {"count": 1, "kind": "percent", "percent": "5"}, format="json"
        ).status_code
        == 201
    )
    for client in (employee_client, customer_client):
        assert (
            client.post(
                BULK, {"count": 1, "kind": "percent", "percent": "5"}, format="json"
            ).status_code
            == 403
        )
        assert client.get("/api/v1/vouchers/export/").status_code == 403
        assert client.get("/api/v1/vouchers/1/redemptions/").status_code == 403
    assert anon_client.post(BULK, {"count": 1}, format="json").status_code == 401


def test_a_vouchers_redemptions(admin_client, employee_client, customer_client, shop):
    made = _bulk(admin_client, count=1, max_uses=5)
    code = made["codes"][0]
    voucher_id = made["ids"][0]
    online = booked(customer_client, shop, shop.seats[:2], voucher=code.lower())
    counter = booked(employee_client, shop, shop.seats[2:3], voucher=code)
    assert pay(employee_client, counter["id"], "cash", counter["total"]).json()["state"] == "paid"
    r = admin_client.get(f"/api/v1/vouchers/{voucher_id}/redemptions/")
    assert r.status_code == 200, r.content
    rows = r.json()["results"]
    assert [(x["booking"], x["booking_code"]) for x in rows] == [
        (counter["id"], counter["code"]),
        (online["id"], online["code"]),
    ]
    assert [x["discount"] for x in rows] == ["2.50", "5.00"]
    assert {x["state"] for x in rows} == {"paid", "pending"}
    assert all(x["at"] and x["currency"] == "EUR" and x["channel"] for x in rows)
    assert admin_client.get(f"/api/v1/vouchers/{voucher_id}/").json()["used"] == 2
    assert admin_client.get("/api/v1/vouchers/999999/redemptions/").status_code == 404
