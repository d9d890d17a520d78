"""What the server says about this device's door scans: its verdict and whether it found a
double entry, from the push's answer to a `checkin` op or from the `checkin` feed.

Written in bulk (one executemany per push batch or feed page: 10,000 scans pushed after a
night offline are 10,000 answers). Only models here: sync (push and apply) calls it, so
it must not import the sync package.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from enturf_core.wire.ops import CHECKIN
from enturf_pos.models import DoorScan, OutboxOp

_ANSWERS = "door_scan_answers"  # key in `Session.info`: answers waiting for store_answers
_scans = DoorScan.__table__
_SET_ANSWER = (
    _scans.update()
    .where(_scans.c.id == bindparam("scan_id"))
    .values(server_verdict=bindparam("answer"), double_entry=bindparam("flag"))
)
_SET_FLAG = (
    _scans.update()
    .where(_scans.c.id == bindparam("scan_id"))
    .values(double_entry=bindparam("flag"))
)


def on_applied(session: Session, op: OutboxOp, result: Mapping[str, Any]) -> None:
    """A `checkin` op applied: `{"checkin", "verdict", "double_entry"}` at the top level
    (or under `extra`). Kept until `store_answers`, in the same transaction."""
    if op.type != CHECKIN:
        return
    nested = result.get("extra")
    extra = nested if isinstance(nested, Mapping) else result
    session.info.setdefault(_ANSWERS, []).append(
        {
            "scan_id": uuid.UUID(str(op.payload.get("id") or op.id)),
            "answer": str(extra.get("verdict") or "") or None,
            "flag": bool(extra.get("double_entry")),
        }
    )


def store_answers(session: Session) -> None:
    """Write the answers `on_applied` collected (nothing for ops that are not ours)."""
    if rows := session.info.pop(_ANSWERS, None):
        session.execute(_SET_ANSWER, rows)


def double_entries(session: Session, flags: Iterable[tuple[uuid.UUID, bool]]) -> None:
    """The `checkin` feed's records of our scans: only their flags (the feed's verdict is
    what the door showed, or admitted for an override)."""
    if rows := [{"scan_id": scan_id, "flag": bool(flag)} for scan_id, flag in flags]:
        session.execute(_SET_FLAG, rows)
