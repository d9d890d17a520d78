"""Blocking seats and releasing them, on this counter before any sync."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support.back_office_feed import ALLOCATED, BLOCKED, EVENT, HELD, SOLD, seed

from enturf_core.wire import ops as wire
from enturf_pos.models import OutboxOp, SeatStatus
from enturf_pos.services.catalog import seat_blocks


@pytest.fixture
def seeded(ctx):
    seed(ctx)
    return ctx


def queued(ctx) -> list[tuple[str, dict]]:
    with ctx.db.transaction() as s:
        return [
            (o.type, o.payload) for o in s.scalars(select(OutboxOp).order_by(OutboxOp.created_at))
        ]


def test_blocked_seats_show_at_once_with_their_reason(seeded):
    assert seat_blocks.blocked_seats(ctx=seeded, event_id=EVENT) == {BLOCKED: "camera"}
    result = seat_blocks.block_seats(
        ctx=seeded, event_id=EVENT, seat_ids=[9, 10, 9], reason="house", note="for the mayor"
    )
    assert result.ok and "2 seats blocked" in result.message
    assert seat_blocks.blocked_seats(ctx=seeded, event_id=EVENT) == {
        BLOCKED: "camera",
        9: "house",
        10: "house",
    }
    with seeded.db.transaction() as s:
        assert s.get(SeatStatus, EVENT).seats["9"] == "blocked"  # the cashier's map too
    assert queued(seeded) == [
        (
            wire.SEAT_BLOCK,
            {"event": EVENT, "seats": [9, 10], "reason": "house", "note": "for the mayor"},
        )
    ]


def test_seats_held_sold_or_on_a_counter_are_refused_by_name(seeded):
    result = seat_blocks.block_seats(
        ctx=seeded, event_id=EVENT, seat_ids=[SOLD, HELD, ALLOCATED, 9], reason="technical"
    )
    assert not result.ok
    assert "Stalls A 3 (sold)" in result.message
    assert "Stalls A 4 (held)" in result.message
    assert "Stalls B 2 (on a counter)" in result.message
    assert queued(seeded) == []
    assert 9 not in seat_blocks.blocked_seats(ctx=seeded, event_id=EVENT)


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"reason": "fun"}, "Choose a reason"),
        ({"seat_ids": []}, "Select the seats"),
        ({"seat_ids": [999]}, "not on this event's seat map"),
        ({"event_id": 555}, "no longer on this counter"),
    ],
)
def test_bad_input_says_what_to_fix(seeded, kwargs, says):
    args = {"event_id": EVENT, "seat_ids": [9], "reason": "kill", **kwargs}
    result = seat_blocks.block_seats(ctx=seeded, **args)
    assert not result.ok and says in result.message


def test_releasing_returns_seats_to_sale(seeded):
    result = seat_blocks.release_seats(ctx=seeded, event_id=EVENT, seat_ids=[BLOCKED, 9])
    assert result.ok and "1 seat released" in result.message
    assert seat_blocks.blocked_seats(ctx=seeded, event_id=EVENT) == {}
    assert queued(seeded) == [(wire.SEAT_RELEASE, {"event": EVENT, "seats": [BLOCKED]})]
    again = seat_blocks.release_seats(ctx=seeded, event_id=EVENT, seat_ids=[BLOCKED])
    assert not again.ok and "None of these seats is blocked" in again.message
