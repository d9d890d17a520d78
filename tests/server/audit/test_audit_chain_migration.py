"""Migration `audit/0002_hash_chain` chains the entries written before it, in id order,
with the names of their actors and devices; the chain then verifies and new entries
follow it."""

from __future__ import annotations

import itertools

import pytest
from support.migrations import migrate_to

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0002_hash_chain")]


def test_entries_from_before_the_chain_are_chained_in_id_order(make_user):
    from enturf_server.audit.chain import verify_chain
    from enturf_server.audit.models import AuditEntry
    from enturf_server.audit.services import record

    actor = make_user("old-timer", "admin")
    try:
        old = migrate_to(BEFORE)
        Entry = old.get_model("audit", "AuditEntry")
        for n in range(5):
            Entry.objects.create(
                actor_id=actor.pk, action="test.before", details={"n": n, "t": [1, "a"]}
            )
        Entry.objects.create(actor_id=None, action="test.before", details={})
    finally:
        migrate_to(AFTER)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.actor_name for e in entries] == ["old-timer"] * 5 + [""]
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    verdict = verify_chain()
    assert verdict.ok and verdict.checked == 6, verdict
    record(actor=actor, action="test.after")
    assert AuditEntry.objects.order_by("-id").first().prev_hash == entries[-1].hash
    assert verify_chain().ok
