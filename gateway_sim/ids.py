"""Identifiers in Stripe's style: a type prefix and random base62 characters."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def random_token(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_id(prefix: str, length: int = 24) -> str:
    """A new object id such as ``pi_3Ng1a...``."""
    return f"{prefix}_{random_token(length)}"


def new_request_id() -> str:
    return f"req_{random_token(14)}"
