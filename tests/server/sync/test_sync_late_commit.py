"""A change that commits late is never skipped by a reader paging the change log.

Writer A takes its sequence number and keeps its transaction open; writer B then tries
to commit a change and a reader reads a page. When A commits, the reader's next page
still contains A's change. With the change-log lock, B waits for A, so the reader never
sees B before A; the test checks the invariant itself (nothing skipped, seq order is
commit order), whichever way the implementation guarantees it.
"""

from __future__ import annotations

import uuid

import pytest
from support.databases import requires_postgres
from support.pg_race import first_held_open

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]


def test_late_commit_is_not_skipped():
    from enturf_server.sync import changes
    from enturf_server.sync.change_feed import read_changes
    from enturf_server.sync.models import ChangeLogEntry

    with changes.atomic():
        changes.emit("probe", "before")
    start = str(ChangeLogEntry.objects.get(entity_id="before").seq)

    def write(entity_id: str) -> None:
        with changes.atomic():
            changes.emit("probe", entity_id)

    # A takes its sequence number and stays open; B either commits (an implementation
    # without the lock) or waits for A (with it)
    with first_held_open(lambda: write("A"), lambda: write("B"), locktype="advisory") as race:
        b_committed_first = race.second_done.is_set()
        page1 = read_changes(after=start, limit=100)
        seen = [c["id"] for c in page1.changes]
        assert "A" not in seen  # not committed yet
    assert race.second_done.is_set()

    page2 = read_changes(after=page1.next, limit=100)
    seen += [c["id"] for c in page2.changes]
    assert "A" in seen, "the reader skipped the change that committed late"
    assert sorted(seen) == ["A", "B"]
    seqs = [c["seq"] for c in page1.changes + page2.changes]
    assert seqs == sorted(seqs)
    # with the lock: B waited for A, so the first page had neither and A comes first
    assert not b_committed_first
    assert seen == ["A", "B"]
    assert page1.changes == []


def test_concurrent_pushes_of_one_op_apply_it_once(django_user_model):
    """The second push of an op still in flight waits for the first, then answers
    `duplicate` with its result; the edit is applied once."""
    from support.catalog_data import make_event, make_seat_map, make_venue

    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import set_role
    from enturf_server.sync.push import apply_op
    from enturf_server.sync.push_registry import PushContext, PushOp

    manager = django_user_model.objects.create(username="manager")
    set_role(manager, Role.ADMIN)
    event = make_event(make_seat_map(make_venue(), sections=1, rows=1, seats=1), name="Gala")
    op = PushOp(
        uuid.uuid4(),
        "event_update",
        {"id": event.pk, "fields": {"name": "Gala night"}},
        base_version=event.version,
        base={"name": "Gala"},
    )
    ctx = PushContext(user=manager, device=None)
    # the first push has applied but not committed when the second pushes the op
    with first_held_open(
        lambda: apply_op(op=op, ctx=ctx), lambda: apply_op(op=op, ctx=ctx)
    ) as race:
        pass

    assert race.first["status"] == "applied"
    assert race.second == {
        **race.first,
        "status": "duplicate",
        "first_status": "applied",
    }
    event.refresh_from_db()
    assert (event.name, event.version) == ("Gala night", 2)
