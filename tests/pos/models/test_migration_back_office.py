"""Migration 0010 (the back office) on a counter's database that already holds data."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from enturf_pos.models import Area, Event, Seat, SeatMap, SeatStatus, Ticket
from enturf_pos.models.database import Database, create_sqlite_engine
from enturf_pos.models.schema_migrations import alembic_config, current_revision, upgrade


def test_upgrading_from_0009_keeps_the_data_and_fills_the_new_columns(tmp_path):
    path = tmp_path / "pos.sqlite3"
    engine = create_sqlite_engine(path)
    command.upgrade(alembic_config(engine), "0009")
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO venues (id, name, address, timezone, version, updated_at)"
                " VALUES (1, 'Hall', '', 'UTC', 1, '2031-01-01 00:00:00')"
            )
        )
        db.execute(
            text(
                "INSERT INTO seat_maps (id, venue_id, name, layout_version, stage_x, stage_y, width,"
                " height, section_ranks, version, updated_at) VALUES"
                " (10, 1, 'Main', 1, 0, 0, 100, 100, '{}', 1, '2031-01-01 00:00:00')"
            )
        )
        db.execute(
            text(
                "INSERT INTO seats (id, seat_map_id, key, label, section, row, position, x, y,"
                " category, accessible, companion, obstructed) VALUES"
                " (1, 10, 'k1', '1', 'Stalls', 'A', 0, 1.0, 2.0, 'standard', 1, 0, 0)"
            )
        )
        db.execute(
            text(
                "INSERT INTO areas (id, seat_map_id, name, capacity, x, y, width, height)"
                " VALUES (20, 10, 'Floor', 100, 0, 0, 10, 10)"
            )
        )
        db.execute(
            text(
                "INSERT INTO events (id, seat_map_id, venue_id, name, description, starts_at, state,"
                " version, updated_at) VALUES (100, 10, 1, 'Hamlet', '', '2031-05-02 17:30:00',"
                " 'on_sale', 3, '2031-01-01 00:00:00')"
            )
        )
        db.execute(
            text(
                "INSERT INTO tickets (id, event_id, name, price, currency, tax_rate, category,"
                " position, active, version, updated_at) VALUES (1000, 100, 'Stalls', '30.00',"
                " 'EUR', '10', 'standard', 0, 1, 1, '2031-01-01 00:00:00')"
            )
        )
        db.execute(
            text(
                "INSERT INTO seat_status (event_id, seats, areas, version, updated_at) VALUES"
                " (100, '{\"1\": \"blocked\"}', '{}', 4, '2031-01-01 00:00:00')"
            )
        )
    upgrade(engine)
    assert current_revision(engine) == "0010"
    engine.dispose()

    db = Database(path)
    try:
        with db.transaction() as s:
            seat = s.get(Seat, 1)
            assert (seat.accessible, seat.aisle) == (True, False)
            assert s.get(Area, 20).polygon is None
            assert s.get(SeatMap, 10).drawing is None
            status = s.get(SeatStatus, 100)
            assert status.seats == {"1": "blocked"} and status.blocked == {}
            event, ticket = s.get(Event, 100), s.get(Ticket, 1000)
            assert (event.name, event.origin, event.on_server) == ("Hamlet", None, True)
            assert (ticket.name, ticket.origin) == ("Stalls", None)
            assert s.execute(text("SELECT count(*) FROM devices")).scalar() == 0
            assert s.execute(text("SELECT count(*) FROM seatmap_drafts")).scalar() == 0
    finally:
        db.dispose()
