"""Push requests run as one transaction with a savepoint per op: each op's answer and
effects are its own; a card sale runs alone."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from support.sync_api import edit, push

from enturf_server.sync import push_registry
from enturf_server.sync.push_registry import APPLIED, OpResult

pytestmark = pytest.mark.django_db


def test_each_op_of_a_request_keeps_its_own_answer_and_effects(manager, event, monkeypatch):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.catalog import services
    from enturf_server.sync.models import ChangeLogEntry, ProcessedOp

    def crash(op, ctx):
        services.update_event(actor=ctx.user, event=event, name="Half done")
        raise RuntimeError("a bug")

    monkeypatch.setitem(push_registry._handlers, "test_crash", crash)
    first = edit("event", event, {"name": "Gala night"}, base={"name": "Gala"})
    crashed = {"id": str(uuid.uuid4()), "type": "test_crash", "payload": {}}
    refused = edit("event", event, {"ends_at": "2000-01-01T00:00:00Z"}, base={"ends_at": None})
    later = edit(
        "event",
        event,
        {"description": "Black tie"},
        base={"description": event.description},
        base_version=event.version + 1,
    )
    seq_before = ChangeLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    results = push(manager, first, crashed, refused, first, later)

    assert [r["status"] for r in results] == [
        "applied",
        "rejected",
        "rejected",
        "duplicate",
        "applied",
    ]
    assert results[1]["code"] == "server_error" and results[1]["retry"] is True
    assert results[2]["code"] == "invalid"
    assert results[3] == {**results[0], "status": "duplicate", "first_status": "applied"}
    assert results[4]["version"] == results[0]["version"] + 1
    event.refresh_from_db()
    assert (event.name, event.description, event.version) == ("Gala night", "Black tie", 3)
    # the crashed op stored nothing and its write was rolled back; the others are stored
    stored = set(ProcessedOp.objects.values_list("id", flat=True))
    assert {str(op_id) for op_id in stored} == {first["id"], refused["id"], later["id"]}
    logged = ChangeLogEntry.objects.filter(seq__gt=seq_before or 0, entity="event")
    assert [e.data["name"] for e in logged.order_by("seq")] == ["Gala night", "Gala night"]
    assert AuditEntry.objects.filter(action="event.update").count() == 2
    # the crashed op may be sent again, and then applies
    monkeypatch.setitem(push_registry._handlers, "test_crash", lambda op, ctx: OpResult(APPLIED))
    (again,) = push(manager, crashed)
    assert again["status"] == "applied"


def test_a_card_sale_runs_after_the_ops_before_it_are_committed(manager, monkeypatch):
    from enturf_server.sync.models import ProcessedOp

    depth: dict[str, int] = {}

    def probe(op, ctx):
        ProcessedOp.objects.exists()  # an op's savepoint is taken at its first statement
        depth[op.payload["payments"][0]["method"]] = len(connection.savepoint_ids)
        return OpResult(APPLIED)

    monkeypatch.setitem(push_registry._handlers, "counter_sale", probe)

    def sale(method: str) -> dict:
        return {
            "id": str(uuid.uuid4()),
            "type": "counter_sale",
            "payload": {"payments": [{"method": method}]},
        }

    results = push(manager, sale("cash"), sale("card"), sale("cash"))
    assert [r["status"] for r in results] == ["applied"] * 3
    # a cash sale runs in a savepoint of the request's transaction; a card sale (which
    # asks the gateway) in a transaction of its own, one level less deep
    assert depth["card"] == depth["cash"] - 1


def test_an_op_repeated_after_a_card_sale_in_one_request_is_a_duplicate(manager, monkeypatch):
    calls: list[str] = []

    def note(op, ctx):
        calls.append(op.type)
        return OpResult(APPLIED)

    monkeypatch.setitem(push_registry._handlers, "counter_sale", note)
    monkeypatch.setitem(push_registry._handlers, "test_note", note)
    noted = {"id": str(uuid.uuid4()), "type": "test_note", "payload": {}}
    card = {
        "id": str(uuid.uuid4()),
        "type": "counter_sale",
        "payload": {"payments": [{"method": "card"}]},
    }

    results = push(manager, noted, card, noted)

    assert [r["status"] for r in results] == ["applied", "applied", "duplicate"]
    assert results[2]["first_status"] == "applied"
    assert calls == ["test_note", "counter_sale"]  # the repeated op did not run again
