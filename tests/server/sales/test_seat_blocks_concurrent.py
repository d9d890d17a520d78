"""Blocking a seat while someone else takes it (PostgreSQL): whoever locks the seat row
first wins, the other is refused with the reason, never both and never a 500."""

from __future__ import annotations

import pytest
from support.databases import requires_postgres
from support.pg_race import first_held_open

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _block(shop, seats):
    from enturf_server.sales.seat_blocks import block_seats

    return block_seats(actor=None, event=shop.event, seat_ids=seats, reason="camera")


def test_a_hold_made_while_a_block_is_open_is_refused(shop, customer_client):
    from enturf_server.sales.models import SeatInventory

    seats = shop.seats[:2]
    with first_held_open(
        lambda: _block(shop, seats),
        lambda: customer_client.post(
            "/api/v1/holds/", {"event": shop.event.pk, "seats": seats[1:]}, format="json"
        ),
    ) as race:
        pass
    assert race.second.status_code == 409, race.second.content
    assert race.second.json()["error"]["details"]["unavailable_seats"] == seats[1:]
    assert set(
        SeatInventory.objects.filter(seat_id__in=seats).values_list("status", flat=True)
    ) == {"blocked"}


def test_a_block_made_while_an_allocation_is_open_is_refused(shop, admin_client, counter):
    from support.counters import allocate

    from enturf_server.api.errors import Conflict
    from enturf_server.sales.models import SeatInventory

    seats = shop.seats[2:4]

    def block():
        try:
            return _block(shop, seats)
        except Conflict as refusal:
            return refusal

    with first_held_open(lambda: allocate(admin_client, shop, counter[0], seats), block) as race:
        pass
    assert race.first.status_code == 201, race.first.content
    assert isinstance(race.second, Conflict)
    assert (race.second.code, race.second.details["seats"]) == (
        "seats_unavailable",
        {str(s): "allocated" for s in seats},
    )
    assert not SeatInventory.objects.filter(status="blocked").exists()
