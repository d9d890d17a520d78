"""`enturf-pos --check` from the source install: one JSON line, no window, the local
database migrated; a clear message and a non-zero status when a part is missing. The
packaged build runs the same check in tests/packaging/ (`make dist-test`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from alembic.script import ScriptDirectory
from PySide6.QtCore import qVersion

from enturf_demo.launcher import check_says_registered
from enturf_pos import self_check
from enturf_pos.config import PosConfig
from enturf_pos.models import schema_migrations
from enturf_pos.models.database import create_sqlite_engine
from enturf_pos.services.session.pos_context import open_context
from enturf_pos.services.session.secret_store import Secret

ENTURF_POS = str(Path(sys.executable).with_name("enturf-pos"))


def alembic_head() -> str:
    """The newest head as Alembic itself computes it (not the file-name shortcut)."""
    script = ScriptDirectory(str(schema_migrations.MIGRATIONS))
    (head,) = script.get_heads()
    return head


def run_check(data_dir: Path, **env_changes: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("ENTURF_POS_DATA_DIR", None)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [ENTURF_POS, "--check", "--data-dir", str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def json_line(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    return json.loads(lines[0])


def test_a_fresh_data_dir_is_created_migrated_and_reported(tmp_path):
    data_dir = tmp_path / "new" / "pos-data"
    done = run_check(data_dir)

    assert done.returncode == 0, done.stderr
    report = json_line(done.stdout)
    assert report["version"] == metadata.version("enturf")
    assert report["database"] == str(data_dir / "enturf-pos.sqlite3")
    assert Path(report["database"]).is_file()
    assert report["revision"] == report["head"] == alembic_head()
    assert report["registered"] is False
    assert report["qt"] == qVersion()
    assert report["platform"] == "offscreen"
    assert report["frozen"] is False
    assert report["problems"] == []
    assert "Traceback" not in done.stderr

    again = run_check(data_dir)  # the database is there: nothing to migrate
    assert again.returncode == 0, again.stderr
    assert json_line(again.stdout)["revision"] == alembic_head()


def test_an_older_database_is_brought_to_the_newest_revision(tmp_path):
    from alembic import command

    data_dir = tmp_path / "pos-data"
    engine = create_sqlite_engine(PosConfig(data_dir=data_dir).database_path)
    previous = ScriptDirectory(str(schema_migrations.MIGRATIONS)).get_revision(alembic_head())
    command.upgrade(schema_migrations.alembic_config(engine), previous.down_revision)
    assert schema_migrations.current_revision(engine) == previous.down_revision
    engine.dispose()

    done = run_check(data_dir)

    assert done.returncode == 0, done.stderr
    assert json_line(done.stdout)["revision"] == alembic_head()


def test_a_data_dir_that_cannot_be_opened_is_named(tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")

    done = run_check(in_the_way / "pos-data")

    assert done.returncode == 1
    report = json_line(done.stdout)
    assert report["revision"] is None
    assert "the local database" in done.stderr and "cannot be opened" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_a_display_the_check_says_what_to_do(tmp_path):
    done = run_check(
        tmp_path / "pos-data", QT_QPA_PLATFORM=None, DISPLAY=None, WAYLAND_DISPLAY=None
    )

    assert done.returncode == 1
    assert "needs a display" in done.stderr and "QT_QPA_PLATFORM=offscreen" in done.stderr
    assert json_line(done.stdout)["revision"] == alembic_head()  # the database part ran


def test_missing_metadata_and_migrations_are_named(tmp_path, monkeypatch, capsys, qapp):
    """What a packaging mistake looks like: no copied metadata, no migration files."""

    def no_metadata(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(self_check.metadata, "version", no_metadata)
    monkeypatch.setattr(schema_migrations, "MIGRATIONS", tmp_path / "no-migrations")

    status = self_check.run_check(PosConfig(data_dir=tmp_path / "pos-data"))

    assert status == 1
    out, err = capsys.readouterr()
    report = json_line(out)
    assert report["version"] is None and report["revision"] is None
    assert "package metadata of 'enturf' is missing" in err
    assert "the database migrations are missing" in err
    assert not (tmp_path / "pos-data").exists()  # no half-made database


def test_a_registered_counter_says_so(tmp_path, capsys, qapp):
    config = PosConfig(data_dir=tmp_path / "pos-data")
    ctx = open_context(config)
    ctx.secrets.set(Secret.DEVICE_TOKEN, "a-device-token")  # the test's in-memory keyring
    ctx.close()

    assert self_check.run_check(config) == 0

    out = capsys.readouterr().out
    assert json_line(out)["registered"] is True
    assert check_says_registered(out.encode())
    assert not check_says_registered(b"")


def test_a_module_the_app_loads_later_is_checked_now(tmp_path, monkeypatch, capsys, qapp):
    """A build that lost a later import (the ESC/POS printer's, a window's) says so at
    --check, not the day a cashier opens that window."""
    monkeypatch.setattr(
        self_check, "LATER_MODULES", (*self_check.LATER_MODULES, "enturf_no_such_module")
    )

    assert self_check.run_check(PosConfig(data_dir=tmp_path / "pos-data")) == 1

    out, err = capsys.readouterr()
    assert json_line(out)["problems"] == [
        "enturf_no_such_module does not load: "
        "ModuleNotFoundError(\"No module named 'enturf_no_such_module'\")"
    ]
    assert "enturf_no_such_module does not load" in err


def test_python_escpos_keeps_its_printer_database_in_the_users_cache(tmp_path):
    """Not a new temporary folder (never removed) and a fresh parse on every start."""
    cache = tmp_path / "cache"
    for _ in range(2):
        done = run_check(
            tmp_path / "pos-data",
            XDG_CACHE_HOME=str(cache),
            ESCPOS_CAPABILITIES_PICKLE_DIR=None,  # an in-process main() may have set it here
        )
        assert done.returncode == 0, done.stderr
    pickles = list((cache / "enturf-pos" / "escpos").glob("*.capabilities.pickle"))
    assert len(pickles) == 1
