"""The card-gateway client: Stripe's REST API through ``requests``.

- :class:`CardTerminal` / :class:`StripeTerminal`: counter payments on a reader
  (start, await, cancel, capture, refund, recover by local id).
- :class:`StripeRestClient`: the low-level REST client (form encoding,
  ``Idempotency-Key: <local id>:<operation>``, retries with backoff).
- :func:`verify_signature` / :func:`construct_event`: webhook checks.
- :class:`GatewayError`: the one exception, with a ``code`` and a cashier message.
"""

from .config import GatewayConfig
from .errors import GatewayError, GatewayErrorCode
from .results import (
    CardDetails,
    PaymentHandle,
    PaymentRef,
    PaymentResult,
    PaymentState,
    RefundResult,
)
from .stripe_client import StripeRestClient, idempotency_key
from .terminal import CardTerminal, StripeTerminal
from .webhooks import WebhookSignatureError, construct_event, verify_signature

__all__ = [
    "CardDetails",
    "CardTerminal",
    "GatewayConfig",
    "GatewayError",
    "GatewayErrorCode",
    "PaymentHandle",
    "PaymentRef",
    "PaymentResult",
    "PaymentState",
    "RefundResult",
    "StripeRestClient",
    "StripeTerminal",
    "WebhookSignatureError",
    "construct_event",
    "idempotency_key",
    "verify_signature",
]
