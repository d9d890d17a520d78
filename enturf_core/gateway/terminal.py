"""Counter card payments at the level "start on reader, await, cancel, capture, refund,
recover by local id".

:class:`CardTerminal` is the interface the POS uses; :class:`StripeTerminal`
implements it with Stripe's server-driven Terminal API. Another gateway
(Adyen's Terminal API, Square's Terminal checkouts) fits behind the same
methods: each has a "create checkout on device", "poll/await", "cancel",
"capture" and "refund", and accepts a reference of our own to find a payment
again after a restart.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any

from .config import GatewayConfig
from .errors import GatewayError, GatewayErrorCode, decline_error
from .results import (
    PaymentHandle,
    PaymentRef,
    PaymentResult,
    PaymentState,
    RefundResult,
    payment_result,
    refund_result,
)
from .stripe_client import StripeRestClient, search_literal

RESERVED_METADATA = "local_id"
CANCELABLE = {
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "requires_capture",
    "processing",
}
RECOVERY_WINDOW_SECONDS = 2 * 3600


class CardTerminal(ABC):
    """A card reader at the counter, driven through a payment gateway."""

    @abstractmethod
    def start_on_reader(
        self,
        local_id: str,
        amount_minor: int,
        currency: str,
        metadata: Mapping[str, str] | None = None,
    ) -> PaymentHandle:
        """Create the payment for the local sale ``local_id`` and show it on the reader.

        Calling it again with the same ``local_id`` and amount returns the same payment.
        """

    @abstractmethod
    def await_result(self, handle: PaymentHandle, timeout: float) -> PaymentResult:
        """Wait up to ``timeout`` seconds for the customer.

        Returns an ``AUTHORISED`` (or ``CAPTURED``) result, or a ``PENDING`` one if the
        customer has not paid yet. Raises :class:`GatewayError` when the card is declined
        (``declined``, ``insufficient_funds``, ``expired_card``...) or the payment was
        canceled on the reader (``reader_canceled``); :meth:`retry_on_reader` then offers
        the same payment again.
        """

    @abstractmethod
    def retry_on_reader(self, handle: PaymentHandle) -> PaymentHandle:
        """Show the payment on the reader again, e.g. for another card after a decline."""

    @abstractmethod
    def cancel(self, payment: PaymentRef) -> PaymentResult:
        """Stop the reader and cancel the payment, releasing any authorisation."""

    @abstractmethod
    def capture(self, payment: PaymentRef, amount_minor: int | None = None) -> PaymentResult:
        """Take the authorised money (all of it, or ``amount_minor``). Safe to repeat."""

    @abstractmethod
    def refund(
        self,
        payment: PaymentRef,
        refund_local_id: str,
        amount_minor: int | None = None,
        reason: str | None = "requested_by_customer",
    ) -> RefundResult:
        """Refund a captured payment in full or in part; ``refund_local_id`` names the refund."""

    @abstractmethod
    def status(self, payment: PaymentRef) -> PaymentResult:
        """The payment's current state at the gateway."""

    @abstractmethod
    def recover(self, local_id: str) -> PaymentResult | None:
        """Find the payment of the local sale ``local_id`` after a restart (None if none)."""


class StripeTerminal(CardTerminal):
    """:class:`CardTerminal` on Stripe's server-driven Terminal integration.

    Intents are created with manual capture and ``metadata[local_id]``; the POS
    captures only after its sale is committed, and :meth:`recover` finds the
    intent again by that metadata.
    """

    def __init__(
        self,
        client: StripeRestClient,
        reader_id: str,
        *,
        poll_interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.reader_id = reader_id
        self.poll_interval = client.config.poll_interval if poll_interval is None else poll_interval
        self._clock = clock
        self._sleep = sleep

    @classmethod
    def from_config(cls, config: GatewayConfig) -> StripeTerminal:
        if not config.reader_id:
            raise ValueError("no card reader configured for this counter")
        return cls(StripeRestClient(config), config.reader_id)

    # -- payments on the reader ---------------------------------------------

    def start_on_reader(
        self,
        local_id: str,
        amount_minor: int,
        currency: str,
        metadata: Mapping[str, str] | None = None,
    ) -> PaymentHandle:
        if metadata and RESERVED_METADATA in metadata:
            raise ValueError(f"metadata[{RESERVED_METADATA}] is set by the terminal itself")
        if len(currency) != 3 or not currency.isalpha():
            raise ValueError(f"not a currency code: {currency!r}")
        intent = self.client.create_payment_intent(
            local_id,
            amount_minor,
            currency,
            capture_method="manual",
            payment_method_types=("card_present",),
            metadata=metadata,
        )
        handle = PaymentHandle(
            local_id=local_id,
            payment_id=intent["id"],
            reader_id=self.reader_id,
            amount_minor=int(intent["amount"]),
            currency=intent["currency"],
        )
        if intent["status"] in ("requires_payment_method", "requires_confirmation"):
            self._process(handle)
        return handle

    def retry_on_reader(self, handle: PaymentHandle) -> PaymentHandle:
        retried = PaymentHandle(
            local_id=handle.local_id,
            payment_id=handle.payment_id,
            reader_id=handle.reader_id,
            amount_minor=handle.amount_minor,
            currency=handle.currency,
            attempt=handle.attempt + 1,
        )
        self._process(retried)
        return retried

    def _process(self, handle: PaymentHandle) -> None:
        try:
            self.client.process_payment_intent(
                handle.reader_id, handle.payment_id, handle.local_id, attempt=handle.attempt
            )
        except GatewayError as exc:
            if exc.code is GatewayErrorCode.READER_BUSY and self._reader_shows(handle):
                return  # already on the reader (e.g. a retry after a lost answer)
            raise

    def _reader_shows(self, handle: PaymentHandle) -> bool:
        action = self.client.retrieve_reader(handle.reader_id).get("action") or {}
        inner = action.get("process_payment_intent") or {}
        return action.get("status") == "in_progress" and inner.get("payment_intent") == (
            handle.payment_id
        )

    def await_result(self, handle: PaymentHandle, timeout: float) -> PaymentResult:
        deadline = self._clock() + max(timeout, 0.0)
        while True:
            reader = self.client.retrieve_reader(handle.reader_id)
            action = reader.get("action") or {}
            inner = action.get("process_payment_intent") or {}
            ours = inner.get("payment_intent") == handle.payment_id
            if not (ours and action.get("status") == "in_progress"):
                return self._settle(handle, action if ours else None)
            if self._clock() >= deadline:
                return self.status(handle)
            self._sleep(self.poll_interval)

    def _settle(self, handle: PaymentHandle, action: dict[str, Any] | None) -> PaymentResult:
        """The reader is done with our intent: read the outcome from the intent."""
        intent = self.client.retrieve_payment_intent(handle.payment_id)
        result = payment_result(intent, handle.local_id)
        if result.state is not PaymentState.PENDING:
            return result
        error = intent.get("last_payment_error") or {}
        failure = (action or {}).get("failure_code")
        if error or failure in (
            "card_declined",
            "expired_card",
            "incorrect_cvc",
            "processing_error",
        ):
            raise decline_error(error.get("code") or failure, error.get("decline_code"))
        raise GatewayError(GatewayErrorCode.READER_CANCELED, gateway_code=failure)

    # -- after the card ------------------------------------------------------

    def cancel(self, payment: PaymentRef) -> PaymentResult:
        reader_id = getattr(payment, "reader_id", None) or self.reader_id
        attempt = getattr(payment, "attempt", 1)
        reader = self.client.retrieve_reader(reader_id)
        action = reader.get("action") or {}
        inner = action.get("process_payment_intent") or {}
        if action.get("status") == "in_progress" and inner.get("payment_intent") == (
            payment.payment_id
        ):
            try:
                self.client.cancel_reader_action(reader_id, payment.local_id, attempt=attempt)
            except GatewayError as exc:
                # The action may have finished meanwhile; the intent decides below.
                if exc.code is not GatewayErrorCode.INVALID_REQUEST:
                    raise
        intent = self.client.retrieve_payment_intent(payment.payment_id)
        if intent["status"] == "canceled":
            return payment_result(intent, payment.local_id)
        if intent["status"] not in CANCELABLE:
            raise GatewayError(
                GatewayErrorCode.UNEXPECTED_STATE,
                "This card payment was already captured; refund it instead of canceling.",
                gateway_code="payment_intent_unexpected_state",
            )
        try:
            intent = self.client.cancel_payment_intent(
                payment.payment_id, payment.local_id, reason="abandoned"
            )
        except GatewayError as exc:
            if exc.code is not GatewayErrorCode.UNEXPECTED_STATE:
                raise
            intent = self.client.retrieve_payment_intent(payment.payment_id)
            if intent["status"] != "canceled":
                raise
        return payment_result(intent, payment.local_id)

    def capture(self, payment: PaymentRef, amount_minor: int | None = None) -> PaymentResult:
        try:
            intent = self.client.capture_payment_intent(
                payment.payment_id, payment.local_id, amount_minor=amount_minor
            )
        except GatewayError as exc:
            if exc.code is not GatewayErrorCode.UNEXPECTED_STATE:
                raise
            # Captured already (by an earlier run of the POS, say): that is success.
            intent = self.client.retrieve_payment_intent(payment.payment_id)
            if intent["status"] != "succeeded":
                raise
        return payment_result(intent, payment.local_id)

    def refund(
        self,
        payment: PaymentRef,
        refund_local_id: str,
        amount_minor: int | None = None,
        reason: str | None = "requested_by_customer",
    ) -> RefundResult:
        refund = self.client.create_refund(
            refund_local_id,
            payment.payment_id,
            amount_minor=amount_minor,
            reason=reason,
            metadata={"payment_local_id": payment.local_id},
        )
        return refund_result(refund)

    def status(self, payment: PaymentRef) -> PaymentResult:
        intent = self.client.retrieve_payment_intent(payment.payment_id)
        return payment_result(intent, payment.local_id)

    def recover(self, local_id: str) -> PaymentResult | None:
        """Search by ``metadata['local_id']``; fall back to listing recent intents.

        Stripe's search index can lag behind by about a minute, so an intent created
        just before a crash is looked for in the (strongly consistent) list of the
        last two hours as well.
        """
        query = f"metadata['{RESERVED_METADATA}']:{search_literal(local_id)}"
        intents = self.client.search_payment_intents(query, limit=10)
        if not intents:
            since = int(time.time()) - RECOVERY_WINDOW_SECONDS
            intents = [
                i
                for i in self.client.list_payment_intents(created_gte=since)
                if (i.get("metadata") or {}).get(RESERVED_METADATA) == local_id
            ]
        if not intents:
            return None
        rank = {"succeeded": 0, "requires_capture": 1}
        best = min(intents, key=lambda i: (rank.get(i["status"], 2), -int(i.get("created", 0))))
        return payment_result(best, local_id)
