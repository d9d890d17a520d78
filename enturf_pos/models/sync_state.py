"""What sync needs locally: the outbox of operations to push, cursors, synced settings."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from enturf_pos.models.base import Base
from enturf_pos.models.column_types import (
    JsonDict,
    created_now,
    json_dict,
    updated_now,
    uuid_pk,
    version_counter,
)


class OutboxState(StrEnum):
    PENDING = "pending"  # not yet accepted by the server (new, or retrying)
    APPLIED = "applied"  # the server applied it (or had already: duplicate)
    CONFLICT = "conflict"  # the server has other values for the same fields: a person decides
    REJECTED = "rejected"  # the server refused it for good; `last_error` says why
    RESOLVED = "resolved"  # a conflict or refusal the manager has dealt with (kept as a record)


class OutboxOp(Base):
    """One local change waiting to be pushed (`POST /api/v1/sync/push/`).

    Written in the same transaction as the local change it describes, so a change is
    never stored without its op nor an op without its change. `id` is the op's identity
    on the server too: a replay answers the first result.
    """

    __tablename__ = "outbox"

    id: Mapped[uuid_pk]
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[json_dict]
    base_version: Mapped[int | None]
    base: Mapped[JsonDict | None]
    created_at: Mapped[created_now] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.PENDING, index=True)
    result: Mapped[JsonDict | None] = mapped_column(doc="the server's answer, once it gave one")
    undo: Mapped[JsonDict | None] = mapped_column(
        doc="local only, never sent: what to put back here if the server refuses the op"
    )


class SyncStateEntry(Base):
    """Key-value state: the change-feed cursor, time of the last good sync, install id."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[updated_now]


class SiteSettings(Base):
    """The venue's settings as synced from the server (entity "settings"), one row."""

    __tablename__ = "site_settings"

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    data: Mapped[json_dict]
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]
