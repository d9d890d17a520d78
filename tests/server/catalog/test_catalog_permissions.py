"""Who may do what on every catalog endpoint: one row per endpoint, one test per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from support.catalog_data import (
    grid_layout,
    make_event,
    make_seat_map,
    make_ticket,
    make_venue,
    user_client,
)

pytestmark = pytest.mark.django_db

ROLES = ["anon", "customer", "employee", "admin"]


@dataclass
class World:
    venue: object
    empty_venue: object
    unused_map: object
    used_map: object
    event: object
    draft: object
    ticket: object


@pytest.fixture
def world() -> World:
    venue = make_venue("Hall")
    used_map = make_seat_map(venue, name="Used")
    unused_map = make_seat_map(venue, name="Unused")
    event = make_event(used_map, name="Public show")
    draft = make_event(used_map, name="Draft show", state="draft")
    return World(
        venue=venue,
        empty_venue=make_venue("Empty"),
        unused_map=unused_map,
        used_map=used_map,
        event=event,
        draft=draft,
        ticket=make_ticket(event),
    )


def _later(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


# (case, method, path(world), body(world), expected status for anon, customer, employee, admin)
# The cashier (employee) has no right `edit_events` by default (docs/staff-and-rights.md);
# tests/server/accounts/test_role_matrix.py covers the other roles.
MATRIX = [
    ("venues list", "get", lambda w: "/api/v1/venues/", None, (401, 403, 200, 200)),
    ("venue detail", "get", lambda w: f"/api/v1/venues/{w.venue.pk}/", None, (401, 403, 200, 200)),
    (
        "venue create",
        "post",
        lambda w: "/api/v1/venues/",
        lambda w: {"name": "New"},
        (401, 403, 403, 201),
    ),
    (
        "venue update",
        "patch",
        lambda w: f"/api/v1/venues/{w.venue.pk}/",
        lambda w: {"name": "Renamed"},
        (401, 403, 403, 200),
    ),
    (
        "venue delete",
        "delete",
        lambda w: f"/api/v1/venues/{w.empty_venue.pk}/",
        None,
        (401, 403, 403, 204),
    ),
    ("seat maps list", "get", lambda w: "/api/v1/seatmaps/", None, (401, 403, 200, 200)),
    (
        "seat map detail",
        "get",
        lambda w: f"/api/v1/seatmaps/{w.used_map.pk}/",
        None,
        (401, 403, 200, 200),
    ),
    (
        "seat map import",
        "post",
        lambda w: "/api/v1/seatmaps/",
        lambda w: {"venue": w.venue.pk, "name": "Imported", **grid_layout()},
        (401, 403, 403, 201),
    ),
    (
        "seat map replace",
        "put",
        lambda w: f"/api/v1/seatmaps/{w.unused_map.pk}/",
        lambda w: grid_layout(rows=1),
        (401, 403, 403, 200),
    ),
    (
        "seat map update",
        "patch",
        lambda w: f"/api/v1/seatmaps/{w.unused_map.pk}/",
        lambda w: {"stage_x": 5},
        (401, 403, 403, 200),
    ),
    (
        "seat map delete",
        "delete",
        lambda w: f"/api/v1/seatmaps/{w.unused_map.pk}/",
        None,
        (401, 403, 403, 204),
    ),
    (
        "seat map new version",
        "post",
        lambda w: f"/api/v1/seatmaps/{w.used_map.pk}/new-version/",
        lambda w: {},
        (401, 403, 403, 201),
    ),
    ("events list", "get", lambda w: "/api/v1/events/", None, (200, 200, 200, 200)),
    ("event detail", "get", lambda w: f"/api/v1/events/{w.event.pk}/", None, (200, 200, 200, 200)),
    (
        "draft event detail",
        "get",
        lambda w: f"/api/v1/events/{w.draft.pk}/",
        None,
        (404, 404, 200, 200),
    ),
    (
        "event create",
        "post",
        lambda w: "/api/v1/events/",
        lambda w: {"seat_map": w.used_map.pk, "name": "Another", "starts_at": _later(9)},
        (401, 403, 403, 201),
    ),
    (
        "event update",
        "patch",
        lambda w: f"/api/v1/events/{w.event.pk}/",
        lambda w: {"name": "Renamed"},
        (401, 403, 403, 200),
    ),
    (
        "event state change",
        "patch",
        lambda w: f"/api/v1/events/{w.draft.pk}/",
        lambda w: {"state": "on_sale"},
        (401, 403, 403, 200),
    ),
    (
        "event delete",
        "delete",
        lambda w: f"/api/v1/events/{w.event.pk}/",
        None,
        (401, 403, 403, 204),
    ),
    (
        "tickets list",
        "get",
        lambda w: f"/api/v1/tickets/?event={w.event.pk}",
        None,
        (200, 200, 200, 200),
    ),
    (
        "ticket detail",
        "get",
        lambda w: f"/api/v1/tickets/{w.ticket.pk}/",
        None,
        (200, 200, 200, 200),
    ),
    (
        "ticket create",
        "post",
        lambda w: "/api/v1/tickets/",
        lambda w: {"event": w.event.pk, "name": "Child", "price": "10.00", "category": "standard"},
        (401, 403, 403, 201),
    ),
    (
        "ticket update",
        "patch",
        lambda w: f"/api/v1/tickets/{w.ticket.pk}/",
        lambda w: {"price": "30.00"},
        (401, 403, 403, 200),
    ),
    (
        "ticket delete",
        "delete",
        lambda w: f"/api/v1/tickets/{w.ticket.pk}/",
        None,
        (401, 403, 403, 200),  # with what happened: {"outcome": "deleted", ...}
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in MATRIX],
)
def test_role_matrix(world, anon_client, client_for, role, method, path, body, expected):
    client = anon_client if role == "anon" else user_client(role, client_for)
    kwargs = {"format": "json"} if body is not None else {}
    response = getattr(client, method)(path(world), body(world) if body else None, **kwargs)
    want = expected[ROLES.index(role)]
    assert response.status_code == want, response.content[:300]
    if want >= 400:
        assert set(response.json()["error"]) == {"code", "message", "details"}
