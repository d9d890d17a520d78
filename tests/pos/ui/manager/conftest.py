"""Fixtures of the manager window tests: the app's window flow on a registered counter
that syncs often (closed after the test)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.pos_windows import close, make_flow


@pytest.fixture
def flow(registered, qtbot):
    # short sync period and backoff so the tests do not wait for the defaults
    registered.config = replace(
        registered.config, sync_interval_seconds=1.0, sync_max_backoff_seconds=2.0
    )
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)
