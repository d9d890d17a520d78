"""Migration 0012 (the door) on a counter's database that already holds data: the
registered device and the known counters stay, on counter duty, and the door's tables
start empty."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, select, text

from enturf_pos.models import (
    Admission,
    CheckinList,
    CheckinRecord,
    CounterDevice,
    Device,
    DoorScan,
)
from enturf_pos.models.database import Database, create_sqlite_engine
from enturf_pos.models.schema_migrations import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)


def test_upgrading_from_0011_keeps_the_devices_on_counter_duty(tmp_path):
    path = tmp_path / "pos.sqlite3"
    engine = create_sqlite_engine(path)
    command.upgrade(alembic_config(engine), "0011")
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO device (id, server_url, device_id, name, signing_key_id,"
                " gateway_base_url, reader_id, registered_at) VALUES (1, 'http://box:8000',"
                " '7', 'Box office 1', 'k', '', '', '2031-01-01 00:00:00')"
            )
        )
        db.execute(
            text(
                "INSERT INTO devices (id, name, active, version, updated_at)"
                " VALUES (8, 'Box office 2', 1, 1, '2031-01-01 00:00:00')"
            )
        )
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()

    db = Database(path)
    try:
        with db.transaction() as s:
            assert (s.get(Device, 1).name, s.get(Device, 1).duty) == ("Box office 1", "counter")
            assert s.get(CounterDevice, 8).duty == "counter"
            for model in (CheckinList, Admission, CheckinRecord, DoorScan):
                assert s.scalar(select(func.count()).select_from(model)) == 0
    finally:
        db.dispose()
