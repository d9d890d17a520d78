"""Scans made offline and pushed (op `checkin`): every scan kept, refused ones too; two
doors that admitted one ticket offline give a double entry on the later; a replay is the
same record; a counter's offline sale is admitted on its signature and linked later."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from support.counters import pos_client, push, push_ops, register_counter, sale_line, sale_payload
from support.door_scans import checkin_op, default_list, paid_lines, scan, tampered

from enturf_core.approvals import ApprovalStatement, sign_statement
from enturf_core.ticket_codes import SigningKey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_signing_key")]


@pytest.fixture
def lines(shop, make_user):
    return paid_lines(shop, make_user("buyer"), seats=2)


@pytest.fixture
def doors(make_user):
    """Two door devices with a steward on each: [(device, client)]."""
    steward = make_user("steward", "employee")
    made = []
    for name in ("Door 1", "Door 2"):
        device, token, _key = register_counter(name)
        made.append((device, pos_client(steward, token)))
    return made


def _records():
    from enturf_server.checkins.models import CheckinRecord

    return list(CheckinRecord.objects.order_by("scanned_at"))


def test_two_doors_admitting_one_ticket_offline_flag_the_later(doors, shop, lines):
    (_d1, door1), (_d2, door2) = doors
    door = default_list(door1, shop)
    now = timezone.now()
    code = lines[0].ticket_code
    # the later scan reaches the server first: the flag still goes to the later one
    later = push_ops(door2, checkin_op(door, code, at=now, gate="B"))[0]
    assert (later["status"], later["verdict"], later["double_entry"]) == (
        "applied",
        "admitted",
        False,
    )
    earlier = push_ops(door1, checkin_op(door, code, at=now - timedelta(minutes=5)))[0]
    assert (earlier["verdict"], earlier["double_entry"]) == ("admitted", False)
    first, second = _records()
    assert (first.gate, first.double_entry) == ("A", False)
    assert (second.gate, second.double_entry, second.verdict) == ("B", True, "admitted")


def test_every_scan_is_kept_refused_ones_too(doors, shop, lines):
    from enturf_server.sales.models import BookingLine, LineState

    (_d1, door1), _ = doors
    door = default_list(door1, shop)
    BookingLine.objects.filter(pk=lines[1].pk).update(state=LineState.REFUNDED)
    now = timezone.now()
    results = push_ops(
        door1,
        checkin_op(door, "garbage", at=now, verdict="unknown"),
        checkin_op(door, tampered(lines[0].ticket_code), at=now, verdict="unknown"),
        # the door did not know of the refund yet: it let them in; the server says refunded
        checkin_op(door, lines[1].ticket_code, at=now, verdict="admitted"),
    )
    assert [r["verdict"] for r in results] == ["unknown", "unknown", "refunded"]
    records = _records()
    assert len(records) == 3
    refunded = next(r for r in records if r.server_verdict == "refunded")
    assert refunded.verdict == "admitted" and refunded.offline
    assert all(r.code_digest and r.line_ref is None for r in records if r.verdict == "unknown")


def test_a_replayed_scan_is_the_same_record(doors, shop, lines):
    (_d1, door1), _ = doors
    door = default_list(door1, shop)
    op = checkin_op(door, lines[0].ticket_code, at=timezone.now(), id=uuid.uuid4())
    first = push_ops(door1, op)[0]
    again = push_ops(door1, op)[0]  # a new op id, the same scan
    assert first["checkin"] == again["checkin"]
    assert again["double_entry"] is False
    assert len(_records()) == 1


def test_an_online_scan_after_an_offline_one_is_already_in(doors, shop, lines):
    (_d1, door1), (_d2, door2) = doors
    door = default_list(door1, shop)
    push_ops(
        door1, checkin_op(door, lines[0].ticket_code, at=timezone.now() - timedelta(minutes=1))
    )
    assert scan(door2, door, lines[0].ticket_code)["verdict"] == "already_in"


def test_a_counter_sale_not_yet_on_the_server_is_admitted_and_linked_later(counter, doors, shop):
    from enturf_server.checkins.models import CheckinRecord

    _device, cashier, key = counter
    (_d1, door1), _ = doors
    door = default_list(door1, shop)
    seat = shop.seats_by_category["standard"][5]
    line = sale_line(shop, "standard", seat=seat, key=key)
    answer = scan(door1, door, line["ticket_code"], expect=201)
    assert answer["verdict"] == "admitted" and answer["line"] == line["id"]
    assert "counter" in answer["reason"]
    assert CheckinRecord.objects.get(pk=answer["id"]).line_id is None
    assert scan(door1, door, line["ticket_code"])["verdict"] == "already_in"
    assert push(cashier, sale_payload(shop, [line]))[0]["status"] == "applied"
    assert str(CheckinRecord.objects.get(pk=answer["id"]).line_id) == line["id"]


def test_an_override_in_an_op_needs_an_administrator(doors, shop, lines, make_user):
    from enturf_server.accounts.models import ApprovalKey

    (device1, door1), _ = doors
    door = default_list(door1, shop)
    sup = make_user("sup", "admin")
    key = SigningKey.generate()  # sup's approval key, registered on door 1
    ApprovalKey.objects.create(
        user=sup, device=device1, key_id=key.key_id, public_key=key.public_key_base64()
    )
    code = lines[0].ticket_code
    now = timezone.now()
    push_ops(door1, checkin_op(door, code, at=now - timedelta(minutes=2)))
    refused = push_ops(
        door1,
        checkin_op(
            door, code, at=now, verdict="already_in", override_reason="x", override_by="steward"
        ),
    )[0]
    assert (refused["status"], refused["code"]) == ("rejected", "permission_denied")
    # an administrator's name alone proves nothing
    named = push_ops(
        door1,
        checkin_op(
            door, code, at=now, verdict="already_in", override_reason="Re-entry", override_by="sup"
        ),
    )[0]
    assert (named["status"], named["code"]) == ("rejected", "permission_denied")
    scan_id = uuid.uuid4()
    statement = ApprovalStatement(
        kind="door_override",
        subject=str(scan_id),
        figures={"reason": "Re-entry"},
        approver=sup.pk,
        device=device1.pk,
        at=datetime.now(UTC),
    )
    ok = push_ops(
        door1,
        checkin_op(
            door,
            code,
            id=scan_id,
            at=now,
            verdict="already_in",
            override_reason="Re-entry",
            override_by="sup",
            approval=sign_statement(statement, key),
        ),
    )[0]
    assert (ok["status"], ok["verdict"], ok["double_entry"]) == ("applied", "already_in", False)
    record = _records()[-1]
    assert (record.verdict, record.override_by.username) == ("admitted", "sup")


@pytest.mark.parametrize(
    "change",
    [
        {"list": 2**40},
        {"list": 999999},
        {"verdict": "maybe"},
        {"kind": "sideways"},
        {"scanned_at": "yesterday"},
        {"code": None},
    ],
)
def test_bad_ops_are_rejected_not_500(doors, shop, lines, change):
    (_d1, door1), _ = doors
    door = default_list(door1, shop)
    _type, payload = checkin_op(door, lines[0].ticket_code, at=timezone.now())
    result = push_ops(door1, ("checkin", {**payload, **change}))[0]
    assert result["status"] == "rejected" and result["code"]


def test_a_customer_cannot_push_scans(shop, lines, make_user, client_for):
    customer = client_for(make_user("carl"))
    _type, payload = checkin_op(1, lines[0].ticket_code, at=timezone.now())
    r = customer.post(
        "/api/v1/sync/push/",
        {"ops": [{"id": str(uuid.uuid4()), "type": "checkin", "payload": payload}]},
        format="json",
    )
    assert r.status_code == 403 or r.json()["results"][0]["status"] == "rejected"


def test_a_door_supervisor_overrides_or_approves_a_stewards_override(shop, lines, make_user):
    """Issue 16: the right door_override, not the admin role. A supervisor overrides
    themselves; a steward's override passes with a supervisor's signed approval, and not
    with one signed by someone whose role lacks the right."""
    from enturf_server.accounts.models import ApprovalKey

    device, token, _ = register_counter("North door")
    steward = pos_client(make_user("dora", "door_steward"), token)
    supervisor_user = make_user("sue", "door_supervisor")
    supervisor = pos_client(supervisor_user, token)
    door = default_list(steward, shop)
    now = timezone.now()
    first, second = lines[0].ticket_code, lines[1].ticket_code
    push_ops(steward, checkin_op(door, first, at=now - timedelta(minutes=3)))
    push_ops(steward, checkin_op(door, second, at=now - timedelta(minutes=3)))

    again = {"at": now, "verdict": "already_in", "override_reason": "Re-entry"}
    refused = push_ops(steward, checkin_op(door, first, **again))[0]
    assert (refused["status"], refused["code"]) == ("rejected", "permission_denied")
    own = push_ops(supervisor, checkin_op(door, first, **again))[0]
    assert own["status"] == "applied", own
    assert _records()[-1].override_by.username == "sue"

    def signed(signer, scan_id):
        key = SigningKey.generate()
        ApprovalKey.objects.create(
            user=signer, device=device, key_id=key.key_id, public_key=key.public_key_base64()
        )
        statement = ApprovalStatement(
            kind="door_override",
            subject=str(scan_id),
            figures={"reason": "Re-entry"},
            approver=signer.pk,
            device=device.pk,
            at=datetime.now(UTC),
        )
        return sign_statement(statement, key)

    cashier = make_user("till", "employee")  # scans, but may not override
    scan_id = uuid.uuid4()
    op = checkin_op(door, second, id=scan_id, approval=signed(cashier, scan_id), **again)
    not_allowed = push_ops(steward, op)[0]
    assert (not_allowed["status"], not_allowed["code"]) == ("rejected", "approver_not_admin")
    scan_id = uuid.uuid4()
    op = checkin_op(door, second, id=scan_id, approval=signed(supervisor_user, scan_id), **again)
    ok = push_ops(steward, op)[0]
    assert ok["status"] == "applied", ok
    record = _records()[-1]
    assert (record.user.username, record.override_by.username) == ("dora", "sue")
