"""The gateway's webhooks: signed events about online payments.

An event counts only when its `Stripe-Signature` verifies with the webhook secret and is
at most 300 seconds old; each event id is processed once (a replay is refused). The
intent is then retrieved from the gateway (current state, card details) and applied in
the same transaction that stores the event id.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from enturf_core.gateway import WebhookSignatureError, construct_event
from enturf_server.api.errors import ServiceError
from enturf_server.billing.models import Payment, PaymentChannel, WebhookEvent
from enturf_server.billing.services.payments import apply_online_intent, retrieve_intent
from enturf_server.billing.services.refunds import give_back_extra
from enturf_server.sync import changes

TOLERANCE_SECONDS = 300
INTENT_EVENTS = (
    "payment_intent.succeeded",
    "payment_intent.amount_capturable_updated",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
)


def _replayed(event_id: str) -> ServiceError:
    return ServiceError(
        "This event was already processed.", code="webhook_replayed", details={"event": event_id}
    )


def handle_webhook(*, payload: bytes, signature: str | None) -> dict[str, Any]:
    """Verify and apply one webhook delivery; returns what was done."""
    try:
        event = construct_event(
            payload,
            signature,
            settings.ENTURF_GATEWAY_WEBHOOK_SECRET,
            tolerance=TOLERANCE_SECONDS,
        )
    except WebhookSignatureError as exc:
        raise ServiceError(
            f"The webhook was refused: {exc.detail}.", code="bad_signature"
        ) from None
    event_id, event_type = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str):
        raise ServiceError("The event has no id or type.", code="invalid")
    if WebhookEvent.objects.filter(pk=event_id).exists():
        raise _replayed(event_id)

    intent = None
    if event_type in INTENT_EVENTS:
        obj = (event.get("data") or {}).get("object") or {}
        intent_id = obj.get("id") if isinstance(obj, dict) else None
        online = Payment.objects.filter(
            payment_intent=intent_id, channel=PaymentChannel.ONLINE
        ).exists()
        if intent_id and online:
            intent = retrieve_intent(intent_id)  # before the transaction: network

    payment, refund = None, None
    try:
        with changes.atomic():
            with transaction.atomic():  # the replay check must not poison the outer block
                WebhookEvent.objects.create(id=event_id, type=event_type)
            if intent is not None:
                payment, refund = apply_online_intent(intent=intent)
    except IntegrityError:
        raise _replayed(event_id) from None
    if refund is not None:
        give_back_extra(refund=refund)
    return {
        "event": event_id,
        "type": event_type,
        "payment": str(payment.pk) if payment else None,
        "payment_state": payment.state if payment else None,
    }
