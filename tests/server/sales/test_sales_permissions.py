"""Role matrix of every sales endpoint: anonymous, the owner (a customer), another
customer, an employee and an admin, each against the owner's hold and booking."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from support.factories import sales_setup

pytestmark = pytest.mark.django_db


ROLES = ["anon", "owner", "other_customer", "employee", "admin"]
CLIENT_FIXTURES = {
    "anon": "anon_client",
    "owner": "customer_client",
    "other_customer": "other_customer_client",
    "employee": "employee_client",
    "admin": "admin_client",
}


@dataclass
class World:
    shop: object
    hold: dict
    booking: dict


@pytest.fixture
def world(customer_client):
    shop = sales_setup()
    hold = customer_client.post(
        "/api/v1/holds/", {"event": shop.event.pk, "seats": shop.seats[:2]}, format="json"
    ).json()
    booking = customer_client.post(
        "/api/v1/bookings/",
        {
            "event": shop.event.pk,
            "lines": [{"seat": shop.seats[10], "ticket": shop.tickets["standard"].pk}],
        },
        format="json",
    ).json()
    return World(shop, hold, booking)


def _call(client, world: World, action: str):
    shop, hold, booking = world.shop, world.hold, world.booking
    standard = shop.tickets["standard"].pk
    match action:
        case "availability":
            return client.get(f"/api/v1/events/{shop.event.pk}/availability/")
        case "hold_create":
            return client.post(
                "/api/v1/holds/", {"event": shop.event.pk, "seats": [shop.seats[20]]}, format="json"
            )
        case "hold_read":
            return client.get(f"/api/v1/holds/{hold['id']}/")
        case "hold_change":
            return client.patch(
                f"/api/v1/holds/{hold['id']}/", {"add_seats": [shop.seats[21]]}, format="json"
            )
        case "hold_release":
            return client.delete(f"/api/v1/holds/{hold['id']}/")
        case "book_direct":
            return client.post(
                "/api/v1/bookings/",
                {"event": shop.event.pk, "lines": [{"seat": shop.seats[22], "ticket": standard}]},
                format="json",
            )
        case "book_from_hold":
            return client.post("/api/v1/bookings/", {"hold": hold["id"]}, format="json")
        case "booking_list":
            return client.get("/api/v1/bookings/")
        case "booking_read":
            return client.get(f"/api/v1/bookings/{booking['id']}/")
        case "booking_cancel":
            return client.post(f"/api/v1/bookings/{booking['id']}/cancel/")
    raise AssertionError(action)


# expected status per role:        anon owner other employee admin
MATRIX = {
    "availability": (200, 200, 200, 200, 200),
    "hold_create": (401, 201, 201, 201, 201),
    "hold_read": (401, 200, 404, 200, 200),
    "hold_change": (401, 200, 404, 403, 403),
    "hold_release": (401, 204, 404, 204, 204),
    "book_direct": (401, 201, 201, 201, 201),
    "book_from_hold": (401, 201, 404, 403, 403),
    "booking_list": (401, 200, 200, 200, 200),
    "booking_read": (401, 200, 404, 200, 200),
    "booking_cancel": (401, 200, 404, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_role_matrix(request, world, action, role):
    client = request.getfixturevalue(CLIENT_FIXTURES[role])
    expected = MATRIX[action][ROLES.index(role)]
    r = _call(client, world, action)
    assert r.status_code == expected, r.content
    if expected >= 400:
        assert set(r.json()["error"]) == {"code", "message", "details"}


def test_customers_list_only_their_own_bookings(
    world, other_customer_client, employee_client, customer_client
):
    assert [b["id"] for b in customer_client.get("/api/v1/bookings/").json()["results"]] == [
        world.booking["id"]
    ]
    assert other_customer_client.get("/api/v1/bookings/").json()["results"] == []
    assert employee_client.get("/api/v1/bookings/").json()["count"] == 1


def test_another_customer_cannot_touch_a_hold_or_booking(world, other_customer_client):
    from enturf_server.sales.models import Booking, Hold

    hold_url = f"/api/v1/holds/{world.hold['id']}/"
    assert other_customer_client.delete(hold_url).status_code == 404
    assert (
        other_customer_client.patch(
            hold_url, {"remove_seats": world.shop.seats[:2]}, format="json"
        ).status_code
        == 404
    )
    assert (
        other_customer_client.post(f"/api/v1/bookings/{world.booking['id']}/cancel/").status_code
        == 404
    )
    assert Hold.objects.get(pk=world.hold["id"]).released_at is None
    assert Booking.objects.get(pk=world.booking["id"]).state == "pending"


def test_staff_release_of_a_customer_hold_is_audited(world, employee_client):
    from enturf_server.audit.models import AuditEntry

    assert employee_client.delete(f"/api/v1/holds/{world.hold['id']}/").status_code == 204
    entry = AuditEntry.objects.get(action="hold.release")
    assert entry.object_id == world.hold["id"]
