"""The audit trail is a hash chain: tampering with it through raw SQL (a field changed,
an entry deleted in the middle or at the end, two entries swapped) is found, at the entry
where it happened, by `verify_chain()`, `enturf-server verify_audit` and the API."""

from __future__ import annotations

import io
import itertools
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(make_user):
    """Six entries recorded by the service (three in one transaction, deferred)."""
    from enturf_server.audit.models import AuditEntry
    from enturf_server.audit.services import record
    from enturf_server.sync import changes

    actor = make_user(f"auditor-{uuid.uuid4().hex[:6]}", "admin")
    record(actor=actor, action="test.one", details={"n": 1, "why": "späť"})
    with changes.atomic():
        for n in (2, 3, 4):
            record(actor=actor, action="test.many", details={"n": n, "list": (1, 2)})
    record(actor=None, action="test.anonymous", details={})
    record(actor=actor, action="test.last", details={"amount": "12.50"})
    return list(AuditEntry.objects.order_by("id"))


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def _verdict():
    from enturf_server.audit.chain import verify_chain

    return verify_chain()


def test_an_untouched_trail_verifies_and_links_each_entry_to_the_one_before(trail):
    from enturf_server.audit.models import AuditChainHead

    verdict = _verdict()
    assert verdict.ok, verdict
    assert verdict.checked == len(trail) >= 6
    for before, after in itertools.pairwise(trail):
        assert after.prev_hash == before.hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_id, head.last_hash) == (trail[-1].pk, trail[-1].hash)
    assert trail[-1].actor_name.startswith("auditor-")
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


@pytest.mark.parametrize(
    "column, value",
    [
        ("action", "test.innocent"),
        ("actor_name", "someone-else"),
        ("object_id", "42"),
        ("details", '{"n": 99}'),
        ("at", "2001-01-01 00:00:00+00:00"),
    ],
)
def test_a_changed_field_is_found_at_its_entry(trail, column, value):
    target = trail[2]
    cast = "::jsonb" if column == "details" and connection.vendor == "postgresql" else ""
    _sql(f"UPDATE audit_auditentry SET {column} = %s{cast} WHERE id = %s", [value, target.pk])
    verdict = _verdict()
    assert (verdict.ok, verdict.broken_id) == (False, target.pk), verdict
    assert "changed" in verdict.reason


def test_a_changed_field_with_its_hash_recomputed_breaks_the_next_link(trail):
    from enturf_server.audit.chain import hash_of
    from enturf_server.audit.models import AuditEntry

    target = AuditEntry.objects.get(pk=trail[2].pk)
    target.action = "test.innocent"
    _sql(
        "UPDATE audit_auditentry SET action = %s, hash = %s WHERE id = %s",
        [target.action, hash_of(target), target.pk],
    )
    verdict = _verdict()
    assert (verdict.ok, verdict.broken_id) == (False, trail[3].pk), verdict
    assert "link" in verdict.reason


def test_a_deleted_entry_is_found_at_the_one_after_it(trail):
    _sql("DELETE FROM audit_auditentry WHERE id = %s", [trail[3].pk])
    verdict = _verdict()
    assert (verdict.ok, verdict.broken_id) == (False, trail[4].pk), verdict


def test_deleting_the_last_entries_is_found_against_the_head(trail):
    _sql("DELETE FROM audit_auditentry WHERE id >= %s", [trail[-2].pk])
    verdict = _verdict()
    assert (verdict.ok, verdict.broken_id) == (False, trail[-1].pk), verdict
    assert "never reached" in verdict.reason


def test_two_swapped_entries_are_found(trail):
    a, b = trail[1].pk, trail[3].pk
    spare = trail[-1].pk + 1000
    _sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [spare, a])
    _sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a, b])
    _sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [b, spare])
    verdict = _verdict()
    assert (verdict.ok, verdict.broken_id) == (False, a), verdict


def test_the_command_and_the_api_report_the_break(trail, client_for, make_user):
    _sql("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [trail[1].pk])
    with pytest.raises(CommandError, match=f"broken at entry {trail[1].pk}"):
        call_command("verify_audit")
    admin = client_for(make_user("verifier", "admin"))
    r = admin.get("/api/v1/audit/verify/")
    assert r.status_code == 200, r.content
    assert (r.json()["ok"], r.json()["broken_id"]) == (False, trail[1].pk)


def test_a_rolled_back_nested_block_leaves_no_entry_and_no_gap_in_the_chain(make_user):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.audit.services import record
    from enturf_server.sync import changes

    actor = make_user("nester", "admin")
    with changes.atomic():
        record(actor=actor, action="test.kept")
        with pytest.raises(RuntimeError), changes.atomic():
            record(actor=actor, action="test.dropped")
            raise RuntimeError("undo")
        record(actor=actor, action="test.kept")
    actions = list(AuditEntry.objects.filter(actor=actor).values_list("action", flat=True))
    assert actions == ["test.kept", "test.kept"]
    assert _verdict().ok
