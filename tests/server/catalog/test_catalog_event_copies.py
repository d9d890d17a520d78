"""`POST /api/v1/events/{id}/duplicate/`: a duplicate or a series of an event, with its
active tickets, its times moved by the start's offset, as drafts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from support.catalog_data import make_event, make_seat_map, make_ticket, user_client

from enturf_server.catalog.models import Event

pytestmark = pytest.mark.django_db

START = datetime(2031, 5, 2, 19, 0, tzinfo=UTC)


@pytest.fixture
def source():
    seat_map = make_seat_map(sections=1, rows=1, seats=2)
    event = make_event(
        seat_map,
        name="Friday jazz",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        sales_start=START - timedelta(days=30),
        sales_end=START - timedelta(hours=1),
        description="Live",
    )
    make_ticket(event, name="Adult", price="20.00", max_per_booking=6)
    make_ticket(event, name="Floor", price="12.00", area=seat_map.areas.get().pk, position=1)
    retired = make_ticket(event, name="Old", price="1.00")
    retired.active = False
    retired.save()
    return event


def url(event) -> str:
    return f"/api/v1/events/{event.pk}/duplicate/"


def test_a_series_of_fridays_copies_the_event_and_its_active_tickets(client_for, source):
    staff = user_client("manager", client_for)  # staff with edit_events
    fridays = [START + timedelta(weeks=w) for w in range(1, 9)]
    r = staff.post(url(source), {"starts_at": [f.isoformat() for f in fridays]}, format="json")
    assert r.status_code == 201, r.content
    copies = r.json()
    assert len(copies) == 8
    for copy, friday in zip(copies, fridays, strict=True):
        event = Event.objects.get(pk=copy["id"])
        assert (event.name, event.description, event.seat_map_id, event.state) == (
            "Friday jazz",
            "Live",
            source.seat_map_id,
            "draft",
        )
        assert event.starts_at == friday
        assert event.ends_at == friday + timedelta(hours=2)
        assert event.sales_start == friday - timedelta(days=30)
        assert event.sales_end == friday - timedelta(hours=1)
        assert [(t["name"], t["price"], t["max_per_booking"]) for t in copy["tickets"]] == [
            ("Adult", "20.00", 6),
            ("Floor", "12.00", None),
        ]
        assert event.seat_inventory.count() == 2 and event.area_inventory.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"starts_at": []},
        {"starts_at": ["2031-01-01T19:00:00Z"] * 53},
        {"starts_at": ["friday"]},
        {"starts_at": "2031-01-01T19:00:00Z"},
        [],
    ],
)
def test_bad_bodies_are_refused_and_copy_nothing(client_for, source, body):
    r = user_client("admin", client_for).post(url(source), body, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["error"]["message"]
    assert Event.objects.count() == 1


def test_customers_and_visitors_may_not_copy(client_for, anon_client, source):
    body = {"starts_at": ["2031-06-01T19:00:00Z"]}
    assert user_client("customer", client_for).post(
        url(source), body, format="json"
    ).status_code in (
        403,
        404,
    )
    assert anon_client.post(url(source), body, format="json").status_code in (401, 403)
    assert (
        user_client("admin", client_for)
        .post("/api/v1/events/999999/duplicate/", body, format="json")
        .status_code
        == 404
    )
    assert Event.objects.count() == 1
