"""Signed ticket codes: ``v1.<key id>.<payload>.<signature>``.

* Every part after the version is base64url without padding (RFC 4648 section 5).
* ``key id``: the first 8 bytes of SHA-256 over the raw 32-byte Ed25519 public key
  (11 characters). It names the signer: the server or one registered counter device.
* ``payload``: compact JSON (no spaces, keys sorted) with short keys:

  ======  ===========================================================================
  ``l``   booking line id (string or integer)
  ``e``   event id (string or integer)
  ``s``   seat id (for a seated ticket), or
  ``a``   general-admission area id (exactly one of ``s`` and ``a`` is present)
  ``t``   issued at, whole seconds since the Unix epoch (UTC)
  ``n``   nonce: 8 random bytes, base64url; two codes are never the same, even for the
          same line
  ======  ===========================================================================

  An id that is a canonical UUID string (``str(uuid.UUID(...))``) is written under the
  key with a ``u`` suffix (``lu``, ``eu``, ``su``, ``au``) as its 16 bytes in base64url,
  to keep codes short; :func:`verify` gives it back as the same canonical string.
* ``signature``: Ed25519 over the ASCII text ``v1.<key id>.<payload>``, so version, key
  id and payload are all covered.

:func:`verify` raises one exception, :class:`InvalidTicketCode`, whose ``reason`` is one
of :class:`Reason`. Base64 is checked to be canonical, so no two strings decode to the same
signed code and any change of a single character is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "VERSION",
    "InvalidTicketCode",
    "PublicKeyInfo",
    "Reason",
    "SigningKey",
    "TicketClaims",
    "TicketPayload",
    "key_id_of",
    "keyring_of",
    "sign",
    "verify",
]

VERSION = "v1"
NONCE_BYTES = 8
MAX_CODE_LENGTH = 1024  # anything longer is refused before any decoding
_KEY_ID_RE = re.compile(r"[A-Za-z0-9_-]{11}")
_VERSION_RE = re.compile(r"v[0-9]{1,4}")
_B64_RE = re.compile(r"[A-Za-z0-9_-]*")

Id = str | int


class Reason(StrEnum):
    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    KEY_RETIRED = "key_retired"
    UNSUPPORTED_VERSION = "unsupported_version"


class InvalidTicketCode(Exception):
    """A ticket code that must not be accepted; ``reason`` says why."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(f"{reason.value}: {message}")
        self.reason = reason
        self.message = message


# -- base64url ---------------------------------------------------------------------------------


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """Strict, canonical base64url without padding; ValueError otherwise."""
    if not _B64_RE.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc
    if _b64encode(data) != text:  # unused low bits set: a second spelling of the same bytes
        raise ValueError("non-canonical base64url")
    return data


# -- keys --------------------------------------------------------------------------------------


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """Key id: first 8 bytes of SHA-256 of the raw public key, base64url (11 chars)."""
    return _b64encode(hashlib.sha256(_raw_public(public_key)).digest()[:8])


class SigningKey:
    """An Ed25519 private key that signs ticket codes.

    Store it with :meth:`to_base64` (32 raw bytes, base64url: fits a keyring entry) or
    :meth:`to_pem` (PKCS#8); send :meth:`public_key_base64` to the server at registration.
    """

    __slots__ = ("_private",)

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        if not isinstance(private_key, Ed25519PrivateKey):
            raise TypeError("SigningKey needs an Ed25519PrivateKey")
        self._private = private_key

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_base64(cls, text: str) -> SigningKey:
        try:
            raw = _b64decode(text.strip())
            return cls(Ed25519PrivateKey.from_private_bytes(raw))
        except ValueError as exc:
            raise ValueError("not an Ed25519 private key in base64url (32 bytes)") from exc

    @classmethod
    def from_pem(cls, pem: str | bytes) -> SigningKey:
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the PEM does not hold an Ed25519 private key")
        return cls(key)

    def to_base64(self) -> str:
        raw = self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return _b64encode(raw)

    def to_pem(self) -> str:
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._private.public_key()

    def public_key_base64(self) -> str:
        """The raw public key, base64url (43 chars): what a device sends at registration."""
        return _b64encode(_raw_public(self.public_key))

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    def public_info(self, retired_at: datetime | None = None) -> PublicKeyInfo:
        return PublicKeyInfo(self.public_key, retired_at)

    def _sign(self, data: bytes) -> bytes:
        return self._private.sign(data)

    def __repr__(self) -> str:  # never show the secret
        return f"SigningKey(key_id={self.key_id!r})"


@dataclass(frozen=True, slots=True)
class PublicKeyInfo:
    """A signer's public key as a verifier knows it; ``retired_at`` (aware datetime) set
    once the key is retired: it then verifies only codes issued strictly before that."""

    public_key: Ed25519PublicKey
    retired_at: datetime | None = None
    # derived once: every verify compares it (a hash of the key's bytes each time otherwise)
    _key_id: str = field(init=False, repr=False, compare=False, default="")

    def __post_init__(self) -> None:
        if not isinstance(self.public_key, Ed25519PublicKey):
            raise TypeError("public_key must be an Ed25519PublicKey")
        if self.retired_at is not None:
            object.__setattr__(self, "retired_at", _aware(self.retired_at, "retired_at"))
        object.__setattr__(self, "_key_id", key_id_of(self.public_key))

    @classmethod
    def from_base64(cls, text: str, retired_at: datetime | None = None) -> PublicKeyInfo:
        """From the raw public key in base64url (as sent at device registration)."""
        try:
            key = Ed25519PublicKey.from_public_bytes(_b64decode(text.strip()))
        except ValueError as exc:
            raise ValueError("not an Ed25519 public key in base64url (32 bytes)") from exc
        return cls(key, retired_at)

    @property
    def key_id(self) -> str:
        return self._key_id

    def public_key_base64(self) -> str:
        return _b64encode(_raw_public(self.public_key))


def keyring_of(*infos: PublicKeyInfo) -> dict[str, PublicKeyInfo]:
    """A keyring for :func:`verify`: each key under its derived key id."""
    return {info.key_id: info for info in infos}


# -- payload -----------------------------------------------------------------------------------


def _aware(moment: datetime, what: str) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{what} must be a datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (e.g. datetime.now(UTC))")
    return moment.astimezone(UTC)


def _check_id(value: object, what: str) -> Id:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"{what} must be a string, an int or a UUID")
    if isinstance(value, str) and not value:
        raise ValueError(f"{what} must not be empty")
    return value


@dataclass(frozen=True, slots=True)
class TicketPayload:
    """What a code asserts. Exactly one of ``seat_id`` and ``area_id``. ``issued_at`` must
    be timezone-aware and is kept to the whole second; it defaults to now.

    UUID ids are accepted and kept as their canonical strings.
    """

    line_id: Id
    event_id: Id
    seat_id: Id | None = None
    area_id: Id | None = None
    issued_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        object.__setattr__(self, "line_id", _check_id(self.line_id, "line_id"))
        object.__setattr__(self, "event_id", _check_id(self.event_id, "event_id"))
        if (self.seat_id is None) == (self.area_id is None):
            raise ValueError("a ticket is for exactly one seat or one area")
        if self.seat_id is not None:
            object.__setattr__(self, "seat_id", _check_id(self.seat_id, "seat_id"))
        if self.area_id is not None:
            object.__setattr__(self, "area_id", _check_id(self.area_id, "area_id"))
        issued = _aware(self.issued_at, "issued_at").replace(microsecond=0)
        object.__setattr__(self, "issued_at", issued)


@dataclass(frozen=True, slots=True)
class TicketClaims:
    """A verified code: the payload, the signer's ``key_id``, and the code's ``nonce``."""

    line_id: Id
    event_id: Id
    seat_id: Id | None
    area_id: Id | None
    issued_at: datetime
    key_id: str
    nonce: str


_ID_KEYS = (("l", "line_id"), ("e", "event_id"), ("s", "seat_id"), ("a", "area_id"))


def _encode_id(short: str, value: Id, out: dict[str, Any]) -> None:
    if isinstance(value, str):
        try:
            parsed = uuid.UUID(value)
        except ValueError:
            parsed = None
        if parsed is not None and str(parsed) == value:
            out[short + "u"] = _b64encode(parsed.bytes)
            return
    out[short] = value


def _encode_payload(payload: TicketPayload, nonce: bytes) -> bytes:
    out: dict[str, Any] = {"t": int(payload.issued_at.timestamp()), "n": _b64encode(nonce)}
    for short, name in _ID_KEYS:
        value = getattr(payload, name)
        if value is not None:
            _encode_id(short, value, out)
    return json.dumps(out, separators=(",", ":"), sort_keys=True, ensure_ascii=True).encode()


def _decode_payload(data: bytes, key_id: str) -> TicketClaims:
    obj = json.loads(data.decode("utf-8"))
    if not isinstance(obj, dict):
        raise ValueError("payload is not an object")
    ids: dict[str, Id | None] = {}
    for short, name in _ID_KEYS:
        plain, packed = obj.pop(short, None), obj.pop(short + "u", None)
        if plain is not None and packed is not None:
            raise ValueError(f"both {short} and {short}u")
        if packed is not None:
            ids[name] = str(uuid.UUID(bytes=_b64decode(packed)))
        elif plain is not None:
            ids[name] = _check_id(plain, name)
        else:
            ids[name] = None
    stamp, nonce = obj.pop("t", None), obj.pop("n", None)
    if obj:
        raise ValueError(f"unknown payload keys {sorted(obj)}")
    if isinstance(stamp, bool) or not isinstance(stamp, int):
        raise ValueError("issued-at is not an integer")
    if not isinstance(nonce, str) or len(_b64decode(nonce)) != NONCE_BYTES:
        raise ValueError("bad nonce")
    line_id, event_id = ids["line_id"], ids["event_id"]
    if line_id is None or event_id is None:
        raise ValueError("line or event id missing")
    if (ids["seat_id"] is None) == (ids["area_id"] is None):
        raise ValueError("need exactly one of seat and area")
    return TicketClaims(
        line_id=line_id,
        event_id=event_id,
        seat_id=ids["seat_id"],
        area_id=ids["area_id"],
        issued_at=datetime.fromtimestamp(stamp, UTC),
        key_id=key_id,
        nonce=nonce,
    )


def claimed_line_id(code: str) -> uuid.UUID | None:
    """The line id `code` claims, read WITHOUT checking anything (None when it names
    none): to fetch the lines of many codes before verifying them."""
    if not isinstance(code, str) or len(code) > MAX_CODE_LENGTH:
        return None

    def decode(text: str) -> bytes:  # lenient: nothing here is trusted anyway
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    try:
        payload = json.loads(decode(code.split(".")[2]))
        packed = payload.get("lu")
        if packed is not None:
            return uuid.UUID(bytes=decode(str(packed)))
        return uuid.UUID(str(payload.get("l")))
    except (AttributeError, IndexError, TypeError, ValueError, RecursionError):
        return None


# -- sign and verify ---------------------------------------------------------------------------


def sign(payload: TicketPayload, signing_key: SigningKey) -> str:
    """Return a new code for ``payload``. Each call draws a fresh random nonce, so signing
    the same payload twice gives two different codes."""
    body = _b64encode(_encode_payload(payload, os.urandom(NONCE_BYTES)))
    signed = f"{VERSION}.{signing_key.key_id}.{body}"
    return f"{signed}.{_b64encode(signing_key._sign(signed.encode('ascii')))}"


def verify(
    code: str, keyring: Mapping[str, PublicKeyInfo], *, signature_verified: bool = False
) -> TicketClaims:
    """Check ``code`` against ``keyring`` (key id -> :class:`PublicKeyInfo`) and return its
    claims, or raise :class:`InvalidTicketCode` with one of these reasons:

    * ``unsupported_version``: a version other than ``v1`` (e.g. ``v2.…``);
    * ``malformed``: not four dot-separated base64url parts, bad lengths or payload;
    * ``unknown_key``: the key id is not in the keyring (or the entry's key has another id);
    * ``bad_signature``: the signature does not match (any tampering);
    * ``key_retired``: signed by a key retired at or before the code's issued-at time.

    The claims' ``issued_at`` is what the signer asserted; checking the line against sold
    inventory and refusing reuse (a code scanned twice) are the caller's job.

    ``signature_verified``: the caller holds this very code (every byte of it) from where
    its signature was verified or made (the server's own record of a ticket), so the
    Ed25519 arithmetic is not done again; everything else (the key known, its id, its
    retirement before the code was issued, the payload) is checked as always.
    """
    if not isinstance(code, str) or len(code) > MAX_CODE_LENGTH or not code.isascii():
        raise InvalidTicketCode(Reason.MALFORMED, "not a ticket code")
    parts = code.split(".")
    if parts[0] != VERSION:
        if _VERSION_RE.fullmatch(parts[0]):
            raise InvalidTicketCode(Reason.UNSUPPORTED_VERSION, f"version {parts[0]} unknown")
        raise InvalidTicketCode(Reason.MALFORMED, "not a ticket code")
    if len(parts) != 4:
        raise InvalidTicketCode(Reason.MALFORMED, "expected four dot-separated parts")
    _, key_id, body, sig_text = parts
    if not _KEY_ID_RE.fullmatch(key_id):
        raise InvalidTicketCode(Reason.MALFORMED, "bad key id")
    try:
        payload_bytes = _b64decode(body)
        signature = _b64decode(sig_text)
    except ValueError as exc:
        raise InvalidTicketCode(Reason.MALFORMED, "bad base64url") from exc
    if len(signature) != 64 or not payload_bytes:
        raise InvalidTicketCode(Reason.MALFORMED, "bad signature or payload length")
    info = keyring.get(key_id)
    if info is None or info.key_id != key_id:
        raise InvalidTicketCode(Reason.UNKNOWN_KEY, f"no public key with id {key_id}")
    try:
        if not signature_verified:
            info.public_key.verify(signature, f"{VERSION}.{key_id}.{body}".encode("ascii"))
    except InvalidSignature as exc:
        raise InvalidTicketCode(Reason.BAD_SIGNATURE, "signature does not match") from exc
    try:
        claims = _decode_payload(payload_bytes, key_id)
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError, OSError) as exc:
        raise InvalidTicketCode(Reason.MALFORMED, f"bad payload: {exc}") from exc
    if info.retired_at is not None and claims.issued_at >= info.retired_at:
        raise InvalidTicketCode(
            Reason.KEY_RETIRED,
            f"key {key_id} was retired at {info.retired_at.isoformat()}, "
            f"code issued at {claims.issued_at.isoformat()}",
        )
    return claims
