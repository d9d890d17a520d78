"""Registered counters, the API clients a cashier uses on them, and what they push: counter
sales (`counter_sale` ops) and the allocations an admin gives them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from rest_framework.test import APIClient

from enturf_core.money import Money
from enturf_core.pricing.tax import tax_of_gross
from enturf_core.ticket_codes import SigningKey, TicketPayload, sign


def register_counter(name: str = "Counter 1"):
    """A registered counter that keeps its private signing key: (device, token, key)."""
    from enturf_server.accounts import device_services

    key = SigningKey.generate()
    issued = device_services.create_device(actor=None, name=name)
    reg = device_services.register_device(
        setup_code=issued.setup_code, name=name, signing_public_key=key.public_key_base64()
    )
    return reg.device, reg.device_token, key


def pos_client(user, device_token: str) -> APIClient:
    """A counter's client: the user's token (issued on that device) and the device token."""
    from enturf_server.accounts.device_auth import device_for_token
    from enturf_server.accounts.models import ApiToken

    _token, key = ApiToken.issue(user, timedelta(hours=1), device=device_for_token(device_token))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_X_ENTURF_DEVICE=device_token)
    client.user = user
    return client


PUSH = "/api/v1/sync/push/"


def allocations_url(shop) -> str:
    return f"/api/v1/events/{shop.event.pk}/allocations/"


def allocate(client, shop, device, seats=(), areas=()):
    return client.post(
        allocations_url(shop),
        {
            "device": device.pk,
            "seats": list(seats),
            "areas": [{"area": a, "quantity": q} for a, q in areas],
        },
        format="json",
    )


def allocated(client, shop, device, seats=(), areas=()) -> dict:
    r = allocate(client, shop, device, seats, areas)
    assert r.status_code in (200, 201), r.content
    return r.json()


def statuses(client, shop) -> dict[int, str]:
    body = client.get(f"/api/v1/events/{shop.event.pk}/availability/").json()
    return {s["id"]: s["status"] for s in body["seats"]}


def sale_line(shop, ticket: str, *, seat=None, area=None, key=None, price=None, line_id=None):
    """One line as the POS records it: the ticket's price and tax, signed with `key`."""
    t = shop.tickets[ticket]
    line_id = line_id or uuid.uuid4()
    gross = Decimal(price) if price is not None else t.price
    line = {
        "id": str(line_id),
        "ticket": t.pk,
        "price": str(gross),
        "tax_rate": str(t.tax_rate),
        "tax_amount": str(tax_of_gross(Money(gross, "EUR"), t.tax_rate).amount),
    }
    line["seat" if seat is not None else "area"] = seat if seat is not None else area
    if key is not None:
        payload = TicketPayload(str(line_id), shop.event.pk, seat_id=seat, area_id=area)
        line["ticket_code"] = sign(payload, key)
    return line


def sale_payload(shop, lines, *, seller="cashier", booking_id=None, payments=None, **booking):
    total = sum((Decimal(line["price"]) for line in lines), Decimal("0.00"))
    booking_id = str(booking_id or uuid.uuid4())
    if payments is None:
        payments = [{"id": str(uuid.uuid4()), "method": "cash", "amount": str(total)}]
    for p in payments:
        p.setdefault("currency", "EUR")
    return {
        "booking": {
            "id": booking_id,
            "event": shop.event.pk,
            "created_at": datetime(2026, 1, 2, 19, 5, tzinfo=UTC).isoformat(),
            "seller": seller,
            **booking,
        },
        "lines": lines,
        "payments": payments,
    }


def push(client, *payloads, op_ids=None) -> list[dict]:
    """Push `counter_sale` ops; returns their results."""
    return push_ops(client, *[("counter_sale", payload) for payload in payloads], op_ids=op_ids)


# -- ops of any type (type, payload), and shift ops ----------------------------------------------


def push_ops(client, *ops, op_ids=None) -> list[dict]:
    """Push (type, payload) ops; returns their results."""
    ids = op_ids or [uuid.uuid4() for _ in ops]
    body = {
        "ops": [{"id": str(i), "type": t, "payload": p} for i, (t, p) in zip(ids, ops, strict=True)]
    }
    r = client.post(PUSH, body, format="json")
    assert r.status_code == 200, r.content
    return r.json()["results"]


def opening(shift_id, at, *, cashier="cashier", opening_float="100.00", currency="EUR"):
    return (
        "shift_open",
        {
            "shift": {
                "id": str(shift_id),
                "opened_at": at.isoformat(),
                "opening_float": opening_float,
                "currency": currency,
                "cashier": cashier,
            }
        },
    )


def movement(shift_id, kind, amount, reason, at, movement_id=None):
    return (
        "drawer_movement",
        {
            "movement": {
                "id": str(movement_id or uuid.uuid4()),
                "shift": str(shift_id),
                "kind": kind,
                "amount": amount,
                "reason": reason,
                "at": at.isoformat(),
            }
        },
    )


def closing(shift_id, at, *, cash, expected_cash, difference, approved_by=None, **report):
    payload = {
        "shift": str(shift_id),
        "closed_at": at.isoformat(),
        "counted": {"cash": cash, "card": "0.00"},
        "report": {"expected": {"cash": expected_cash, "card": "0.00"}, **report},
        "difference": difference,
    }
    if approved_by is not None:
        payload["approved_by"] = approved_by
    return ("shift_close", payload)
