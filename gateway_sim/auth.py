"""API keys: secret keys may do everything, restricted keys only what Enturf's counters need."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from .config import SimConfig
from .errors import StripeError

# What a restricted counter key may do: write payment intents and readers, read the
# charges and payment methods behind them (for card brand and last four digits).
RESTRICTED_SCOPES = {
    "payment_intents": {"GET", "POST"},
    "terminal": {"GET", "POST", "DELETE"},
    "charges": {"GET"},
    "payment_methods": {"GET"},
}
PERMISSION_NAMES = {
    "refunds": "rak_refund",
    "events": "rak_event",
    "charges": "rak_charge",
    "payment_methods": "rak_payment_method",
}


@dataclass(frozen=True)
class ApiKey:
    value: str
    restricted: bool

    @property
    def masked(self) -> str:
        return mask(self.value)


def mask(key: str) -> str:
    prefix = next(
        (
            p
            for p in ("sk_test_", "rk_test_", "pk_test_", "sk_live_", "rk_live_", "pk_live_")
            if key.startswith(p)
        ),
        "",
    )
    hidden = max(len(key) - len(prefix) - 4, 0)
    return prefix + "*" * hidden + key[len(prefix) + hidden :]


def _unauthorized(message: str) -> StripeError:
    return StripeError(
        401,
        "invalid_request_error",
        message,
        headers={"WWW-Authenticate": 'Basic realm="Stripe"'},
        stored=False,
    )


def key_from_header(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, credentials = header.partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        return credentials or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.split(":", 1)[0] or None
    return None


def authenticate(config: SimConfig, header: str | None) -> ApiKey:
    key = key_from_header(header)
    if key is None:
        raise _unauthorized(
            "You did not provide an API key. You need to provide your API key in the "
            "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
            "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or "
            "we can help at https://support.stripe.com/."
        )
    if key.startswith("pk_"):
        raise _unauthorized(
            "This API call cannot be made with a publishable API key. Please use a secret API "
            "key. You can find a list of your API keys at "
            "https://dashboard.stripe.com/account/apikeys."
        )
    if key in config.secret_keys:
        return ApiKey(key, restricted=False)
    if key in config.restricted_keys:
        return ApiKey(key, restricted=True)
    raise _unauthorized(f"Invalid API Key provided: {mask(key)}")


def authorize(config: SimConfig, key: ApiKey, method: str, scope: str) -> None:
    if not key.restricted or method in RESTRICTED_SCOPES.get(scope, set()):
        return
    access = "read" if method == "GET" else "write"
    permission = f"{PERMISSION_NAMES.get(scope, 'rak_' + scope)}_{access}"
    raise StripeError(
        403,
        "invalid_request_error",
        f"The provided key '{key.masked}' does not have the required permissions for this "
        f"endpoint on account '{config.account_id}'. Having the '{permission}' permission "
        "would allow this request to continue.",
        stored=False,
    )
