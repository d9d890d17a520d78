"""What the server answers per push op: ``{"id", "status", "code"?, "reason"?, ...}``.

``status`` is one of :class:`PushStatus`; a refusal (``rejected``, ``conflict``) has a
``code`` to match on (e.g. ``sold_elsewhere``, ``edit_conflict``, ``invalid``) and a
``reason`` to show a person; ``retry: true`` on a rejection means "send it again later".
A ``duplicate`` repeats the first answer, with its status as ``first_status``.
"""

from __future__ import annotations

from enum import StrEnum


class PushStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    CONFLICT = "conflict"


APPLIED, DUPLICATE, REJECTED, CONFLICT = (
    PushStatus.APPLIED,
    PushStatus.DUPLICATE,
    PushStatus.REJECTED,
    PushStatus.CONFLICT,
)
