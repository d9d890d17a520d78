"""Short human booking codes: 7 characters from an alphabet without look-alikes."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1
CODE_LENGTH = 7  # 31**7 = 27.5 billion codes; a collision is retried by the caller


def new_booking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return text.strip().upper().replace(" ", "").replace("-", "")
