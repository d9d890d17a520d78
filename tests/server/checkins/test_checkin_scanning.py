"""Scanning online at a door (`POST /api/v1/checkins/`): every verdict, what the answer
says, who may scan and override, and bad input answered with a 4xx."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from support.door_scans import SCAN, default_list, new_list, paid_lines, scan, tampered
from support.factories import sales_setup

from enturf_core.ticket_codes import SigningKey, TicketPayload, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_signing_key")]


@pytest.fixture
def lines(shop, make_user):
    return paid_lines(shop, make_user("buyer"), seats=2, floor=1)


def test_a_valid_ticket_is_admitted_once_then_already_in(employee_client, shop, lines):
    door = default_list(employee_client, shop)
    first = scan(employee_client, door, lines[0].ticket_code, expect=201)
    assert first["verdict"] == "admitted"
    assert (first["words"], first["colour"]) == ("Welcome in", "green")
    assert first["ticket"] == "Standard"
    assert first["section"] and first["row"] and first["seat"]
    assert first["line"] == str(lines[0].pk)
    again = scan(employee_client, door, lines[0].ticket_code, gate="B", expect=201)
    assert (again["verdict"], again["colour"]) == ("already_in", "amber")
    assert again["previous"]["gate"] == "A"
    assert "Already in since" in again["reason"]


def test_a_standing_ticket_names_its_area(employee_client, shop, lines):
    door = default_list(employee_client, shop)
    answer = scan(employee_client, door, lines[-1].ticket_code, expect=201)
    assert (answer["verdict"], answer["area"], answer["seat"]) == ("admitted", "Floor", None)


def test_a_replay_is_the_same_record(employee_client, shop, lines):
    door = default_list(employee_client, shop)
    body = {"id": str(uuid.uuid4()), "code": lines[0].ticket_code, "list": door, "gate": "A"}
    first = employee_client.post(SCAN, body, format="json")
    replay = employee_client.post(SCAN, body, format="json")
    assert (first.status_code, replay.status_code) == (201, 200)
    assert replay.json()["verdict"] == "admitted" == first.json()["verdict"]


def test_forged_tampered_and_unknown_codes_are_refused(employee_client, shop, lines):
    door = default_list(employee_client, shop)
    forged = sign(TicketPayload(str(uuid.uuid4()), shop.event.pk, seat_id=1), SigningKey.generate())
    for code in (forged, tampered(lines[0].ticket_code), "not a ticket", "v1.x.y.z"):
        answer = scan(employee_client, door, code, expect=201)
        assert (answer["verdict"], answer["colour"], answer["line"]) == ("unknown", "red", None)
        assert answer["reason"]


def test_refunded_cancelled_and_unpaid_tickets_are_refused(employee_client, shop, lines):
    from enturf_server.sales.models import BookingLine, BookingState, LineState

    door = default_list(employee_client, shop)
    BookingLine.objects.filter(pk=lines[0].pk).update(state=LineState.REFUNDED)
    BookingLine.objects.filter(pk=lines[1].pk).update(state=LineState.CANCELLED)
    assert scan(employee_client, door, lines[0].ticket_code)["verdict"] == "refunded"
    assert scan(employee_client, door, lines[1].ticket_code)["verdict"] == "cancelled"
    booking = lines[2].booking
    booking.state = BookingState.PENDING
    booking.save(update_fields=["state"])
    assert scan(employee_client, door, lines[2].ticket_code)["verdict"] == "not_paid"


def test_a_ticket_of_another_event(employee_client, shop, make_user):
    other = sales_setup()
    line = paid_lines(other, make_user("buyer2"), seats=1)[0]
    door = default_list(employee_client, shop)
    assert scan(employee_client, door, line.ticket_code)["verdict"] == "wrong_event"


def test_list_tickets_and_gates(admin_client, employee_client, shop, lines):
    premium_only = new_list(admin_client, shop, tickets=[shop.tickets["premium"].pk])
    north = new_list(admin_client, shop, name="North", gates=["North 1", "North 2"])
    answer = scan(employee_client, premium_only, lines[0].ticket_code)
    assert (answer["verdict"], answer["words"]) == ("wrong_list", "Not valid at this entrance")
    assert scan(employee_client, north, lines[0].ticket_code, gate="South")["verdict"] == (
        "wrong_gate"
    )
    assert scan(employee_client, north, lines[0].ticket_code, gate="North 2")["verdict"] == (
        "admitted"
    )


def test_the_time_window(admin_client, employee_client, shop, lines):
    now = timezone.now()
    later = new_list(admin_client, shop, starts_at=(now + timedelta(hours=2)).isoformat())
    over = new_list(admin_client, shop, ends_at=(now - timedelta(hours=1)).isoformat())
    assert scan(employee_client, later, lines[0].ticket_code)["verdict"] == "not_yet_valid"
    assert scan(employee_client, over, lines[0].ticket_code)["verdict"] == "expired"
    inside = scan(
        employee_client, later, lines[0].ticket_code, scanned_at=(now + timedelta(hours=3))
    )
    assert inside["verdict"] == "admitted"


def test_exit_and_reentry_rules(admin_client, employee_client, shop, lines):
    code = lines[0].ticket_code
    no_exits = default_list(employee_client, shop)
    assert scan(employee_client, no_exits, code, kind="exit")["verdict"] == "wrong_list"

    once = new_list(admin_client, shop, name="Once", exits=True, reentry=False)
    assert scan(employee_client, once, code, kind="exit")["verdict"] == "not_in"
    assert scan(employee_client, once, code)["verdict"] == "admitted"
    assert scan(employee_client, once, code, kind="exit")["verdict"] == "exited"
    back = scan(employee_client, once, code)
    assert back["verdict"] == "already_in" and "re-entry" in back["reason"]

    again = new_list(admin_client, shop, name="Again", exits=True, reentry=True)
    for verdict, kind in [("admitted", "entry"), ("already_in", "entry"), ("exited", "exit")]:
        assert scan(employee_client, again, code, kind=kind)["verdict"] == verdict
    assert scan(employee_client, again, code)["verdict"] == "admitted"


def test_an_override_is_for_administrators_and_recorded(admin_client, employee_client, shop, lines):
    from enturf_server.checkins.models import CheckinRecord

    door = default_list(employee_client, shop)
    scan(employee_client, door, lines[0].ticket_code, expect=201)
    refused = scan(
        employee_client, door, lines[0].ticket_code, override_reason="Lost stub", expect=403
    )
    assert refused["error"]["code"] == "permission_denied"
    let_in = scan(admin_client, door, lines[0].ticket_code, override_reason="Went to the car")
    assert (let_in["verdict"], let_in["double_entry"]) == ("admitted", False)
    assert let_in["override"] == {
        "reason": "Went to the car",
        "by": "alice",
        "refused": "already_in",
    }
    record = CheckinRecord.objects.get(pk=let_in["id"])
    assert (record.override_by.username, record.server_verdict) == ("alice", "already_in")


def test_only_staff_scan(customer_client, anon_client, employee_client, shop, lines):
    door = default_list(employee_client, shop)
    assert scan(customer_client, door, lines[0].ticket_code)["error"]["code"]
    for client in (customer_client, anon_client):
        r = client.post(SCAN, {"id": str(uuid.uuid4()), "code": "x", "list": door}, format="json")
        assert r.status_code in (401, 403)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"id": "not-a-uuid", "code": "x", "list": 1},
        {"id": str(uuid.uuid4()), "code": "x", "list": 2**40},
        {"id": str(uuid.uuid4()), "code": "x" * 5000, "list": 1},
        {"id": str(uuid.uuid4()), "code": "x", "list": 1, "kind": "sideways"},
        {"id": str(uuid.uuid4()), "code": "x", "list": 1, "scanned_at": "yesterday"},
        {"id": str(uuid.uuid4()), "code": ["x"], "list": "one"},
        {"id": str(uuid.uuid4()), "code": "x", "list": 1, "gate": "g" * 500},
    ],
)
def test_malformed_scans_are_4xx(employee_client, shop, body):
    r = employee_client.post(SCAN, body, format="json")
    assert 400 <= r.status_code < 500, r.content
    assert r.json()["error"]["code"]


def test_a_list_that_does_not_exist_is_404(employee_client, shop, lines):
    answer = scan(employee_client, 999999, lines[0].ticket_code, expect=404)
    assert answer["error"]["code"] == "not_found"
