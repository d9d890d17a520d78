"""Many transactions appending to the audit trail at once (PostgreSQL): each appends
under the change-log lock, after its other work, so the trail stays one chain, with no
two entries linked to the same one and every entry there."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connections
from support.databases import requires_postgres
from support.pg_race import first_held_open, wait_until

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 12
ROUNDS = 15


def _append(tag: str, n: int, deferred: bool) -> None:
    from enturf_server.audit.services import record
    from enturf_server.sync import changes

    try:
        if deferred:  # a service's transaction: its entries (and a change) flushed at the end
            with changes.atomic():
                for k in range(3):
                    record(actor=None, action="test.burst", details={"tag": tag, "n": n, "k": k})
                changes.emit("test", f"{tag}-{n}")
        else:
            record(actor=None, action="test.single", details={"tag": tag, "n": n})
    finally:
        connections.close_all()


def test_many_concurrent_writers_leave_one_valid_chain():
    from enturf_server.audit.chain import verify_chain
    from enturf_server.audit.models import AuditEntry

    tag = uuid.uuid4().hex
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            start.wait()
            for n in range(ROUNDS):
                _append(tag, w * ROUNDS + n, deferred=(w + n) % 2 == 0)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors

    entries = AuditEntry.objects.filter(details__tag=tag)
    bursts = sum(1 for w in range(WRITERS) for n in range(ROUNDS) if (w + n) % 2 == 0)
    assert entries.count() == bursts * 3 + (WRITERS * ROUNDS - bursts)
    prevs = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == len(set(prevs)), "two entries chained onto the same one"
    verdict = verify_chain()
    assert verdict.ok, verdict
    assert verdict.checked == AuditEntry.objects.count()


def test_a_writer_waits_for_one_whose_entries_are_not_committed_yet():
    """The first transaction has appended and stays open: the second waits on the lock
    rather than chaining onto the same entry."""
    from enturf_server.audit.chain import verify_chain
    from enturf_server.audit.models import AuditEntry
    from enturf_server.audit.services import record

    with first_held_open(
        lambda: record(actor=None, action="test.first"),
        lambda: record(actor=None, action="test.second"),
        locktype="advisory",
    ):
        wait_until(lambda: True, "nothing")
    first, second = AuditEntry.objects.order_by("id")
    assert (first.action, second.action) == ("test.first", "test.second")
    assert second.prev_hash == first.hash
    assert verify_chain().ok
