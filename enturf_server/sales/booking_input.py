"""Reading a booking request (`POST /api/v1/bookings/`) cheaply when it is well formed.

`BookingCreateInput` (DRF) deep-copies its fields and runs each line through a nested
serializer on every request: about a millisecond of CPU per booking. A well-formed body
(ids as JSON integers in range, UUIDs as strings, plain short strings, no e-mail) is read
here directly into the same dict the serializer would give. Anything else — a bad value,
an e-mail address to check, a missing event and hold — goes through the serializer, so a
refusal is the serializer's own 400, word for word. `tests/server/sales/test_booking_input.py`
checks both give the same result for valid and invalid bodies.
"""

from __future__ import annotations

import uuid
from typing import Any

from enturf_server.api.inputs import MAX_ID, validated
from enturf_server.sales.rules import MAX_ITEMS_PER_REQUEST
from enturf_server.sales.serializers import BookingCreateInput

_LINE_KEYS = frozenset({"ticket", "seat", "quantity"})
_TEXT_LIMITS = {"buyer_name": 200, "voucher": 40}


class _Unusual(Exception):
    """Not the plain shape read here: leave it to the serializer."""


def booking_input(data: Any) -> dict[str, Any]:
    """The validated booking input, or a 400 in the common error shape."""
    try:
        return _plain(data)
    except _Unusual:
        return validated(BookingCreateInput, data)


def _plain(data: Any) -> dict[str, Any]:
    if type(data) is not dict:
        raise _Unusual
    out: dict[str, Any] = {}
    for name in ("id", "hold"):
        if name in data:
            out[name] = _uuid(data[name])
    if "event" in data:
        out["event"] = _id(data["event"])
    if "lines" in data:
        lines = data["lines"]
        if type(lines) is not list or len(lines) > MAX_ITEMS_PER_REQUEST:
            raise _Unusual
        out["lines"] = [_line(line) for line in lines]
    for name, limit in _TEXT_LIMITS.items():
        out[name] = _text(data.get(name, ""), limit)
    if data.get("buyer_email", "") != "":  # an address is checked by the serializer
        raise _Unusual
    out["buyer_email"] = ""
    # the serializer's validate(): its messages are its own
    if "hold" not in out and ("event" not in out or not out.get("lines")):
        raise _Unusual
    return out


def _uuid(value: Any) -> uuid.UUID:
    if type(value) is not str:
        raise _Unusual
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        raise _Unusual from None


def _id(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= MAX_ID:
        raise _Unusual
    return value


def _line(line: Any) -> dict[str, Any]:
    if type(line) is not dict or "ticket" not in line or not _LINE_KEYS.issuperset(line):
        raise _Unusual
    out = {"ticket": _id(line["ticket"])}
    if "seat" in line:
        out["seat"] = None if line["seat"] is None else _id(line["seat"])
    quantity = line.get("quantity", 1)
    if type(quantity) is not int or not 1 <= quantity <= MAX_ITEMS_PER_REQUEST:
        raise _Unusual
    out["quantity"] = quantity
    return out


def _text(value: Any, limit: int) -> str:
    # CharField(trim_whitespace, allow_blank): stripped; NUL and surrogates are refused
    # there, so only plain ASCII without control characters is read here
    if type(value) is not str or not value.isascii() or not value.isprintable():
        if value == "":
            return ""
        raise _Unusual
    value = value.strip()
    if len(value) > limit:
        raise _Unusual
    return value
