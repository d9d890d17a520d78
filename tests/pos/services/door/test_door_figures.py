"""Door figures: fetched live from the server and kept; offline the kept ones with the
time they were fetched, and nothing pretended before a first fetch."""

from __future__ import annotations

import pytest
from support.door_back_office import paid_codes, scan
from support.sync_support import log_in_online, make_show

from enturf_pos.services.door import checkin_list_edits, door_figures
from enturf_pos.services.door.checkin_list_edits import ListDraft


@pytest.fixture
def manager(registered):
    log_in_online(registered, "admin")
    return registered


def test_live_figures_are_kept_for_offline(manager, api, proxy):
    show = make_show(api)
    proxy.down()
    never = door_figures.fetch(manager, show.event_id)
    assert (never.live, never.offline, never.at, never.gates) == (False, True, None, ())
    proxy.up()

    draft = ListDraft(name="Gates", gates=("A", "B"), exits=True)
    assert checkin_list_edits.create_list(manager, show.event_id, draft).ok
    made = next(
        x for x in checkin_list_edits.lists_of(manager, show.event_id).lists if x.name == "Gates"
    )
    first, second = paid_codes(api, show, 2)
    scan(api, first, made.id, "A")
    scan(api, second, made.id, "B")
    scan(api, second, made.id, "B", kind="exit")

    live = door_figures.fetch(manager, show.event_id)
    assert live.live and live.at is not None
    gates = {(g.group, g.label): (g.entries, g.exits, g.inside) for g in live.gates}
    assert gates[("Gates", "A")] == (1, 0, 1)
    assert gates[("Gates", "B")] == (1, 1, 0)
    assert (live.totals.entries, live.totals.exits, live.totals.inside) == (2, 1, 1)
    assert sum(t.entries for t in live.tickets) == 2

    proxy.down()
    kept = door_figures.fetch(manager, show.event_id)
    assert (kept.live, kept.offline, kept.at) == (False, True, live.at)
    assert kept.gates == live.gates and kept.message
