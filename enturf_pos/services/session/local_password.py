"""Hashes for offline login, unlocking and approval keys, keyed with this counter's key.

A hash is ``scrypt-hmac$<key id>$<log2 n>$<r>$<p>$<salt b64>$<hash b64>``: scrypt over
HMAC-SHA256(counter key, password). The counter key (`counter_key`, 32 random bytes) lives
in the OS keyring, not in the database, so a copied database alone cannot be searched
for a PIN or a password: every guess needs the key. `key id` names the key a hash was
made with (an HMAC of a fixed label, not the key), so a hash made under a key this
keyring does not hold is told apart from a wrong password.

The parameters travel with the hash; scrypt costs `LOG2_N`, `R`, `P` (8 MiB, one check
about 50-100 ms on a counter: `bench/local_hash_bench.py`) are lower than OWASP's
unkeyed N=2^17 because the key, not the cost, is what stops an offline search now.

Hashes made before the counter key (``scrypt$<log2 n>$<r>$<p>$<salt>$<hash>``, N=2^17)
still verify, and `Checked.upgrade` asks the caller to replace them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from enum import StrEnum

KEYED = "scrypt-hmac"
LEGACY = "scrypt"  # before the counter key: scrypt over the password itself
LOG2_N = 13
R = 8
P = 1
SALT_BYTES = 16
HASH_BYTES = 32
_KEY_ID_LABEL = b"enturf-pos local hash key id"


class Verdict(StrEnum):
    RIGHT = "right"
    WRONG = "wrong"
    NO_KEY = "no_key"  # made under a counter key this keyring does not hold


@dataclass(frozen=True, slots=True)
class Checked:
    verdict: Verdict
    upgrade: bool = False  # right, but made before the counter key or with other costs

    @property
    def right(self) -> bool:
        return self.verdict is Verdict.RIGHT


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(key: bytes) -> str:
    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:12]


def _scrypt(secret: bytes, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise ValueError("scrypt parameters out of range")
    n = 1 << log2_n
    return hashlib.scrypt(
        secret, salt=salt, n=n, r=r, p=p, maxmem=256 * r * n + 1024 * 1024, dklen=HASH_BYTES
    )


def _keyed(password: str, key: bytes) -> bytes:
    return hmac.new(key, password.encode("utf-8"), hashlib.sha256).digest()


def _params(key: bytes) -> str:
    return f"{KEYED}${key_id(key)}${LOG2_N}${R}${P}${_b64(os.urandom(SALT_BYTES))}"


def hash_password(password: str, key: bytes) -> str:
    params, digest = derive_key(password, key)
    return f"{params}${_b64(digest)}"


def derive_key(password: str, key: bytes | None, params: str | None = None) -> tuple[str, bytes]:
    """A 32-byte key derived from `password` (and the counter `key`): with the `params` of
    an earlier call (the same key again; they may be a legacy unkeyed ``scrypt$...``), or
    with fresh ones when None. Returns both. Raises ValueError when `params` are unknown
    or need a counter key that `key` is not."""
    if params is None:
        if key is None:
            raise ValueError("a new hash needs the counter key")
        params = _params(key)
    fields = params.split("$")
    if fields[0] == KEYED and len(fields) == 6:
        _scheme, made_with, log2_n, r, p, salt = fields
        if key is None or not hmac.compare_digest(made_with, key_id(key)):
            raise ValueError("made under another counter key")
        secret = _keyed(password, key)
    elif fields[0] == LEGACY and len(fields) == 5:
        _scheme, log2_n, r, p, salt = fields
        secret = password.encode("utf-8")
    else:
        raise ValueError("unknown key derivation")
    return params, _scrypt(secret, _unb64(salt), int(log2_n), int(r), int(p))


def needs_other_key(encoded: str | None, key: bytes | None) -> bool:
    """Whether `encoded` was made under a counter key other than `key` (or `key` is None):
    no password can be checked against it on this counter."""
    fields = (encoded or "").split("$")
    if fields[0] != KEYED or len(fields) < 2:
        return False
    return key is None or not hmac.compare_digest(fields[1], key_id(key))


def is_current(encoded: str, key: bytes) -> bool:
    """Made under `key` with today's costs (nothing to upgrade)."""
    fields = encoded.split("$")
    return fields[:5] == [KEYED, key_id(key), str(LOG2_N), str(R), str(P)]


def check_password(password: str, encoded: str | None, key: bytes | None) -> Checked:
    if needs_other_key(encoded, key):
        return Checked(Verdict.NO_KEY)
    if not encoded:
        return Checked(Verdict.WRONG)
    params, _, digest = encoded.rpartition("$")
    try:
        _params_again, actual = derive_key(password, key, params)
        expected = _unb64(digest)
    except (ValueError, TypeError):
        return Checked(Verdict.WRONG)
    if not hmac.compare_digest(actual, expected):
        return Checked(Verdict.WRONG)
    return Checked(Verdict.RIGHT, upgrade=key is None or not is_current(encoded, key))
