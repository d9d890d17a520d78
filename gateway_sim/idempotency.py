"""Idempotent requests as Stripe documents them.

The first response for a key (errors included, once the endpoint began to run)
is kept for 24 hours and replayed with ``Idempotent-Replayed: true``. The same
key with other parameters, or on another endpoint, is a 400
``idempotency_error``; a duplicate arriving while the first is still running
gets 409.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from .errors import StripeError
from .store import Store, StoredResponse

MAX_KEY_LENGTH = 255


def fingerprint(params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()


class IdempotencyGuard:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._in_flight: set[str] = set()

    def begin(
        self, key: str, method: str, path: str, params: dict[str, Any], now: float
    ) -> StoredResponse | None:
        """The stored response to replay, or ``None`` after marking the key in flight."""
        if len(key) > MAX_KEY_LENGTH:
            raise StripeError(
                400,
                "invalid_request_error",
                f"Idempotency keys can be at most {MAX_KEY_LENGTH} characters long.",
                stored=False,
            )
        with self._lock:
            # A request still running (or being answered) holds its key: 409 until it ends.
            if key in self._in_flight:
                raise StripeError(
                    409,
                    "idempotency_error",
                    "There is currently another in-progress request using this Idempotency "
                    "Key (probably because of a double click or a retry). Please retry this "
                    "request once the first one has completed.",
                    headers={"Stripe-Should-Retry": "true"},
                    stored=False,
                )
            stored = self.store.stored_response(key, now)
            if stored is not None:
                if stored.method != method or stored.path != path:
                    raise StripeError(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used for the same endpoint "
                        f"they were first used for ('{stored.method} {stored.path}' vs "
                        f"'{method} {path}'). Try using a key other than '{key}' if you meant "
                        "to execute a different request.",
                        stored=False,
                    )
                if stored.fingerprint != fingerprint(params):
                    raise StripeError(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same "
                        "parameters they were first used with. Try using a key other than "
                        f"'{key}' if you meant to execute a different request.",
                        stored=False,
                    )
                return stored
            self._in_flight.add(key)
            return None

    def finish(self, key: str) -> None:
        with self._lock:
            self._in_flight.discard(key)
