"""A seat map published from the manager's counter (`seatmap_publish`) after the other
counters' snapshot reaches them by incremental sync with all its seats: the change feed
sends its summary, the counter reads the seats (`GET /api/v1/seatmaps/{id}/`), and an
event of the new map is ready to sell there."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from enturf_pos.models import OutboxOp, OutboxState, Seat, SeatMap
from enturf_pos.services.sales import counter_selectors
from enturf_pos.services.sync import outbox_service, sync_engine

AISLE_SEATS = {"1", "6"}


def _layout() -> dict:
    return {
        "format": "enturf-seatmap/1",
        "stage_x": 25.0,
        "stage_y": -40.0,
        "categories": [{"name": "standard", "colour": "#2E86C1"}],
        "sections": [
            {
                "name": "Stalls",
                "outline": [[-5.0, -5.0], [60.0, -5.0], [60.0, 40.0], [-5.0, 40.0]],
                "rows": [
                    {
                        "label": row,
                        "seats": [
                            {
                                "label": str(n),
                                "x": float(n * 10),
                                "y": float(r * 12),
                                "aisle": str(n) in AISLE_SEATS,
                            }
                            for n in range(1, 7)
                        ],
                    }
                    for r, row in enumerate("ABC")
                ],
            }
        ],
        "decorations": [{"kind": "stage", "points": [[0, -50], [60, -50], [60, -30]]}],
    }


def test_a_published_seat_map_reaches_a_synced_counter_with_its_seats(new_counter, api):
    cashier = new_counter("Counter A", "cashier")
    assert sync_engine.run_sync(ctx=cashier).ok  # its snapshot, before the map exists
    manager = new_counter("Office")  # the admin
    venue = api.post("venues/", {"name": f"New hall {uuid.uuid4().hex[:8]}"})

    with manager.db.transaction() as s:
        op_id = outbox_service.enqueue(
            s,
            type="seatmap_publish",
            payload={
                "draft": str(uuid.uuid4()),
                "venue": venue["id"],
                "name": "Main",
                "layout": _layout(),
            },
        )
    assert sync_engine.run_sync(ctx=manager).ok
    with manager.db.transaction() as s:
        pushed = s.get(OutboxOp, op_id)
        assert pushed.state == OutboxState.APPLIED, (pushed.state, pushed.result)
        seat_map_id = pushed.result["seat_map"]

    starts = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    event = api.post(
        "events/",
        {
            "seat_map": seat_map_id,
            "name": "Premiere",
            "starts_at": starts.isoformat(),
            "state": "on_sale",
        },
    )
    api.post(
        "tickets/",
        {"event": event["id"], "name": "Adult", "price": "30.00", "category": "standard"},
    )

    report = sync_engine.run_sync(ctx=cashier)
    assert report.ok, report.message
    with cashier.db.transaction() as s:
        seat_map = s.get(SeatMap, seat_map_id)
        assert seat_map is not None and (seat_map.stage_x, seat_map.stage_y) == (25.0, -40.0)
        count = s.scalar(
            select(func.count()).select_from(Seat).where(Seat.seat_map_id == seat_map_id)
        )
        assert count == 18
    for_sale = counter_selectors.event_for_sale(ctx=cashier, event_id=event["id"])
    assert for_sale is not None and len(for_sale.layout) == 18
    assert [t.name for t in for_sale.tickets] == ["Adult"]
