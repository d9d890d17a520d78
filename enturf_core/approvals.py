"""Signed approvals: an administrator's consent to one act, which the server can check.

An administrator approves at a counter (online or offline) by typing their password; the
counter unlocks that admin's approval key (Ed25519, registered with the server for this
admin on this counter) and signs a statement of what was approved::

    {"v": 1, "kind": "shift_close", "subject": "<shift id>",
     "figures": {"difference": "-10.00"}, "approver": <server user id>,
     "device": <server device id>, "at": "2026-05-01T21:10:00+00:00", "nonce": "<b64url>"}

The proof that travels with the op is ``{"statement": {...}, "key_id", "signature"}``; the
signature is Ed25519 over :data:`DOMAIN` + the statement as canonical JSON (sorted keys,
no spaces, UTF-8). Both sides build the bytes here, so they always agree.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature

from enturf_core.ticket_codes import PublicKeyInfo, SigningKey, _b64decode, _b64encode

DOMAIN = b"enturf-approval-v1\n"
VERSION = 1
NONCE_BYTES = 16
MAX_TEXT = 200


class InvalidApproval(ValueError):
    """The proof is malformed or its signature does not verify."""


@dataclass(frozen=True, slots=True)
class ApprovalStatement:
    kind: str
    subject: str
    figures: Mapping[str, str]
    approver: int
    device: int
    at: datetime
    nonce: str = field(default_factory=lambda: _b64encode(secrets.token_bytes(NONCE_BYTES)))

    def as_json(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "kind": self.kind,
            "subject": self.subject,
            "figures": dict(self.figures),
            "approver": self.approver,
            "device": self.device,
            "at": self.at.astimezone(UTC).isoformat(),
            "nonce": self.nonce,
        }

    def signed_bytes(self) -> bytes:
        text = json.dumps(self.as_json(), sort_keys=True, separators=(",", ":"))
        return DOMAIN + text.encode("utf-8")

    @classmethod
    def from_json(cls, data: Any) -> ApprovalStatement:
        if not isinstance(data, Mapping) or data.get("v") != VERSION:
            raise InvalidApproval("The approval statement is not a version 1 statement.")
        try:
            figures = data["figures"]
            statement = cls(
                kind=_text(data["kind"]),
                subject=_text(data["subject"]),
                figures={_text(k): _text(v) for k, v in figures.items()},
                approver=_integer(data["approver"]),
                device=_integer(data["device"]),
                at=datetime.fromisoformat(_text(data["at"])),
                nonce=_text(data["nonce"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidApproval(f"The approval statement is malformed ({exc}).") from None
        if statement.at.tzinfo is None:
            raise InvalidApproval("The approval statement's time has no offset.")
        if len(_b64decode(statement.nonce)) != NONCE_BYTES:
            raise InvalidApproval("The approval statement's nonce is malformed.")
        return statement


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT or "\x00" in value:
        raise ValueError("a non-empty text was expected")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise ValueError("a positive id was expected")
    return value


def sign_statement(statement: ApprovalStatement, key: SigningKey) -> dict[str, Any]:
    """The proof that travels with an op."""
    return {
        "statement": statement.as_json(),
        "key_id": key.key_id,
        "signature": _b64encode(key._sign(statement.signed_bytes())),
    }


def parse_proof(proof: Any) -> tuple[ApprovalStatement, str, bytes]:
    """(statement, key id, signature) of a proof, without checking the signature."""
    if not isinstance(proof, Mapping):
        raise InvalidApproval("The approval is not an object with statement, key_id, signature.")
    statement = ApprovalStatement.from_json(proof.get("statement"))
    key_id, signature = proof.get("key_id"), proof.get("signature")
    if not isinstance(key_id, str) or not isinstance(signature, str):
        raise InvalidApproval("The approval has no key_id or signature.")
    try:
        raw = _b64decode(signature)
    except ValueError:
        raise InvalidApproval("The approval's signature is not base64url.") from None
    return statement, key_id, raw


def verify_signature(statement: ApprovalStatement, signature: bytes, public_key: str) -> None:
    """Raises InvalidApproval unless `signature` is the key's signature of the statement."""
    try:
        PublicKeyInfo.from_base64(public_key).public_key.verify(signature, statement.signed_bytes())
    except (InvalidSignature, ValueError):
        raise InvalidApproval("The approval's signature does not verify.") from None
