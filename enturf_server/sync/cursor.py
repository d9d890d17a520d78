"""Change-feed cursors (opaque to clients; the format is documented in docs/sync.md).

* ``0``: start from a snapshot.
* ``s<seq>:<entity>:<last id>``: paging a snapshot taken at change-log position `seq`;
  the next page continues with `entity` after `last id` (empty: from its start).
* ``<seq>``: the snapshot is done, or a plain incremental read: changes after `seq`.
  Position 0 (an empty change log) is written ``c0`` so that it is not read as "start
  a snapshot" again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from enturf_server.api.errors import ServiceError

_SNAPSHOT_RE = re.compile(r"s(\d{1,19}):([a-z_]{1,40}):(.{0,64})", re.DOTALL)
_SEQ_RE = re.compile(r"c?(\d{1,19})")
MAX_SEQ = 2**63 - 1  # change-log positions and row ids are 64-bit


@dataclass(frozen=True)
class SnapshotPosition:
    seq: int
    entity: str
    after: str | None


@dataclass(frozen=True)
class Cursor:
    """Exactly one of: `start` (a new snapshot), `snapshot` (paging one), `seq`."""

    start: bool = False
    snapshot: SnapshotPosition | None = None
    seq: int | None = None


def parse_cursor(text: str | None) -> Cursor:
    text = (text or "0").strip()
    if text == "0":
        return Cursor(start=True)
    if (match := _SEQ_RE.fullmatch(text)) and int(match.group(1)) <= MAX_SEQ:
        return Cursor(seq=int(match.group(1)))
    if (match := _SNAPSHOT_RE.fullmatch(text)) and int(match.group(1)) <= MAX_SEQ:
        seq, entity, after = match.groups()
        return Cursor(snapshot=SnapshotPosition(int(seq), entity, after or None))
    raise invalid_cursor(text)


def is_row_id(text: str) -> bool:
    """Whether a snapshot cursor's `last id` can be the id of a row (1 .. 2**63 - 1)."""
    return text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_SEQ


def invalid_cursor(text: str) -> ServiceError:
    return ServiceError(
        "This is not a change-feed cursor; pass the `next` value of the previous page, "
        "or 0 to start from a snapshot.",
        code="invalid_cursor",
        details={"after": text[:80]},
    )


def seq_cursor(seq: int) -> str:
    return str(seq) if seq else "c0"


def snapshot_cursor(seq: int, entity: str, after: str | None) -> str:
    return f"s{seq}:{entity}:{after or ''}"
