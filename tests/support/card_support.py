"""Helpers for the card-payment tests: a counter's cart from its synced catalog, and the
gateway simulator seen from outside (its secret key, over HTTP), as the tests check it."""

from __future__ import annotations

import contextlib
import subprocess
import uuid
from pathlib import Path
from typing import Any

from enturf_core.gateway import GatewayConfig, GatewayError, StripeRestClient
from enturf_pos.services.sales import counter_selectors
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.services.sync import sync_engine
from support.sync_support import run_pos_child

TEST_VISA = "4242424242424242"
DECLINED_CARD = "4000000000000002"  # generic decline
NO_FUNDS_CARD = "4000000000009995"  # insufficient funds

CARD_CHILD = Path(__file__).with_name("card_child.py")
CARD_CHILD_SECRETS = (
    Secret.DEVICE_TOKEN,
    Secret.USER_TOKEN,
    Secret.GATEWAY_KEY,
    Secret.SIGNING_KEY,
)


def cart_for(ctx: PosContext, event_id: int, seat_ids: list[int]) -> Cart:
    """A cart of `seat_ids` (first ticket of each seat's category), as the window makes it."""
    assert sync_engine.run_sync(ctx=ctx).ok
    event = counter_selectors.event_for_sale(ctx=ctx, event_id=event_id)
    assert event is not None
    cart = Cart(
        event_id=event.id, tickets=event.tickets, area_names={a.id: a.name for a in event.areas}
    )
    layout = event.layout
    picks = [
        SeatPick(sid, f"seat {sid}", layout.seat(layout.index(sid)).category) for sid in seat_ids
    ]
    assert cart.set_seats(picks) == []
    return cart


class GatewayView:
    """The simulator through its secret key: what the tests check money against."""

    def __init__(self, url: str, secret_key: str, reader_id: str) -> None:
        self.reader_id = reader_id
        self.client = StripeRestClient(
            GatewayConfig(api_key=secret_key, base_url=url, max_retries=0, reader_id=reader_id)
        )

    def close(self) -> None:
        self.client.close()

    def intents(self, **metadata: str) -> list[dict[str, Any]]:
        """Every intent whose metadata has these values (newest first)."""
        return [
            i
            for i in self.client.list_payment_intents()
            if all((i.get("metadata") or {}).get(k) == v for k, v in metadata.items())
        ]

    def tap(self, card_number: str | None = None) -> dict[str, Any]:
        """The customer taps a test card on the reader."""
        return self.client.present_payment_method(self.reader_id, card_number=card_number)

    def reader_action(self) -> dict[str, Any] | None:
        return self.client.retrieve_reader(self.reader_id).get("action")

    def idle_reader(self) -> None:
        """Clear what an earlier test left on the shared reader."""
        action = self.reader_action() or {}
        if action.get("status") == "in_progress":
            with contextlib.suppress(GatewayError):
                self.client.cancel_reader_action(self.reader_id, f"test-idle-{uuid.uuid4().hex}")

    def refunds(self, intent_id: str) -> list[dict[str, Any]]:
        answer = self.client.request("GET", "/v1/refunds", {"payment_intent": intent_id})
        return list(answer.get("data", []))


def run_card_child(ctx, *, kill_at: str | None, **order) -> subprocess.CompletedProcess:
    """One card sale of this counter in a process of its own (`card_child.py`), SIGKILLed
    at `kill_at` if given."""
    return run_pos_child(CARD_CHILD, ctx, CARD_CHILD_SECRETS, kill_at=kill_at, **order)
