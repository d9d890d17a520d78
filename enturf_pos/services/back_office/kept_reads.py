"""A back-office read from the server that the counter keeps for offline use: GET it with
the signed-in user's token, store it in `sync_state` with the time it was fetched, or
say why there is nothing new (the caller then shows what it kept last)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_state_store


@dataclass(frozen=True)
class Unread:
    """Why the server gave nothing: `offline` when it could not be reached."""

    message: str
    offline: bool = False


def get_and_keep(
    ctx: PosContext,
    path: str,
    params: dict[str, str],
    cache_key: str,
    keep: dict[str, Any] | None = None,
) -> tuple[Any, datetime] | Unread:
    """Run off the UI thread: the answer and its time, kept under `cache_key` (with
    `keep` beside it), or why there is none."""
    client = ctx.user_client()
    if client is None:
        return Unread("Not connected to the server.", offline=True)
    try:
        data = client.request("GET", path, params=params)
    except ServerUnreachable as exc:
        return Unread(exc.message, offline=True)
    except ApiError as exc:
        return Unread(exc.message)
    finally:
        client.close()
    fetched = datetime.now(UTC)
    with ctx.db.transaction() as session:
        kept = {"fetched": fetched.isoformat(), **(keep or {}), "data": data}
        sync_state_store.set_value(session, cache_key, kept)
    return data, fetched
