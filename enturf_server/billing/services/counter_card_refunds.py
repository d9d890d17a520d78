"""Card money of a counter sale the server refused (`sold_elsewhere`) goes back to the card.

The counter took the card payment with its restricted key, which cannot refund; the
server does it with its secret key as it refuses the sale: an intent still uncaptured is
canceled (the authorisation released), a captured one is refunded in full. An intent that
a `Payment` record holds is never touched (``status: recorded``): that money paid a sale
the server keeps. Each step is
idempotent (``<payment id>:cancel`` / ``<payment id>:refund``), so a replayed or retried
push never gives the money back twice. When the gateway does not answer, the push is
answered "retry later" and nothing is stored: the refusal is kept only once the money
went back. What went back is in the refusal's ``details.refund.card`` (kept as the op's
result, which is the record: the handler's own writes are rolled back with the sale).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from enturf_core.gateway import GatewayError, GatewayErrorCode, StripeRestClient
from enturf_core.gateway.terminal import CANCELABLE
from enturf_server.api.errors import ServiceError
from enturf_server.billing.models import Payment
from enturf_server.billing.services.gateway import from_minor, server_gateway


def _give_back(gateway: StripeRestClient, booking_id: str, payment: Any) -> dict[str, Any]:
    intent_id = payment.payment_intent
    local_id = str(payment.id)
    out: dict[str, Any] = {"payment": local_id, "payment_intent": intent_id}
    if Payment.objects.filter(payment_intent=intent_id).exists():
        return {**out, "status": "recorded"}  # a recorded payment's money stays where it is
    intent = gateway.retrieve_payment_intent(intent_id)
    if (intent.get("metadata") or {}).get("booking") != booking_id:
        return {**out, "status": "not_this_sale"}  # never touch another sale's money
    if intent["status"] in CANCELABLE:
        try:
            intent = gateway.cancel_payment_intent(intent_id, local_id, reason="abandoned")
        except GatewayError as exc:
            if exc.code is not GatewayErrorCode.UNEXPECTED_STATE:
                raise
            intent = gateway.retrieve_payment_intent(intent_id)  # captured meanwhile
    if intent["status"] == "canceled":
        return {**out, "status": "canceled"}
    if intent["status"] == "succeeded":
        try:
            refund = gateway.create_refund(
                local_id,
                intent_id,
                reason="requested_by_customer",
                metadata={"booking": booking_id},
            )
        except GatewayError as exc:
            if exc.code is not GatewayErrorCode.ALREADY_REFUNDED:
                raise
            return {**out, "status": "refunded"}  # by an earlier push, past the key's life
        amount = from_minor(int(refund["amount"]), str(refund["currency"]))
        return {**out, "status": "refunded", "refund": refund["id"], "amount": str(amount)}
    return {**out, "status": intent["status"]}


def give_back_card_money(
    *, booking_id, payments: Iterable[Any], refusal: ServiceError
) -> ServiceError:
    """Cancel or refund the refused sale's card payments (objects with ``id``, ``method``,
    ``payment_intent``); the refusal, its details and message saying what went back.
    Raises GatewayError when the gateway cannot be reached (the push retries later)."""
    cards = [p for p in payments if p.method == "card" and p.payment_intent]
    if not cards:
        return refusal
    with server_gateway() as gateway:
        done = [_give_back(gateway, str(booking_id), p) for p in cards]
    details = dict(refusal.details or {})
    refund = dict(details.get("refund") or {})
    refund["card"] = done
    details["refund"] = refund
    back = [i for i in done if i["status"] in ("canceled", "refunded")]
    message = refusal.message
    if back and len(back) == len(done):
        message += (
            " The card payment went back to the customer's card"
            " (authorisation released or refunded); give back only the cash part."
        )
    return type(refusal)(message, code=refusal.code, details=details)
