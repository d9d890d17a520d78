"""Push: applied, replayed, rejected, merged and conflicting manager edits; pruning ops."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from support.catalog_data import make_ticket
from support.counters import pos_client
from support.sync_api import PUSH, edit, push, read_all, register_device

pytestmark = pytest.mark.django_db


def test_edit_on_current_version_applies_and_reaches_the_feed(manager, event):
    _snapshot, cursor = read_all(manager)
    op = edit("event", event, {"name": "Gala night"}, base={"name": "Gala"})
    (result,) = push(manager, op)
    assert result == {
        "id": op["id"],
        "status": "applied",
        "version": event.version + 1,
        "applied": ["name"],
    }
    event.refresh_from_db()
    assert event.name == "Gala night"
    changes, _ = read_all(manager, after=cursor)
    assert [(c["entity"], c["data"]["name"]) for c in changes] == [("event", "Gala night")]

    from enturf_server.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="event.update", actor=manager.user).count() == 1


def test_replayed_op_answers_its_first_result_and_applies_once(manager, event):
    op = edit("event", event, {"name": "Once"}, base={"name": "Gala"})
    (first,) = push(manager, op)
    assert first["status"] == "applied"
    # the counter never saw the answer and sends the same op again, after another edit
    from enturf_server.catalog import services

    services.update_event(actor=None, event=event, name="Changed meanwhile")
    (again,) = push(manager, op)
    assert again == {**first, "status": "duplicate", "first_status": "applied"}
    event.refresh_from_db()
    assert event.name == "Changed meanwhile"
    assert event.version == first["version"] + 1


def test_same_op_id_from_another_counter_is_refused(manager, event, make_user):
    op = edit("event", event, {"name": "Mine"}, base={"name": "Gala"})
    assert push(manager, op)[0]["status"] == "applied"
    _device, token = register_device("Counter 2")
    other = pos_client(make_user("other-manager", "admin"), token)
    (result,) = push(other, op)
    assert result["status"] == "rejected"
    assert result["code"] == "op_id_taken"


def test_rejections_say_why_and_apply_nothing(manager, event):
    results = push(
        manager,
        {"id": str(uuid.uuid4()), "type": "counter_sale_v9", "payload": {}},
        edit("event", event, {"seat_map": 5}, base={}),
        edit("event", event, {"starts_at": "not a time"}, base={}),
        edit("event", event, {"ends_at": "2000-01-01T00:00:00Z"}, base={"ends_at": None}),
        {"id": str(uuid.uuid4()), "type": "event_update", "payload": {"id": 999999, "fields": {}}},
        {"id": str(uuid.uuid4()), "type": "event_update", "payload": "nope"},
        {"id": str(uuid.uuid4())},
    )
    assert [r["status"] for r in results] == ["rejected"] * 7
    codes = [r["code"] for r in results]
    assert codes == [
        "unknown_op_type",
        "unknown_field",
        "invalid",
        "invalid",  # the catalog service refuses an end before the start
        "not_found",
        "invalid_op",
        "invalid_op",
    ]
    assert "counter_sale_v9" in results[0]["reason"]
    assert "end after it starts" in results[3]["reason"]
    event.refresh_from_db()
    assert event.version == 1
    # a rejection is final too: the replay answers it again
    (again,) = push(manager, {"id": results[0]["id"], "type": "counter_sale_v9", "payload": {}})
    assert again["status"] == "duplicate"
    assert again["first_status"] == "rejected"


def test_push_without_op_ids_is_a_400(manager):
    r = manager.post(PUSH, {"ops": [{"id": "not-a-uuid", "type": "x"}]}, format="json")
    assert r.status_code == 400
    r = manager.post(PUSH, {"nothing": 1}, format="json")
    assert r.status_code == 400


def test_edits_of_different_fields_merge(manager, event):
    from enturf_server.catalog import services

    base_version = event.version
    services.update_event(actor=None, event=event, description="Edited on the server")
    op = edit(
        "event", event, {"name": "Edited offline"}, base={"name": "Gala"}, base_version=base_version
    )
    (result,) = push(manager, op)
    assert result["status"] == "applied"
    assert result["applied"] == ["name"]
    event.refresh_from_db()
    assert (event.name, event.description) == ("Edited offline", "Edited on the server")
    assert result["version"] == event.version == base_version + 2


def test_same_field_edited_on_both_sides_is_a_conflict(manager, event):
    from enturf_server.catalog import services

    base_version = event.version
    services.update_event(actor=None, event=event, name="Server name")
    op = edit(
        "event",
        event,
        {"name": "Counter name", "description": "Counter text"},
        base={"name": "Gala", "description": ""},
        base_version=base_version,
    )
    (result,) = push(manager, op)
    assert result["status"] == "conflict"
    assert result["code"] == "edit_conflict"
    assert result["server"] == {"version": base_version + 2, "fields": {"name": "Server name"}}
    assert result["applied"] == ["description"]  # the untouched field still merges
    event.refresh_from_db()
    assert (event.name, event.description) == ("Server name", "Counter text")


def test_same_edit_on_both_sides_is_nothing_to_do(manager, event):
    from enturf_server.catalog import services

    base_version = event.version
    services.update_event(actor=None, event=event, name="Same")
    op = edit("event", event, {"name": "Same"}, base={"name": "Gala"}, base_version=base_version)
    (result,) = push(manager, op)
    assert result == {
        "id": op["id"],
        "status": "applied",
        "version": base_version + 1,
        "applied": [],
    }


def test_ticket_values_compare_as_values_not_text(manager, event):
    from enturf_server.catalog import services

    ticket = make_ticket(event, price="12.50")
    base_version = ticket.version
    services.update_ticket(actor=None, ticket=ticket, name="Adult (server)")
    op = edit(
        "ticket",
        ticket,
        {"price": "14", "name": "Adult"},
        base={"price": "12.5", "name": "Adult"},
        base_version=base_version,
    )
    (result,) = push(manager, op)
    # price: base 12.5 == server 12.50 -> applies; name: the counter "sets" it to its base
    # value while the server changed it -> conflict, the server's name stays
    assert result["status"] == "conflict"
    assert result["server"]["fields"] == {"name": "Adult (server)"}
    assert result["applied"] == ["price"]
    ticket.refresh_from_db()
    assert str(ticket.price) == "14.00"
    assert ticket.name == "Adult (server)"


def test_edits_need_the_right_to_edit_events(make_user, event):
    """A box-office manager (right edit_events) pushes edits; a cashier (without) may not."""
    _device, token = register_device("Box office")
    cashier = pos_client(make_user("clerk", "employee"), token)
    (result,) = push(cashier, edit("event", event, {"name": "By clerk"}, base={"name": "Gala"}))
    assert (result["status"], result["code"]) == ("rejected", "permission_denied")
    boxoffice = pos_client(make_user("boxoffice", "manager"), token)
    (result,) = push(boxoffice, edit("event", event, {"name": "By bo"}, base={"name": "Gala"}))
    assert result["status"] == "applied"


def test_processed_ops_are_kept_while_their_counter_may_replay_them(make_user, event):
    from enturf_server.accounts import device_services
    from enturf_server.accounts.models import Device
    from enturf_server.sync.models import ProcessedOp
    from enturf_server.sync.pruning import prune_processed_ops

    away, away_token = register_device("Away for months")
    back, back_token = register_device("Came back")
    retired, retired_token = register_device("Retired")
    user = make_user("m", "admin")
    ids = {}
    for name, token in (("away", away_token), ("back", back_token), ("retired", retired_token)):
        client = pos_client(user, token)
        ids[name] = push(client, edit("event", event, {"description": name}))[0]["id"]
        event.refresh_from_db()
    long_ago = timezone.now() - timedelta(days=200)
    ProcessedOp.objects.update(created_at=long_ago)
    Device.objects.filter(pk=away.pk).update(last_seen_at=long_ago - timedelta(days=1))
    Device.objects.filter(pk=back.pk).update(last_seen_at=timezone.now())
    device_services.retire_device(actor=user, device=retired)

    assert prune_processed_ops(keep_days=90) == 2
    assert set(ProcessedOp.objects.values_list("id", flat=True)) == {uuid.UUID(ids["away"])}
    # recent ops stay whatever their counter did
    assert prune_processed_ops(keep_days=365) == 0
