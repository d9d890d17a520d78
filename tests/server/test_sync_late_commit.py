"""A change that commits late is never skipped by a reader paging the change log.

Writer A takes its sequence number and keeps its transaction open; writer B then tries
to commit a change and a reader reads a page. When A commits, the reader's next page
still contains A's change. With the change-log lock, B waits for A, so the reader never
sees B before A; the test checks the invariant itself (nothing skipped, seq order is
commit order), whichever way the implementation guarantees it.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 30  # seconds to wait for a thread to reach a point (never asserted on)


def _wait_until(predicate, what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _waiting_on_advisory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


def test_late_commit_is_not_skipped():
    if connection.vendor != "postgresql":
        pytest.skip(
            "only meaningful on PostgreSQL (real concurrent transactions); set DATABASE_URL"
        )
    from enturf_server.sync import changes
    from enturf_server.sync.change_feed import read_changes
    from enturf_server.sync.models import ChangeLogEntry

    with changes.atomic():
        changes.emit("probe", "before")
    start = str(ChangeLogEntry.objects.get(entity_id="before").seq)

    a_has_seq = threading.Event()
    release_a = threading.Event()
    b_done = threading.Event()
    errors: list[BaseException] = []

    def writer_a():
        try:
            with transaction.atomic():  # A's transaction stays open after the log write
                with changes.atomic():
                    changes.emit("probe", "A")
                a_has_seq.set()  # the entry is written: A holds its sequence number
                release_a.wait(DEADLINE)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def writer_b():
        try:
            with changes.atomic():
                changes.emit("probe", "B")
            b_done.set()
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    thread_a = threading.Thread(target=writer_a)
    thread_a.start()
    _wait_until(a_has_seq.is_set, "writer A to take its sequence number")
    thread_b = threading.Thread(target=writer_b)
    thread_b.start()
    # B either commits (an implementation without the lock) or waits for A (with it)
    _wait_until(lambda: b_done.is_set() or _waiting_on_advisory_lock(), "writer B")
    b_committed_first = b_done.is_set()

    page1 = read_changes(after=start, limit=100)
    seen = [c["id"] for c in page1.changes]
    assert "A" not in seen  # not committed yet

    release_a.set()
    thread_a.join(DEADLINE)
    thread_b.join(DEADLINE)
    assert not errors, errors
    assert b_done.is_set()

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


def _waiting_on_any_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def test_concurrent_pushes_of_one_op_apply_it_once(django_user_model):
    """The second push of an op still in flight waits for the first, then answers
    `duplicate` with its result; the edit is applied once."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "only meaningful on PostgreSQL (real concurrent transactions); set DATABASE_URL"
        )
    import uuid

    from catalog_data import make_event, make_seat_map, make_venue

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
    first_applied = threading.Event()
    release_first = threading.Event()
    results: dict[str, dict] = {}
    errors: list[BaseException] = []

    def first():
        try:
            with transaction.atomic():  # the first push has applied but not committed
                results["first"] = apply_op(op=op, ctx=ctx)
                first_applied.set()
                release_first.wait(DEADLINE)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    def second():
        try:
            results["second"] = apply_op(op=op, ctx=ctx)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    thread_1 = threading.Thread(target=first)
    thread_1.start()
    _wait_until(first_applied.is_set, "the first push to apply the op")
    thread_2 = threading.Thread(target=second)
    thread_2.start()
    _wait_until(lambda: "second" in results or _waiting_on_any_lock(), "the second push")
    release_first.set()
    thread_1.join(DEADLINE)
    thread_2.join(DEADLINE)
    assert not errors, errors

    assert results["first"]["status"] == "applied"
    assert results["second"] == {
        **results["first"],
        "status": "duplicate",
        "first_status": "applied",
    }
    event.refresh_from_db()
    assert (event.name, event.version) == ("Gala night", 2)
