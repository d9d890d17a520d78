"""A manager's check-in lists through the API: made, changed, deleted online; a bad list
refused with the reason; offline, changes need the server and the feed's copy shows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from support.sync_support import log_in_online, make_show

from enturf_pos.services.door import checkin_list_edits as edits
from enturf_pos.services.door.checkin_list_edits import ListDraft, parse_gates
from enturf_pos.services.sync import sync_engine


@pytest.fixture
def manager(registered):
    log_in_online(registered, "admin")
    return registered


def test_gates_typed_comma_separated():
    assert parse_gates(" North,South , ,north,  West  Wing ") == ("North", "South", "West Wing")
    assert parse_gates("") == ()


def test_a_list_says_what_to_fix_before_it_is_sent(manager, api):
    show = make_show(api)
    result = edits.create_list(manager, show.event_id, ListDraft(name="  "))
    assert not result.ok and "name" in result.message
    result = edits.create_list(manager, show.event_id, ListDraft(name="Re", reentry=True))
    assert not result.ok and "Exits scanned" in result.message


def test_lists_made_changed_and_deleted_online_and_read_offline(manager, api, proxy):
    show = make_show(api)
    draft = ListDraft(name="Stage door", tickets=(show.ticket_ids[0],), gates=("North", "South"))
    assert edits.create_list(manager, show.event_id, draft).ok
    lists = edits.lists_of(manager, show.event_id)
    assert lists.online
    made = next(x for x in lists.lists if x.name == "Stage door")
    assert (made.tickets, made.gates, made.exits) == (
        (show.ticket_ids[0],),
        ("North", "South"),
        False,
    )

    starts = datetime.fromisoformat(api.get(f"events/{show.event_id}/")["starts_at"])
    changed = ListDraft(
        name="Stage door",
        gates=("North",),
        exits=True,
        reentry=True,
        starts_at=starts - timedelta(hours=1),
        ends_at=starts + timedelta(hours=4),
    )
    result = edits.update_list(manager, show.event_id, made.id, changed)
    assert result.ok, result.message
    again = next(x for x in edits.lists_of(manager, show.event_id).lists if x.id == made.id)
    assert (again.tickets, again.gates, again.exits, again.reentry) == ((), ("North",), True, True)
    assert again.ends_at - again.starts_at == timedelta(hours=5)

    # a ticket of another event: the server says why
    other = make_show(api)
    bad = ListDraft(name="Wrong", tickets=(other.ticket_ids[0],))
    refused = edits.create_list(manager, show.event_id, bad)
    assert not refused.ok and refused.message.startswith("The server refused the list:")

    # offline: the feed's copy, and changes need the server
    assert sync_engine.run_sync(ctx=manager).ok
    proxy.down()
    offline = edits.lists_of(manager, show.event_id)
    assert not offline.online and offline.offline
    assert "Stage door" in {x.name for x in offline.lists}
    refused = edits.delete_list(manager, show.event_id, made.id, "Stage door")
    assert not refused.ok and refused.message == edits.NEEDS_SERVER
    proxy.up()
    assert edits.delete_list(manager, show.event_id, made.id, "Stage door").ok
    assert made.id not in {x.id for x in edits.lists_of(manager, show.event_id).lists}
