"""Live door figures (`/events/{id}/checkin-stats/`): per list and gate, by ticket and
category, inside now and double entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from support.counters import pos_client, push_ops, register_counter
from support.door_scans import checkin_op, new_list, paid_lines, scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_signing_key")]


def test_figures_per_list_gate_ticket_and_category(admin_client, shop, make_user):
    lines = paid_lines(shop, make_user("buyer"), seats=2, premium=1, floor=1)
    hall = new_list(admin_client, shop, name="Hall", exits=True, reentry=True)
    for line in lines:
        scan(admin_client, hall, line.ticket_code, gate="North", expect=201)
    scan(admin_client, hall, lines[0].ticket_code, gate="South", kind="exit", expect=201)
    scan(admin_client, hall, "forged", gate="South", expect=201)
    _device, token, _key = register_counter("Door 1")
    door = pos_client(make_user("steward", "employee"), token)
    push_ops(door, checkin_op(hall, lines[1].ticket_code, at=timezone.now() + timedelta(seconds=5)))

    body = admin_client.get(f"/api/v1/events/{shop.event.pk}/checkin-stats/").json()
    assert body["valid_tickets"] == 4
    (figures,) = body["lists"]  # the event has a list: no default one is made
    assert figures["name"] == "Hall"
    assert (figures["in"], figures["out"], figures["inside"]) == (5, 1, 4)
    assert (figures["double_entries"], figures["refused"]) == (1, 1)
    gates = {g["gate"]: g for g in figures["gates"]}
    assert (gates["North"]["in"], gates["South"]["out"], gates["South"]["refused"]) == (4, 1, 1)
    tickets = {t["name"]: t["in"] for t in figures["tickets"]}
    assert tickets == {"Standard": 3, "Premium": 1, "Floor": 1}
    categories = {c["category"]: c["inside"] for c in figures["categories"]}
    assert categories == {"standard": 2, "premium": 1, "Floor": 1, "unknown": 0}
    assert body["totals"]["inside"] == 4
