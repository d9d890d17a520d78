"""What the server says about this device's door scans: its verdict and whether it found a
double entry, from the push's answer to a `checkin` op or from the `checkin` feed.

Only models here: sync (push and apply) calls it, so it must not import the sync package.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from enturf_core.wire.ops import CHECKIN
from enturf_pos.models import DoorScan, OutboxOp


def server_answer(session: Session, scan_id: uuid.UUID, verdict: str, double_entry: bool) -> None:
    """Store the server's verdict on the scan (nothing when it is not one of ours)."""
    session.execute(
        update(DoorScan)
        .where(DoorScan.id == scan_id)
        .values(server_verdict=verdict or None, double_entry=bool(double_entry))
    )


def double_entry(session: Session, scan_id: uuid.UUID, flagged: bool) -> None:
    """The `checkin` feed's record of one of our scans: only its flag (the feed's verdict
    is what the door showed, or admitted for an override)."""
    session.execute(
        update(DoorScan).where(DoorScan.id == scan_id).values(double_entry=bool(flagged))
    )


def on_applied(session: Session, op: OutboxOp, result: Mapping[str, Any]) -> None:
    """A `checkin` op applied: `{"checkin", "verdict", "double_entry"}` at the top level
    (or under `extra`)."""
    if op.type != CHECKIN:
        return
    nested = result.get("extra")
    extra = nested if isinstance(nested, Mapping) else result
    scan_id = uuid.UUID(str(op.payload.get("id") or op.id))
    server_answer(
        session, scan_id, str(extra.get("verdict") or ""), bool(extra.get("double_entry"))
    )
