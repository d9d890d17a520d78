"""What tickets of a seat-map version can sell, before any event of it exists: its seat
categories and standing areas (for the manager's new-event dialog)."""

from __future__ import annotations

from sqlalchemy import select

from enturf_pos.models import Area, SeatMap
from enturf_pos.services.catalog.event_setup import AreaRow, _map_categories
from enturf_pos.services.session.pos_context import PosContext


def map_sellables(*, ctx: PosContext, seat_map_id: int) -> tuple[list[str], list[AreaRow]]:
    with ctx.db.transaction() as session:
        seat_map = session.get(SeatMap, seat_map_id)
        if seat_map is None:
            return [], []
        areas = [
            AreaRow(a.id, a.name, a.capacity)
            for a in session.scalars(
                select(Area).where(Area.seat_map_id == seat_map_id).order_by(Area.id)
            )
        ]
        return _map_categories(session, seat_map), areas
