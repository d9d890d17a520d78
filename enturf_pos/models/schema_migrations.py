"""Alembic, driven from code: the schema is brought up to date at every start-up.

Developers add a migration after changing a model with::

    python -m enturf_pos.models.schema_migrations revision "what changed"

which autogenerates it against a scratch database upgraded to the current head.
Name each revision file after its revision id, numbered in order (`0002_what.py` holds
revision "0002"): start-up then knows the head without loading Alembic, which it skips
when the database is already there (a test checks the naming).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision id, from the file names (see the module docstring)."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except OperationalError:  # no such table: a new database
            return None


def upgrade(engine: Engine) -> None:
    if current_revision(engine) == head_revision():
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def check(engine: Engine) -> None:
    """`alembic check`: raises if the models and the migrations disagree."""
    from alembic import command

    command.check(alembic_config(engine))


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "revision":
        raise SystemExit('usage: python -m enturf_pos.models.schema_migrations revision "message"')
    from alembic import command

    from enturf_pos.models.database import create_sqlite_engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_sqlite_engine(Path(tmp) / "scratch.sqlite3")
        upgrade(engine)
        command.revision(alembic_config(engine), message=args[1], autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main()
