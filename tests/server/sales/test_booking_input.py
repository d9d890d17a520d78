"""The lean reading of a booking request gives what `BookingCreateInput` gives: the same
values for a well-formed body, the serializer's own 400 for anything else."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.exceptions import ValidationError

ID = "6a24e996-cf96-457d-9c17-e355416269d7"
SEAT = {"seat": 61, "ticket": 3}

BODIES = [
    # well formed: read directly
    {"event": 1, "lines": [SEAT, {"seat": 62, "ticket": 3}]},
    {"event": 7, "lines": [{"ticket": 4, "quantity": 3}, {"ticket": 5, "seat": None}]},
    {"id": ID, "event": 2**31 - 1, "lines": [SEAT], "buyer_name": "  Ada Lovelace ", "voucher": ""},
    {"hold": ID},
    {"hold": ID.replace("-", "").upper(), "event": 3},
    {"hold": "{" + ID + "}", "lines": [SEAT], "buyer_email": ""},
    {"event": 1, "lines": [SEAT], "voucher": "SPRING24", "unknown": "ignored"},
    {"event": 1, "lines": [{"ticket": 3, "quantity": 100}]},
    # left to the serializer (valid, but not the plain shape)
    {"event": 1, "lines": [SEAT], "buyer_email": "ada@example.org"},
    {"event": 1, "lines": [SEAT], "buyer_name": "Zoë"},
    {"event": "1", "lines": [{"seat": "61", "ticket": "3"}]},
    {"event": 1, "lines": [{**SEAT, "note": "window"}]},
    {"event": 1.0, "lines": [SEAT]},
    {"id": 12345, "event": 1, "lines": [SEAT]},
    {"event": 1, "lines": [SEAT], "buyer_name": "Tab\there"},
    # refused: the serializer's own error
    {},
    {"lines": [SEAT]},
    {"event": 1},
    {"event": 1, "lines": []},
    {"event": 0, "lines": [SEAT]},
    {"event": 2**31, "lines": [SEAT]},
    {"event": True, "lines": [SEAT]},
    {"event": None, "lines": [SEAT]},
    {"event": 1, "lines": [{"seat": 61}]},
    {"event": 1, "lines": [{"ticket": 3, "quantity": 0}]},
    {"event": 1, "lines": [{"ticket": 3, "quantity": 101}]},
    {"event": 1, "lines": [{"ticket": 3, "quantity": None}]},
    {"event": 1, "lines": [SEAT] * 101},
    {"event": 1, "lines": {"seat": 61}},
    {"event": 1, "lines": [61]},
    {"id": "not-a-uuid", "event": 1, "lines": [SEAT]},
    {"hold": None},
    {"event": 1, "lines": [SEAT], "buyer_email": "x"},
    {"event": 1, "lines": [SEAT], "buyer_email": None},
    {"event": 1, "lines": [SEAT], "buyer_name": "x" * 201},
    {"event": 1, "lines": [SEAT], "voucher": "v" * 41},
    {"event": 1, "lines": [SEAT], "voucher": 5},
    {"event": 1, "lines": [SEAT], "buyer_name": "nul\x00"},
    [SEAT],
    "event=1",
]


def _serializer(body):
    from enturf_server.sales.serializers import BookingCreateInput

    data = BookingCreateInput(data=body)
    if data.is_valid():
        return "valid", dict(data.validated_data)
    return "invalid", data.errors


def _lean(body):
    from enturf_server.sales.booking_input import booking_input

    try:
        return "valid", booking_input(body)
    except ValidationError as exc:
        return "invalid", exc.detail


@pytest.mark.parametrize("body", BODIES, ids=[str(n) for n in range(len(BODIES))])
def test_lean_reading_gives_what_the_serializer_gives(body):
    assert _lean(body) == _serializer(body)


def test_the_plain_shape_is_read_without_the_serializer(monkeypatch):
    from enturf_server.sales import booking_input as module

    monkeypatch.setattr(module, "validated", None)  # would fail if called
    got = module.booking_input({"id": ID, "event": 1, "lines": [SEAT, {"ticket": 4}]})
    assert got == {
        "id": uuid.UUID(ID),
        "event": 1,
        "lines": [{"seat": 61, "ticket": 3, "quantity": 1}, {"ticket": 4, "quantity": 1}],
        "buyer_name": "",
        "buyer_email": "",
        "voucher": "",
    }
