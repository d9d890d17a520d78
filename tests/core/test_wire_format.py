"""The wire format (`enturf_core.wire`): every push op and feed entity reads back what it
writes, reads the JSON counters and the server have always sent, and refuses a payload
of the wrong shape with the path of the wrong value."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from enturf_core.wire import WireError, feed, ops

NOW = datetime(2026, 5, 1, 19, 2, 11, tzinfo=UTC)
SALE_ID, LINE_ID, PAY_ID, SHIFT_ID = (uuid.uuid4() for _ in range(4))

# today's JSON, as the counter builds it (services/sales/sale_service.py) and the server's
# tests send it (tests/server/counters.py)
SALE_JSON = {
    "booking": {
        "id": str(SALE_ID),
        "code": "ABC2345",
        "event": 7,
        "created_at": "2026-05-01T19:02:11+00:00",
        "seller": "cashier",
        "buyer_name": "Ada Lovelace",
        "voucher": "SPRING10",
        "shift": str(SHIFT_ID),
    },
    "lines": [
        {
            "id": str(LINE_ID),
            "ticket": 3,
            "price": "45.00",
            "tax_rate": "7.00",
            "tax_amount": "2.94",
            "discount": "5.00",
            "ticket_code": "v1.abc",
            "seat": 101,
            "override": {
                "reason": "damaged view",
                "listed_price": "50.00",
                "approval": {"statement": {"v": 1}, "key_id": "k1", "signature": "s"},
            },
        },
        {
            "id": str(uuid.uuid4()),
            "ticket": 4,
            "price": "20.00",
            "tax_rate": "7.00",
            "tax_amount": "1.31",
            "discount": "0.00",
            "ticket_code": "v1.def",
            "area": 9,
        },
    ],
    "payments": [
        {
            "id": str(PAY_ID),
            "method": "card",
            "amount": "30.00",
            "currency": "EUR",
            "payment_intent": "pi_1",
            "card": {"brand": "visa", "last4": "4242"},
            "authorization_code": "A1",
        },
        {
            "id": str(uuid.uuid4()),
            "method": "cash",
            "amount": "35.00",
            "currency": "EUR",
            "tendered": "50.00",
            "change": "15.00",
        },
    ],
    "hold": str(uuid.uuid4()),
}
OPS_JSON = {
    ops.COUNTER_SALE: SALE_JSON,
    ops.EVENT_UPDATE: {"id": 7, "fields": {"name": "New", "starts_at": NOW.isoformat()}},
    ops.TICKET_UPDATE: {"id": 3, "fields": {"price": "12.50", "area": None}},
    ops.SHIFT_OPEN: {
        "shift": {
            "id": str(SHIFT_ID),
            "opened_at": NOW.isoformat(),
            "opening_float": "100.00",
            "currency": "EUR",
            "cashier": "cashier",
        }
    },
    ops.DRAWER_MOVEMENT: {
        "movement": {
            "id": str(uuid.uuid4()),
            "shift": str(SHIFT_ID),
            "kind": "cash_out",
            "amount": "12.50",
            "reason": "taxi",
            "at": NOW.isoformat(),
            "user": "cashier",
        }
    },
    ops.SHIFT_CLOSE: {
        "shift": str(SHIFT_ID),
        "closed_at": NOW.isoformat(),
        "counted": {"cash": "80.00", "card": "0.00"},
        "report": {"expected": {"cash": "87.50", "card": "0.00"}, "sales": [], "refunds": []},
        "difference": "-7.50",
        "approved_by": "alice",
        "approval": {"statement": {"v": 1}, "key_id": "k1", "signature": "s"},
    },
    ops.SEATMAP_PUBLISH: {
        "draft": str(SALE_ID),
        "venue": 1,
        "name": "Main layout",
        "layout": {"sections": [], "areas": [{"name": "Floor", "capacity": 10}]},
        "base_seat_map": 4,
        "as_newer": True,
    },
    ops.EVENT_CREATE: {
        "id": str(SALE_ID),
        "seat_map": 4,
        "name": "Gala",
        "starts_at": NOW.isoformat(),
        "tickets": [
            {
                "id": str(LINE_ID),
                "name": "Adult",
                "price": "45.00",
                "tax_rate": "7.00",
                "category": "standard",
                "max_per_booking": 8,
            },
            {"id": str(SHIFT_ID), "name": "Floor", "price": "20.00", "tax_rate": "7.00", "area": 9},
        ],
        "sales_start": NOW.isoformat(),
        "state": "on_sale",
        "copy_of": 7,
    },
    ops.TICKET_CREATE: {
        "ticket": {
            "id": str(LINE_ID),
            "name": "Child",
            "price": "10.00",
            "tax_rate": "7.00",
            "category": "standard",
        },
        "event_ref": str(SALE_ID),
    },
    ops.TICKET_REMOVE: {"id": 3},
    ops.SEAT_BLOCK: {"event": 7, "seats": [101, 102], "reason": "camera", "note": "TV"},
    ops.SEAT_RELEASE: {"event": 7, "seats": [101]},
    ops.CHECKIN: {
        "id": str(SALE_ID),
        "code": "v1.key.payload.signature",
        "list": 1,
        "gate": "A",
        "kind": "entry",
        "scanned_at": NOW.isoformat(),
        "verdict": "admitted",
        "override_reason": "Lost wristband, seen on camera",
        "override_by": "admin",
    },
    ops.ALLOCATION_CHANGE: {
        "event": 7,
        "device": 3,
        "add_seats": [101],
        "remove_seats": [102],
        "areas": {"9": 10},
    },
}

# today's feed data, as the server's serializers write it
FEED_JSON = {
    feed.SETTINGS: {
        "seller_name": "Enturf Hall",
        "seller_address": "Harbour Road 1",
        "seller_vat_id": "DE123",
        "currency": "EUR",
        "offline_login_days": 7,
        "employee_refund_limit": "100.00",
        "hold_ttl_seconds": 600,
        "hold_max_seconds": 1800,
        "booking_ttl_seconds": 900,
        "shift_difference_threshold": "5.00",
        "booking_fee_amount": "0.00",
        "booking_fee_basis": "booking",
        "booking_fee_tax_rate": "19.00",
        "updated_at": NOW.isoformat(),
    },
    feed.USER: {
        "id": 4,
        "username": "cashier",
        "first_name": "Cas",
        "last_name": "Hier",
        "role": "employee",
        "is_active": True,
    },
    feed.TICKET_KEY: {
        "key_id": "k1",
        "public_key": "pk",
        "owner": "device:3",
        "device": 3,
        "device_name": "Counter 1",
        "retired_at": None,
    },
    feed.VENUE: {
        "id": 1,
        "name": "Hall",
        "address": "Harbour Road 1",
        "timezone": "Europe/Berlin",
        "version": 2,
        "created_at": "2026-01-01T10:00:00Z",
        "updated_at": "2026-01-02T10:00:00Z",
    },
    feed.SEATMAP: {
        "id": 5,
        "venue": 1,
        "venue_name": "Hall",
        "name": "Main",
        "version": 1,
        "revision": 3,
        "stage_x": 400.0,
        "stage_y": 20.0,
        "width": 800.0,
        "height": 600.0,
        "seat_count": 2,
        "categories": ["standard"],
        "areas": [
            {
                "id": 9,
                "name": "Floor",
                "capacity": 100,
                "x": 0.0,
                "y": 0,
                "width": 10.0,
                "height": 5.0,
            }
        ],
        "in_use": True,
        "created_at": "2026-01-01T10:00:00Z",
        "layout": {
            "seat_columns": ["id", "key", "label", "x", "y", "category", "flags"],
            "sections": [{"id": 1, "name": "A", "rank": 1, "rows": []}],
        },
    },
    feed.EVENT: {
        "id": 7,
        "name": "Concert",
        "description": "",
        "venue": 1,
        "venue_name": "Hall",
        "seat_map": 5,
        "starts_at": "2026-06-01T19:30:00Z",
        "ends_at": None,
        "sales_start": None,
        "sales_end": None,
        "state": "on_sale",
        "version": 4,
        "created_at": "2026-01-01T10:00:00Z",
        "updated_at": "2026-01-02T10:00:00Z",
    },
    feed.TICKET: {
        "id": 3,
        "event": 7,
        "name": "Adult",
        "price": "45.00",
        "currency": "EUR",
        "tax_rate": "7.00",
        "category": "standard",
        "area": None,
        "max_per_booking": 10,
        "position": 0,
        "active": True,
        "version": 1,
        "updated_at": "2026-01-02T10:00:00Z",
    },
    feed.SEAT_STATUS: {
        "full": True,
        "seats": {"101": "sold", "102": "blocked"},
        "areas": {"9": 99},
        "blocked": {"102": "camera"},
    },
    feed.ROLE_RIGHTS: {"role": "manager", "rights": ["sell", "refund"], "refund_limit_cents": 5000},
    feed.DEVICE: {"id": 3, "name": "Box office 1", "active": True, "version": 2, "duty": "door"},
    feed.CHECKIN_LIST: {
        "id": 1,
        "event": 7,
        "name": "Main doors",
        "tickets": [3],
        "gates": ["A", "B"],
        "exits": True,
        "reentry": False,
        "starts_at": NOW.isoformat(),
        "ends_at": None,
        "version": 2,
    },
    feed.ADMISSION: {
        "id": str(LINE_ID),
        "event": 7,
        "ticket": 3,
        "state": "valid",
        "seat": 101,
        "area": None,
        "nonce": "AAAAAAAAAAA",
        "version": 1,
    },
    feed.CHECKIN: {
        "id": str(SALE_ID),
        "line": str(LINE_ID),
        "list": 1,
        "gate": "A",
        "kind": "entry",
        "at": NOW.isoformat(),
        "verdict": "admitted",
        "device": 3,
        "double_entry": False,
    },
    feed.ALLOCATION: {
        "id": 2,
        "event": 7,
        "device": 3,
        "seats": [101, 102],
        "areas": {"9": 10},
        "sold": {"9": 1},
        "pending_release": {"seats": [103], "areas": {}, "requested_at": None},
        "version": 3,
    },
    feed.BOOKING: {
        "id": str(SALE_ID),
        "code": "ABC2345",
        "event": 7,
        "state": "paid",
        "channel": "counter",
        "currency": "EUR",
        "total": "45.00",
        "buyer_name": "",
        "expires_at": None,
        "lines": [
            {
                "id": str(LINE_ID),
                "ticket": 3,
                "seat": 101,
                "area": None,
                "price": "45.00",
                "tax_amount": "2.94",
                "state": "paid",
            }
        ],
    },
}


def _same_meaning(a, b):
    """JSON equal up to how the same instant or the same float is written."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_meaning(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same_meaning, a, b))
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:
            return datetime.fromisoformat(a) == datetime.fromisoformat(b)
        except ValueError:
            return False
    return a == b


def test_every_op_and_entity_is_covered():
    assert set(OPS_JSON) == set(ops.OPS)
    assert set(FEED_JSON) == set(feed.ENTITIES)


@pytest.mark.parametrize("op_type", sorted(OPS_JSON))
def test_an_op_reads_todays_json_and_writes_it_back(op_type):
    parsed = ops.parse_op(op_type, OPS_JSON[op_type])
    assert op_type == type(parsed).OP_TYPE
    assert _same_meaning(parsed.to_wire(), OPS_JSON[op_type])
    assert type(parsed).from_wire(parsed.to_wire()) == parsed


@pytest.mark.parametrize("entity", sorted(FEED_JSON))
def test_an_entity_reads_todays_json_and_writes_it_back(entity):
    parsed = feed.parse_data(entity, FEED_JSON[entity])
    assert entity == type(parsed).ENTITY
    assert _same_meaning(parsed.to_wire(), FEED_JSON[entity])
    assert type(parsed).from_wire(parsed.to_wire()) == parsed


def test_typed_values():
    sale = ops.CounterSale.from_wire(SALE_JSON)
    assert sale.booking.id == SALE_ID and sale.booking.created_at == NOW
    first, second = sale.lines
    assert (first.price, first.seat, first.area) == (Decimal("45.00"), 101, None)
    assert first.override is not None and first.override.listed_price == Decimal("50.00")
    assert (second.seat, second.area, second.override) == (None, 9, None)
    assert sale.pays_by_card
    assert "seat" not in second.to_wire() and "override" not in second.to_wire()


def test_optional_parts_default_and_stay_out():
    """An older counter's sale (no shift, no discount, no ticket code) reads with the
    server's defaults; what was not sent is not written."""
    line = {k: v for k, v in SALE_JSON["lines"][1].items() if k not in ("discount", "ticket_code")}
    booking = {"id": str(SALE_ID), "event": 7, "created_at": NOW.isoformat()}
    cash = {"id": str(PAY_ID), "method": "cash", "amount": "20.00", "currency": "EUR"}
    sale = ops.CounterSale.from_wire({"booking": booking, "lines": [line], "payments": [cash]})
    assert sale.booking.shift is None and sale.hold is None and sale.booking.voucher == ""
    assert sale.lines[0].discount == Decimal("0.00") and sale.lines[0].ticket_code == ""
    out = sale.to_wire()
    assert "hold" not in out and "voucher" not in out["booking"] and "shift" not in out["booking"]
    assert out["payments"] == [cash]


@pytest.mark.parametrize(
    "change, path, problem",
    [
        (lambda s: s["booking"].pop("id"), "booking.id", "missing"),
        (lambda s: s["lines"][1].update(price=20.0), "lines[1].price", "decimal as text"),
        (lambda s: s["lines"][0].update(price="4O.00"), "lines[0].price", "not a decimal"),
        (lambda s: s["lines"][0].update(ticket=True), "lines[0].ticket", "integer"),
        (lambda s: s["lines"][0].update(area=9), "lines[0]", "exactly one seat"),
        (lambda s: s["lines"][1].update(colour="red"), "lines[1]", "unknown field(s): colour"),
        (lambda s: s["booking"].update(id="nope"), "booking.id", "not a UUID"),
        (
            lambda s: s["booking"].update(created_at="2026-05-01 19:00"),
            "booking.created_at",
            "offset",
        ),
        (lambda s: s["payments"][1].update(method="cheque"), "payments[1].method", "cash or card"),
        (lambda s: s.update(lines={}), "lines", "expected a list"),
        (lambda s: s.update(booking=None), "booking", "expected an object"),
    ],
)
def test_a_payload_of_the_wrong_shape_is_refused_with_its_path(change, path, problem):
    import copy

    bad = copy.deepcopy(SALE_JSON)
    change(bad)
    with pytest.raises(WireError) as refused:
        ops.CounterSale.from_wire(bad)
    assert refused.value.path == path
    assert problem in str(refused.value)


def test_strict_ops_and_lenient_feed():
    with pytest.raises(WireError, match="unknown op type"):
        ops.parse_op("teleport", {})
    with pytest.raises(WireError, match=r"movement\.kind: expected cash_in or cash_out"):
        ops.DrawerMovement.from_wire(
            {"movement": {**OPS_JSON[ops.DRAWER_MOVEMENT]["movement"], "kind": "float"}}
        )
    newer = {**FEED_JSON[feed.TICKET], "colour": "red"}
    with pytest.raises(WireError, match="unknown field"):
        feed.Ticket.from_wire(newer)
    assert feed.Ticket.from_wire(newer, ignore_unknown=True).name == "Adult"
    nested = {**FEED_JSON[feed.SEATMAP], "areas": [{"id": 9, "depth": 3}]}
    assert feed.SeatMap.from_wire(nested, ignore_unknown=True).areas == (feed.Area(id=9),)
    with pytest.raises(WireError, match="areas\\[0\\]: unknown field"):
        feed.SeatMap.from_wire(nested)


def test_a_change_entry():
    entry = {"seq": 12, "entity": "ticket", "id": "3", "version": 1, "op": "upsert", "data": {}}
    change = feed.Change.from_wire(entry)
    assert change.to_wire() == entry
    with pytest.raises(WireError, match="op: expected upsert or delete"):
        feed.Change.from_wire({**entry, "op": "merge"})


def test_a_seat_status_is_read_in_bulk_and_a_wrong_value_still_has_its_path():
    status = feed.SeatStatus.from_wire({"seats": {"101": "sold", "102": "held"}, "areas": {"9": 3}})
    assert status.seats == {"101": "sold", "102": "held"} and status.areas == {"9": 3}
    with pytest.raises(WireError) as refused:
        feed.SeatStatus.from_wire({"seats": {"101": "sold", "102": 7}})
    assert refused.value.path == "seats.102"
    with pytest.raises(WireError, match="expected an integer"):
        feed.SeatStatus.from_wire({"areas": {"9": True}})
