"""Card payments made in the simulator's store at a past moment (the demo's seeded sales).

`make run` seeds three weeks of sales (``enturf_demo/demo_sales.py``) before the
simulator starts. Their card payments are made here with the simulator's own handlers,
the code its API routes call, on the same SQLite file: only the clock is the sale's
moment, and no webhook is sent (the seed records each payment on the server itself).
The PaymentIntents and charges are then the simulator's like any other, so a later
``POST /v1/refunds`` for one goes through the same code as for a live payment.

- ``online``: the checkout's intent (``card``, automatic capture) created and confirmed
  with a test payment method, as the server creates it and the customer's browser
  confirms it;
- ``at_counter``: the counter's intent (``card_present``, manual capture) approved with a
  presented test card, as the reader does, then captured, as the counter does.

Each payment is one store transaction; a simulator running on the same file meanwhile
sees it once committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from .api import payment_intents
from .api.charging import authorize, create_payment_method
from .cards import card_for_number
from .config import SimConfig
from .context import Context
from .expansion import expand
from .server import strip_private
from .store import Store


class PastPayments:
    """Successful card payments dated in the past, on the simulator's file ``db_path``."""

    def __init__(self, db_path: str | Path) -> None:
        self.store = Store(db_path)
        self.config = SimConfig(db_path=db_path)  # no webhook_url: no deliveries queued

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> PastPayments:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def online(
        self,
        *,
        amount_minor: int,
        currency: str,
        metadata: Mapping[str, str],
        at: float,
        description: str | None = None,
        payment_method: str = "pm_card_visa",
    ) -> dict[str, Any]:
        """A checkout paid at ``at`` (seconds since the epoch) with the test payment
        method ``payment_method``; the intent as the API answers it, charge expanded."""
        ctx = Context(self.store, self.config, now=at)
        params = _intent_params(amount_minor, currency, metadata, "automatic", "card")
        if description:
            params["description"] = description
        with self.store.transaction():
            intent = payment_intents.create(ctx, params)
            intent = payment_intents.confirm(
                ctx, {"payment_method": payment_method}, intent=intent["id"]
            )
            return self._answer(intent)

    def at_counter(
        self,
        *,
        amount_minor: int,
        currency: str,
        metadata: Mapping[str, str],
        at: float,
        card_number: str = "4242424242424242",
    ) -> dict[str, Any]:
        """A counter payment at ``at``: ``card_number`` (a test card that approves)
        presented on a reader, then captured; the intent as the API answers it."""
        card = card_for_number(card_number)
        if card is None or card.decline is not None:
            raise ValueError(f"{card_number} is not a test card that approves")
        ctx = Context(self.store, self.config, now=at)
        params = _intent_params(amount_minor, currency, metadata, "manual", "card_present")
        with self.store.transaction():
            intent = payment_intents.create(ctx, params)
            method = create_payment_method(ctx, card, "card_present")
            authorize(ctx, intent, method)
            intent = payment_intents.capture(ctx, {}, intent=intent["id"])
            return self._answer(intent)

    def _answer(self, intent: dict[str, Any]) -> dict[str, Any]:
        return strip_private(expand(self.store, intent, ["latest_charge"]))


def _intent_params(
    amount_minor: int, currency: str, metadata: Mapping[str, str], capture: str, method: str
) -> dict[str, Any]:
    """Create parameters as the API decodes them from a form body (strings)."""
    return {
        "amount": str(amount_minor),
        "currency": currency.lower(),
        "capture_method": capture,
        "payment_method_types": [method],
        "metadata": dict(metadata),
    }
