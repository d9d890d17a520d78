"""Offline verdicts at the door, on a device whose data came by the (applied) change feed:
genuine server- and counter-signed codes, forged and tampered ones, revocations, the
list's rules, double scans, exits and re-entry, overrides, the last scans and counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from support import door_data as d
from support.server_process import USERS

from enturf_core.checkin_verdicts import Colour, Verdict
from enturf_core.ticket_codes import SigningKey
from enturf_core.wire import ops as wire
from enturf_pos.models import DoorScan, LocalUser, OutboxOp
from enturf_pos.services.door import door_service
from enturf_pos.services.door.door_service import OverrideRefused
from enturf_pos.services.session import approvals, counter_key
from enturf_pos.services.sync import sync_apply


@pytest.fixture
def shop(ctx):
    return d.seed_door(ctx)


def scan(ctx, code, list_id=d.MAIN_LIST, gate="A", kind="entry"):
    return door_service.scan(
        ctx=ctx, code=code, list_id=list_id, gate=gate, kind=kind, online=False
    )


def test_the_device_knows_its_duty_events_and_lists(ctx, shop):
    assert door_service.device_duty(ctx=ctx) == "door"
    [event] = door_service.door_events(ctx=ctx)
    assert (event.id, event.name, event.lists) == (d.EVENT_ID, "Arena night", 3)
    lists = door_service.checkin_lists(ctx=ctx, event_id=d.EVENT_ID)
    assert [(r.name, r.gates, r.exits, r.reentry) for r in lists] == [
        ("Hall with pass-outs", (), True, True),
        ("Main entrance", (), False, False),
        ("VIP lounge", ("V",), False, False),
    ]


def test_a_server_signed_seat_is_admitted_once_then_already_in(ctx, shop):
    line = str(uuid.uuid4())
    d.apply(ctx, d.admission(line, seat=12))
    code = shop.code(line, seat=12)

    first = scan(ctx, code)
    assert (first.verdict, first.colour, first.mode) == (Verdict.ADMITTED, Colour.GREEN, "offline")
    assert first.words == "Welcome in"
    assert (first.ticket_name, first.place_text) == ("Adult", "Stalls, row C, seat 12")

    again = scan(ctx, code, gate="B")
    assert (again.verdict, again.colour) == (Verdict.ALREADY_IN, Colour.AMBER)
    assert again.previous.startswith("in since ") and again.previous.endswith(" at gate A")

    with ctx.db.transaction() as s:
        ops = s.scalars(select(OutboxOp).where(OutboxOp.type == wire.CHECKIN)).all()
        payloads = sorted((o.payload["verdict"], o.payload["gate"]) for o in ops)
    assert payloads == [("admitted", "A"), ("already_in", "B")]
    checkin = wire.Checkin.from_wire(ops[0].payload)
    assert checkin.code == code and checkin.list == d.MAIN_LIST


def test_a_code_a_counter_signed_offline_is_admitted_on_its_device_key(ctx, shop):
    result = scan(ctx, shop.code(area=d.AREA_ID, by_counter=True))
    assert result.verdict is Verdict.ADMITTED
    assert "Box office 1" in result.reason
    assert result.place_text == "Standing floor"


def test_forged_tampered_and_foreign_codes_are_refused(ctx, shop):
    genuine = shop.code(seat=3)
    version, key_id, body, signature = genuine.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    forged = shop.code(seat=3, key=SigningKey.generate())
    for code, words in (
        (f"{version}.{key_id}.{flipped}.{signature}", "altered or forged"),
        (forged, "does not know"),
        ("not a ticket at all", "not an Enturf ticket"),
        ("", "not an Enturf ticket"),
    ):
        result = scan(ctx, code)
        assert (result.verdict, result.colour) == (Verdict.UNKNOWN, Colour.RED), code
        assert words in result.reason
    assert scan(ctx, shop.code(seat=3, event=d.OTHER_EVENT_ID)).verdict is Verdict.WRONG_EVENT
    assert scan(ctx, genuine).verdict is Verdict.ADMITTED  # the genuine one still enters


def test_revocations_of_the_feed_refuse_at_the_door(ctx, shop):
    refunded, cancelled, unpaid, reissued = (str(uuid.uuid4()) for _ in range(4))
    old_code = shop.code(reissued)
    d.apply(
        ctx,
        d.admission(refunded, state="refunded"),
        d.admission(cancelled, state="cancelled"),
        d.admission(unpaid, state="not_paid"),
        d.admission(reissued, nonce="AAAAAAAAAAA"),
    )
    assert scan(ctx, shop.code(refunded)).verdict is Verdict.REFUNDED
    assert scan(ctx, shop.code(cancelled)).verdict is Verdict.CANCELLED
    assert scan(ctx, shop.code(unpaid)).verdict is Verdict.NOT_PAID
    stale = scan(ctx, old_code)
    assert stale.verdict is Verdict.UNKNOWN and "replaced" in stale.reason


def test_the_lists_tickets_gates_and_window(ctx, shop):
    adult, vip = str(uuid.uuid4()), str(uuid.uuid4())
    d.apply(ctx, d.admission(adult), d.admission(vip, ticket=d.VIP))
    assert scan(ctx, shop.code(adult), list_id=d.VIP_LIST, gate="V").verdict is Verdict.WRONG_LIST
    assert scan(ctx, shop.code(vip), list_id=d.VIP_LIST, gate="A").verdict is Verdict.WRONG_GATE
    assert scan(ctx, shop.code(vip), list_id=d.VIP_LIST, gate="V").verdict is Verdict.ADMITTED

    now = datetime.now(UTC)
    d.apply(ctx, d.checkin_list(d.MAIN_LIST, "Main entrance", starts_at=now + timedelta(hours=1)))
    assert scan(ctx, shop.code(adult)).verdict is Verdict.NOT_YET_VALID
    d.apply(ctx, d.checkin_list(d.MAIN_LIST, "Main entrance", ends_at=now - timedelta(hours=1)))
    assert scan(ctx, shop.code(adult)).verdict is Verdict.EXPIRED
    assert scan(ctx, shop.code(adult), list_id=999).verdict is Verdict.WRONG_LIST


def test_exit_and_reentry_rules(ctx, shop):
    line = str(uuid.uuid4())
    code = shop.code(line)
    assert scan(ctx, code, list_id=d.EXIT_LIST, kind="exit").verdict is Verdict.NOT_IN
    assert scan(ctx, code, list_id=d.EXIT_LIST).verdict is Verdict.ADMITTED
    out = scan(ctx, code, list_id=d.EXIT_LIST, kind="exit")
    assert (out.verdict, out.colour) == (Verdict.EXITED, Colour.GREEN)
    assert scan(ctx, code, list_id=d.EXIT_LIST, kind="exit").verdict is Verdict.NOT_IN
    back = scan(ctx, code, list_id=d.EXIT_LIST)
    assert back.verdict is Verdict.ADMITTED and back.previous.startswith("out since")
    assert door_service.door_counts(ctx=ctx, list_id=d.EXIT_LIST) == (2, 1, 1)

    # no re-entry: out once, never back in; a list without exit scanning refuses exits
    d.apply(ctx, d.checkin_list(d.EXIT_LIST, "Hall", exits=True, reentry=False))
    assert scan(ctx, code, list_id=d.EXIT_LIST, kind="exit").verdict is Verdict.EXITED
    no_way = scan(ctx, code, list_id=d.EXIT_LIST)
    assert no_way.verdict is Verdict.ALREADY_IN and "no re-entry" in no_way.reason
    assert scan(ctx, code, kind="exit").verdict is Verdict.WRONG_LIST


def test_another_devices_entry_from_the_feed_makes_it_already_in(ctx, shop):
    line = str(uuid.uuid4())
    d.apply(ctx, d.record(uuid.uuid4(), line, gate="North"))
    result = scan(ctx, shop.code(line))
    assert result.verdict is Verdict.ALREADY_IN
    assert result.previous.endswith("at gate North")
    assert door_service.door_counts(ctx=ctx, list_id=d.MAIN_LIST) == (1, 0, 1)


def test_a_supervisor_overrides_a_refusal_and_it_is_recorded(ctx, shop):
    admin_password = USERS["admin"][1]
    with ctx.db.transaction() as s:
        s.add(
            LocalUser(
                id=1,
                username="admin",
                role="admin",
                password_hash=counter_key.new_hash(ctx, admin_password),
                last_online_login=datetime.now(UTC),
            )
        )
        # the admin signed in here once online: their sealed approval key (auth_service)
        s.add(approvals._seal(ctx, 1, SigningKey.generate(), admin_password))
        s.add(
            LocalUser(
                id=2,
                username="cashier",
                role="employee",
                password_hash=counter_key.new_hash(ctx, USERS["cashier"][1]),
                last_online_login=datetime.now(UTC),
            )
        )
    line = str(uuid.uuid4())
    d.apply(ctx, d.admission(line, state="refunded"))
    refused = scan(ctx, shop.code(line))
    assert refused.verdict is Verdict.REFUNDED

    with pytest.raises(OverrideRefused, match="reason"):
        door_service.override(
            ctx=ctx,
            scan_id=refused.scan_id,
            reason=" ",
            supervisor="admin",
            password=admin_password,
        )
    with pytest.raises(OverrideRefused, match="Wrong administrator"):
        door_service.override(
            ctx=ctx,
            scan_id=refused.scan_id,
            reason="Refund by mistake",
            supervisor="admin",
            password="nope",
        )
    with pytest.raises(OverrideRefused, match="not an administrator"):
        door_service.override(
            ctx=ctx,
            scan_id=refused.scan_id,
            reason="Refund by mistake",
            supervisor="cashier",
            password=USERS["cashier"][1],
        )

    let_in = door_service.override(
        ctx=ctx,
        scan_id=refused.scan_id,
        reason="Refund by mistake",
        supervisor="admin",
        password=admin_password,
    )
    assert (let_in.overridden, let_in.colour, let_in.verdict) == (
        True,
        Colour.GREEN,
        Verdict.REFUNDED,
    )
    assert let_in.words == "Let in by admin" and let_in.reason == "Refund by mistake"
    with ctx.db.transaction() as s:
        op = s.get(OutboxOp, let_in.scan_id)
        row = s.get(DoorScan, let_in.scan_id)
        assert row.override_of == refused.scan_id
    sent = wire.Checkin.from_wire(op.payload)
    assert (sent.override_by, sent.override_reason, sent.verdict) == (
        "admin",
        "Refund by mistake",
        "refunded",
    )
    # what the server takes the override on: the admin's signed approval of this scan
    assert sent.approval is not None
    assert sent.approval["statement"]["kind"] == wire.DOOR_OVERRIDE
    assert sent.approval["statement"]["subject"] == str(let_in.scan_id)
    # the person is in now
    assert scan(ctx, shop.code(line)).verdict is Verdict.REFUNDED
    with pytest.raises(OverrideRefused, match="Nothing to override"):
        door_service.override(
            ctx=ctx,
            scan_id=let_in.scan_id,
            reason="again",
            supervisor="admin",
            password=admin_password,
        )


def test_the_last_ten_scans_newest_first(ctx, shop):
    codes = [shop.code(seat=i) for i in range(1, 13)]
    results = [scan(ctx, c) for c in codes]
    recent = door_service.recent_scans(ctx=ctx)
    assert len(recent) == 10
    assert [r.scan_id for r in recent] == [r.scan_id for r in reversed(results[2:])]
    assert recent[0].place_text == "Stalls, row C, seat 12"


def test_the_feed_deletes_a_list_and_a_restart_from_a_snapshot_keeps_own_scans(ctx, shop):
    scan(ctx, shop.code(seat=5))
    d.apply(ctx, d.entry("checkin_list", d.VIP_LIST, {}, op="delete"))
    names = [r.name for r in door_service.checkin_lists(ctx=ctx, event_id=d.EVENT_ID)]
    assert names == ["Hall with pass-outs", "Main entrance"]

    with ctx.db.transaction() as s:
        sync_apply.clear_synced_data(s)  # the server answered 410
    assert door_service.door_events(ctx=ctx) == []
    assert len(door_service.recent_scans(ctx=ctx)) == 1
