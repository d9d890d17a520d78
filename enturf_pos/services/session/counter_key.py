"""This counter's key for its local hashes (offline login, unlock password and PIN,
sealed approval keys): 32 random bytes in the OS keyring (`Secret.LOCAL_HASH_KEY`),
never in the database.

Made at the first online login or PIN set on this counter (or when an older hash is
upgraded). A keyring that lost it (reset, or the database copied to another computer)
makes every keyed hash unusable here: offline login, unlocking and the PIN refuse with
`MISSING` / `MISSING_LOCKED` until the user signs in online, which makes a new key.

`verify` checks a user's stored hash and replaces one made before the key (or with other
scrypt costs) after a right answer, so an update locks nobody out.
"""

from __future__ import annotations

import base64
import binascii
import os
from typing import Literal

from enturf_pos.models import LocalUser
from enturf_pos.services.session import local_password
from enturf_pos.services.session.local_password import Checked
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret

KEY_BYTES = 32

MISSING = (
    "This counter cannot check passwords offline: its key is missing from this "
    "computer's keyring (the keyring was reset, or this data comes from another computer). "
    "Sign in online while the server is reachable to set it up again."
)
MISSING_LOCKED = (
    "This counter cannot check your password or PIN by itself: its key is missing from "
    "this computer's keyring. Choose Log out (switch user) and sign in online."
)

HashColumn = Literal["password_hash", "pin_hash"]


def current(ctx: PosContext) -> bytes | None:
    """The counter key, or None when this keyring holds none (or an unreadable one)."""
    stored = ctx.secrets.get(Secret.LOCAL_HASH_KEY)
    if not stored:
        return None
    try:
        key = base64.b64decode(stored, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == KEY_BYTES else None


def ensure(ctx: PosContext) -> bytes:
    """The counter key, made and put in the keyring when there is none."""
    key = current(ctx)
    if key is None:
        key = os.urandom(KEY_BYTES)
        ctx.secrets.set(Secret.LOCAL_HASH_KEY, base64.b64encode(key).decode("ascii"))
    return key


def new_hash(ctx: PosContext, password: str) -> str:
    return local_password.hash_password(password, ensure(ctx))


def unusable(ctx: PosContext, encoded: str | None) -> bool:
    """Whether `encoded` was made under a counter key this keyring does not hold."""
    return local_password.needs_other_key(encoded, current(ctx))


def verify(ctx: PosContext, user_id: int, column: HashColumn, password: str) -> Checked:
    """`password` against the user's `column` hash; upgrades it after a right answer."""
    with ctx.db.transaction() as session:
        row = session.get(LocalUser, user_id)
        stored = getattr(row, column) if row is not None else None
    checked = local_password.check_password(password, stored, current(ctx))
    if checked.right and checked.upgrade:
        upgraded = new_hash(ctx, password)
        with ctx.db.transaction() as session:
            row = session.get(LocalUser, user_id)
            if row is not None and getattr(row, column) == stored:  # not changed meanwhile
                setattr(row, column, upgraded)
    return checked
