"""Errors the simulator answers with, in the shape of Stripe's ``{"error": {...}}``."""

from __future__ import annotations

from typing import Any

DOCS_URL = "https://stripe.com/docs/error-codes/"


class StripeError(Exception):
    """An API error: HTTP status, Stripe error type, code and message.

    ``stored`` says whether the idempotency layer keeps this response for its key.
    Stripe keeps the first response of every request whose endpoint began to run
    (card declines and state errors included), but not the result of parameter
    validation, authentication or an unknown URL.
    """

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        stored: bool = True,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.extra = extra or {}
        self.headers = headers or {}
        self.stored = stored

    def body(self, request_id: str, now: int) -> dict[str, Any]:
        error: dict[str, Any] = {}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = DOCS_URL + self.code.replace("_", "-")
        if self.decline_code:
            error["decline_code"] = self.decline_code
        error["message"] = self.message
        if self.param:
            error["param"] = self.param
        error.update(self.extra)
        if self.status not in (401, 403) and self.type != "api_error":
            error["request_log_url"] = (
                f"https://dashboard.stripe.com/test/logs/{request_id}?t={now}"
            )
        error["type"] = self.type
        return {"error": error}


def invalid_request(
    message: str,
    *,
    code: str | None = None,
    param: str | None = None,
    status: int = 400,
    stored: bool = True,
    extra: dict[str, Any] | None = None,
) -> StripeError:
    return StripeError(
        status,
        "invalid_request_error",
        message,
        code=code,
        param=param,
        stored=stored,
        extra=extra,
    )


def param_error(message: str, *, param: str, code: str | None = None) -> StripeError:
    """A parameter failed validation: not kept by the idempotency layer."""
    return invalid_request(message, code=code, param=param, stored=False)


def resource_missing(kind: str, object_id: str, param: str) -> StripeError:
    return invalid_request(
        f"No such {kind}: '{object_id}'",
        code="resource_missing",
        param=param,
        status=404,
    )


def unexpected_state(message: str, payment_intent: dict[str, Any]) -> StripeError:
    return invalid_request(
        message,
        code="payment_intent_unexpected_state",
        extra={"payment_intent": payment_intent},
    )


def api_error(message: str = "An unknown error occurred") -> StripeError:
    return StripeError(500, "api_error", message, stored=False)
