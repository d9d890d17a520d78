"""Sales flow through the API: availability, holds, bookings, cancel, lazy expiry, replay."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from support.factories import sales_setup

pytestmark = pytest.mark.django_db


def _availability(client, event, **params):
    r = client.get(f"/api/v1/events/{event.pk}/availability/", params)
    assert r.status_code == 200, r.content
    return r.json()


def _statuses(body) -> dict[int, str]:
    return {s["id"]: s["status"] for s in body["seats"]}


def _hold(client, event, seats=(), areas=()):
    return client.post(
        "/api/v1/holds/",
        {"event": event.pk, "seats": list(seats), "areas": list(areas)},
        format="json",
    )


def _book(client, event, lines, **extra):
    return client.post(
        "/api/v1/bookings/", {"event": event.pk, "lines": lines, **extra}, format="json"
    )


def _seat_lines(shop, seats, ticket="standard"):
    return [{"seat": s, "ticket": shop.tickets[ticket].pk} for s in seats]


def _expire_hold(hold_id):
    from enturf_server.sales.models import Hold, SeatInventory

    past = timezone.now() - timedelta(seconds=1)
    Hold.objects.filter(pk=hold_id).update(expires_at=past)
    SeatInventory.objects.filter(hold_id=hold_id).update(held_until=past)


# -- availability ------------------------------------------------------------------------------


def test_availability_lists_seats_areas_and_tickets(anon_client, shop):
    body = _availability(anon_client, shop.event)
    assert body["event"] == shop.event.pk
    assert len(body["seats"]) == len(shop.seats) == 60
    first = next(s for s in body["seats"] if s["id"] == shop.seats[0])
    assert first == {
        "id": shop.seats[0],
        "label": "1",
        "section": "S1",
        "row": "R1",
        "x": 0.0,
        "y": 0.0,
        "category": "standard",
        "flags": ["accessible"],
        "status": "available",
    }
    assert body["areas"] == [
        {"id": shop.areas["Floor"], "name": "Floor", "capacity": 50, "remaining": 50}
    ]
    assert {t["name"]: t["price"] for t in body["tickets"]} == {
        "Standard": "25.00",
        "Premium": "49.90",
        "Floor": "19.99",
    }


def test_availability_since_returns_only_what_changed(anon_client, customer_client, shop):
    v0 = _availability(anon_client, shop.event)["version"]
    assert _hold(customer_client, shop.event, shop.seats[:2]).status_code == 201
    changed = _availability(anon_client, shop.event, since=v0)
    assert changed["version"] > v0
    assert _statuses(changed) == {shop.seats[0]: "held", shop.seats[1]: "held"}
    assert changed["areas"] == []

    r = _book(customer_client, shop.event, [{"ticket": shop.tickets["floor"].pk, "quantity": 3}])
    assert r.status_code == 201, r.content
    later = _availability(anon_client, shop.event, since=changed["version"])
    assert later["seats"] == []
    assert later["areas"] == [
        {"id": shop.areas["Floor"], "name": "Floor", "capacity": 50, "remaining": 47}
    ]
    nothing = _availability(anon_client, shop.event, since=later["version"])
    assert (nothing["seats"], nothing["areas"], nothing["version"]) == ([], [], later["version"])


def test_draft_event_availability_is_staff_only(anon_client, employee_client):
    shop = sales_setup(state="draft")
    assert anon_client.get(f"/api/v1/events/{shop.event.pk}/availability/").status_code == 404
    assert employee_client.get(f"/api/v1/events/{shop.event.pk}/availability/").status_code == 200


# -- holds -------------------------------------------------------------------------------------


def test_hold_blocks_others_until_released(customer_client, other_customer_client, shop):
    r = _hold(
        customer_client, shop.event, shop.seats[:2], [{"area": shop.areas["Floor"], "quantity": 2}]
    )
    assert r.status_code == 201, r.content
    hold = r.json()
    assert hold["state"] == "active"
    assert hold["seats"] == shop.seats[:2]
    assert hold["areas"] == [{"area": shop.areas["Floor"], "quantity": 2}]

    r = _hold(other_customer_client, shop.event, shop.seats[1:3])
    assert r.status_code == 409
    assert r.json()["error"]["details"]["unavailable_seats"] == [shop.seats[1]]
    # nothing of the refused request was applied
    assert _statuses(_availability(other_customer_client, shop.event))[shop.seats[2]] == "available"
    body = _availability(other_customer_client, shop.event)
    assert body["areas"][0]["remaining"] == 48

    r = _book(other_customer_client, shop.event, _seat_lines(shop, [shop.seats[0]]))
    assert r.status_code == 409
    assert r.json()["error"]["details"]["unavailable_seats"] == [shop.seats[0]]

    assert customer_client.delete(f"/api/v1/holds/{hold['id']}/").status_code == 204
    statuses = _statuses(_availability(customer_client, shop.event))
    assert statuses[shop.seats[0]] == statuses[shop.seats[1]] == "available"
    assert customer_client.get(f"/api/v1/holds/{hold['id']}/").json()["state"] == "released"
    assert customer_client.delete(f"/api/v1/holds/{hold['id']}/").status_code == 204
    assert _hold(other_customer_client, shop.event, shop.seats[:2]).status_code == 201


def test_hold_add_remove_seats_and_places(customer_client, other_customer_client, shop):
    hold = _hold(customer_client, shop.event, shop.seats[:2]).json()
    url = f"/api/v1/holds/{hold['id']}/"
    floor = shop.areas["Floor"]
    r = customer_client.patch(
        url,
        {
            "add_seats": [shop.seats[5]],
            "remove_seats": [shop.seats[0]],
            "areas": [{"area": floor, "quantity": 4}],
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["seats"] == [shop.seats[1], shop.seats[5]]
    assert r.json()["areas"] == [{"area": floor, "quantity": 4}]
    statuses = _statuses(_availability(customer_client, shop.event))
    assert statuses[shop.seats[0]] == "available"
    assert statuses[shop.seats[5]] == "held"

    other = _hold(other_customer_client, shop.event, [shop.seats[6]]).json()
    r = customer_client.patch(url, {"add_seats": [shop.seats[6], shop.seats[7]]}, format="json")
    assert r.status_code == 409
    assert r.json()["error"]["details"]["unavailable_seats"] == [shop.seats[6]]
    assert customer_client.get(url).json()["seats"] == [shop.seats[1], shop.seats[5]]

    r = customer_client.patch(url, {"areas": [{"area": floor, "quantity": 51}]}, format="json")
    assert r.status_code == 409
    assert r.json()["error"]["details"]["unavailable_areas"] == [
        {"area": floor, "requested": 51, "remaining": 50}
    ]
    r = customer_client.patch(url, {"areas": [{"area": floor, "quantity": 0}]}, format="json")
    assert r.json()["areas"] == []
    assert _availability(customer_client, shop.event)["areas"][0]["remaining"] == 50
    # another's hold: not theirs to change
    r = customer_client.patch(f"/api/v1/holds/{other['id']}/", {"extend": True}, format="json")
    assert r.status_code == 404


def test_hold_extension_is_capped(customer_client, shop):
    from django.db.models import F

    from enturf_server.accounts.models import SiteSettings
    from enturf_server.sales.models import Hold, SeatInventory

    SiteSettings.objects.update_or_create(
        pk=1, defaults={"hold_ttl_seconds": 600, "hold_max_seconds": 900}
    )
    hold = _hold(customer_client, shop.event, shop.seats[:1]).json()
    url = f"/api/v1/holds/{hold['id']}/"
    # 500 s into the hold: an extension may go to created + 900 s, not now + 600 s
    ago = timedelta(seconds=500)
    Hold.objects.filter(pk=hold["id"]).update(
        created_at=F("created_at") - ago, expires_at=F("expires_at") - ago
    )
    SeatInventory.objects.filter(hold_id=hold["id"]).update(held_until=F("held_until") - ago)
    created = Hold.objects.get(pk=hold["id"]).created_at
    r = customer_client.patch(url, {"extend": True}, format="json")
    assert r.status_code == 200, r.content
    expires = Hold.objects.get(pk=hold["id"]).expires_at
    assert expires == created + timedelta(seconds=900)
    assert r.json()["expires_at"].startswith(expires.isoformat()[:19])

    assert SeatInventory.objects.get(event=shop.event, seat_id=shop.seats[0]).held_until == expires
    r = customer_client.patch(url, {"extend": True}, format="json")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "hold_extension_limit"


def test_expired_hold_never_blocks_and_cannot_be_used(customer_client, other_customer_client, shop):
    hold = _hold(
        customer_client, shop.event, shop.seats[:2], [{"area": shop.areas["Floor"], "quantity": 50}]
    ).json()
    _expire_hold(hold["id"])
    # shown free before any clean-up, then taken by someone else
    r = _book(
        other_customer_client,
        shop.event,
        [*_seat_lines(shop, [shop.seats[0]]), {"ticket": shop.tickets["floor"].pk, "quantity": 50}],
    )
    assert r.status_code == 201, r.content
    url = f"/api/v1/holds/{hold['id']}/"
    assert customer_client.get(url).json()["state"] == "expired"
    r = customer_client.patch(url, {"extend": True}, format="json")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "hold_expired")
    r = customer_client.post("/api/v1/bookings/", {"hold": hold["id"]}, format="json")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "hold_expired")
    statuses = _statuses(_availability(customer_client, shop.event))
    assert statuses[shop.seats[0]] == "sold"
    assert statuses[shop.seats[1]] == "available"


def test_availability_cleans_expired_holds_into_the_since_feed(anon_client, customer_client, shop):
    hold = _hold(customer_client, shop.event, shop.seats[:2]).json()
    version = _availability(anon_client, shop.event)["version"]
    _expire_hold(hold["id"])
    body = _availability(anon_client, shop.event, since=version)
    assert _statuses(body) == {shop.seats[0]: "available", shop.seats[1]: "available"}
    assert customer_client.get(f"/api/v1/holds/{hold['id']}/").json()["state"] == "expired"


# -- bookings ----------------------------------------------------------------------------------


def test_book_from_hold_prices_on_the_server_and_consumes_the_hold(customer_client, shop):
    premium = shop.seats_by_category["premium"][0]
    hold = _hold(
        customer_client,
        shop.event,
        [shop.seats[0], premium],
        [{"area": shop.areas["Floor"], "quantity": 2}],
    ).json()
    r = customer_client.post(
        "/api/v1/bookings/",
        {"hold": hold["id"], "buyer_name": "Ada Lovelace", "buyer_email": "ada@example.org"},
        format="json",
    )
    assert r.status_code == 201, r.content
    booking = r.json()
    assert booking["state"] == "pending"
    assert booking["channel"] == "online"
    assert booking["owner"] == customer_client.user.pk
    assert len(booking["code"]) == 7
    lines = {(x["seat"], x["area"]): x for x in booking["lines"]}
    assert lines[(shop.seats[0], None)]["price"] == "25.00"
    assert lines[(shop.seats[0], None)]["tax_amount"] == "3.99"  # 25 * 19 / 119
    assert lines[(premium, None)]["tax_amount"] == "3.26"  # 49.90 * 7 / 107
    assert [x["tax_amount"] for x in booking["lines"] if x["area"]] == ["3.19", "3.19"]
    assert booking["total"] == "114.88"
    assert booking["tax_total"] == "13.63"

    assert customer_client.get(f"/api/v1/holds/{hold['id']}/").json()["state"] == "released"
    body = _availability(customer_client, shop.event)
    assert _statuses(body)[premium] == "sold"
    assert body["areas"][0]["remaining"] == 48
    r = customer_client.post("/api/v1/bookings/", {"hold": hold["id"]}, format="json")
    assert r.status_code == 409


def test_book_from_hold_with_lines_must_match_the_hold(customer_client, shop):
    hold = _hold(customer_client, shop.event, shop.seats[:2]).json()
    r = customer_client.post(
        "/api/v1/bookings/",
        {"hold": hold["id"], "lines": _seat_lines(shop, shop.seats[:1])},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["error"]["details"]["missing_seats"] == [shop.seats[1]]
    r = customer_client.post(
        "/api/v1/bookings/",
        {"hold": hold["id"], "lines": _seat_lines(shop, shop.seats[:2])},
        format="json",
    )
    assert r.status_code == 201, r.content


def test_direct_booking_is_all_or_nothing(customer_client, other_customer_client, shop):
    r = _book(customer_client, shop.event, _seat_lines(shop, shop.seats[:2]))
    assert r.status_code == 201, r.content
    r = _book(other_customer_client, shop.event, _seat_lines(shop, shop.seats[1:4]))
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "conflict"
    assert error["details"] == {"unavailable_seats": [shop.seats[1]]}
    statuses = _statuses(_availability(customer_client, shop.event))
    assert [statuses[s] for s in shop.seats[:4]] == ["sold", "sold", "available", "available"]


def test_ga_capacity_is_never_exceeded(customer_client, other_customer_client, shop):
    floor = shop.tickets["floor"].pk
    assert (
        _book(customer_client, shop.event, [{"ticket": floor, "quantity": 45}]).status_code == 201
    )
    assert (
        _hold(
            other_customer_client, shop.event, areas=[{"area": shop.areas["Floor"], "quantity": 5}]
        ).status_code
        == 201
    )
    r = _book(customer_client, shop.event, [{"ticket": floor, "quantity": 1}])
    assert r.status_code == 409
    assert r.json()["error"]["details"]["unavailable_areas"] == [
        {"area": shop.areas["Floor"], "requested": 1, "remaining": 0}
    ]


def test_cancel_frees_seats_and_is_idempotent(customer_client, other_customer_client, shop):
    booking = _book(
        customer_client,
        shop.event,
        [*_seat_lines(shop, shop.seats[:2]), {"ticket": shop.tickets["floor"].pk, "quantity": 5}],
    ).json()
    url = f"/api/v1/bookings/{booking['id']}/cancel/"
    assert other_customer_client.post(url).status_code == 404
    r = customer_client.post(url)
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "cancelled"
    assert {x["state"] for x in r.json()["lines"]} == {"cancelled"}
    assert customer_client.post(url).json()["state"] == "cancelled"
    body = _availability(customer_client, shop.event)
    assert _statuses(body)[shop.seats[0]] == "available"
    assert body["areas"][0]["remaining"] == 50
    assert (
        _book(other_customer_client, shop.event, _seat_lines(shop, shop.seats[:2])).status_code
        == 201
    )


def test_paid_booking_cannot_be_cancelled(customer_client, shop):
    from enturf_server.sales.models import Booking

    booking = _book(customer_client, shop.event, _seat_lines(shop, shop.seats[:1])).json()
    Booking.objects.filter(pk=booking["id"]).update(state="paid", paid_at=timezone.now())
    r = customer_client.post(f"/api/v1/bookings/{booking['id']}/cancel/")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "booking_paid")


def test_staff_counter_sale_and_audited_cancel(employee_client, customer_client, shop):
    from enturf_server.audit.models import AuditEntry

    r = _book(employee_client, shop.event, _seat_lines(shop, shop.seats[:1]), buyer_name="Walk-in")
    assert r.status_code == 201, r.content
    sale = r.json()
    assert (sale["channel"], sale["owner"], sale["created_by"]) == (
        "counter",
        None,
        employee_client.user.pk,
    )
    mine = _book(customer_client, shop.event, _seat_lines(shop, shop.seats[1:2])).json()
    assert employee_client.post(f"/api/v1/bookings/{mine['id']}/cancel/").status_code == 200
    entry = AuditEntry.objects.get(action="booking.cancel")
    assert (entry.actor_id, entry.object_id) == (employee_client.user.pk, mine["id"])


def test_expired_pending_booking_frees_its_seats_lazily(
    anon_client, customer_client, other_customer_client, shop
):
    from enturf_server.sales.models import Booking

    booking = _book(
        customer_client,
        shop.event,
        [*_seat_lines(shop, shop.seats[:2]), {"ticket": shop.tickets["floor"].pk, "quantity": 50}],
    ).json()
    version = _availability(anon_client, shop.event)["version"]
    Booking.objects.filter(pk=booking["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert customer_client.get(f"/api/v1/bookings/{booking['id']}/").json()["state"] == "expired"
    r = _book(
        other_customer_client,
        shop.event,
        [*_seat_lines(shop, shop.seats[1:2]), {"ticket": shop.tickets["floor"].pk, "quantity": 50}],
    )
    assert r.status_code == 201, r.content
    stored = Booking.objects.get(pk=booking["id"])
    assert stored.state == "expired"
    assert set(stored.lines.values_list("state", flat=True)) == {"cancelled"}
    body = _availability(anon_client, shop.event, since=version)
    assert _statuses(body) == {shop.seats[0]: "available", shop.seats[1]: "sold"}
    r = customer_client.post(f"/api/v1/bookings/{booking['id']}/cancel/")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "booking_expired")


def test_expire_pending_bookings_service(customer_client, shop):
    from enturf_server.sales.models import Booking, SeatInventory
    from enturf_server.sales.services import expire_pending_bookings

    booking = _book(customer_client, shop.event, _seat_lines(shop, shop.seats[:1])).json()
    assert expire_pending_bookings(event=shop.event) is False
    Booking.objects.filter(pk=booking["id"]).update(expires_at=timezone.now())
    assert expire_pending_bookings(event=shop.event) is True
    assert Booking.objects.get(pk=booking["id"]).state == "expired"
    row = SeatInventory.objects.get(event=shop.event, seat_id=shop.seats[0])
    assert (row.status, row.booking_id) == ("available", None)


def test_client_uuid_replay_returns_the_same_booking(customer_client, other_customer_client, shop):
    from enturf_server.sales.models import Booking

    booking_id = str(uuid.uuid4())
    lines = _seat_lines(shop, shop.seats[:2])
    first = _book(customer_client, shop.event, lines, id=booking_id)
    assert first.status_code == 201, first.content
    again = _book(customer_client, shop.event, lines, id=booking_id)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Booking.objects.count() == 1
    r = _book(other_customer_client, shop.event, _seat_lines(shop, shop.seats[5:6]), id=booking_id)
    assert (r.status_code, r.json()["error"]["code"]) == (409, "booking_id_taken")


def test_buyer_search_and_filters(employee_client, customer_client, other_customer_client, shop):
    ada = _book(
        customer_client,
        shop.event,
        _seat_lines(shop, shop.seats[:1]),
        buyer_name="Ada Lovelace",
        buyer_email="ada@example.org",
    ).json()
    grace = _book(
        other_customer_client,
        shop.event,
        _seat_lines(shop, shop.seats[1:2]),
        buyer_name="Grace Hopper",
        buyer_email="grace@navy.example",
    ).json()
    other = sales_setup(name="Other")
    _book(employee_client, other.event, _seat_lines(other, other.seats[:1]), buyer_name="Ada Byron")

    def codes(client, **params):
        r = client.get("/api/v1/bookings/", params)
        assert r.status_code == 200, r.content
        return {b["code"] for b in r.json()["results"]}

    assert codes(employee_client, search="lovelace") == {ada["code"]}
    assert codes(employee_client, search="navy.example") == {grace["code"]}
    assert codes(employee_client, search=grace["code"].lower()) == {grace["code"]}
    assert len(codes(employee_client, search="ada")) == 2
    assert codes(employee_client, search="ada", event=shop.event.pk) == {ada["code"]}
    employee_client.post(f"/api/v1/bookings/{ada['id']}/cancel/")
    assert codes(employee_client, state="cancelled") == {ada["code"]}
    assert codes(employee_client, state="pending", event=shop.event.pk) == {grace["code"]}
    # customers see only their own, whatever they search for
    assert codes(customer_client) == {ada["code"]}
    assert codes(customer_client, search="grace") == set()


def test_search_by_ticket_line_finds_its_booking(employee_client, customer_client, shop):
    """A scanned ticket code names its line: the counter asks for that line's booking."""
    ada = _book(customer_client, shop.event, _seat_lines(shop, shop.seats[:2])).json()
    _book(employee_client, shop.event, _seat_lines(shop, shop.seats[2:3]))
    line = ada["lines"][1]["id"]

    def found(client, **params):
        r = client.get("/api/v1/bookings/", params)
        assert r.status_code == 200, r.content
        return [b["id"] for b in r.json()["results"]]

    assert found(employee_client, line=line) == [ada["id"]]
    assert found(employee_client, line=str(uuid.uuid4())) == []
    assert found(customer_client, line=line) == [ada["id"]]
    r = employee_client.get("/api/v1/bookings/", {"line": "v1.not-a-line"})
    assert r.status_code == 400 and r.json()["error"]["details"]["line"]


def test_sales_window_applies_to_customers_not_the_counter(customer_client, employee_client):
    shop = sales_setup(sales_start=timezone.now() + timedelta(days=1))
    r = _book(customer_client, shop.event, _seat_lines(shop, shop.seats[:1]))
    assert (r.status_code, r.json()["error"]["code"]) == (409, "sales_not_started")
    assert _book(employee_client, shop.event, _seat_lines(shop, shop.seats[:1])).status_code == 201
    closed = sales_setup(name="Closed", state="closed")
    r = _book(employee_client, closed.event, _seat_lines(closed, closed.seats[:1]))
    assert (r.status_code, r.json()["error"]["code"]) == (409, "event_not_on_sale")


def test_change_log_gets_one_seat_status_entry_per_transaction(customer_client, shop):
    from enturf_server.sales.models import SeatInventory
    from enturf_server.sync.models import ChangeLogEntry

    before = ChangeLogEntry.objects.count()
    booking = _book(customer_client, shop.event, _seat_lines(shop, shop.seats[:3])).json()
    entries = list(ChangeLogEntry.objects.order_by("seq")[before:])
    assert [e.entity for e in entries] == ["seat_status", "booking"]
    status_entry, booking_entry = entries
    assert status_entry.entity_id == str(shop.event.pk)
    assert status_entry.data == {
        "seats": {str(s): "sold" for s in shop.seats[:3]},
        "areas": {},
    }
    rows = SeatInventory.objects.filter(event=shop.event, seat_id__in=shop.seats[:3])
    assert {r.version for r in rows} == {status_entry.version}
    assert booking_entry.entity_id == booking["id"]
    assert booking_entry.data["code"] == booking["code"]


def test_booking_query_count_does_not_grow_with_seats(
    customer_client, shop, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(seats):
        with CaptureQueriesContext(connection) as ctx:
            r = _book(customer_client, shop.event, _seat_lines(shop, seats))
        assert r.status_code == 201, r.content
        return len(ctx.captured_queries)

    queries_for(shop.seats[:1])  # settings row and other one-off set-up
    two = queries_for(shop.seats[1:3])
    ten = queries_for(shop.seats[3:13])
    assert ten == two
    assert two <= 16


def test_line_secrets_are_unique_and_never_shown(customer_client, shop):
    from enturf_server.sales.models import BookingLine

    booking = _book(customer_client, shop.event, _seat_lines(shop, shop.seats[:3])).json()
    secrets = set(
        BookingLine.objects.filter(booking_id=booking["id"]).values_list("secret", flat=True)
    )
    assert len(secrets) == 3 and all(len(s) == 43 for s in secrets)
    assert "secret" not in booking["lines"][0]
    assert Decimal(booking["total"]) == Decimal("75.00")


def test_fast_booking_output_matches_drf_rendering(customer_client, shop):
    from rest_framework import serializers

    from enturf_server.sales.models import Booking
    from enturf_server.sales.serializers import BookingOutput

    _book(
        customer_client,
        shop.event,
        [*_seat_lines(shop, shop.seats[:2]), {"ticket": shop.tickets["floor"].pk, "quantity": 1}],
    )
    booking = Booking.objects.prefetch_related("lines").get()
    out = BookingOutput(booking)
    assert out.to_representation(booking) == serializers.ModelSerializer.to_representation(
        out, booking
    )


def test_availability_json_equals_the_plain_selector(customer_client, shop):
    import json

    from enturf_server.sales.selectors import availability, availability_json

    hold = _hold(
        customer_client, shop.event, shop.seats[:2], [{"area": shop.areas["Floor"], "quantity": 3}]
    )
    assert hold.status_code == 201
    _book(customer_client, shop.event, _seat_lines(shop, shop.seats[4:6]))
    for since in (None, 0, 1):
        assert json.loads(availability_json(event=shop.event, since=since)) == availability(
            event=shop.event, since=since
        )
