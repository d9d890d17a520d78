"""Events and tickets a manager creates on this counter, before any sync."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from support.back_office_feed import AREA, EVENT, SEAT_MAP, STANDARD_TICKET, seed

from enturf_core.wire import ops as wire
from enturf_pos.models import Event, OutboxOp, Ticket
from enturf_pos.services.catalog import catalog_selectors, event_edits, event_setup, ticket_edits
from enturf_pos.services.catalog.event_setup import TicketDraft
from enturf_pos.services.sales import counter_selectors

START = datetime(2031, 6, 5, 18, 0, tzinfo=UTC)
STALLS = TicketDraft("Stalls", Decimal("30"), Decimal("10"), category="standard")
FLOOR = TicketDraft("Standing", Decimal("15"), Decimal("10"), area_id=AREA, max_per_booking=6)


@pytest.fixture
def seeded(ctx):
    seed(ctx)
    return ctx


def ops(ctx) -> list[OutboxOp]:
    with ctx.db.transaction() as s:
        rows = s.scalars(select(OutboxOp).order_by(OutboxOp.created_at)).all()
        s.expunge_all()
        return list(rows)


def test_an_event_created_offline_shows_at_once_with_its_tickets(seeded):
    result = event_setup.create_event(
        ctx=seeded, seat_map_id=SEAT_MAP, name=" Gala ", starts_at=START, tickets=(STALLS, FLOOR)
    )
    assert result.ok, result.message
    assert result.new_id < 0
    rows = {r.id: r for r in catalog_selectors.all_events(ctx=seeded)}
    assert rows[result.new_id].name == "Gala"
    assert not rows[result.new_id].on_server and rows[EVENT].on_server
    tickets = catalog_selectors.tickets_of(ctx=seeded, event_id=result.new_id)
    assert [(t.ticket.name, t.sells) for t in tickets] == [
        ("Stalls", "standard"),
        ("Standing", f"area {AREA}"),
    ]
    (op,) = ops(seeded)
    assert op.type == wire.EVENT_CREATE
    payload = wire.EventCreate.from_wire(op.payload)
    assert str(payload.id) == str(op.id)  # the op names its event: ticket_create's event_ref
    assert payload.seat_map == SEAT_MAP and payload.starts_at == START
    assert [t.name for t in payload.tickets] == ["Stalls", "Standing"]
    assert payload.tickets[1].max_per_booking == 6


def test_a_ticket_added_to_an_unsynced_event_refers_to_it(seeded):
    event = event_setup.create_event(
        ctx=seeded, seat_map_id=SEAT_MAP, name="Gala", starts_at=START
    ).new_id
    added = event_setup.create_ticket(ctx=seeded, event_id=event, ticket=FLOOR)
    assert added.ok and added.new_id < 0
    create, ticket = ops(seeded)
    payload = wire.TicketCreate.from_wire(ticket.payload)
    assert payload.event is None and str(payload.event_ref) == str(create.id)
    # a synced event's new ticket names it by id
    assert event_setup.create_ticket(ctx=seeded, event_id=EVENT, ticket=STALLS).ok
    assert wire.TicketCreate.from_wire(ops(seeded)[-1].payload).event == EVENT


def test_editing_an_unsynced_event_or_ticket_changes_its_queued_creation(seeded):
    event = event_setup.create_event(
        ctx=seeded, seat_map_id=SEAT_MAP, name="Gala", starts_at=START, tickets=(STALLS, FLOOR)
    ).new_id
    assert event_edits.edit_event(ctx=seeded, event_id=event, changes={"name": "Gala night"}).ok
    stalls, floor = catalog_selectors.tickets_of(ctx=seeded, event_id=event)
    assert ticket_edits.edit_ticket(ctx=seeded, ticket_id=stalls.id, changes={"price": "32"}).ok
    assert event_setup.remove_ticket(ctx=seeded, ticket_id=floor.id).ok
    (op,) = ops(seeded)  # still one op: the creation, as it is now
    payload = wire.EventCreate.from_wire(op.payload)
    assert payload.name == "Gala night"
    assert [(t.name, t.price) for t in payload.tickets] == [("Stalls", Decimal("32.00"))]
    assert [t.id for t in catalog_selectors.tickets_of(ctx=seeded, event_id=event)] == [stalls.id]


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"name": " "}, "needs a name"),
        ({"seat_map_id": 99}, "Choose a seat map"),
        ({"starts_at": datetime(2031, 6, 5, 18, 0)}, "start date and time"),
        ({"ends_at": datetime(2031, 6, 5, 17, 0, tzinfo=UTC)}, "end after it starts"),
        ({"state": "party"}, "Unknown state"),
        ({"tickets": (TicketDraft("X", Decimal("-1"), Decimal("0"), "standard"),)}, "negative"),
        ({"tickets": (TicketDraft("X", "ten", Decimal("0"), "standard"),)}, "a number"),
        ({"tickets": (TicketDraft("X", Decimal("1"), Decimal("0")),)}, "either a seat category"),
        ({"tickets": (TicketDraft("X", Decimal("1"), Decimal("0"), "gold"),)}, "no category"),
        ({"tickets": (TicketDraft("X", Decimal("1"), Decimal("0"), area_id=55),)}, "standing"),
    ],
)
def test_bad_input_says_what_to_fix_and_writes_nothing(seeded, kwargs, says):
    args = {"seat_map_id": SEAT_MAP, "name": "Gala", "starts_at": START, **kwargs}
    result = event_setup.create_event(ctx=seeded, **args)
    assert not result.ok and says in result.message
    assert ops(seeded) == []
    assert len(catalog_selectors.all_events(ctx=seeded)) == 1


def test_a_series_keeps_the_wall_clock_time_across_the_change_of_summer_time():
    vienna = ZoneInfo("Europe/Vienna")
    first = datetime(2031, 10, 17, 20, 0, tzinfo=vienna)  # a Friday, summer time
    dates = event_setup.weekly_dates(first, 3)
    assert [d.astimezone(vienna).strftime("%a %d %H:%M") for d in dates] == [
        "Fri 17 20:00",
        "Fri 24 20:00",
        "Fri 31 20:00",
    ]
    assert [d.astimezone(UTC).hour for d in dates] == [18, 18, 19]


def test_duplicating_an_event_copies_its_tickets_and_moves_its_sales_window(seeded):
    starts = [datetime(2031, 5, 9, 17, 30, tzinfo=UTC), datetime(2031, 5, 16, 17, 30, tzinfo=UTC)]
    result = event_setup.duplicate_event(ctx=seeded, event_id=EVENT, starts=starts)
    assert result.ok and len(result.new_ids) == 2
    first, second = (wire.EventCreate.from_wire(op.payload) for op in ops(seeded))
    assert first.copy_of == EVENT and first.starts_at == starts[0]
    assert first.sales_start == datetime(2031, 4, 8, 8, 0, tzinfo=UTC)
    assert second.sales_start == datetime(2031, 4, 15, 8, 0, tzinfo=UTC)
    assert [t.name for t in second.tickets] == ["Stalls", "Standing"]
    assert first.tickets[0].id != second.tickets[0].id


def test_removing_a_synced_ticket_stops_it_selling_until_the_server_answers(seeded):
    assert event_setup.remove_ticket(ctx=seeded, ticket_id=STANDARD_TICKET).ok
    with seeded.db.transaction() as s:
        assert s.get(Ticket, STANDARD_TICKET).active is False
    (op,) = ops(seeded)
    assert op.type == wire.TICKET_REMOVE and op.payload == {"id": STANDARD_TICKET}


def test_sellables_are_the_seat_maps_categories_and_areas(seeded):
    categories, areas = event_setup.sellables(ctx=seeded, event_id=EVENT)
    assert categories == ["premium", "standard"]
    assert [(a.id, a.name, a.capacity) for a in areas] == [(AREA, "Floor", 100)]


def test_temporary_ids_never_collide(seeded):
    ids = [
        event_setup.create_event(
            ctx=seeded, seat_map_id=SEAT_MAP, name=f"E{i}", starts_at=START
        ).new_id
        for i in range(3)
    ]
    assert ids == [-1, -2, -3]
    with seeded.db.transaction() as s:
        assert s.scalars(select(Event.id).where(Event.id < 0)).all()


def test_an_unsynced_event_whose_creation_was_sent_waits_for_the_servers_ids(seeded):
    event = event_setup.create_event(
        ctx=seeded, seat_map_id=SEAT_MAP, name="Gala", starts_at=START
    ).new_id
    with seeded.db.transaction() as s:
        (op,) = s.scalars(select(OutboxOp)).all()
        op.state = "applied"  # sent; the answer with the server's ids not read yet
    result = event_edits.edit_event(ctx=seeded, event_id=event, changes={"name": "Other"})
    assert not result.ok and "after the next sync" in result.message
    assert catalog_selectors.all_events(ctx=seeded)[-1].name == "Gala"


def test_the_cashier_sells_an_event_made_here_only_once_the_server_has_it(seeded):
    made = event_setup.create_event(
        ctx=seeded,
        seat_map_id=SEAT_MAP,
        name="Gala",
        starts_at=START,
        state="on_sale",
        tickets=(STALLS,),
    )
    now = datetime(2031, 5, 1, tzinfo=UTC)
    names = [e.name for e in counter_selectors.programme(ctx=seeded, now=now)]
    assert "Gala" not in names and "Hamlet" in names
    assert made.new_id in {r.id for r in catalog_selectors.all_events(ctx=seeded)}
