"""Every act the issue names leaves its entry in the audit trail, done the way staff do
it (through the API or a counter's push op): a price override, a refund, a cash
movement, a blocked (and released) seat, a supervisor's override at the door; the
trail then still verifies. (Role changes are recorded as `staff.*` by the staff rights.)"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from support.billing_fixtures import booked, pay
from support.counters import (
    allocated,
    movement,
    opening,
    pos_client,
    push,
    push_ops,
    register_counter,
    sale_line,
    sale_payload,
)
from support.door_scans import default_list, paid_lines, scan

from enturf_core.approvals import ApprovalStatement, sign_statement
from enturf_core.ticket_codes import SigningKey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_signing_key")]


def _entries(action: str, object_id) -> list:
    from enturf_server.audit.models import AuditEntry

    return list(AuditEntry.objects.filter(action=action, object_id=str(object_id)))


@pytest.fixture(autouse=True)
def _chain_still_verifies():
    yield
    from enturf_server.audit.chain import verify_chain

    verdict = verify_chain()
    assert verdict.ok, verdict


def test_a_refund_is_recorded(admin_client, shop):
    booking = booked(admin_client, shop, shop.seats[:2])
    assert pay(admin_client, booking["id"], "cash", booking["total"]).json()["state"] == "paid"
    r = admin_client.post(
        "/api/v1/refunds/",
        {"booking": booking["id"], "reason": "cannot come", "lines": [booking["lines"][0]["id"]]},
        format="json",
    )
    assert r.status_code == 201, r.content
    [entry] = _entries("refund", r.json()["id"])
    assert (entry.actor_name, entry.details["amount"]) == ("alice", "25.00")


def test_blocking_and_releasing_seats_is_recorded(admin_client, shop):
    url = f"/api/v1/events/{shop.event.pk}/blocks/"
    r = admin_client.post(url, {"seats": shop.seats[:2], "reason": "camera"}, format="json")
    assert r.status_code == 200, r.content
    [entry] = _entries("seat.block", shop.event.pk)
    assert entry.actor_name == "alice"
    assert sorted(entry.details["seats"]) == sorted(shop.seats[:2])
    r = admin_client.post(url + "release/", {"seats": shop.seats[:1]}, format="json")
    assert r.status_code in (200, 204), r.content
    assert _entries("seat.release", shop.event.pk)


def test_cash_movements_pushed_by_a_counter_are_recorded_with_the_counter(counter):
    device, pos, _key = counter
    shift_id, cash_in = uuid.uuid4(), uuid.uuid4()
    start = timezone.now() - timedelta(hours=1)
    results = push_ops(
        pos,
        opening(shift_id, start),
        movement(
            shift_id, "cash_in", "20.00", "from the safe", start + timedelta(minutes=3), cash_in
        ),
    )
    assert {r["status"] for r in results} == {"applied"}, results
    [entry] = _entries("drawer.cash_in", cash_in)
    assert (entry.device_id, entry.device_name, entry.actor_name) == (
        device.pk,
        device.name,
        "cashier",
    )
    assert (entry.details["amount"], entry.details["reason"]) == ("20.00", "from the safe")


def test_a_supervisors_price_override_is_recorded(make_user, admin_client, shop):
    device, token, ticket_key = register_counter(f"Counter {uuid.uuid4().hex[:6]}")
    cashier = pos_client(make_user("cashier", "employee"), token)
    boss = make_user("boss", "admin")
    allocated(admin_client, shop, device, shop.seats[:1])
    key = SigningKey.generate()
    r = pos_client(boss, token).post(
        "/api/v1/auth/approval-keys/", {"public_key": key.public_key_base64()}, format="json"
    )
    assert r.status_code == 201, r.content
    line_id = uuid.uuid4()
    approval = sign_statement(
        ApprovalStatement(
            kind="price_override",
            subject=str(line_id),
            figures={"price": "20.00", "server_price": "25.00"},
            approver=boss.pk,
            device=device.pk,
            at=datetime.now(UTC),
        ),
        key,
    )
    line = sale_line(
        shop, "standard", seat=shop.seats[0], key=ticket_key, price="20.00", line_id=line_id
    )
    line["override"] = {"reason": "companion", "listed_price": "25.00", "approval": approval}
    [result] = push(cashier, sale_payload(shop, [line]))
    assert result["status"] == "applied", result
    [entry] = _entries("sale.price_override", result["booking"]["id"])
    assert (entry.actor_name, entry.device_id) == ("boss", device.pk)
    assert entry.details["price"] == "20.00"


def test_a_supervisors_override_at_the_door_is_recorded(admin_client, client_for, shop, make_user):
    lines = paid_lines(shop, make_user("buyer"), seats=1)
    steward = client_for(make_user("stew", "door_steward"))
    supervisor = client_for(make_user("sue", "door_supervisor"))
    door = default_list(admin_client, shop)
    scan(steward, door, lines[0].ticket_code, expect=201)
    let_in = scan(supervisor, door, lines[0].ticket_code, override_reason="Went to the car")
    [entry] = _entries("door.override", let_in["id"])
    assert entry.actor_name == "sue"
    assert (entry.details["reason"], entry.details["refused"]) == ("Went to the car", "already_in")
    assert entry.details["steward"] == "sue"
