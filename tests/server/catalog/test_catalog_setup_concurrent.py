"""The same new event pushed twice at once under two op ids (PostgreSQL): both pushes
answer the same event and tickets, and there is one of each."""

from __future__ import annotations

import uuid

import pytest
from support.databases import requires_postgres
from support.pg_race import first_held_open

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_event_created_by_two_pushes_at_once_is_one_event(django_user_model):
    from support.catalog_data import make_seat_map

    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import set_role
    from enturf_server.catalog.models import Event, Ticket
    from enturf_server.sync.push import push_ops
    from enturf_server.sync.push_registry import PushOp

    manager = django_user_model.objects.create(username="manager")
    set_role(manager, Role.ADMIN)
    seat_map = make_seat_map(sections=1, rows=1, seats=2)
    payload = {
        "id": str(uuid.uuid4()),
        "seat_map": seat_map.pk,
        "name": "Premiere",
        "starts_at": "2031-03-01T19:30:00Z",
        "tickets": [
            {"id": str(uuid.uuid4()), "name": "Adult", "price": "20.00", "category": "standard"}
        ],
    }

    def push():
        return push_ops(
            user=manager, device=None, ops=[PushOp(uuid.uuid4(), "event_create", payload)]
        )

    with first_held_open(push, push) as race:
        pass
    (first,), (second,) = race.first, race.second
    assert first["status"] == second["status"] == "applied", (first, second)
    assert (first["event"], first["tickets"]) == (second["event"], second["tickets"])
    assert Event.objects.count() == 1 and Ticket.objects.count() == 1
