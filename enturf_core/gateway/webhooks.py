"""Verifying Stripe webhooks: the ``Stripe-Signature`` header, 300 seconds tolerance.

The header is ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`` (more
than one ``v1`` while a secret is being rolled). Events older than the
tolerance are refused, so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from .errors import GatewayError, GatewayErrorCode

DEFAULT_TOLERANCE = 300


class WebhookSignatureError(GatewayError):
    def __init__(self, detail: str) -> None:
        super().__init__(GatewayErrorCode.BAD_SIGNATURE, http_status=400)
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})"


def compute_signature(payload: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(payload: bytes | str, secret: str, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` value, for tests and for forwarding events."""
    data = payload.encode() if isinstance(payload, str) else payload
    ts = int(time.time()) if timestamp is None else timestamp
    return f"t={ts},v1={compute_signature(data, secret, ts)}"


def verify_signature(
    payload: bytes | str,
    header: str | None,
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Raise :class:`WebhookSignatureError` unless ``header`` signs ``payload`` recently."""
    if not secret:
        raise WebhookSignatureError("no webhook signing secret configured")
    if not header:
        raise WebhookSignatureError("no Stripe-Signature header")
    data = payload.encode() if isinstance(payload, str) else payload
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise WebhookSignatureError("malformed timestamp") from None
        elif name == "v1":
            signatures.append(value)
    if timestamp is None:
        raise WebhookSignatureError("no timestamp in the signature header")
    if not signatures:
        raise WebhookSignatureError("no v1 signature in the signature header")
    expected = compute_signature(data, secret, timestamp)
    if not any(hmac.compare_digest(expected, s) for s in signatures):
        raise WebhookSignatureError("the signature does not match the payload")
    current = time.time() if now is None else now
    if tolerance and timestamp < current - tolerance:
        raise WebhookSignatureError("the timestamp is outside the tolerance zone")


def construct_event(
    payload: bytes | str,
    header: str | None,
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> dict[str, Any]:
    """Verify and decode a webhook; the event as a dict."""
    verify_signature(payload, header, secret, tolerance=tolerance, now=now)
    try:
        event = json.loads(payload)
    except ValueError:
        raise WebhookSignatureError("the payload is not JSON") from None
    if not isinstance(event, dict) or event.get("object") != "event":
        raise WebhookSignatureError("the payload is not an event")
    return event
