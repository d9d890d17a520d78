"""Every whole number the API or a push takes in has bounds that its column can hold: on
PostgreSQL an integer column holds up to 2**31 - 1, and a larger value must be a 400,
never stored wrapped (4294967296 as 0) nor a 500."""

from __future__ import annotations

import uuid

import pytest
from support.catalog_data import make_event, make_seat_map, make_ticket, make_venue
from support.counters import pos_client, register_counter

pytestmark = pytest.mark.django_db

MAX_INT = 2**31 - 1
TOO_BIG = [2**31, 2**32, 2**32 + 3, 2**63, -1]


@pytest.fixture
def event():
    return make_event(make_seat_map(make_venue(), sections=1, rows=1, seats=2), name="Gala")


@pytest.mark.parametrize("value", TOO_BIG)
def test_ticket_max_per_booking_out_of_range_is_refused(admin_client, event, value):
    r = admin_client.post(
        "/api/v1/tickets/",
        {"event": event.pk, "name": "Adult", "price": "10.00", "max_per_booking": value},
        format="json",
    )
    assert r.status_code == 400, r.content
    assert "max_per_booking" in r.json()["error"]["details"]
    ticket = make_ticket(event, max_per_booking=4)
    r = admin_client.patch(
        f"/api/v1/tickets/{ticket.pk}/", {"max_per_booking": value}, format="json"
    )
    assert r.status_code == 400, r.content
    ticket.refresh_from_db()
    assert ticket.max_per_booking == 4


@pytest.mark.parametrize(("field", "value"), [("position", 2**32), ("area", 2**40)])
def test_other_ticket_numbers_out_of_range_are_refused(admin_client, event, field, value):
    ticket = make_ticket(event)
    r = admin_client.patch(f"/api/v1/tickets/{ticket.pk}/", {field: value}, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()["error"]["details"]


def test_the_largest_value_is_stored_as_it_is(admin_client, event):
    ticket = make_ticket(event)
    r = admin_client.patch(
        f"/api/v1/tickets/{ticket.pk}/", {"max_per_booking": MAX_INT}, format="json"
    )
    assert r.status_code == 200, r.content
    ticket.refresh_from_db()
    assert ticket.max_per_booking == MAX_INT


@pytest.mark.parametrize("value", [2**31, 2**32])
def test_ticket_update_push_out_of_range_is_rejected(make_user, event, value):
    _device, token, _key = register_counter("Back office")
    manager = pos_client(make_user("manager", "admin"), token)
    ticket = make_ticket(event, max_per_booking=4)
    op = {
        "id": str(uuid.uuid4()),
        "type": "ticket_update",
        "payload": {"id": ticket.pk, "fields": {"max_per_booking": value}},
        "base_version": ticket.version,
        "base": {"max_per_booking": 4},
    }
    r = manager.post("/api/v1/sync/push/", {"ops": [op]}, format="json")
    assert r.status_code == 200, r.content
    (result,) = r.json()["results"]
    assert result["status"] == "rejected"
    assert "max_per_booking" in result["details"]
    ticket.refresh_from_db()
    assert ticket.max_per_booking == 4

    op = {**op, "id": str(uuid.uuid4()), "payload": {"id": 2**64, "fields": {"name": "X"}}}
    (result,) = manager.post("/api/v1/sync/push/", {"ops": [op]}, format="json").json()["results"]
    assert result["status"] == "rejected"


def _integer_inputs(schema: dict) -> list[tuple[str, dict]]:
    """(where, schema) of every integer property of every request body."""
    components = schema["components"]["schemas"]
    found: list[tuple[str, dict]] = []

    def walk(node: dict, where: str, seen: frozenset[str]) -> None:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(components[name], name, seen | {name})
            return
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in node.get(key, []):
                walk(sub, where, seen)
        if node.get("type") == "integer":
            found.append((where, node))
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{where}.{name}", seen)
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{where}[]", seen)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{where}{{}}", seen)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if body := content.get("application/json", {}).get("schema"):
                walk(body, f"{method.upper()} {path}", frozenset())
    return found


def test_every_integer_in_every_request_body_is_bounded():
    from drf_spectacular.generators import SchemaGenerator

    inputs = _integer_inputs(SchemaGenerator().get_schema(request=None, public=True))
    assert len(inputs) > 20  # the walk reached the bodies
    unbounded = [
        where
        for where, node in inputs
        if "minimum" not in node or not -MAX_INT - 1 <= node.get("maximum", 2**64) <= MAX_INT
    ]
    assert unbounded == []
