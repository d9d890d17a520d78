"""Door check-in for the server tests and benches: paid tickets with their codes, the
event's lists, scans online (`POST /checkins/`) and pushed (op `checkin`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

SCAN = "/api/v1/checkins/"


def paid_lines(shop, actor, *, seats: int = 2, premium: int = 0, floor: int = 0):
    """The lines of a paid booking (signed by the server), in seat order then GA."""
    from enturf_server.sales.models import BookingLine
    from support.paid_booking_data import book, mark_paid

    booking = book(shop, actor, seats=seats, premium=premium, floor=floor)
    mark_paid(booking)
    lines = BookingLine.objects.filter(booking=booking)
    return sorted(lines, key=lambda line: (line.seat_id is None, line.seat_id or 0, str(line.pk)))


def lists_url(event_id: int) -> str:
    return f"/api/v1/events/{event_id}/checkin-lists/"


def default_list(client, shop) -> int:
    r = client.get(lists_url(shop.event.pk))
    assert r.status_code == 200, r.content
    return r.json()[0]["id"]


def new_list(client, shop, **fields) -> int:
    r = client.post(lists_url(shop.event.pk), {"name": "Door", **fields}, format="json")
    assert r.status_code == 201, r.content
    return r.json()["id"]


def scan(client, list_id: int, code: str, *, expect: int | None = None, **fields):
    """Scan `code` online; returns the answer's body (asserting `expect` if given)."""
    body = {"id": str(uuid.uuid4()), "code": code, "list": list_id, "gate": "A", **fields}
    r = client.post(SCAN, body, format="json")
    if expect is not None:
        assert r.status_code == expect, r.content
    return r.json()


def checkin_op(list_id: int, code: str, *, at: datetime, verdict="admitted", **fields) -> tuple:
    """A `checkin` op as a door pushes it after scanning offline."""
    payload = {
        "id": str(fields.pop("id", uuid.uuid4())),
        "code": code,
        "list": list_id,
        "gate": fields.pop("gate", "A"),
        "kind": fields.pop("kind", "entry"),
        "scanned_at": at.astimezone(UTC).isoformat(),
        "verdict": verdict,
        **fields,
    }
    return ("checkin", payload)


def tampered(code: str) -> str:
    """`code` with one bit of its payload flipped (still canonical base64url)."""
    import base64

    version, key_id, body, signature = code.split(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[0] ^= 0x01
    body = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    return f"{version}.{key_id}.{body}.{signature}"
