"""What the card terminal interface hands back: handles, payment states, refunds.

Only what Enturf may keep about a card payment: gateway ids, brand, last four
digits, expiry month/year, authorisation code and amounts (integer minor units).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class PaymentState(StrEnum):
    PENDING = "pending"  # created; waiting for the card (or after a decline, for another card)
    AUTHORISED = "authorised"  # the card approved; capture or cancel it
    CAPTURED = "captured"  # money taken
    CANCELED = "canceled"  # given up; any authorisation released


class PaymentRef(Protocol):
    """Anything naming a gateway payment and the local sale it belongs to."""

    @property
    def local_id(self) -> str: ...

    @property
    def payment_id(self) -> str: ...


@dataclass(frozen=True)
class PaymentHandle:
    """A payment that was started on a reader."""

    local_id: str
    payment_id: str
    reader_id: str
    amount_minor: int
    currency: str
    attempt: int = 1


@dataclass(frozen=True)
class CardDetails:
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None


@dataclass(frozen=True)
class PaymentResult:
    local_id: str
    payment_id: str
    state: PaymentState
    amount_minor: int
    currency: str
    amount_captured_minor: int = 0
    amount_refunded_minor: int = 0
    card: CardDetails | None = None
    authorization_code: str | None = None
    charge_id: str | None = None
    failure_code: str | None = None  # the last decline's code while PENDING

    @property
    def is_final(self) -> bool:
        return self.state in (PaymentState.CAPTURED, PaymentState.CANCELED)


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    payment_id: str
    amount_minor: int
    currency: str
    status: str  # succeeded, pending, failed, canceled


_STATES = {
    "requires_capture": PaymentState.AUTHORISED,
    "succeeded": PaymentState.CAPTURED,
    "canceled": PaymentState.CANCELED,
}


def payment_result(intent: dict[str, Any], local_id: str | None = None) -> PaymentResult:
    """Read a Stripe PaymentIntent (``latest_charge`` expanded, if possible)."""
    charge = intent.get("latest_charge")
    charge = charge if isinstance(charge, dict) else None
    card = None
    auth_code = None
    captured = intent.get("amount_received") or 0
    refunded = 0
    if charge is not None:
        details = charge.get("payment_method_details") or {}
        card_data = details.get("card_present") or details.get("card") or {}
        if charge.get("status") == "succeeded" and card_data:
            card = CardDetails(
                brand=card_data.get("brand"),
                last4=card_data.get("last4"),
                exp_month=card_data.get("exp_month"),
                exp_year=card_data.get("exp_year"),
            )
            auth_code = (card_data.get("receipt") or {}).get("authorization_code") or card_data.get(
                "authorization_code"
            )
        captured = charge.get("amount_captured") or 0
        refunded = (charge.get("amount_refunded") or 0) if charge.get("captured") else 0
    error = intent.get("last_payment_error") or {}
    state = _STATES.get(intent.get("status", ""), PaymentState.PENDING)
    return PaymentResult(
        local_id=local_id or (intent.get("metadata") or {}).get("local_id", ""),
        payment_id=intent["id"],
        state=state,
        amount_minor=int(intent["amount"]),
        currency=intent["currency"],
        amount_captured_minor=int(captured),
        amount_refunded_minor=int(refunded),
        card=card,
        authorization_code=auth_code,
        charge_id=charge["id"] if charge else intent.get("latest_charge"),
        failure_code=(error.get("decline_code") or error.get("code"))
        if state is PaymentState.PENDING
        else None,
    )


def refund_result(refund: dict[str, Any]) -> RefundResult:
    return RefundResult(
        refund_id=refund["id"],
        payment_id=refund.get("payment_intent") or "",
        amount_minor=int(refund["amount"]),
        currency=refund["currency"],
        status=refund.get("status") or "pending",
    )
