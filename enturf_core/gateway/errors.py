"""The one exception the gateway client raises, with a code and a message a cashier can act on."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class GatewayErrorCode(StrEnum):
    DECLINED = "declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    EXPIRED_CARD = "expired_card"
    INCORRECT_CARD_DATA = "incorrect_card_data"
    PROCESSING_ERROR = "processing_error"
    READER_BUSY = "reader_busy"
    READER_OFFLINE = "reader_offline"
    READER_CANCELED = "reader_canceled"
    UNREACHABLE = "unreachable"
    GATEWAY_ERROR = "gateway_error"
    BAD_KEY = "bad_key"
    NOT_PERMITTED = "not_permitted"
    RATE_LIMITED = "rate_limited"
    UNEXPECTED_STATE = "unexpected_state"
    AMOUNT_TOO_LARGE = "amount_too_large"
    AMOUNT_TOO_SMALL = "amount_too_small"
    ALREADY_REFUNDED = "already_refunded"
    NOT_FOUND = "not_found"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    INVALID_REQUEST = "invalid_request"
    BAD_SIGNATURE = "bad_signature"


C = GatewayErrorCode

CASHIER_MESSAGES: dict[GatewayErrorCode, str] = {
    C.DECLINED: "The card was declined. Ask the customer for another card or another way to pay.",
    C.INSUFFICIENT_FUNDS: "The card was declined for insufficient funds. Ask the customer for "
    "another card or another way to pay.",
    C.EXPIRED_CARD: "The card has expired. Ask the customer for another card.",
    C.INCORRECT_CARD_DATA: "The card details could not be verified. Ask the customer to try "
    "again or use another card.",
    C.PROCESSING_ERROR: "The card could not be processed. Try again; if it fails again, use "
    "another card or another way to pay.",
    C.READER_BUSY: "The card reader is busy with another payment. Wait for it to finish or "
    "cancel it on the reader, then try again.",
    C.READER_OFFLINE: "The card reader is offline. Check that it is switched on and connected, "
    "then try again.",
    C.READER_CANCELED: "The payment was canceled on the card reader. Start it again if the "
    "customer still wants to pay by card.",
    C.UNREACHABLE: "The card gateway cannot be reached. Check the network connection; meanwhile "
    "take another way to pay.",
    C.GATEWAY_ERROR: "The card gateway had a problem. Try again in a moment.",
    C.BAD_KEY: "The card gateway refused this counter's key. Ask a manager to check the "
    "gateway settings or register the counter again.",
    C.NOT_PERMITTED: "This counter is not allowed to do that with the card gateway. Ask a "
    "manager to do it from the back office.",
    C.RATE_LIMITED: "The card gateway is receiving too many requests. Wait a moment and try again.",
    C.UNEXPECTED_STATE: "The card payment has already moved on (for example it was captured or "
    "canceled elsewhere). Refresh the sale to see its current state.",
    C.AMOUNT_TOO_LARGE: "The amount is more than can be charged or refunded on this payment.",
    C.AMOUNT_TOO_SMALL: "The amount is below the card gateway's minimum charge.",
    C.ALREADY_REFUNDED: "This card payment has already been refunded in full.",
    C.NOT_FOUND: "The card gateway does not know this payment or reader. Check the settings.",
    C.IDEMPOTENCY_CONFLICT: "This sale already has a card payment with other details. Refresh "
    "the sale before trying again.",
    C.INVALID_REQUEST: "The card gateway refused the request. Please report this to support.",
    C.BAD_SIGNATURE: "A notification from the card gateway could not be verified and was ignored.",
}

DECLINE_CODES = {
    "insufficient_funds": C.INSUFFICIENT_FUNDS,
    "expired_card": C.EXPIRED_CARD,
    "incorrect_cvc": C.INCORRECT_CARD_DATA,
    "incorrect_number": C.INCORRECT_CARD_DATA,
    "incorrect_pin": C.INCORRECT_CARD_DATA,
    "invalid_cvc": C.INCORRECT_CARD_DATA,
    "processing_error": C.PROCESSING_ERROR,
}

REQUEST_CODES = {
    "terminal_reader_busy": C.READER_BUSY,
    "terminal_reader_offline": C.READER_OFFLINE,
    "terminal_reader_timeout": C.READER_OFFLINE,
    "payment_intent_unexpected_state": C.UNEXPECTED_STATE,
    "amount_too_large": C.AMOUNT_TOO_LARGE,
    "amount_too_small": C.AMOUNT_TOO_SMALL,
    "charge_already_refunded": C.ALREADY_REFUNDED,
    "resource_missing": C.NOT_FOUND,
}


class GatewayError(Exception):
    """A gateway failure: ``code`` for programs, ``message`` for the cashier.

    ``gateway_code`` and ``decline_code`` are the gateway's own codes and
    ``request_id`` its request id, for support; none of them carries card data
    or keys.
    """

    def __init__(
        self,
        code: GatewayErrorCode,
        message: str | None = None,
        *,
        http_status: int | None = None,
        decline_code: str | None = None,
        gateway_code: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.code = GatewayErrorCode(code)
        self.message = message or CASHIER_MESSAGES[self.code]
        self.http_status = http_status
        self.decline_code = decline_code
        self.gateway_code = gateway_code
        self.request_id = request_id
        super().__init__(self.message)

    @property
    def is_card_problem(self) -> bool:
        """The customer's card failed; another card may work."""
        return self.code in {
            C.DECLINED,
            C.INSUFFICIENT_FUNDS,
            C.EXPIRED_CARD,
            C.INCORRECT_CARD_DATA,
            C.PROCESSING_ERROR,
        }

    def __repr__(self) -> str:
        return (
            f"GatewayError(code={self.code.value!r}, http_status={self.http_status!r}, "
            f"gateway_code={self.gateway_code!r}, decline_code={self.decline_code!r}, "
            f"request_id={self.request_id!r})"
        )


def decline_error(
    code: str | None,
    decline_code: str | None,
    *,
    http_status: int | None = 402,
    request_id: str | None = None,
) -> GatewayError:
    """The error for a card the issuer refused (``card_declined``, ``expired_card``, ...)."""
    mapped = DECLINE_CODES.get(decline_code or "") or DECLINE_CODES.get(code or "") or C.DECLINED
    return GatewayError(
        mapped,
        http_status=http_status,
        decline_code=decline_code,
        gateway_code=code,
        request_id=request_id,
    )


def from_response(status: int, body: Any, request_id: str | None) -> GatewayError:
    """Map a Stripe error response to a :class:`GatewayError`."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = {}
    type_ = error.get("type")
    code = error.get("code")
    decline = error.get("decline_code")
    if status == 401:
        mapped = C.BAD_KEY
    elif status == 403:
        mapped = C.NOT_PERMITTED
    elif status == 402 or type_ == "card_error":
        return decline_error(code, decline, http_status=status, request_id=request_id)
    elif status == 429 or code == "rate_limit":
        mapped = C.RATE_LIMITED
    elif type_ == "idempotency_error":
        mapped = C.IDEMPOTENCY_CONFLICT
    elif status >= 500:
        mapped = C.GATEWAY_ERROR
    else:
        mapped = REQUEST_CODES.get(code or "", C.INVALID_REQUEST)
    return GatewayError(
        mapped,
        http_status=status,
        decline_code=decline,
        gateway_code=code or type_,
        request_id=request_id,
    )
