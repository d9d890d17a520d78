"""A theatre drawn in the seat-map editor and published reaches the real server as the
venue's new seat map, and another counter gets it with every seat by its next sync."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from support.seat_map_editor import FakeDialogs, build_theatre, choose, trigger

from enturf_pos.models import Area, OutboxOp, OutboxState, Seat, SeatMap
from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor


def test_a_drawn_theatre_is_published_and_reaches_another_counter(qtbot, new_counter, api):
    venue = api.post("venues/", {"name": f"Theatre {uuid.uuid4().hex[:8]}"})
    office = new_counter("Office")  # the admin's counter
    assert sync_engine.run_sync(ctx=office).ok  # the venue arrives
    editor = SeatMapEditor(office)
    editor.file_dialogs = FakeDialogs()
    qtbot.addWidget(editor)
    editor.resize(1366, 700)
    editor.show()
    choose(editor, "editorDraftVenue", venue["name"])
    build_theatre(qtbot, editor)  # starts the draft "Theatre Royal" there
    trigger(editor, "editorPublish")
    assert "Queued" in editor.message.text()

    assert sync_engine.run_sync(ctx=office).ok
    with office.db.transaction() as s:
        (op,) = s.scalars(select(OutboxOp).where(OutboxOp.type == "seatmap_publish"))
        assert op.state == OutboxState.APPLIED, (op.state, op.result)
        seat_map_id = op.result["seat_map"]
    editor.refresh()
    assert editor.document is None  # published: the draft is gone
    assert editor.message.text() == "The draft was published or discarded."
    served = api.get(f"seatmaps/{seat_map_id}/")
    assert [s["name"] for s in served["sections"]] == ["Stalls", "Circle", "Balcony"]

    cashier = new_counter("Counter A", "cashier")
    assert sync_engine.run_sync(ctx=cashier).ok
    with cashier.db.transaction() as s:
        seat_map = s.get(SeatMap, seat_map_id)
        assert seat_map is not None and seat_map.name == "Theatre Royal"
        count = s.scalar(
            select(func.count()).select_from(Seat).where(Seat.seat_map_id == seat_map_id)
        )
        assert count == 12 * 28 + 6 * 32 + 4 * 36
        wheelchairs = s.scalar(
            select(func.count())
            .select_from(Seat)
            .where(Seat.seat_map_id == seat_map_id, Seat.accessible.is_(True))
        )
        assert wheelchairs == 28  # stalls row A
        (area,) = s.scalars(select(Area).where(Area.seat_map_id == seat_map_id))
        assert (area.name, area.capacity) == ("Promenade", 300) and area.polygon
