"""The sync's own key-value state in `sync_state`: the change-feed cursor."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from enturf_pos.models import SyncStateEntry

CURSOR_KEY = "changes_cursor"  # also cleared by device_service on a new registration
START = "0"


def get_value(session: Session, key: str, default: Any = None) -> Any:
    entry = session.get(SyncStateEntry, key)
    return default if entry is None else entry.value


def set_value(session: Session, key: str, value: Any) -> None:
    entry = session.get(SyncStateEntry, key)
    if entry is None:
        session.add(SyncStateEntry(key=key, value=value))
    else:
        entry.value = value


def cursor(session: Session) -> str:
    return str(get_value(session, CURSOR_KEY, START) or START)


def set_cursor(session: Session, value: str) -> None:
    set_value(session, CURSOR_KEY, value)
