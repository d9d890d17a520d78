"""Fixtures shared by the whole suite. PostgreSQL-only tests import `requires_postgres`
from `support.databases` (tests/ is on sys.path; `conftest` modules shadow each other)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

SCREENS = Path(__file__).parent / "support" / "offscreen_screens.json"


def pytest_configure(config: pytest.Config) -> None:
    """The processes the tests start (the server, gunicorn, a POS window, the crash
    children, the simulator) take warnings as this run does: the `filterwarnings` list of
    pyproject.toml as PYTHONWARNINGS, so an error there too (a 500, a failed start, a
    child's traceback) and never a line hidden in a log. Its entries are written to mean
    the same to both: a message is a literal start (no regex, no comma), a module a whole
    name. A PYTHONWARNINGS already set (to debug) is left as it is."""
    os.environ.setdefault("PYTHONWARNINGS", ",".join(config.getini("filterwarnings")))


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    """Qt tests run offscreen on two screens side by side: "wide" (1920x1080 at 0,0,
    where new windows appear) and "small" (1366x768, the smallest screen the counter
    supports), instead of the offscreen platform's single 800x800 one."""
    args = [sys.argv[0]]
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        args += ["-platform", f"offscreen:configfile={SCREENS}"]
    return args
