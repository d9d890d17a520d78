"""The audit trail over the API: read-only, filtered, paginated, exported as CSV; only
those whose role has the right `view_audit` (admins and managers by default) read it."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(make_user):
    from enturf_server.audit.services import record

    tag = uuid.uuid4().hex[:8]
    alice = make_user(f"a-{tag}", "admin")
    bob = make_user(f"b-{tag}", "employee")
    for n in range(7):
        record(actor=alice, action=f"test.{tag}.alpha", obj=alice, details={"n": n})
    for n in range(3):
        record(actor=bob, action=f"test.{tag}.beta", obj=bob, details={"n": n, "note": "a,b\n"})
    return tag, alice, bob


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_list_filters_by_actor_action_object_and_time(admin_client, entries):
    tag, alice, bob = entries
    r = admin_client.get("/api/v1/audit/", {"action_prefix": f"test.{tag}.", "page_size": 4})
    assert r.status_code == 200, r.content
    page = r.json()
    assert page["count"] == 10 and len(page["results"]) == 4 and page["next"]
    newest = page["results"][0]
    assert (newest["action"], newest["actor"], newest["actor_name"]) == (
        f"test.{tag}.beta",
        bob.pk,
        bob.username,
    )
    assert set(newest) >= {"at", "device", "device_name", "object_type", "object_id", "hash"}

    by_actor = admin_client.get("/api/v1/audit/", {"actor": alice.pk}).json()
    assert {e["action"] for e in by_actor["results"]} == {f"test.{tag}.alpha"}
    assert by_actor["count"] == 7
    by_object = admin_client.get(
        "/api/v1/audit/", {"object_type": "accounts.user", "object_id": str(bob.pk)}
    ).json()
    assert by_object["count"] == 3
    exact = admin_client.get("/api/v1/audit/", {"action": f"test.{tag}.beta"}).json()
    assert exact["count"] == 3
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert admin_client.get("/api/v1/audit/", {"since": future}).json()["count"] == 0
    until = admin_client.get(
        "/api/v1/audit/", {"until": future, "action_prefix": f"test.{tag}."}
    ).json()
    assert until["count"] == 10


def test_bad_filters_are_refused_with_a_reason(admin_client):
    for query in ({"since": "yesterday"}, {"actor": "alice"}, {"device": "x"}, {"page": 99}):
        r = admin_client.get("/api/v1/audit/", query)
        assert 400 <= r.status_code < 500, (query, r.content)
        assert "error" in r.json()
    r = admin_client.get("/api/v1/audit/export/", {"since": "yesterday"})
    assert r.status_code == 400 and "error" in r.json()


def test_the_csv_export_holds_every_filtered_entry(admin_client, entries):
    tag, _alice, bob = entries
    r = admin_client.get("/api/v1/audit/export/", {"action_prefix": f"test.{tag}."})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_body(r))))
    assert len(rows) == 10
    betas = [row for row in rows if row["action"] == f"test.{tag}.beta"]
    assert {row["actor_name"] for row in betas} == {bob.username}
    assert {eval_json(row["details"])["note"] for row in betas} == {"a,b\n"}
    assert all(len(row["hash"]) == 64 for row in rows)


def eval_json(text: str):
    import json

    return json.loads(text)


def test_only_holders_of_view_audit_read_it_and_nobody_writes_it(
    admin_client, employee_client, customer_client, anon_client, client_for, make_user, entries
):
    manager = client_for(make_user("manny", "manager"))  # granted view_audit by default
    assert manager.get("/api/v1/audit/").status_code == 200
    assert manager.get("/api/v1/audit/verify/").status_code == 200
    steward = client_for(make_user("stew", "door_steward"))
    for client in (employee_client, customer_client, steward):
        for path in ("/api/v1/audit/", "/api/v1/audit/export/", "/api/v1/audit/verify/"):
            assert client.get(path).status_code == 403, path
    assert anon_client.get("/api/v1/audit/").status_code == 401
    some = admin_client.get("/api/v1/audit/").json()["results"][0]
    for method in ("post", "put", "patch", "delete"):
        r = getattr(admin_client, method)("/api/v1/audit/", {"action": "x"}, format="json")
        assert r.status_code == 405, (method, r.content)
        r = getattr(admin_client, method)(f"/api/v1/audit/{some['id']}/", {}, format="json")
        assert r.status_code in (404, 405), (method, r.status_code)


def test_the_admin_site_shows_entries_but_cannot_change_or_delete_them(client, make_user, entries):
    from enturf_server.audit.models import AuditEntry

    root = make_user("root-auditor", "admin")
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    client.force_login(root)
    entry = AuditEntry.objects.order_by("-id").first()
    assert client.get("/admin/audit/auditentry/").status_code == 200
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    r = client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "x"})
    assert r.status_code == 403
    r = client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    entry.refresh_from_db()
    assert entry.action != "x"
