"""The server writes the change feed in the wire format counters read
(`enturf_core.wire.feed`): every snapshot item and change-log entry parses strictly, no
field missing, none unknown, every value of its type."""

from __future__ import annotations

import uuid

from support.counters import allocated, push, sale_line, sale_payload

from enturf_core.wire import feed

CHANGES = "/api/v1/sync/changes/"


def _read_all(client, after: str) -> tuple[list[dict], str]:
    changes: list[dict] = []
    while True:
        body = client.get(CHANGES, {"after": after, "limit": 500}).json()
        changes.extend(body["changes"])
        after = body["next"]
        if not body["has_more"]:
            return changes, after


def _parsed(changes: list[dict]) -> set[str]:
    seen = set()
    for raw in changes:
        change = feed.Change.from_wire(raw)
        if change.op == feed.UPSERT:
            data = feed.parse_data(change.entity, change.data)
            assert change.entity == type(data).ENTITY
        seen.add(change.entity)
    return seen


def test_the_snapshot_and_the_changes_have_the_wire_formats_shape(admin_client, shop, counter):
    from enturf_server.catalog import services
    from enturf_server.sales.seat_blocks import block_seats

    device, pos, key = counter
    floor = shop.areas["Floor"]
    snapshot, cursor = _read_all(pos, "0")

    allocated(admin_client, shop, device, shop.seats[2:4], [(floor, 3)])
    lines = [sale_line(shop, "standard", seat=shop.seats[0], key=key)]
    cash = {"id": str(uuid.uuid4()), "method": "cash", "amount": "25.00"}
    [sold] = push(pos, sale_payload(shop, lines, payments=[cash]))
    assert sold["status"] == "applied", sold
    services.update_event(actor=None, event=shop.event, name="Renamed")
    block_seats(actor=None, event=shop.event, seat_ids=shop.seats[5:7], reason="house")
    changes, cursor = _read_all(pos, cursor)
    again, _ = _read_all(pos, "0")  # a new snapshot, with the allocation and the blocks

    assert _parsed(snapshot) >= {
        "settings",
        "user",
        "device",
        "ticket_key",
        "venue",
        "seatmap",
        "event",
    }
    assert _parsed(changes) >= {"allocation", "booking", "seat_status", "event"}
    assert _parsed(again) >= {"ticket", "seat_status", "allocation"}
    blocked = {str(s): "house" for s in shop.seats[5:7]}
    assert [c["data"]["blocked"] for c in changes if "blocked" in c["data"]] == [blocked]
    (full,) = [c["data"] for c in again if c["entity"] == "seat_status"]
    assert feed.SeatStatus.from_wire(full).blocked == blocked
