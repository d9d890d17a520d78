"""The audit hash itself: SHA-256 over the canonical JSON of an entry's recorded fields
and the hash of the entry before it. Plain values, no models: the migration that chained
the entries already stored (`audit/0002_hash_chain.py`) hashes with the same code."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the `prev_hash` of the first entry of the chain
FORMAT = "enturf-audit-v1"


def normal_details(details: dict[str, Any]) -> dict[str, Any]:
    """`details` as the JSON column gives it back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(details, default=str))


def entry_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor_name: str,
    device_name: str,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
) -> str:
    """SHA-256 (hex) of the canonical JSON of an entry's fields; plain values, so the
    migration that chained the existing entries computes it the same way."""
    payload = [
        FORMAT,
        prev_hash,
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        actor_name,
        device_name,
        action,
        object_type,
        object_id,
        details,
    ]
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
