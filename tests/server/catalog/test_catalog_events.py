"""Events: creation with inventory, search and date filters, visibility, states, deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from support.catalog_data import make_booking, make_event, make_seat_map, make_ticket, user_client

from enturf_server.catalog.models import Event
from enturf_server.sales.models import AreaInventory, SeatInventory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(client_for):
    return user_client("admin", client_for)


@pytest.fixture
def staff_api(client_for):
    return user_client("manager", client_for)  # staff with the right edit_events


def _at(day: str, hour: int = 19) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_create_event_makes_one_inventory_row_per_seat_and_area(staff_api):
    seat_map = make_seat_map(sections=2, rows=3, seats=4, area_capacity=250)
    starts = timezone.now() + timedelta(days=3)
    r = staff_api.post(
        "/api/v1/events/",
        {
            "seat_map": seat_map.pk,
            "name": "Opening night",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "state": "on_sale",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["venue_name"] == "Hall" and body["seat_map"] == seat_map.pk
    assert body["state"] == "on_sale" and body["version"] == 1 and body["tickets"] == []
    event = Event.objects.get(pk=body["id"])
    assert SeatInventory.objects.filter(event=event, status="available").count() == 24
    assert set(SeatInventory.objects.filter(event=event).values_list("seat_id", flat=True)) == set(
        seat_map.seats.values_list("id", flat=True)
    )
    assert list(AreaInventory.objects.filter(event=event).values_list("capacity", "sold")) == [
        (250, 0)
    ]


def test_inventory_of_a_20000_seat_event():
    seat_map = make_seat_map(sections=4, rows=50, seats=100, area_capacity=2000)
    event = make_event(seat_map)
    assert SeatInventory.objects.filter(event=event).count() == 20_000
    assert SeatInventory.objects.filter(event=event, version=0, hold=None).count() == 20_000


def test_event_detail_has_venue_seat_map_and_tickets(anon_client):
    event = make_event(name="Gala")
    make_ticket(event, name="Adult", price="40.00")
    make_ticket(event, name="Premium", price="60.00", category="premium")
    make_ticket(event, name="Retired", active=False)
    body = anon_client.get(f"/api/v1/events/{event.pk}/").json()
    assert body["venue_name"] == "Hall"
    assert body["seat_map"] == event.seat_map_id
    assert [(t["name"], t["price"]) for t in body["tickets"]] == [
        ("Adult", "40.00"),
        ("Premium", "60.00"),
    ]


def test_search_date_state_filters_and_ordering(staff_api, anon_client):
    seat_map = make_seat_map()
    make_event(seat_map, name="Hamlet", starts_at=_at("2031-03-10"))
    make_event(seat_map, name="Hamlet matinee", starts_at=_at("2031-03-11", 14))
    make_event(seat_map, name="Swan Lake", starts_at=_at("2031-03-12"))
    make_event(seat_map, name="Draft thing", starts_at=_at("2031-03-11"), state="draft")

    def names(client, query=""):
        r = client.get(f"/api/v1/events/{query}")
        assert r.status_code == 200, r.content
        return [e["name"] for e in r.json()["results"]]

    assert names(anon_client) == ["Hamlet", "Hamlet matinee", "Swan Lake"]
    assert names(staff_api) == ["Hamlet", "Hamlet matinee", "Draft thing", "Swan Lake"]
    assert names(anon_client, "?search=hAmLeT") == ["Hamlet", "Hamlet matinee"]
    assert names(anon_client, "?date=2031-03-11") == ["Hamlet matinee"]
    assert names(staff_api, "?date=2031-03-11") == ["Hamlet matinee", "Draft thing"]
    assert names(anon_client, "?starts_after=2031-03-11T00:00:00Z") == [
        "Hamlet matinee",
        "Swan Lake",
    ]
    assert names(anon_client, "?starts_before=2031-03-11T00:00:00Z") == ["Hamlet"]
    assert names(
        anon_client, "?starts_after=2031-03-10T20:00:00Z&starts_before=2031-03-12T00:00:00Z"
    ) == ["Hamlet matinee"]
    assert names(staff_api, "?state=draft") == ["Draft thing"]
    assert names(anon_client, "?ordering=-starts_at") == ["Swan Lake", "Hamlet matinee", "Hamlet"]

    r = anon_client.get("/api/v1/events/?date=yesterday")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
    assert anon_client.get("/api/v1/events/?state=bogus").status_code == 400


def test_customers_do_not_see_draft_or_cancelled_events(client_for):
    seat_map = make_seat_map()
    states = ["draft", "on_sale", "closed", "cancelled"]
    events = {state: make_event(seat_map, name=state, state="draft") for state in states}
    from enturf_server.catalog import services

    services.update_event(actor=None, event=events["on_sale"], state="on_sale")
    services.update_event(actor=None, event=events["closed"], state="on_sale")
    services.update_event(actor=None, event=events["closed"], state="closed")
    services.update_event(actor=None, event=events["cancelled"], state="cancelled")
    customer = user_client("customer", client_for)
    seen = {e["name"] for e in customer.get("/api/v1/events/").json()["results"]}
    assert seen == {"on_sale", "closed"}
    assert customer.get(f"/api/v1/events/{events['cancelled'].pk}/").status_code == 404


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["on_sale", "closed", "on_sale", "closed", "cancelled"], True),
        (["cancelled"], True),
        (["closed"], False),  # draft -> closed skips selling
        (["on_sale", "draft"], False),
        (["cancelled", "on_sale"], False),  # cancelled is final
    ],
)
def test_state_transitions(staff_api, path, allowed):
    event = make_event(state="draft")
    url = f"/api/v1/events/{event.pk}/"
    for i, state in enumerate(path):
        r = staff_api.patch(url, {"state": state}, format="json")
        last = i == len(path) - 1
        if last and not allowed:
            assert r.status_code == 409, r.content
            assert r.json()["error"]["code"] == "invalid_state_change"
        else:
            assert r.status_code == 200, r.content
            assert r.json()["state"] == state


def test_update_bumps_version_and_refuses_bad_times(staff_api):
    event = make_event()
    url = f"/api/v1/events/{event.pk}/"
    r = staff_api.patch(url, {"name": "New name", "description": "Now longer"}, format="json")
    assert r.status_code == 200 and r.json()["version"] == 2
    r = staff_api.patch(url, {"name": "New name"}, format="json")
    assert r.json()["version"] == 2  # nothing changed, nothing bumped
    r = staff_api.patch(
        url, {"ends_at": (event.starts_at - timedelta(hours=1)).isoformat()}, format="json"
    )
    assert r.status_code == 400 and "end after it starts" in r.json()["error"]["message"]
    r = staff_api.patch(url, {"starts_at": "not a date"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["message"].startswith("starts_at:")
    r = staff_api.patch(url, {"seat_map": make_seat_map(name="Other").pk}, format="json")
    assert r.status_code == 200 and r.json()["seat_map"] == event.seat_map_id  # not editable
    event.refresh_from_db()
    assert (event.name, event.version) == ("New name", 2)


def test_create_refuses_bad_input(staff_api):
    seat_map = make_seat_map()
    soon = (timezone.now() + timedelta(days=1)).isoformat()
    cases = [
        ({"seat_map": 999_999, "name": "X", "starts_at": soon}, "There is no seat map"),
        ({"seat_map": seat_map.pk, "starts_at": soon}, "name:"),
        ({"seat_map": seat_map.pk, "name": "X", "starts_at": soon, "state": "closed"}, "draft"),
        (
            {
                "seat_map": seat_map.pk,
                "name": "X",
                "starts_at": soon,
                "sales_start": soon,
                "sales_end": soon,
            },
            "Sales must end after they start",
        ),
    ]
    for body, message in cases:
        r = staff_api.post("/api/v1/events/", body, format="json")
        assert r.status_code == 400, (body, r.content)
        assert message in r.json()["error"]["message"]
    assert not Event.objects.exists()


def test_delete_event_refused_when_it_has_bookings(admin_api):
    booked, free = make_event(name="Booked"), make_event(name="Free")
    make_ticket(free)
    make_booking(booked)
    r = admin_api.delete(f"/api/v1/events/{booked.pk}/")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "event_has_bookings"
    assert "cancel it instead" in r.json()["error"]["message"]
    assert "has 1 booking and" in r.json()["error"]["message"]
    assert Event.objects.filter(pk=booked.pk).exists()

    assert admin_api.delete(f"/api/v1/events/{free.pk}/").status_code == 204
    assert not Event.objects.filter(pk=free.pk).exists()
    assert not SeatInventory.objects.filter(event_id=free.pk).exists()
