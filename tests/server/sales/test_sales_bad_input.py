"""Bad input to the sales API: every case is a 4xx in the one error shape, never a 500,
and a refused request changes nothing."""

from __future__ import annotations

import pytest
from support.factories import sales_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(db):
    return sales_setup(), sales_setup(name="Other")


def _ids(shops):
    shop, other = shops
    return {
        "event": shop.event.pk,
        "seat": shop.seats[0],
        "seat2": shop.seats[1],
        "premium_seat": shop.seats_by_category["premium"][0],
        "other_seat": other.seats[0],
        "area": shop.areas["Floor"],
        "other_area": other.areas["Floor"],
        "standard": shop.tickets["standard"].pk,
        "floor": shop.tickets["floor"].pk,
        "other_ticket": other.tickets["standard"].pk,
    }


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("$"):
        return ids[value[1:]]
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


HOLD_CASES = [
    ("empty body", {}, 400),
    ("event as text", {"event": "abc", "seats": ["$seat"]}, 400),
    ("event null", {"event": None, "seats": ["$seat"]}, 400),
    ("unknown event", {"event": 999999, "seats": ["$seat"]}, 400),
    ("huge event id", {"event": 2**40, "seats": ["$seat"]}, 400),
    ("seats not a list", {"event": "$event", "seats": "$seat"}, 400),
    ("seat as text", {"event": "$event", "seats": ["x"]}, 400),
    ("seat null", {"event": "$event", "seats": [None]}, 400),
    ("negative seat", {"event": "$event", "seats": [-1]}, 400),
    ("seat of another event", {"event": "$event", "seats": ["$other_seat"]}, 400),
    ("duplicate seat", {"event": "$event", "seats": ["$seat", "$seat"]}, 400),
    ("too many seats", {"event": "$event", "seats": list(range(1, 102))}, 400),
    ("nothing held", {"event": "$event"}, 400),
    ("negative quantity", {"event": "$event", "areas": [{"area": "$area", "quantity": -1}]}, 400),
    ("zero quantity", {"event": "$event", "areas": [{"area": "$area", "quantity": 0}]}, 400),
    ("quantity as text", {"event": "$event", "areas": [{"area": "$area", "quantity": "two"}]}, 400),
    (
        "area of another event",
        {"event": "$event", "areas": [{"area": "$other_area", "quantity": 1}]},
        400,
    ),
    (
        "area twice",
        {
            "event": "$event",
            "areas": [{"area": "$area", "quantity": 1}, {"area": "$area", "quantity": 1}],
        },
        400,
    ),
    ("areas not objects", {"event": "$event", "areas": [5]}, 400),
    ("body a list", ["$seat"], 400),
]

BOOKING_CASES = [
    ("no lines", {"event": "$event", "lines": []}, 400),
    ("neither hold nor event", {"lines": [{"seat": "$seat", "ticket": "$standard"}]}, 400),
    ("ticket as text", {"event": "$event", "lines": [{"seat": "$seat", "ticket": "x"}]}, 400),
    ("no ticket", {"event": "$event", "lines": [{"seat": "$seat"}]}, 400),
    (
        "ticket of another event",
        {"event": "$event", "lines": [{"seat": "$seat", "ticket": "$other_ticket"}]},
        400,
    ),
    (
        "GA ticket for a seat",
        {"event": "$event", "lines": [{"seat": "$seat", "ticket": "$floor"}]},
        400,
    ),
    (
        "seat ticket without seat",
        {"event": "$event", "lines": [{"ticket": "$standard", "quantity": 2}]},
        400,
    ),
    (
        "wrong seat category",
        {"event": "$event", "lines": [{"seat": "$premium_seat", "ticket": "$standard"}]},
        400,
    ),
    (
        "seat of another event",
        {"event": "$event", "lines": [{"seat": "$other_seat", "ticket": "$standard"}]},
        400,
    ),
    (
        "duplicate seat",
        {
            "event": "$event",
            "lines": [
                {"seat": "$seat", "ticket": "$standard"},
                {"seat": "$seat", "ticket": "$standard"},
            ],
        },
        400,
    ),
    (
        "negative quantity",
        {"event": "$event", "lines": [{"ticket": "$floor", "quantity": -2}]},
        400,
    ),
    (
        "quantity as text",
        {"event": "$event", "lines": [{"ticket": "$floor", "quantity": "many"}]},
        400,
    ),
    ("quantity null", {"event": "$event", "lines": [{"ticket": "$floor", "quantity": None}]}, 400),
    (
        "quantity too large",
        {"event": "$event", "lines": [{"ticket": "$floor", "quantity": 1000}]},
        400,
    ),
    (
        "seat with quantity 2",
        {"event": "$event", "lines": [{"seat": "$seat", "ticket": "$standard", "quantity": 2}]},
        400,
    ),
    (
        "more than the ticket allows",
        {"event": "$event", "lines": [{"seat": s, "ticket": "$standard"} for s in range(1, 12)]},
        400,
    ),
    (
        "malformed id",
        {
            "id": "not-a-uuid",
            "event": "$event",
            "lines": [{"seat": "$seat", "ticket": "$standard"}],
        },
        400,
    ),
    ("malformed hold", {"hold": "nope"}, 400),
    ("unknown hold", {"hold": "00000000-0000-4000-8000-000000000000"}, 404),
    (
        "bad e-mail",
        {
            "event": "$event",
            "buyer_email": "x",
            "lines": [{"seat": "$seat", "ticket": "$standard"}],
        },
        400,
    ),
    ("lines not a list", {"event": "$event", "lines": {"seat": "$seat"}}, 400),
    ("line not an object", {"event": "$event", "lines": ["$seat"]}, 400),
    (
        "GA beyond capacity",
        {"event": "$event", "lines": [{"ticket": "$floor", "quantity": 51}]},
        409,
    ),
]


@pytest.mark.parametrize(("case", "body", "status"), HOLD_CASES, ids=[c[0] for c in HOLD_CASES])
def test_hold_bad_input(customer_client, shops, case, body, status):
    from enturf_server.sales.models import Hold, SeatInventory

    r = customer_client.post("/api/v1/holds/", _fill(body, _ids(shops)), format="json")
    assert r.status_code == status, r.content
    assert set(r.json()["error"]) == {"code", "message", "details"}
    assert r.json()["error"]["message"]
    assert not Hold.objects.exists()
    assert not SeatInventory.objects.exclude(status="available").exists()


@pytest.mark.parametrize(
    ("case", "body", "status"), BOOKING_CASES, ids=[c[0] for c in BOOKING_CASES]
)
def test_booking_bad_input(customer_client, shops, case, body, status):
    from enturf_server.sales.models import Booking, SeatInventory

    ids = _ids(shops)
    if case == "more than the ticket allows":  # eleven standard seats, the ticket allows ten
        body = {
            "event": "$event",
            "lines": [
                {"seat": s, "ticket": "$standard"}
                for s in shops[0].seats_by_category["standard"][:11]
            ],
        }
    r = customer_client.post("/api/v1/bookings/", _fill(body, ids), format="json")
    assert r.status_code == status, r.content
    assert set(r.json()["error"]) == {"code", "message", "details"}
    assert not Booking.objects.exists()
    assert not SeatInventory.objects.exclude(status="available").exists()


HOLD_PATCH_CASES = [
    ("nothing to change", {}, 400),
    ("add_seats as text", {"add_seats": "abc"}, 400),
    ("extend maybe", {"extend": "maybe"}, 400),
    ("add and remove one seat", {"add_seats": ["$seat2"], "remove_seats": ["$seat2"]}, 400),
    ("unknown seat", {"add_seats": ["$other_seat"]}, 400),
    ("negative area quantity", {"areas": [{"area": "$area", "quantity": -1}]}, 400),
]


@pytest.mark.parametrize(
    ("case", "body", "status"), HOLD_PATCH_CASES, ids=[c[0] for c in HOLD_PATCH_CASES]
)
def test_hold_change_bad_input(customer_client, shops, case, body, status):
    ids = _ids(shops)
    hold = customer_client.post(
        "/api/v1/holds/", {"event": ids["event"], "seats": [ids["seat"]]}, format="json"
    ).json()
    r = customer_client.patch(f"/api/v1/holds/{hold['id']}/", _fill(body, ids), format="json")
    assert r.status_code == status, r.content
    assert set(r.json()["error"]) == {"code", "message", "details"}
    assert customer_client.get(f"/api/v1/holds/{hold['id']}/").json()["seats"] == [ids["seat"]]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/events/{event}/availability/?since=abc", 400),
        ("/api/v1/events/{event}/availability/?since=-1", 400),
        ("/api/v1/events/999999/availability/", 404),
        ("/api/v1/bookings/?event=abc", 400),
        ("/api/v1/bookings/?state=bogus", 400),
        ("/api/v1/bookings/not-a-uuid/", 404),
        ("/api/v1/bookings/00000000-0000-4000-8000-000000000000/", 404),
        ("/api/v1/holds/not-a-uuid/", 404),
        ("/api/v1/holds/00000000-0000-4000-8000-000000000000/", 404),
    ],
)
def test_bad_reads(customer_client, shops, path, status):
    r = customer_client.get(path.format(event=shops[0].event.pk))
    assert r.status_code == status, r.content
    assert set(r.json()["error"]) == {"code", "message", "details"}


def test_malformed_json_is_a_400(customer_client, shops):
    r = customer_client.generic(
        "POST", "/api/v1/bookings/", "{not json", content_type="application/json"
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "parse_error"
