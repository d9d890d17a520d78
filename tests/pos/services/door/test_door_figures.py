"""Door figures: fetched live from the server and kept; offline the kept ones with the
time they were fetched, and nothing pretended before a first fetch."""

from __future__ import annotations

import pytest
from support.door_back_office import paid_codes, scan
from support.sync_support import log_in_online, make_show

from enturf_pos.services.door import checkin_list_edits, door_figures, door_service
from enturf_pos.services.door.checkin_list_edits import ListDraft
from enturf_pos.services.sync import sync_engine


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


def test_a_ticket_let_in_by_two_devices_offline_is_listed_with_both_scans(
    manager, api, new_counter
):
    show = make_show(api)
    (code,) = paid_codes(api, show, 1)
    draft = ListDraft(name="Doors", gates=("East", "West"))
    assert checkin_list_edits.create_list(manager, show.event_id, draft).ok
    made = next(
        x for x in checkin_list_edits.lists_of(manager, show.event_id).lists if x.name == "Doors"
    )
    east, west = new_counter("East door"), new_counter("West door")
    for door in (east, west):
        assert sync_engine.run_sync(ctx=door).ok
    first = door_service.scan(ctx=east, code=code, list_id=made.id, gate="East", online=False)
    second = door_service.scan(ctx=west, code=code, list_id=made.id, gate="West", online=False)
    assert (first.verdict, second.verdict) == ("admitted", "admitted")  # neither knew
    for door in (east, west):
        assert sync_engine.run_sync(ctx=door).ok

    assert sync_engine.run_sync(ctx=manager).ok
    figures = door_figures.fetch(manager, show.event_id)
    assert figures.totals.doubles == 1
    (double,) = figures.double_entries
    assert (double.ticket, double.list_name) == ("Price 1", "Doors")
    assert (double.first.gate, double.first.device) == ("East", "East door")
    assert (double.second.gate, double.second.device) == ("West", "West door")
