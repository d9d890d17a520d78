"""People as others read them: a user's display name (synced first and last name), never
the login name where a person reads it (reports, receipts, the shift bar)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_pos.models import LocalUser


def display_names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """Each username's display name; a user this counter does not know keeps the
    username. Empty names stay empty."""
    wanted = {u for u in usernames if u}
    known = {
        user.username: user.display_name or user.username
        for user in session.scalars(select(LocalUser).where(LocalUser.username.in_(wanted)))
    }
    return {u: known.get(u, u) for u in wanted} | {"": ""}


def display_name(session: Session, username: str) -> str:
    return display_names(session, [username])[username]
