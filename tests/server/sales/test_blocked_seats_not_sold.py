"""Nothing blocked can be booked: not held or booked online (customers nor staff), not sold
by a counter's pushed sale, not picked by best available, not allocated to a counter; and
once released, the seat sells again."""

from __future__ import annotations

import pytest
from support.counters import allocate, push, sale_line, sale_payload, statuses

from enturf_core.seating.best_available import best_seats
from enturf_core.seating.layout import SeatMapLayout
from enturf_core.seating.states import SeatStates, sellable_mask
from enturf_server.sales.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocked(admin_client, shop):
    """The first two seats of the first row blocked as house seats."""
    seats = shop.seats[:2]
    r = admin_client.post(
        f"/api/v1/events/{shop.event.pk}/blocks/",
        {"seats": seats, "reason": "house"},
        format="json",
    )
    assert r.status_code == 200, r.content
    return seats


def test_blocked_seats_are_neither_held_nor_booked_online(
    customer_client, employee_client, shop, blocked
):
    standard = shop.tickets["standard"].pk
    for client in (customer_client, employee_client):
        r = client.post("/api/v1/holds/", {"event": shop.event.pk, "seats": blocked}, format="json")
        assert r.status_code == 409, r.content
        assert r.json()["error"]["details"]["unavailable_seats"] == sorted(blocked)
        r = client.post(
            "/api/v1/bookings/",
            {"event": shop.event.pk, "lines": [{"seat": blocked[0], "ticket": standard}]},
            format="json",
        )
        assert r.status_code == 409, r.content
    assert not Booking.objects.exists()


def test_a_counter_sale_of_a_blocked_seat_is_refused(shop, counter, blocked):
    _device, pos, key = counter
    (result,) = push(
        pos, sale_payload(shop, [sale_line(shop, "standard", seat=blocked[0], key=key)])
    )
    assert (result["status"], result["code"]) == ("rejected", "sold_elsewhere"), result
    assert result["details"]["unavailable_seats"] == [blocked[0]]
    assert not Booking.objects.exists()


def test_best_available_skips_blocked_seats(admin_client, customer_client, shop, blocked):
    layout = SeatMapLayout.from_api(
        admin_client.get(f"/api/v1/seatmaps/{shop.seat_map.pk}/").json()
    )
    states = SeatStates(layout)
    states.apply(statuses(customer_client, shop))
    found = best_seats(layout, sellable_mask(states), 4)
    assert len(found.seat_ids) == 4
    assert not set(found.seat_ids) & set(blocked)
    # with the blocks released, the best seats of that row start at its first seat again
    admin_client.post(
        f"/api/v1/events/{shop.event.pk}/blocks/release/", {"seats": blocked}, format="json"
    )
    states.apply(statuses(customer_client, shop))
    assert set(best_seats(layout, sellable_mask(states), 4).seat_ids) != set(found.seat_ids)


def test_a_blocked_seat_cannot_be_allocated(admin_client, shop, counter, blocked):
    r = allocate(admin_client, shop, counter[0], [blocked[0], shop.seats[5]])
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "seats_unavailable"
    assert error["details"]["seats"] == {str(blocked[0]): "blocked"}


def test_a_released_seat_sells_again(admin_client, customer_client, shop, counter, blocked):
    r = admin_client.post(
        f"/api/v1/events/{shop.event.pk}/blocks/release/", {"seats": blocked}, format="json"
    )
    assert r.status_code == 200 and r.json()["seats"] == []
    standard = shop.tickets["standard"].pk
    r = customer_client.post(
        "/api/v1/bookings/",
        {"event": shop.event.pk, "lines": [{"seat": blocked[0], "ticket": standard}]},
        format="json",
    )
    assert r.status_code == 201, r.content
    _device, pos, key = counter
    (result,) = push(
        pos, sale_payload(shop, [sale_line(shop, "standard", seat=blocked[1], key=key)])
    )
    assert result["status"] == "applied", result
    shown = statuses(customer_client, shop)
    assert (shown[blocked[0]], shown[blocked[1]]) == ("sold", "sold")
