"""Low-level client for Stripe's v1 REST API through ``requests``.

Every POST carries an ``Idempotency-Key`` of the form ``<local id>:<operation>``.
Connection errors, timeouts, 409 and 5xx answers are retried with exponential
backoff and the same key, so a retried charge is never charged twice; other
4xx answers are never retried. Logs name the method, path, status and request
id only: never the key, parameters or card data.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import requests

from .config import GatewayConfig
from .errors import GatewayError, GatewayErrorCode, from_response
from .form_encoding import encode_form

log = logging.getLogger("enturf_core.gateway")

MAX_KEY_LENGTH = 255


def idempotency_key(local_id: str, operation: str) -> str:
    """``<local id>:<operation>``; the local id must be an opaque id, never card data."""
    if not local_id or not operation:
        raise ValueError("an idempotency key needs a local id and an operation")
    key = f"{local_id}:{operation}"
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"idempotency key longer than {MAX_KEY_LENGTH} characters")
    return key


def search_literal(value: str) -> str:
    """Quote a value for Stripe's search query language."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class StripeRestClient:
    def __init__(
        self,
        config: GatewayConfig,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self._session = session or requests.Session()
        self._sleep = sleep

    def close(self) -> None:
        self._session.close()

    # -- transport -----------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """Send one API request, retrying what is safe to retry; return the JSON object."""
        method = method.upper()
        if method == "POST" and not idempotency_key:
            raise ValueError("every POST needs an idempotency key")
        headers = {
            "Authorization": f"Bearer {self.config.api_key}",
            "Stripe-Version": self.config.api_version,
            "User-Agent": "enturf-gateway-client/1.0",
        }
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        pairs = encode_form(params or {})
        url = self.config.base_url.rstrip("/") + path
        attempt = 0
        while True:
            try:
                response = self._session.request(
                    method,
                    url,
                    headers=headers,
                    data=pairs if method == "POST" else None,
                    params=pairs if method != "POST" else None,
                    timeout=(self.config.connect_timeout, self.config.read_timeout),
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt < self.config.max_retries:
                    log.warning(
                        "gateway %s %s: %s, retrying (%d/%d)",
                        method,
                        path,
                        type(exc).__name__,
                        attempt + 1,
                        self.config.max_retries,
                    )
                    self._backoff(attempt)
                    attempt += 1
                    continue
                log.error("gateway %s %s unreachable: %s", method, path, type(exc).__name__)
                raise GatewayError(GatewayErrorCode.UNREACHABLE) from None
            request_id = response.headers.get("Request-Id")
            status = response.status_code
            if status < 300:
                log.debug("gateway %s %s -> %s (%s)", method, path, status, request_id)
                return self._json(response, request_id)
            body = self._error_body(response)
            should_retry = response.headers.get("Stripe-Should-Retry")
            retryable = status == 409 or status >= 500
            if should_retry == "false":
                retryable = False
            if retryable and attempt < self.config.max_retries:
                log.warning(
                    "gateway %s %s -> %s (%s), retrying (%d/%d)",
                    method,
                    path,
                    status,
                    request_id,
                    attempt + 1,
                    self.config.max_retries,
                )
                self._backoff(attempt)
                attempt += 1
                continue
            error = from_response(status, body, request_id)
            log.info(
                "gateway %s %s -> %s %s (%s)", method, path, status, error.gateway_code, request_id
            )
            raise error

    def _backoff(self, attempt: int) -> None:
        delay = min(self.config.backoff_max, self.config.backoff_base * (2**attempt))
        self._sleep(delay * (0.5 + random.random() / 2))

    @staticmethod
    def _json(response: requests.Response, request_id: str | None) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError:
            raise GatewayError(
                GatewayErrorCode.GATEWAY_ERROR,
                http_status=response.status_code,
                request_id=request_id,
            ) from None
        if not isinstance(data, dict):
            raise GatewayError(GatewayErrorCode.GATEWAY_ERROR, request_id=request_id)
        return data

    @staticmethod
    def _error_body(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    # -- PaymentIntents ------------------------------------------------------

    def create_payment_intent(
        self,
        local_id: str,
        amount_minor: int,
        currency: str,
        *,
        capture_method: str = "manual",
        payment_method_types: Iterable[str] = ("card_present",),
        payment_method: str | None = None,
        confirm: bool = False,
        metadata: Mapping[str, str] | None = None,
        description: str | None = None,
    ) -> dict[str, Any]:
        _check_amount(amount_minor)
        params: dict[str, Any] = {
            "amount": amount_minor,
            "currency": currency.lower(),
            "capture_method": capture_method,
            "payment_method_types": list(payment_method_types),
            "metadata": {**(metadata or {}), "local_id": local_id},
            "description": description,
        }
        if payment_method:
            params["payment_method"] = payment_method
        if confirm:
            params["confirm"] = True
        return self.request(
            "POST",
            "/v1/payment_intents",
            params,
            idempotency_key=idempotency_key(local_id, "create"),
        )

    def retrieve_payment_intent(
        self, intent_id: str, *, expand: Iterable[str] = ("latest_charge",)
    ) -> dict[str, Any]:
        return self.request("GET", f"/v1/payment_intents/{intent_id}", {"expand": list(expand)})

    def confirm_payment_intent(
        self,
        intent_id: str,
        local_id: str,
        *,
        payment_method: str | None = None,
        operation: str = "confirm",
    ) -> dict[str, Any]:
        return self.request(
            "POST",
            f"/v1/payment_intents/{intent_id}/confirm",
            {"payment_method": payment_method, "expand": ["latest_charge"]},
            idempotency_key=idempotency_key(local_id, operation),
        )

    def capture_payment_intent(
        self, intent_id: str, local_id: str, *, amount_minor: int | None = None
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"expand": ["latest_charge"]}
        if amount_minor is not None:
            _check_amount(amount_minor)
            params["amount_to_capture"] = amount_minor
        return self.request(
            "POST",
            f"/v1/payment_intents/{intent_id}/capture",
            params,
            idempotency_key=idempotency_key(local_id, "capture"),
        )

    def cancel_payment_intent(
        self, intent_id: str, local_id: str, *, reason: str | None = None
    ) -> dict[str, Any]:
        return self.request(
            "POST",
            f"/v1/payment_intents/{intent_id}/cancel",
            {"cancellation_reason": reason, "expand": ["latest_charge"]},
            idempotency_key=idempotency_key(local_id, "cancel"),
        )

    def search_payment_intents(self, query: str, *, limit: int = 10) -> list[dict[str, Any]]:
        result = self.request(
            "GET",
            "/v1/payment_intents/search",
            {"query": query, "limit": limit, "expand": ["data.latest_charge"]},
        )
        return list(result.get("data", []))

    def list_payment_intents(
        self, *, created_gte: int | None = None, limit: int = 100, max_pages: int = 10
    ) -> list[dict[str, Any]]:
        """Intents newest first, following ``has_more`` up to ``max_pages`` pages."""
        found: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": limit, "expand": ["data.latest_charge"]}
        if created_gte is not None:
            params["created"] = {"gte": created_gte}
        for _ in range(max_pages):
            page = self.request("GET", "/v1/payment_intents", params)
            data = list(page.get("data", []))
            found.extend(data)
            if not page.get("has_more") or not data:
                break
            params["starting_after"] = data[-1]["id"]
        return found

    # -- Refunds -------------------------------------------------------------

    def create_refund(
        self,
        refund_local_id: str,
        intent_id: str,
        *,
        amount_minor: int | None = None,
        reason: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        if amount_minor is not None:
            _check_amount(amount_minor)
        params = {
            "payment_intent": intent_id,
            "amount": amount_minor,
            "reason": reason,
            "metadata": {**(metadata or {}), "local_id": refund_local_id},
        }
        return self.request(
            "POST",
            "/v1/refunds",
            params,
            idempotency_key=idempotency_key(refund_local_id, "refund"),
        )

    def retrieve_refund(self, refund_id: str) -> dict[str, Any]:
        return self.request("GET", f"/v1/refunds/{refund_id}")

    # -- Terminal readers ----------------------------------------------------

    def register_reader(
        self,
        local_id: str,
        registration_code: str,
        *,
        label: str | None = None,
        location: str | None = None,
    ) -> dict[str, Any]:
        return self.request(
            "POST",
            "/v1/terminal/readers",
            {"registration_code": registration_code, "label": label, "location": location},
            idempotency_key=idempotency_key(local_id, "register"),
        )

    def retrieve_reader(self, reader_id: str) -> dict[str, Any]:
        return self.request("GET", f"/v1/terminal/readers/{reader_id}")

    def process_payment_intent(
        self, reader_id: str, intent_id: str, local_id: str, *, attempt: int = 1
    ) -> dict[str, Any]:
        operation = "process" if attempt == 1 else f"process-{attempt}"
        return self.request(
            "POST",
            f"/v1/terminal/readers/{reader_id}/process_payment_intent",
            {"payment_intent": intent_id},
            idempotency_key=idempotency_key(local_id, operation),
        )

    def cancel_reader_action(
        self, reader_id: str, local_id: str, *, attempt: int = 1
    ) -> dict[str, Any]:
        return self.request(
            "POST",
            f"/v1/terminal/readers/{reader_id}/cancel_action",
            idempotency_key=idempotency_key(local_id, f"cancel_action-{attempt}"),
        )

    def present_payment_method(
        self, reader_id: str, *, card_number: str | None = None
    ) -> dict[str, Any]:
        """Test helper of simulated readers: the customer taps a test card.

        The key is random: a test card number must not end up in an idempotency key.
        """
        params = {"card_present": {"number": card_number}} if card_number else {}
        return self.request(
            "POST",
            f"/v1/test_helpers/terminal/readers/{reader_id}/present_payment_method",
            params,
            idempotency_key=idempotency_key(f"test-{uuid.uuid4().hex}", "present"),
        )


def _check_amount(amount_minor: int) -> None:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValueError("amounts are positive integers in minor units (cents)")
