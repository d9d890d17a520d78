"""The sync engine against the real server, through the fault-injecting proxy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from support.server_process import USERS
from support.staff_users import PASSWORD, new_staff
from support.sync_support import make_show

from enturf_core.seating.best_available import best_seats
from enturf_pos.models import (
    Allocation,
    Area,
    Device,
    Event,
    OutboxOp,
    OutboxState,
    Seat,
    SeatMap,
    SeatStatus,
    Ticket,
    TicketKey,
    Venue,
)
from enturf_pos.services.catalog import ticket_edits
from enturf_pos.services.catalog.event_edits import edit_event
from enturf_pos.services.sales import counter_selectors
from enturf_pos.services.sync import sync_conflicts, sync_engine, sync_state_store
from enturf_pos.services.sync.sync_session import SessionCredentials


@pytest.fixture
def counter(new_counter):
    return new_counter("Counter A")


@pytest.fixture
def other_counter(new_counter):
    return new_counter("Counter B")


def sync(ctx, **kwargs) -> sync_engine.SyncReport:
    report = sync_engine.run_sync(ctx=ctx, **kwargs)
    return report


def local(ctx, model, key):
    with ctx.db.transaction() as s:
        row = s.get(model, key)
        if row is not None:
            s.expunge(row)
        return row


def ops(ctx) -> list[OutboxOp]:
    with ctx.db.transaction() as s:
        rows = s.scalars(select(OutboxOp).order_by(OutboxOp.created_at)).all()
        for row in rows:
            s.expunge(row)
        return list(rows)


def test_first_sync_brings_the_catalog_with_seats_areas_and_status(counter, api):
    show = make_show(api, rows=3, seats=4)
    report = sync(counter)
    assert report.ok, report.message
    assert report.pull.entries > 0
    with counter.db.transaction() as s:
        assert s.get(Venue, show.venue_id) is not None
        seat_map = s.get(SeatMap, show.seat_map_id)
        assert seat_map is not None and seat_map.venue_id == show.venue_id
        seats = s.scalars(select(Seat).where(Seat.seat_map_id == show.seat_map_id)).all()
        assert len(seats) == 12 and {x.row for x in seats} == {"A", "B", "C"}
        assert (
            s.scalar(
                select(func.count()).select_from(Area).where(Area.seat_map_id == show.seat_map_id)
            )
            == 1
        )
        event = s.get(Event, show.event_id)
        assert event.name.startswith("Show") and event.state == "on_sale"
        ticket = s.get(Ticket, show.ticket_ids[1])
        assert ticket.price == Decimal("21.00") and ticket.tax_rate == Decimal("10.00")
        status = s.get(SeatStatus, show.event_id)
        assert status is not None and status.seats == {}
        assert list(status.areas.values()) == [50]
        assert s.scalar(select(func.count()).select_from(TicketKey)) >= 1
        cursor = sync_state_store.cursor(s)
    assert cursor != "0" and not cursor.startswith("s")

    # an incremental sync brings only what changed since
    api.patch(f"events/{show.event_id}/", {"name": "Renamed on the server"})
    again = sync(counter)
    assert again.ok and again.pull.entries == 1
    assert local(counter, Event, show.event_id).name == "Renamed on the server"


def test_edits_go_out_and_the_status_counts_follow(counter, api):
    show = make_show(api)
    assert sync(counter).ok
    ticket_id = show.ticket_ids[0]
    assert ticket_edits.edit_ticket(
        ctx=counter, ticket_id=ticket_id, changes={"price": "24,50", "name": "Adult"}
    ).ok
    assert edit_event(ctx=counter, event_id=show.event_id, changes={"state": "closed"}).ok
    assert sync_engine.counts(counter) == (2, 0, 0)
    report = sync(counter)
    assert report.ok and report.pending == 0 and report.push.applied == 2
    server_ticket = api.get(f"tickets/{ticket_id}/")
    assert server_ticket["price"] == "24.50" and server_ticket["name"] == "Adult"
    assert api.get(f"events/{show.event_id}/")["state"] == "closed"
    assert [op.state for op in ops(counter)] == [OutboxState.APPLIED] * 2
    assert local(counter, Ticket, ticket_id).version == server_ticket["version"]


def test_a_dropped_push_answer_is_retried_without_duplicate_or_loss(counter, api, proxy):
    show = make_show(api)
    assert sync(counter).ok
    ticket_id = show.ticket_ids[0]
    before = api.get(f"tickets/{ticket_id}/")["version"]
    assert ticket_edits.edit_ticket(ctx=counter, ticket_id=ticket_id, changes={"price": "30"}).ok
    proxy.drop_responses(1, match=b"POST /api/v1/sync/push/")
    first = sync(counter)
    assert not first.ok and not first.reachable and first.pending == 1
    assert proxy.responses_dropped == 1
    # the server did apply it, once
    assert api.get(f"tickets/{ticket_id}/")["version"] == before + 1

    second = sync(counter)
    assert second.ok and second.pending == 0
    (op,) = ops(counter)
    assert op.state == OutboxState.APPLIED
    assert op.result["status"] == "duplicate" and op.result["first_status"] == "applied"
    assert op.attempts == 2
    server = api.get(f"tickets/{ticket_id}/")
    assert server["version"] == before + 1 and server["price"] == "30.00"


def test_two_managers_merge_different_fields_and_conflict_on_the_same(counter, other_counter, api):
    show = make_show(api)
    ticket_id = show.ticket_ids[0]
    assert sync(counter).ok and sync(other_counter).ok
    # both edit offline (nothing synced in between)
    assert ticket_edits.edit_ticket(ctx=counter, ticket_id=ticket_id, changes={"name": "Adult"}).ok
    assert ticket_edits.edit_ticket(
        ctx=other_counter, ticket_id=ticket_id, changes={"price": "25.00"}
    ).ok
    assert sync(counter).ok
    merged = sync(other_counter)
    assert merged.ok and merged.conflicts == 0 and merged.push.applied == 1
    assert sync(counter).ok
    for ctx in (counter, other_counter):
        row = local(ctx, Ticket, ticket_id)
        assert (row.name, row.price) == ("Adult", Decimal("25.00"))

    # now the same field, differently
    assert ticket_edits.edit_ticket(ctx=counter, ticket_id=ticket_id, changes={"price": "26"}).ok
    assert ticket_edits.edit_ticket(
        ctx=other_counter, ticket_id=ticket_id, changes={"price": "27", "name": "Grown-up"}
    ).ok
    assert sync(counter).ok
    clash = sync(other_counter)
    assert clash.ok and clash.conflicts == 1
    # the name merged; the price stays the server's (26) here too, with both values kept
    row = local(other_counter, Ticket, ticket_id)
    assert (row.name, row.price) == ("Grown-up", Decimal("26.00"))
    (issue,) = sync_conflicts.open_issues(ctx=other_counter)
    assert issue.state == "conflict" and issue.kind == "ticket" and issue.entity_id == ticket_id
    assert [(f.field, f.mine, f.server) for f in issue.fields] == [("price", "27.00", "26.00")]

    # the manager picks their value: a new op based on the server's version applies it
    assert sync_conflicts.use_mine(ctx=other_counter, op_id=issue.op_id).ok
    assert local(other_counter, Ticket, ticket_id).price == Decimal("27.00")
    done = sync(other_counter)
    assert done.ok and done.conflicts == 0 and done.pending == 0
    assert api.get(f"tickets/{ticket_id}/")["price"] == "27.00"
    assert sync(counter).ok
    assert local(counter, Ticket, ticket_id).price == Decimal("27.00")
    assert sync_conflicts.open_issues(ctx=other_counter) == []


def test_keep_server_closes_the_conflict_and_a_refused_edit_is_shown_then_dismissed(
    counter, other_counter, api
):
    show = make_show(api)
    ticket_id = show.ticket_ids[0]
    assert sync(counter).ok and sync(other_counter).ok
    assert ticket_edits.edit_ticket(ctx=counter, ticket_id=ticket_id, changes={"name": "A"}).ok
    assert ticket_edits.edit_ticket(
        ctx=other_counter, ticket_id=ticket_id, changes={"name": "B"}
    ).ok
    assert sync(counter).ok and sync(other_counter).conflicts == 1
    (issue,) = sync_conflicts.open_issues(ctx=other_counter)
    assert sync_conflicts.keep_server(ctx=other_counter, op_id=issue.op_id).ok
    assert local(other_counter, Ticket, ticket_id).name == "A"
    assert sync(other_counter).ok and api.get(f"tickets/{ticket_id}/")["name"] == "A"

    # the server refuses a change (its event was cancelled meanwhile): shown, then reverted
    api.patch(f"events/{show.event_id}/", {"state": "cancelled"})
    assert ticket_edits.edit_ticket(ctx=counter, ticket_id=ticket_id, changes={"name": "C"}).ok
    report = sync(counter)
    assert report.ok and report.rejected == 1
    (refused,) = sync_conflicts.open_issues(ctx=counter)
    assert (refused.state, refused.code) == ("rejected", "event_cancelled")
    assert "cancel" in refused.reason.lower()  # what the manager reads
    assert local(counter, Ticket, ticket_id).name == "A"  # the server's value again
    assert sync_conflicts.dismiss(ctx=counter, op_id=refused.op_id).ok
    assert sync_engine.counts(counter) == (0, 0, 0)


def test_offline_then_back_the_edits_arrive(counter, api, proxy):
    show = make_show(api)
    assert sync(counter).ok
    proxy.down()
    for price in ("31", "32", "33"):
        assert ticket_edits.edit_ticket(
            ctx=counter, ticket_id=show.ticket_ids[1], changes={"price": price}
        ).ok
    offline = sync(counter)
    assert not offline.ok and not offline.reachable and offline.pending == 3
    assert "cannot be reached" in offline.message
    proxy.up()
    back = sync(counter)
    assert back.ok and back.pending == 0 and back.push.applied == 3
    assert api.get(f"tickets/{show.ticket_ids[1]}/")["price"] == "33.00"


def test_an_offline_session_logs_in_again_in_the_background(counter, api):
    from enturf_pos.services.session.secret_store import Secret

    show = make_show(api)
    counter.secrets.delete(Secret.USER_TOKEN)  # as after an offline login
    assert not sync(counter).ok and sync(counter).needs_login
    creds = SessionCredentials("admin", USERS["admin"][1])
    report = sync(counter, credentials=creds)
    assert report.ok, report.message
    assert local(counter, Event, show.event_id) is not None
    assert counter.secrets.get(Secret.USER_TOKEN)

    # an expired / revoked token (401) is renewed the same way
    counter.secrets.set(Secret.USER_TOKEN, "not-a-valid-token")
    assert sync(counter, credentials=creds).ok
    wrong = SessionCredentials("admin", "wrong-password-123")
    counter.secrets.delete(Secret.USER_TOKEN)
    refused = sync(counter, credentials=wrong)
    assert refused.needs_login and "refused" in refused.message
    assert not refused.account_disabled  # a wrong password: the status bar says it


def test_a_deactivated_users_sync_says_so_and_a_grant_change_is_named(counter, api, server):
    """A deactivated user's session is gone (401) and their login refused: the report says
    `account_disabled` (the window flow logs them out). A pull names the kinds of entries
    it applied, so the UI knows when role grants came."""
    from enturf_pos.services.session import auth_service
    from enturf_pos.services.session.secret_store import Secret

    first = sync(counter)
    assert first.ok and first.pull.brought("role_rights")  # the snapshot's five roles
    assert not sync(counter).pull.brought("role_rights")  # nothing new
    before = api.get("roles/door_steward/")
    try:
        api.call("PUT", "roles/door_steward/", {"rights": ["door_scan", "view_audit"]})
        again = sync(counter)
        assert again.pull.entities == {"role_rights"} and again.pull.brought("role_rights")
    finally:
        keep = {"refund_limit_cents": before["refund_limit_cents"]}
        api.call("PUT", "roles/door_steward/", {"rights": before["rights"], **keep})

    username = new_staff(server, "employee")
    assert auth_service.login(ctx=counter, username=username, password=PASSWORD).ok
    creds = SessionCredentials(username, PASSWORD)
    assert sync(counter, credentials=creds).ok
    (member,) = api.get(f"users/?search={username}")["results"]
    api.post(f"users/{member['id']}/deactivate/", {})
    report = sync(counter, credentials=creds)
    assert report.needs_login and report.account_disabled, report.message
    assert not counter.secrets.get(Secret.USER_TOKEN)
    assert sync(counter, credentials=creds).account_disabled  # not asked again: same answer


def test_a_shrunk_allocation_is_released_by_an_empty_push(counter, api):
    """The server frees seats taken from a counter's allocation only after that counter
    pushed; with nothing in the outbox the counter still pushes (an empty push)."""
    show = make_show(api, rows=1, seats=4)
    seats = [
        s["id"]
        for sec in api.get(f"seatmaps/{show.seat_map_id}/")["sections"]
        for r in sec["rows"]
        for s in r["seats"]
    ]
    with counter.db.transaction() as s:
        device_id = int(s.get(Device, 1).device_id)
    url = f"events/{show.event_id}/allocations/"
    created = api.post(url, {"device": device_id, "seats": seats})
    assert sync(counter).ok

    api.patch(f"{url}{created['id']}/", {"remove_seats": seats[2:]})
    status = {
        s["id"]: s["status"] for s in api.get(f"events/{show.event_id}/availability/")["seats"]
    }
    assert [status[x] for x in seats[2:]] == ["allocated", "allocated"]  # still the counter's

    report = sync(counter)
    assert report.ok and report.push.sent == 0
    status = {
        s["id"]: s["status"] for s in api.get(f"events/{show.event_id}/availability/")["seats"]
    }
    assert [status[x] for x in seats] == ["allocated", "allocated", "available", "available"]
    row = local(counter, Allocation, str(created["id"]))
    assert row.seats == {"ids": seats[:2]} and not row.pending_release["seats"]
    # nothing pending any more: the next sync does not push again
    assert not api.get(f"{url}{created['id']}/")["pending_release"]["seats"]


def test_the_venues_section_ranks_reach_the_counter_and_lead_best_available(counter, api):
    venue = api.post("venues/", {"name": f"Ranked hall {uuid.uuid4().hex[:8]}"})
    sections = [
        {
            "name": name,
            "rank": rank,
            "rows": [
                {
                    "label": "A",
                    "seats": [{"label": str(s + 1), "x": float(s * 10), "y": y} for s in range(4)],
                }
            ],
        }
        for name, rank, y in (("Front", 2, 10.0), ("Back", 1, 60.0))
    ]
    seat_map = api.post("seatmaps/", {"venue": venue["id"], "name": "Main", "sections": sections})
    starts = (datetime.now(UTC) + timedelta(days=5)).replace(microsecond=0)
    event = api.post(
        "events/",
        {
            "seat_map": seat_map["id"],
            "name": "Ranked",
            "starts_at": starts.isoformat(),
            "state": "on_sale",
        },
    )
    assert sync(counter).ok
    with counter.db.transaction() as s:
        assert s.get(SeatMap, seat_map["id"]).section_ranks == {"Front": 2, "Back": 1}
    layout = counter_selectors.event_for_sale(ctx=counter, event_id=event["id"]).layout
    assert {s.name: s.rank for s in layout.sections} == {"Front": 2, "Back": 1}
    picked = best_seats(layout, bytearray([1]) * len(layout), 2)
    assert {layout.seat(layout.index(i)).section for i in picked.seat_ids} == {"Back"}
