"""Fixtures shared by the whole suite. PostgreSQL-only tests import `requires_postgres`
from `support.databases` (tests/ is on sys.path; `conftest` modules shadow each other)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

SCREENS = Path(__file__).parent / "support" / "offscreen_screens.json"


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    """Qt tests run offscreen on two screens side by side: "wide" (1920x1080 at 0,0,
    where new windows appear) and "small" (1366x768, the smallest screen the counter
    supports), instead of the offscreen platform's single 800x800 one."""
    args = [sys.argv[0]]
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        args += ["-platform", f"offscreen:configfile={SCREENS}"]
    return args
