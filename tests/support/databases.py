"""Which database the suite runs on, and the marker for PostgreSQL-only tests."""

from __future__ import annotations

import os

import pytest

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

requires_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="only meaningful on PostgreSQL (row locks, real concurrency); set DATABASE_URL",
)
