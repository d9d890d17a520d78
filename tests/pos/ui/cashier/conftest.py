"""Fixtures of the cashier window tests: a show on sale on the real server, and the app's
window flow on a registered counter whose drawer is open (closed after the test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.open_drawer import open_drawer
from support.pos_windows import close, make_flow
from support.sync_support import make_show

from enturf_pos.ui.window_flow import WindowFlow


@pytest.fixture
def show(api):
    """An event on sale: 2 rows x 6 seats (Adult 20.00, Child 21.00 at 10 %), and a
    standing area (50 places, Standing 15.00 at 7 %)."""
    show = make_show(api, tickets=2, rows=2, seats=6)
    detail = api.get(f"seatmaps/{show.seat_map_id}/")
    area_id = detail["areas"][0]["id"]
    ga = api.post(
        "tickets/",
        {
            "event": show.event_id,
            "name": "Standing",
            "price": "15.00",
            "tax_rate": "7.00",
            "area": area_id,
            "position": 5,
        },
    )
    seats = [s for sec in detail["sections"] for r in sec["rows"] for s in r["seats"]]
    return {
        "event": show.event_id,
        "name": api.get(f"events/{show.event_id}/")["name"],
        "area": area_id,
        "ga_ticket": ga["id"],
        "tickets": show.ticket_ids,
        "seats": [s["id"] for s in seats],
    }


@pytest.fixture
def flow(registered, qtbot) -> Iterator[WindowFlow]:
    open_drawer(registered)
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)
