"""The feed's back-office fields on the counter: devices, aisle seats, drawings, area
polygons, blocked seats' reasons; this counter's queued seat ops stay visible."""

from __future__ import annotations

from sqlalchemy import select
from support.back_office_feed import (
    AREA,
    BLOCKED,
    EVENT,
    FLOOR_POLYGON,
    SEAT_MAP,
    apply,
    entry,
    seed,
)

from enturf_pos.models import Area, CounterDevice, Seat, SeatMap, SeatStatus
from enturf_pos.services.catalog import seat_blocks


def test_the_snapshot_brings_devices_aisles_drawings_polygons_and_reasons(ctx):
    seed(ctx)
    with ctx.db.transaction() as s:
        assert [(d.id, d.name, d.active) for d in s.scalars(select(CounterDevice))] == [
            (7, "Box office 2", True),
            (8, "Old till", False),
        ]
        assert s.get(Seat, 1).aisle and not s.get(Seat, 2).aisle and s.get(Seat, 2).accessible
        assert s.get(SeatMap, SEAT_MAP).drawing["outlines"]["Stalls"]
        assert s.get(Area, AREA).polygon == FLOOR_POLYGON
        assert s.get(SeatStatus, EVENT).blocked == {str(BLOCKED): "camera"}


def test_incremental_status_merges_reasons_and_drops_them_when_released(ctx):
    seed(ctx)
    apply(
        ctx,
        entry("seat_status", EVENT, {"seats": {"9": "blocked"}, "blocked": {"9": "kill"}}, 6),
        entry("seat_status", EVENT, {"seats": {str(BLOCKED): "available"}}, 7),
    )
    assert seat_blocks.blocked_seats(ctx=ctx, event_id=EVENT) == {9: "kill"}


def test_a_device_retired_or_deleted_on_the_server_follows(ctx):
    seed(ctx)
    apply(
        ctx,
        entry("device", 7, {"id": 7, "name": "Box office 2", "active": False}, 2),
        {"entity": "device", "id": "8", "version": 3, "op": "delete", "data": {}},
    )
    with ctx.db.transaction() as s:
        assert [(d.id, d.active) for d in s.scalars(select(CounterDevice))] == [(7, False)]


def test_a_full_status_keeps_the_blocks_this_counter_has_not_sent_yet(ctx):
    seed(ctx)
    assert seat_blocks.block_seats(ctx=ctx, event_id=EVENT, seat_ids=[9], reason="house").ok
    apply(
        ctx,
        entry("seat_status", EVENT, {"full": True, "seats": {"3": "sold"}, "areas": {}}, 8),
    )
    assert seat_blocks.blocked_seats(ctx=ctx, event_id=EVENT) == {9: "house"}
    with ctx.db.transaction() as s:
        assert s.get(SeatStatus, EVENT).seats == {"3": "sold", "9": "blocked"}
