"""Fixtures and small API steps shared by the billing tests (payments, vouchers, refunds).

`gateway`: a real gateway simulator (in-process HTTP server on its own SQLite file) that
the server is configured to use with the simulator's secret key and webhook secret.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest

from enturf_core.gateway import GatewayConfig, StripeRestClient, StripeTerminal
from gateway_sim.testing import SimulatorHandle, start_simulator


@pytest.fixture
def gateway(tmp_path, settings) -> Iterator[SimulatorHandle]:
    sim = start_simulator(db_path=tmp_path / "gateway.sqlite3", webhook_backoff=0.05)
    settings.ENTURF_GATEWAY_URL = sim.url
    settings.ENTURF_GATEWAY_SECRET_KEY = sim.secret_key
    settings.ENTURF_GATEWAY_WEBHOOK_SECRET = sim.webhook_secret
    try:
        yield sim
    finally:
        sim.stop()


def counter_terminal(sim: SimulatorHandle) -> StripeTerminal:
    """What a counter has: the restricted key and its reader."""
    config = GatewayConfig(
        api_key=sim.restricted_key, base_url=sim.url, max_retries=0, poll_interval=0.05
    )
    return StripeTerminal(StripeRestClient(config), sim.reader_id)


def secret_client(sim: SimulatorHandle) -> StripeRestClient:
    return StripeRestClient(GatewayConfig(api_key=sim.secret_key, base_url=sim.url, max_retries=0))


def charged_minor(sim: SimulatorHandle, booking_id: str) -> int:
    """What the customer's cards were charged for the booking, net of refunds, as the
    gateway says (minor units; intents found by `metadata[booking]`)."""
    intents = secret_client(sim).search_payment_intents(
        f"metadata['booking']:'{booking_id}'", limit=100
    )
    charges = [i["latest_charge"] for i in intents if i.get("latest_charge")]
    return sum(c["amount_captured"] - c["amount_refunded"] for c in charges)


def card_on_reader(sim: SimulatorHandle, booking_id: str, amount: str, *, card: str | None = None):
    """A counter card payment: intent (restricted key, manual capture) shown on the
    simulated reader, card presented, result awaited. Returns (terminal, handle, result)."""
    terminal = counter_terminal(sim)
    minor = int(Decimal(amount) * 100)
    handle = terminal.start_on_reader(
        f"sale-{uuid.uuid4()}", minor, "eur", metadata={"booking": booking_id}
    )
    terminal.client.present_payment_method(sim.reader_id, card_number=card)
    return terminal, handle, terminal.await_result(handle, timeout=10)


def book(client, shop, seats, ticket: str = "standard", **extra):
    lines = [{"seat": s, "ticket": shop.tickets[ticket].pk} for s in seats]
    return client.post(
        "/api/v1/bookings/", {"event": shop.event.pk, "lines": lines, **extra}, format="json"
    )


def booked(client, shop, seats, ticket: str = "standard", **extra) -> dict:
    response = book(client, shop, seats, ticket, **extra)
    assert response.status_code == 201, response.content
    return response.json()


def pay(client, booking_id: str, method: str, amount: str, *, payment_id=None, **extra):
    body = {
        "id": str(payment_id or uuid.uuid4()),
        "method": method,
        "amount": amount,
        "currency": "EUR",
        **extra,
    }
    return client.post(f"/api/v1/bookings/{booking_id}/payments/", body, format="json")


def seat_status(shop, seat_id: int) -> str:
    from enturf_server.sales.models import SeatInventory

    return SeatInventory.objects.get(event=shop.event, seat_id=seat_id).status
