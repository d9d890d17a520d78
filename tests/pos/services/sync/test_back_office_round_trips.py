"""A manager's venue set-up made on a counter, sent to the real server and back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from support.sync_support import make_show

from enturf_pos.models import Area, CounterDevice, Seat, SeatMap, Ticket
from enturf_pos.services.catalog import (
    allocation_edits,
    catalog_selectors,
    event_setup,
    seat_blocks,
    seatmap_drafts,
)
from enturf_pos.services.catalog.event_setup import TicketDraft
from enturf_pos.services.sync import sync_conflicts, sync_engine

STALLS = TicketDraft("Stalls", Decimal("30"), Decimal("10"), category="standard")


@pytest.fixture
def counter(new_counter):
    return new_counter("Manager's desk")


def sync(ctx) -> sync_engine.SyncReport:
    report = sync_engine.run_sync(ctx=ctx)
    assert report.reachable, report.message
    return report


def seats_of(ctx, seat_map_id: int) -> list[int]:
    with ctx.db.transaction() as s:
        return list(
            s.scalars(select(Seat.id).where(Seat.seat_map_id == seat_map_id).order_by(Seat.id))
        )


def test_an_event_created_offline_reaches_the_server_with_its_tickets(counter, api, proxy):
    show = make_show(api)
    sync(counter)
    proxy.down()
    starts = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    made = event_setup.create_event(
        ctx=counter,
        seat_map_id=show.seat_map_id,
        name="Matinee",
        starts_at=starts,
        state="on_sale",
        tickets=(STALLS,),
    )
    assert made.ok, made.message
    with counter.db.transaction() as s:
        area = s.scalar(select(Area.id).where(Area.seat_map_id == show.seat_map_id))
    floor = TicketDraft("Standing", Decimal("12.50"), Decimal("10"), area_id=area)
    assert event_setup.create_ticket(ctx=counter, event_id=made.new_id, ticket=floor).ok
    assert not sync_engine.run_sync(ctx=counter).reachable
    rows = {r.id: r for r in catalog_selectors.all_events(ctx=counter)}
    assert rows[made.new_id].on_server is False
    proxy.up()
    report = sync(counter)
    assert report.ok and report.rejected == 0, report.message
    (event,) = [r for r in catalog_selectors.all_events(ctx=counter) if r.name == "Matinee"]
    assert event.on_server
    on_server = api.get(f"events/{event.id}/")
    assert on_server["name"] == "Matinee" and on_server["state"] == "on_sale"
    server_tickets = api.get(f"tickets/?event={event.id}")
    server_tickets = server_tickets.get("results", server_tickets)
    local = catalog_selectors.tickets_of(ctx=counter, event_id=event.id)
    assert sorted(t["name"] for t in server_tickets) == ["Stalls", "Standing"]
    assert sorted(t.id for t in local) == sorted(t["id"] for t in server_tickets)
    sync(counter)  # the feed's rows: still one of each
    with counter.db.transaction() as s:
        assert s.scalars(select(Ticket.id).where(Ticket.id < 0)).all() == []
    assert len([r for r in catalog_selectors.all_events(ctx=counter) if r.name == "Matinee"]) == 1


def test_a_published_draft_comes_back_as_the_next_version(counter, api):
    show = make_show(api, rows=2, seats=4)
    sync(counter)
    draft = seatmap_drafts.new_draft(
        ctx=counter, venue_id=show.venue_id, name="Main", from_seat_map_id=show.seat_map_id
    )
    doc = seatmap_drafts.load_draft(ctx=counter, draft_id=draft.id)
    row = doc["sections"][0]["rows"][0]
    row["seats"].append({"label": "5", "x": 40.0, "y": 0.0, "category": "standard", "aisle": True})
    doc["categories"] = [{"name": "standard", "colour": "#2E86C1"}]
    doc["areas"][0]["polygon"] = [[0, 0], [50, 0], [50, 30]]
    seatmap_drafts.save_draft(ctx=counter, draft_id=draft.id, document=doc)
    assert seatmap_drafts.publish_draft(ctx=counter, draft_id=draft.id).ok
    report = sync(counter)
    assert report.ok and report.rejected == 0 and report.conflicts == 0, report.message
    assert seatmap_drafts.list_drafts(ctx=counter) == []
    (newest, older) = seatmap_drafts.seat_maps(ctx=counter, venue_id=show.venue_id)
    assert (newest.version, newest.seat_count, older.id) == (2, 9, show.seat_map_id)
    published = seatmap_drafts.seat_map_document(ctx=counter, seat_map_id=newest.id)
    seat5 = published["sections"][0]["rows"][0]["seats"][-1]
    assert (seat5["label"], seat5.get("aisle")) == ("5", True)
    assert published["categories"] == [{"name": "standard", "colour": "#2E86C1"}]
    assert published["areas"][0]["polygon"] == [[0, 0], [50, 0], [50, 30]]


def test_a_newer_version_on_the_server_is_a_conflict_the_manager_settles(counter, api):
    show = make_show(api, rows=2, seats=4)
    sync(counter)
    draft = seatmap_drafts.new_draft(
        ctx=counter, venue_id=show.venue_id, name="Main", from_seat_map_id=show.seat_map_id
    )
    row_a = [{"label": str(n + 1), "x": n * 10.0, "y": 0.0} for n in range(4)]
    api.post(  # someone else publishes version 2: row A only
        f"seatmaps/{show.seat_map_id}/new-version/",
        {"sections": [{"name": "Stalls", "rows": [{"label": "A", "seats": row_a}]}], "areas": []},
    )
    assert seatmap_drafts.publish_draft(ctx=counter, draft_id=draft.id).ok
    report = sync(counter)
    assert report.conflicts == 1, report.message
    (issue,) = sync_conflicts.open_issues(ctx=counter)
    both = sync_conflicts.seatmap_comparison(ctx=counter, op_id=issue.op_id)
    assert (both.draft.seats, both.server.seats, both.server.version) == (8, 4, 2)
    assert both.differing_sections == ("Stalls",)
    assert sync_conflicts.publish_as_newer(ctx=counter, op_id=issue.op_id).ok
    report = sync(counter)
    assert report.ok and report.conflicts == 0, report.message
    versions = [m.version for m in seatmap_drafts.seat_maps(ctx=counter, venue_id=show.venue_id)]
    assert versions == [3, 2, 1]
    assert seatmap_drafts.list_drafts(ctx=counter) == []


def test_blocks_and_allocations_reach_the_server_and_a_refused_block_comes_back(
    counter, new_counter, api
):
    other = new_counter("Bar till")
    show = make_show(api, rows=2, seats=5)
    sync(counter)
    seats = seats_of(counter, show.seat_map_id)
    devices = {d.name: d.id for d in allocation_edits.counter_devices(ctx=counter)}
    assert "Bar till" in devices
    assert seat_blocks.block_seats(
        ctx=counter, event_id=show.event_id, seat_ids=seats[:2], reason="camera"
    ).ok
    assert allocation_edits.allocate(
        ctx=counter, event_id=show.event_id, device_id=devices["Bar till"], seat_ids=seats[2:4]
    ).ok
    # meanwhile a customer holds a seat this counter does not know about yet
    api.post("holds/", {"event": show.event_id, "seats": [seats[5]]})
    assert seat_blocks.block_seats(
        ctx=counter, event_id=show.event_id, seat_ids=[seats[5], seats[6]], reason="kill"
    ).ok
    report = sync(counter)
    assert report.rejected == 1, report.message
    blocks = api.get(f"events/{show.event_id}/blocks/")
    assert sorted((b["seat"], b["reason"]) for b in blocks["seats"]) == [
        (seats[0], "camera"),
        (seats[1], "camera"),
    ]
    assert seat_blocks.blocked_seats(ctx=counter, event_id=show.event_id) == {
        seats[0]: "camera",
        seats[1]: "camera",
    }
    assert allocation_edits.allocations_of(ctx=counter, event_id=show.event_id) == {
        seats[2]: devices["Bar till"],
        seats[3]: devices["Bar till"],
    }
    (issue,) = sync_conflicts.open_issues(ctx=counter)
    assert issue.kind == "Blocked seats" and issue.reason
    sync(other)
    with other.db.transaction() as s:
        assert s.get(CounterDevice, devices["Bar till"]).name == "Bar till"
        assert s.get(SeatMap, show.seat_map_id) is not None


def test_a_weekly_series_and_a_removed_ticket_reach_the_server(counter, api):
    show = make_show(api, tickets=2)
    sync(counter)
    source = api.get(f"events/{show.event_id}/")
    first = datetime.fromisoformat(source["starts_at"]) + timedelta(weeks=1)
    dates = event_setup.weekly_dates(first, 2)
    made = event_setup.duplicate_event(ctx=counter, event_id=show.event_id, starts=dates)
    assert made.ok and len(made.new_ids) == 2
    assert event_setup.remove_ticket(ctx=counter, ticket_id=show.ticket_ids[1]).ok
    report = sync(counter)
    assert report.ok and report.rejected == 0, report.message
    copies = [r for r in catalog_selectors.all_events(ctx=counter) if r.id not in (show.event_id,)]
    copies = [r for r in copies if r.name == source["name"]]
    assert len(copies) == 2 and all(r.on_server for r in copies)
    for copy in copies:
        names = sorted(
            t.ticket.name for t in catalog_selectors.tickets_of(ctx=counter, event_id=copy.id)
        )
        assert names == ["Price 1", "Price 2"]
        assert api.get(f"events/{copy.id}/")["seat_map"] == show.seat_map_id
    left = api.get(f"tickets/?event={show.event_id}")
    left = left.get("results", left)
    assert [t["id"] for t in left] == [show.ticket_ids[0]]  # nothing sold: deleted
    with counter.db.transaction() as s:
        assert s.get(Ticket, show.ticket_ids[1]) is None
