"""Door devices against the real server (through the fault-injecting proxy): the QR codes
read back from printed ticket PDFs (the server's print-at-home tickets, signed by the
server; a counter's tickets, signed by its device key), scanned online and offline; two
gates online; two gates offline then synced (the double entry flagged); a refund reaching
the door by the next sync; forged and tampered codes; a supervisor's override; the server
going away mid-shift."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support.door_live import (
    codes_of_pdf,
    lists_of,
    new_list,
    printed_codes,
    seat_ids,
    set_door_duty,
    web_booking,
)
from support.door_scans import tampered
from support.open_drawer import open_drawer
from support.server_process import USERS
from support.sync_support import make_show

from enturf_core.checkin_verdicts import Colour, Verdict
from enturf_core.ticket_codes import SigningKey, TicketPayload, sign
from enturf_core.ticket_pdf import render_tickets_a4
from enturf_pos.models import CheckinRecord, OutboxOp, OutboxState
from enturf_pos.services.door import door_service
from enturf_pos.services.printing import documents
from enturf_pos.services.sales import counter_selectors, sale_service
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.sync import sync_engine

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def show(api):
    return make_show(api, tickets=1, rows=2, seats=5)


@pytest.fixture
def door(api, new_counter):
    """Makes door devices: registered, set to door duty, a steward logged in, synced."""

    def make(name: str):
        ctx = new_counter(name, "cashier")
        set_door_duty(api, ctx)
        synced(ctx)
        return ctx

    return make


def synced(ctx) -> None:
    report = sync_engine.run_sync(ctx=ctx)
    assert report.ok and report.pending == 0, report.message


def scan(ctx, code, list_id, *, gate="A", kind="entry", online=None):
    return door_service.scan(
        ctx=ctx, code=code, list_id=list_id, gate=gate, kind=kind, online=online
    )


def test_printed_web_tickets_at_two_gates_online(api, show, door):
    seats = seat_ids(api, show)
    booking = web_booking(api, show, seats[:2])
    codes = printed_codes(api, booking["id"])
    assert len(codes) == 2
    [main] = lists_of(api, show)
    gate_a, gate_b = door("Gate A"), door("Gate B")
    assert door_service.device_duty(ctx=gate_a) == "door"
    assert door_service.current_mode(ctx=gate_a) == "online"
    # the server may hold other tests' events too
    assert show.event_id in [e.id for e in door_service.door_events(ctx=gate_a)]
    [row] = door_service.checkin_lists(ctx=gate_a, event_id=show.event_id)
    assert row.id == main["id"]

    first = scan(gate_a, codes[0], main["id"])
    assert (first.verdict, first.colour, first.mode) == (Verdict.ADMITTED, Colour.GREEN, "online")
    assert first.ticket_name == "Price 1"
    assert first.place_text in ("Stalls, row A, seat 1", "Stalls, row A, seat 2")
    again = scan(gate_a, codes[0], main["id"])
    assert (again.verdict, again.mode) == (Verdict.ALREADY_IN, "online")

    elsewhere = scan(gate_b, codes[0], main["id"], gate="B")
    assert (elsewhere.verdict, elsewhere.colour) == (Verdict.ALREADY_IN, Colour.AMBER)
    assert elsewhere.previous.startswith("in since ") and elsewhere.previous.endswith("gate A")
    assert scan(gate_b, codes[1], main["id"], gate="B").verdict is Verdict.ADMITTED

    synced(gate_b)  # the server's records come by the feed: gate B knows both are in
    assert door_service.door_counts(ctx=gate_b, list_id=main["id"]) == (2, 0, 2)
    offline_b = scan(gate_b, codes[0], main["id"], gate="B", online=False)
    assert (offline_b.verdict, offline_b.mode) == (Verdict.ALREADY_IN, "offline")


def test_a_counters_printed_tickets_enter_on_its_device_key(api, show, door, new_counter):
    seats = seat_ids(api, show)
    [main] = lists_of(api, show)
    counter = new_counter("Box office", "cashier")
    open_drawer(counter)
    synced(counter)
    event = counter_selectors.event_for_sale(ctx=counter, event_id=show.event_id)
    cart = Cart(event_id=event.id, tickets=event.tickets, area_names={})
    cart.set_seats([SeatPick(s, f"Seat {s}", "standard") for s in seats[4:6]])
    sale = sale_service.record_cash_sale(
        ctx=counter,
        cart=cart,
        tendered=cart.totals().total,
        seller="cashier",
        hold_id=None,
        offline=False,
    )
    assert sale.ok, sale.message
    codes = codes_of_pdf(render_tickets_a4(documents.tickets_for_sale(counter, sale.sale_id)))
    assert len(codes) == 2

    gate = door("Gate C")  # knows the counter's key, not its sale (not pushed yet)
    offline = scan(gate, codes[0], main["id"], online=False)
    assert (offline.verdict, offline.mode) == (Verdict.ADMITTED, "offline")
    assert "Box office" in offline.reason
    online = scan(gate, codes[1], main["id"])
    assert (online.verdict, online.mode) == (Verdict.ADMITTED, "online")

    synced(counter)  # the sale reaches the server
    synced(gate)  # the offline scan too, and the sale's admissions come back
    assert scan(gate, codes[0], main["id"]).verdict is Verdict.ALREADY_IN
    assert scan(gate, codes[1], main["id"], online=False).verdict is Verdict.ALREADY_IN


def test_two_gates_offline_then_sync_flag_the_double_entry(api, show, door):
    booking = web_booking(api, show, seat_ids(api, show)[:1])
    [code] = printed_codes(api, booking["id"])
    [main] = lists_of(api, show)
    gate_a, gate_b = door("Gate A"), door("Gate B")

    first = scan(gate_a, code, main["id"], online=False)
    second = scan(gate_b, code, main["id"], gate="B", online=False)
    assert first.verdict is Verdict.ADMITTED and second.verdict is Verdict.ADMITTED

    synced(gate_b)  # the later scan arrives first: no double entry yet
    assert not door_service.recent_scans(ctx=gate_b)[0].double_entry
    synced(gate_a)  # the earlier one arrives: the server flags gate B's entry
    assert not door_service.recent_scans(ctx=gate_a)[0].double_entry
    synced(gate_b)
    flagged = door_service.recent_scans(ctx=gate_b)[0]
    assert (flagged.scan_id, flagged.double_entry) == (second.scan_id, True)
    with gate_a.db.transaction() as s:
        records = s.scalars(select(CheckinRecord).where(CheckinRecord.list_id == main["id"]))
        assert sorted(r.double_entry for r in records) == [False, True]


def test_a_refunded_ticket_is_refused_after_the_next_sync(api, show, door):
    booking = web_booking(api, show, seat_ids(api, show)[:2])
    codes = printed_codes(api, booking["id"])
    [main] = lists_of(api, show)
    gate = door("Gate A")
    api.post("refunds/", {"booking": booking["id"], "reason": "cannot come"})

    synced(gate)
    offline = scan(gate, codes[0], main["id"], online=False)
    assert (offline.verdict, offline.colour) == (Verdict.REFUNDED, Colour.RED)
    online = scan(gate, codes[1], main["id"])
    assert (online.verdict, online.mode) == (Verdict.REFUNDED, "online")


def test_forged_and_tampered_codes_are_refused_online_and_offline(api, show, door):
    booking = web_booking(api, show, seat_ids(api, show)[:1])
    [code] = printed_codes(api, booking["id"])
    [main] = lists_of(api, show)
    gate = door("Gate A")
    forged = sign(TicketPayload("1", show.event_id, seat_id=1), SigningKey.generate())
    for bad in (forged, tampered(code)):
        for online in (None, False):
            result = scan(gate, bad, main["id"], online=online)
            assert (result.verdict, result.colour) == (Verdict.UNKNOWN, Colour.RED)
            assert result.mode == ("offline" if online is False else "online")
    blank = scan(gate, "", main["id"])  # Enter with nothing scanned: the server says 400
    assert blank.verdict is Verdict.UNKNOWN
    assert door_service.current_mode(ctx=gate) == "online"  # that is no network failure
    genuine = scan(gate, code, main["id"])
    assert (genuine.verdict, genuine.mode) == (Verdict.ADMITTED, "online")


def test_a_supervisors_override_is_recorded_on_the_server(api, show, door):
    booking = web_booking(api, show, seat_ids(api, show)[:1])
    [code] = printed_codes(api, booking["id"])
    [main] = lists_of(api, show)
    vip = new_list(api, show, gates=["V"])
    gate = door("Gate A")
    refused = scan(gate, code, vip["id"], gate="A", online=False)
    assert refused.verdict is Verdict.WRONG_GATE

    with pytest.raises(door_service.OverrideRefused):
        door_service.override(
            ctx=gate,
            scan_id=refused.scan_id,
            reason="Guest of the band",
            supervisor="cashier",
            password=USERS["cashier"][1],
        )
    let_in = door_service.override(
        ctx=gate,
        scan_id=refused.scan_id,
        reason="Guest of the band",
        supervisor="admin",
        password=USERS["admin"][1],
    )
    assert (let_in.overridden, let_in.colour) == (True, Colour.GREEN)
    assert [r.scan_id for r in door_service.recent_scans(ctx=gate)[:2]] == [
        let_in.scan_id,
        refused.scan_id,
    ]
    synced(gate)
    with gate.db.transaction() as s:
        op = s.get(OutboxOp, let_in.scan_id)
        assert op.state == OutboxState.APPLIED, op.last_error
        record = s.get(CheckinRecord, let_in.scan_id)
        assert record.verdict == Verdict.ADMITTED
    assert scan(gate, code, vip["id"], gate="V").verdict is Verdict.ALREADY_IN
    assert main["id"] != vip["id"]


def test_the_door_goes_offline_by_itself_when_the_server_goes_away(api, show, door, proxy):
    booking = web_booking(api, show, seat_ids(api, show)[:2])
    codes = printed_codes(api, booking["id"])
    [main] = lists_of(api, show)
    gate = door("Gate A")
    assert scan(gate, codes[0], main["id"]).mode == "online"

    proxy.down()
    away = scan(gate, codes[1], main["id"])
    assert (away.verdict, away.mode) == (Verdict.ADMITTED, "offline")
    assert door_service.current_mode(ctx=gate) == "offline"
    assert scan(gate, codes[0], main["id"]).verdict is Verdict.ALREADY_IN  # known here
    with gate.db.transaction() as s:
        op = s.get(OutboxOp, away.scan_id)
        assert op.state == OutboxState.PENDING

    proxy.up()
    door_service.server_is_back(ctx=gate)
    synced(gate)
    back = scan(gate, codes[1], main["id"], gate="B")
    assert (back.verdict, back.mode) == (Verdict.ALREADY_IN, "online")
    assert back.previous.endswith("gate A")
