"""Signed webhook deliveries, as Stripe sends them.

The ``Stripe-Signature`` header is ``t=<unix time>,v1=<hex HMAC-SHA256>`` of
``"<t>.<payload>"`` keyed with the endpoint's ``whsec_...`` secret. Failed
deliveries (no answer, or a status outside 2xx) are retried with exponential
backoff; the queue lives in SQLite and survives restarts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from .config import SimConfig
from .store import Delivery, Store

log = logging.getLogger("gateway_sim.webhooks")

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def signature_header(payload: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def retry_delay(config: SimConfig, attempts: int) -> float:
    return min(config.webhook_backoff * (2 ** (attempts - 1)), config.webhook_backoff_max)


def deliver(store: Store, config: SimConfig, delivery: Delivery, timeout: float = 10.0) -> None:
    """Send one delivery and record its outcome (never raises for network trouble)."""
    event = store.get(delivery.event_id)
    attempts = delivery.attempts + 1
    if event is None:
        store.record_delivery(
            delivery.id,
            attempts=attempts,
            state="failed",
            next_attempt_at=time.time(),
            status=None,
            error="event no longer exists",
        )
        return
    event = {k: v for k, v in event.items() if not k.startswith("_")}
    payload = json.dumps(event, indent=2).encode()
    request = urllib.request.Request(
        delivery.url,
        data=payload,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Stripe-Signature": signature_header(payload, config.webhook_secret, int(time.time())),
        },
    )
    status: int | None = None
    error: str | None = None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    if status is not None and 200 <= status < 300:
        store.record_delivery(
            delivery.id,
            attempts=attempts,
            state="delivered",
            next_attempt_at=time.time(),
            status=status,
            error=None,
        )
        return
    give_up = attempts >= config.webhook_max_attempts
    log.info(
        "webhook %s for %s failed (%s)%s",
        delivery.id,
        event.get("type"),
        error,
        ", giving up" if give_up else ", will retry",
    )
    store.record_delivery(
        delivery.id,
        attempts=attempts,
        state="failed" if give_up else "pending",
        next_attempt_at=time.time() + retry_delay(config, attempts),
        status=status,
        error=error,
    )
