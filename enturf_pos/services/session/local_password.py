"""Salted scrypt hashes for offline login and unlocking (never leave this counter).

Format: ``scrypt$<log2 n>$<r>$<p>$<salt b64>$<hash b64>``: the parameters travel with
the hash, so stronger settings later still verify older hashes.
Defaults follow OWASP's password storage advice for scrypt (N=2^17, r=8, p=1).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

LOG2_N = 17
R = 8
P = 1
SALT_BYTES = 16
HASH_BYTES = 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 1 << log2_n
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * r * n + 1024 * 1024,
        dklen=HASH_BYTES,
    )


def hash_password(password: str) -> str:
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(password, salt, LOG2_N, R, P)
    return f"scrypt${LOG2_N}${R}${P}${_b64(salt)}${_b64(digest)}"


def derive_key(password: str, params: str | None = None) -> tuple[str, bytes]:
    """A 32-byte key derived from `password`: with the ``scrypt$<log2 n>$<r>$<p>$<salt>``
    `params` of an earlier call (same key again), or with fresh ones. Returns both."""
    if params is None:
        params = f"scrypt${LOG2_N}${R}${P}${_b64(os.urandom(SALT_BYTES))}"
    scheme, log2_n, r, p, salt = params.split("$")
    if scheme != "scrypt" or not (10 <= int(log2_n) <= 22):
        raise ValueError("unknown key derivation")
    return params, _scrypt(password, _unb64(salt), int(log2_n), int(r), int(p))


def verify_password(password: str, encoded: str | None) -> bool:
    if not encoded:
        return False
    try:
        scheme, log2_n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt" or not (10 <= int(log2_n) <= 22):
            return False
        expected = _unb64(digest)
        actual = _scrypt(password, _unb64(salt), int(log2_n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
