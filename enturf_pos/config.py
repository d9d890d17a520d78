"""The POS's configuration: environment variables with working defaults.

ENTURF_POS_DATA_DIR        local database folder (default: the user's data folder,
                           e.g. ~/.local/share/enturf-pos on Linux)
ENTURF_POS_LOCK_AFTER      seconds without input before the screen locks (default 300;
                           0 turns the lock off)
ENTURF_POS_PING_INTERVAL   seconds between reachability checks of the server (default 15)
ENTURF_POS_SYNC_INTERVAL   seconds between syncs while someone is logged in (default 15)
ENTURF_POS_SYNC_MAX_BACKOFF  longest wait between sync attempts while the server is
                           unreachable (default 60; the wait doubles from the interval)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "enturf-pos"


def default_data_dir() -> Path:
    if env := os.environ.get("ENTURF_POS_DATA_DIR"):
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise SystemExit(f"{name} must not be negative")
    return value


@dataclass(frozen=True, slots=True)
class PosConfig:
    data_dir: Path
    lock_after_seconds: float = 300.0
    ping_interval_seconds: float = 15.0
    sync_interval_seconds: float = 15.0
    sync_max_backoff_seconds: float = 60.0

    @property
    def database_path(self) -> Path:
        return self.data_dir / "enturf-pos.sqlite3"

    @classmethod
    def from_env(cls, data_dir: str | Path | None = None) -> PosConfig:
        return cls(
            data_dir=Path(data_dir).expanduser() if data_dir else default_data_dir(),
            lock_after_seconds=_number("ENTURF_POS_LOCK_AFTER", 300.0),
            ping_interval_seconds=max(1.0, _number("ENTURF_POS_PING_INTERVAL", 15.0)),
            sync_interval_seconds=max(1.0, _number("ENTURF_POS_SYNC_INTERVAL", 15.0)),
            sync_max_backoff_seconds=max(1.0, _number("ENTURF_POS_SYNC_MAX_BACKOFF", 60.0)),
        )
