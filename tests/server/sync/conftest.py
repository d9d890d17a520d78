"""Fixtures of the push tests: a manager logged in on a registered counter, an event."""

from __future__ import annotations

import pytest
from support.catalog_data import make_event, make_seat_map, make_venue
from support.counters import pos_client
from support.sync_api import register_device


@pytest.fixture
def manager(make_user):
    _device, token = register_device()
    return pos_client(make_user("manager", "admin"), token)


@pytest.fixture
def event():
    return make_event(make_seat_map(make_venue(), sections=1, rows=1, seats=2), name="Gala")
