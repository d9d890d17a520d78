"""What door devices read from the change feed: check-in lists, an admission per sold
line (revoked when refunded), every scan; each entry parses with the wire types (strict)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from support.counters import push, push_ops, sale_line, sale_payload
from support.door_scans import checkin_op, default_list, scan
from support.sync_api import read_all

from enturf_core.ticket_codes import keyring_of, verify
from enturf_core.wire import feed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_signing_key")]


def _latest(changes, entity) -> dict[str, dict]:
    out = {}
    for change in changes:
        if change["entity"] == entity:
            out[str(change["id"])] = change
    return out


def _strict(changes):
    for change in changes:
        entry = feed.Change.from_wire(change)
        if entry.op == feed.UPSERT and entry.entity in (
            feed.CHECKIN_LIST,
            feed.ADMISSION,
            feed.CHECKIN,
            feed.DEVICE,
        ):
            feed.parse_data(entry.entity, entry.data)  # strict: no unknown field


def test_a_sale_a_scan_and_a_refund_reach_the_doors(counter, shop):
    _device, cashier, key = counter
    line = sale_line(shop, "standard", seat=shop.seats_by_category["standard"][0], key=key)
    other = sale_line(shop, "standard", seat=shop.seats_by_category["standard"][1], key=key)
    sale = sale_payload(shop, [line, other])
    assert push(cashier, sale)[0]["status"] == "applied"

    changes, cursor = read_all(cashier)
    _strict(changes)
    lists = _latest(changes, feed.CHECKIN_LIST)
    assert [c["data"]["name"] for c in lists.values()] == ["All tickets"]  # made when sold
    admissions = _latest(changes, feed.ADMISSION)
    admission = feed.Admission.from_wire(admissions[line["id"]]["data"])
    assert (admission.state, admission.ticket, admission.seat) == (
        "valid",
        shop.tickets["standard"].pk,
        line["seat"],
    )
    device_key = keyring_of(key.public_info())
    assert admission.nonce == verify(line["ticket_code"], device_key).nonce

    door = default_list(cashier, shop)
    answer = scan(cashier, door, line["ticket_code"], expect=201)
    push_ops(cashier, checkin_op(door, other["ticket_code"], at=timezone.now(), gate="B"))
    more, cursor = read_all(cashier, after=cursor)
    _strict(more)
    records = {
        c["id"]: feed.CheckinRecord.from_wire(c["data"]) for c in more if c["entity"] == "checkin"
    }
    assert records[answer["id"]].verdict == "admitted"
    assert records[answer["id"]].line == line["id"]
    assert {r.gate for r in records.values()} == {"A", "B"}

    r = cashier.post(
        "/api/v1/refunds/",
        {"booking": sale["booking"]["id"], "lines": [line["id"]], "reason": "cannot come"},
        format="json",
    )
    assert r.status_code == 201, r.content
    after_refund, _ = read_all(cashier, after=cursor)
    _strict(after_refund)
    revoked = _latest(after_refund, feed.ADMISSION)
    assert revoked[line["id"]]["data"]["state"] == "refunded"
    assert revoked[other["id"]]["data"]["state"] == "valid"
    assert scan(cashier, door, line["ticket_code"])["verdict"] == "refunded"


def test_the_snapshot_has_lists_admissions_and_scans(counter, shop):
    _device, cashier, key = counter
    line = sale_line(shop, "standard", seat=shop.seats_by_category["standard"][2], key=key)
    push(cashier, sale_payload(shop, [line]))
    door = default_list(cashier, shop)
    scan(cashier, door, line["ticket_code"], expect=201)
    from enturf_server.sync.models import ChangeLogEntry

    ChangeLogEntry.objects.all().delete()  # pruned: a new door starts from the snapshot
    changes, _ = read_all(cashier)
    _strict(changes)
    entities = {c["entity"] for c in changes}
    assert {feed.CHECKIN_LIST, feed.ADMISSION, feed.CHECKIN, feed.DEVICE} <= entities
    devices = [feed.Device.from_wire(c["data"]) for c in changes if c["entity"] == "device"]
    assert {d.duty for d in devices} == {"counter"}
