"""Putting seats on a counter and taking them off, on this counter before any sync."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support.back_office_feed import (
    ALLOCATED,
    AREA,
    BLOCKED,
    COUNTER,
    EVENT,
    RETIRED_COUNTER,
    SOLD,
    apply,
    entry,
    seed,
)

from enturf_core.wire import ops as wire
from enturf_pos.models import OutboxOp, SeatStatus
from enturf_pos.services.catalog import allocation_edits


@pytest.fixture
def seeded(ctx):
    seed(ctx)
    apply(ctx, entry("device", 9, {"id": 9, "name": "Bar", "active": True}))
    return ctx


def queued(ctx) -> list[tuple[str, dict]]:
    with ctx.db.transaction() as s:
        return [
            (o.type, o.payload) for o in s.scalars(select(OutboxOp).order_by(OutboxOp.created_at))
        ]


def test_the_counters_come_from_the_feed_active_first(seeded):
    rows = allocation_edits.counter_devices(ctx=seeded)
    assert [(d.id, d.name, d.active) for d in rows] == [
        (9, "Bar", True),
        (COUNTER, "Box office 2", True),
        (RETIRED_COUNTER, "Old till", False),
    ]


def test_allocating_shows_at_once_and_is_queued(seeded):
    assert allocation_edits.allocations_of(ctx=seeded, event_id=EVENT) == {ALLOCATED: COUNTER}
    result = allocation_edits.allocate(
        ctx=seeded, event_id=EVENT, device_id=COUNTER, seat_ids=[9, 10]
    )
    assert result.ok and "2 seats put on Box office 2" in result.message
    assert allocation_edits.allocations_of(ctx=seeded, event_id=EVENT) == {
        ALLOCATED: COUNTER,
        9: COUNTER,
        10: COUNTER,
    }
    with seeded.db.transaction() as s:
        assert s.get(SeatStatus, EVENT).seats["9"] == "allocated"
    assert queued(seeded) == [
        (
            wire.ALLOCATION_CHANGE,
            {"event": EVENT, "device": COUNTER, "add_seats": [9, 10], "remove_seats": []},
        )
    ]
    off = allocation_edits.unallocate(
        ctx=seeded, event_id=EVENT, device_id=COUNTER, seat_ids=[ALLOCATED, 9]
    )
    assert off.ok and "2 seats taken off" in off.message
    assert allocation_edits.allocations_of(ctx=seeded, event_id=EVENT) == {10: COUNTER}


def test_seats_sold_blocked_or_on_another_counter_are_refused_by_name(seeded):
    result = allocation_edits.allocate(
        ctx=seeded, event_id=EVENT, device_id=9, seat_ids=[SOLD, BLOCKED]
    )
    assert not result.ok
    assert "Stalls A 3 (sold)" in result.message and "Stalls B 1 (blocked)" in result.message
    other = allocation_edits.allocate(ctx=seeded, event_id=EVENT, device_id=9, seat_ids=[ALLOCATED])
    assert not other.ok and "on another counter: Stalls B 2" in other.message
    retired = allocation_edits.allocate(
        ctx=seeded, event_id=EVENT, device_id=RETIRED_COUNTER, seat_ids=[9]
    )
    assert not retired.ok and "retired" in retired.message
    unknown = allocation_edits.allocate(ctx=seeded, event_id=EVENT, device_id=77, seat_ids=[9])
    assert not unknown.ok and "Choose a counter" in unknown.message
    nothing = allocation_edits.unallocate(ctx=seeded, event_id=EVENT, device_id=9, seat_ids=[9])
    assert not nothing.ok and "None of these seats is on Bar" in nothing.message
    assert queued(seeded) == []


def test_places_of_a_standing_area_go_on_a_counter(seeded):
    assert allocation_edits.area_quotas(ctx=seeded, event_id=EVENT) == {}
    result = allocation_edits.set_area_quota(
        ctx=seeded, event_id=EVENT, device_id=COUNTER, area_id=AREA, places=40
    )
    assert result.ok and "40 places of Floor on Box office 2" in result.message
    assert allocation_edits.area_quotas(ctx=seeded, event_id=EVENT) == {COUNTER: {AREA: 40}}
    assert queued(seeded) == [
        (
            wire.ALLOCATION_CHANGE,
            {
                "event": EVENT,
                "device": COUNTER,
                "add_seats": [],
                "remove_seats": [],
                "areas": {str(AREA): 40},
            },
        )
    ]
    too_many = allocation_edits.set_area_quota(
        ctx=seeded, event_id=EVENT, device_id=COUNTER, area_id=AREA, places=101
    )
    assert not too_many.ok and "from 0 to 100" in too_many.message
