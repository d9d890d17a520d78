"""The server's answers to a manager's set-up ops, through the real push code with a
stand-in for the server's push endpoint: temporary ids replaced, drafts settled,
refused changes undone and listed for the manager."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from support.back_office_feed import (
    AREA,
    EVENT,
    SEAT_MAP,
    STANDARD_TICKET,
    VENUE,
    apply,
    entry,
    layout,
    seat_map_entry,
    seed,
)
from support.back_office_feed import (
    answer_pushes as push,
)

from enturf_core.wire import ops as wire
from enturf_pos.models import Event, OutboxOp, SeatMapDraft, SeatStatus, Ticket
from enturf_pos.services.catalog import (
    allocation_edits,
    catalog_selectors,
    event_setup,
    seat_blocks,
    seatmap_drafts,
)
from enturf_pos.services.catalog.event_setup import TicketDraft
from enturf_pos.services.sync import sync_conflicts

START = datetime(2031, 6, 5, 18, 0, tzinfo=UTC)
STALLS = TicketDraft("Stalls", Decimal("30"), Decimal("10"), category="standard")
FLOOR = TicketDraft("Standing", Decimal("15"), Decimal("10"), area_id=AREA)


@pytest.fixture
def seeded(ctx):
    seed(ctx)
    return ctx


def test_an_event_created_offline_takes_the_servers_ids_without_duplicates(seeded):
    temp = event_setup.create_event(
        ctx=seeded, seat_map_id=SEAT_MAP, name="Gala", starts_at=START, tickets=(STALLS,)
    ).new_id
    later = event_setup.create_ticket(ctx=seeded, event_id=temp, ticket=FLOOR).new_id
    server_ids = iter((5001, 5002))

    def answer(op):
        if op["type"] == wire.EVENT_CREATE:
            ticket = op["payload"]["tickets"][0]["id"]
            return {"status": "applied", "event": 500, "tickets": {ticket: next(server_ids)}}
        assert op["payload"]["event_ref"] == op_ids[0]
        return {"status": "applied", "ticket": next(server_ids)}

    with seeded.db.transaction() as s:
        op_ids = [str(o.id) for o in s.scalars(select(OutboxOp).order_by(OutboxOp.created_at))]
    push(seeded, answer)
    rows = {r.id: r for r in catalog_selectors.all_events(ctx=seeded)}
    assert temp not in rows and rows[500].on_server and rows[500].name == "Gala"
    tickets = catalog_selectors.tickets_of(ctx=seeded, event_id=500)
    assert [(t.id, t.ticket.name) for t in tickets] == [(5001, "Stalls"), (5002, "Standing")]
    assert later < 0
    # the feed then brings the same rows: still one of each
    apply(
        seeded,
        entry(
            "event",
            500,
            {
                "id": 500,
                "seat_map": SEAT_MAP,
                "venue": VENUE,
                "name": "Gala",
                "starts_at": START.isoformat(),
                "state": "draft",
            },
        ),
        entry(
            "ticket",
            5001,
            {"id": 5001, "event": 500, "name": "Stalls", "price": "30.00", "category": "standard"},
        ),
    )
    with seeded.db.transaction() as s:
        assert s.scalars(select(Event.id).order_by(Event.id)).all() == [EVENT, 500]
        assert s.scalars(select(Ticket.id).where(Ticket.event_id == 500)).all() == [5001, 5002]


def test_rows_the_feed_brought_first_win_over_the_temporary_ones(seeded):
    temp = event_setup.create_event(
        ctx=seeded, seat_map_id=SEAT_MAP, name="Gala", starts_at=START, tickets=(STALLS,)
    ).new_id
    apply(
        seeded,
        entry(
            "event",
            500,
            {"id": 500, "seat_map": SEAT_MAP, "name": "Gala", "starts_at": START.isoformat()},
        ),
        entry(
            "ticket",
            5001,
            {"id": 5001, "event": 500, "name": "Stalls", "price": "30.00", "category": "standard"},
        ),
    )

    def answer(op):
        ticket = op["payload"]["tickets"][0]["id"]
        return {
            "status": "duplicate",
            "first_status": "applied",
            "event": 500,
            "tickets": {ticket: 5001},
        }

    push(seeded, answer)
    with seeded.db.transaction() as s:
        assert s.get(Event, temp) is None
        assert s.scalars(select(Ticket.id).where(Ticket.event_id == 500)).all() == [5001]


def test_a_refused_event_goes_and_is_listed_with_the_reason(seeded):
    temp = event_setup.create_event(
        ctx=seeded, seat_map_id=SEAT_MAP, name="Gala", starts_at=START, tickets=(STALLS,)
    ).new_id
    push(
        seeded,
        lambda op: {
            "status": "rejected",
            "code": "invalid",
            "reason": "Sales cannot end after the event.",
        },
    )
    assert temp not in {r.id for r in catalog_selectors.all_events(ctx=seeded)}
    with seeded.db.transaction() as s:
        assert s.scalars(select(Ticket.id).where(Ticket.id < 0)).all() == []
    (issue,) = sync_conflicts.open_issues(ctx=seeded)
    assert (issue.kind, issue.entity_name) == ("New event", "Gala")
    assert issue.reason == "Sales cannot end after the event."


def test_a_refused_block_puts_the_seats_back_and_is_listed(seeded):
    assert seat_blocks.block_seats(ctx=seeded, event_id=EVENT, seat_ids=[9, 10], reason="kill").ok
    push(
        seeded,
        lambda op: {
            "status": "rejected",
            "code": "seats_unavailable",
            "reason": "Seat 9 is sold.",
            "details": {"seats": {"9": "sold"}},
        },
    )
    assert seat_blocks.blocked_seats(ctx=seeded, event_id=EVENT) == {5: "camera"}
    with seeded.db.transaction() as s:
        seats = s.get(SeatStatus, EVENT).seats
    assert seats.get("9") == "sold" and "10" not in seats
    (issue,) = sync_conflicts.open_issues(ctx=seeded)
    assert issue.kind == "Blocked seats" and "Seat 9 is sold." in issue.reason
    assert "Circle A 1" in issue.entity_name


def test_a_refused_allocation_is_undone(seeded):
    assert allocation_edits.allocate(ctx=seeded, event_id=EVENT, device_id=7, seat_ids=[11]).ok
    push(
        seeded,
        lambda op: {
            "status": "rejected",
            "code": "seats_unavailable",
            "reason": "Held online.",
            "details": {"seats": {"11": "held"}},
        },
    )
    assert 11 not in allocation_edits.allocations_of(ctx=seeded, event_id=EVENT)


def test_a_removed_ticket_goes_when_deleted_and_stays_inactive_when_retired(seeded):
    assert event_setup.remove_ticket(ctx=seeded, ticket_id=STANDARD_TICKET).ok
    push(seeded, lambda op: {"status": "applied", "outcome": "retired"})
    with seeded.db.transaction() as s:
        assert s.get(Ticket, STANDARD_TICKET).active is False
    assert event_setup.remove_ticket(ctx=seeded, ticket_id=1001).ok
    push(seeded, lambda op: {"status": "applied", "outcome": "deleted"})
    with seeded.db.transaction() as s:
        assert s.get(Ticket, 1001) is None


def _publishing(ctx) -> uuid.UUID:
    draft = seatmap_drafts.new_draft(
        ctx=ctx, venue_id=VENUE, name="Main", from_seat_map_id=SEAT_MAP
    )
    assert seatmap_drafts.publish_draft(ctx=ctx, draft_id=draft.id).ok
    return draft.id


def test_a_published_draft_goes(seeded):
    draft = _publishing(seeded)
    push(seeded, lambda op: {"status": "applied", "seat_map": 11, "version": 3})
    assert seatmap_drafts.list_drafts(ctx=seeded) == []
    with seeded.db.transaction() as s:
        assert s.get(SeatMapDraft, draft) is None


def test_a_refused_draft_says_why_and_can_be_fixed(seeded):
    draft = _publishing(seeded)
    push(
        seeded,
        lambda op: {
            "status": "rejected",
            "code": "invalid_seat_map",
            "reason": "Two seats have the same label.",
            "details": {"path": "sections[0].rows[0]"},
        },
    )
    (info,) = seatmap_drafts.list_drafts(ctx=seeded)
    assert info.state == "rejected"
    assert info.message == "Two seats have the same label. (at sections[0].rows[0])"
    doc = seatmap_drafts.load_draft(ctx=seeded, draft_id=draft)
    seatmap_drafts.save_draft(ctx=seeded, draft_id=draft, document=doc)
    assert seatmap_drafts.list_drafts(ctx=seeded)[0].state == "draft"


def _server_has_version_3(ctx) -> int:
    """The server's newer version (map 11): its Circle lost row B."""
    newer = layout(100)
    newer["sections"][1]["rows"].pop()
    apply(ctx, seat_map_entry(11, version=3, seats_layout=newer))
    return 11


def test_a_publishing_conflict_shows_both_sides_and_the_manager_publishes_as_newer(seeded):
    draft = _publishing(seeded)
    push(
        seeded,
        lambda op: {
            "status": "conflict",
            "code": "seat_map_newer",
            "reason": "Version 3 was published meanwhile.",
            "server": {"seat_map": 11, "version": 3},
        },
    )
    (info,) = seatmap_drafts.list_drafts(ctx=seeded)
    assert (info.state, info.message) == ("conflict", "Version 3 was published meanwhile.")
    (issue,) = sync_conflicts.open_issues(ctx=seeded)
    assert (issue.op_type, issue.draft_id, issue.entity_name) == (
        wire.SEATMAP_PUBLISH,
        draft,
        "Main",
    )
    before_sync = sync_conflicts.seatmap_comparison(ctx=seeded, op_id=issue.op_id)
    assert before_sync.server is None and before_sync.draft.seats == 16
    not_yet = sync_conflicts.start_from_server(ctx=seeded, op_id=issue.op_id)
    assert not not_yet.ok and "sync first" in not_yet.message
    _server_has_version_3(seeded)
    both = sync_conflicts.seatmap_comparison(ctx=seeded, op_id=issue.op_id)
    assert (both.draft.seats, both.draft.sections) == (16, 2)
    assert (both.server.seats, both.server.sections, both.server.version) == (12, 2, 3)
    assert both.differing_sections == ("Circle",)
    assert sync_conflicts.publish_as_newer(ctx=seeded, op_id=issue.op_id).ok
    assert sync_conflicts.open_issues(ctx=seeded) == []
    endpoint = push(seeded, lambda op: {"status": "applied", "seat_map": 12, "version": 4})
    (sent,) = endpoint.sent
    assert sent["payload"]["as_newer"] is True and sent["payload"]["base_seat_map"] == 11
    assert seatmap_drafts.list_drafts(ctx=seeded) == []


def test_starting_again_from_the_servers_version(seeded):
    draft = _publishing(seeded)
    push(
        seeded,
        lambda op: {
            "status": "conflict",
            "reason": "Newer on the server.",
            "server": {"seat_map": 11, "version": 3},
        },
    )
    _server_has_version_3(seeded)
    (issue,) = sync_conflicts.open_issues(ctx=seeded)
    assert sync_conflicts.start_from_server(ctx=seeded, op_id=issue.op_id).ok
    (info,) = seatmap_drafts.list_drafts(ctx=seeded)
    assert (info.id, info.state, info.base_seat_map_id, info.base_version) == (
        draft,
        "draft",
        11,
        3,
    )
    doc = seatmap_drafts.load_draft(ctx=seeded, draft_id=draft)
    assert [len(s["rows"]) for s in doc["sections"]] == [2, 1]
    assert sync_conflicts.open_issues(ctx=seeded) == []
