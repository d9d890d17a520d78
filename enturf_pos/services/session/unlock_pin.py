"""A short PIN that unlocks this counter's lock screen for the user who locked it.

* A signed-in user sets a PIN of 4 to 8 digits on this counter ("Set unlock PIN…"). Only
  its hash is kept (`local_password`: scrypt keyed with the counter key of the OS keyring,
  `counter_key`), in the local `users` row; it never leaves the counter and works
  offline. A copied database alone cannot be searched for it: that needs the key too.
  Without the key (keyring reset, data moved) the PIN is refused, saying to sign in online.
* Only someone who has logged in online on this counter (so has a local password hash)
  can have one; a PIN never unlocks another user's session (the lock screen asks for the
  locked session's user only).
* After `MAX_FAILURES` wrong PINs in a row PIN unlock is off until that user's password
  is used (unlock or login), which resets the count (`auth_service`).

Every function answers a result and never raises into the UI; the scrypt checks take a
moment, so the UI calls them on its task runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from enturf_pos.models import LocalUser
from enturf_pos.services.session import counter_key
from enturf_pos.services.session.auth_service import CurrentUser, LoginCode, LoginResult
from enturf_pos.services.session.local_password import Verdict
from enturf_pos.services.session.pos_context import PosContext

MIN_DIGITS, MAX_DIGITS = 4, 8
MAX_FAILURES = 5

BAD_FORMAT = f"A PIN is {MIN_DIGITS} to {MAX_DIGITS} digits."
NOT_SAME = "The two PINs differ: type the same PIN twice."
NEVER_HERE = (
    "A PIN can only be set by someone who has logged in on this counter while it was online."
)
NO_PIN = "You have no unlock PIN on this counter: use your password."
LOCKED_OUT = (
    f"PIN unlock is off after {MAX_FAILURES} wrong PINs in a row: unlock with your password."
)
WRONG_PIN = "Wrong PIN."


@dataclass(frozen=True, slots=True)
class PinState:
    """Whether the lock screen offers PIN unlock to this user, and if not, why."""

    usable: bool
    reason: str = ""


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS


def set_pin(*, ctx: PosContext, user: CurrentUser, pin: str, again: str) -> LoginResult:
    if not valid_pin(pin):
        return LoginResult(False, BAD_FORMAT)
    if pin != again:
        return LoginResult(False, NOT_SAME)
    pin_hash = counter_key.new_hash(ctx, pin)
    with ctx.db.transaction() as session:
        row = session.get(LocalUser, user.id)
        if row is None or not row.password_hash or row.last_online_login is None:
            return LoginResult(False, NEVER_HERE)
        row.pin_hash = pin_hash
        row.pin_set_at = datetime.now(UTC)
        row.pin_failures = 0
    return LoginResult(True, "Your unlock PIN is set on this counter.", user)


def clear_pin(*, ctx: PosContext, user: CurrentUser) -> None:
    with ctx.db.transaction() as session:
        row = session.get(LocalUser, user.id)
        if row is not None:
            row.pin_hash, row.pin_set_at, row.pin_failures = None, None, 0


def pin_state(*, ctx: PosContext, user: CurrentUser) -> PinState:
    with ctx.db.transaction() as session:
        row = session.get(LocalUser, user.id)
        if row is None or not row.active or not row.pin_hash:
            return PinState(False, NO_PIN)
        if row.pin_failures >= MAX_FAILURES:
            return PinState(False, LOCKED_OUT)
        stored = row.pin_hash
    if counter_key.unusable(ctx, stored):
        return PinState(False, counter_key.MISSING_LOCKED)
    return PinState(True)


def check_pin(*, ctx: PosContext, user: CurrentUser, pin: str) -> LoginResult:
    """Unlock `user`'s own session with their PIN (counts a wrong one)."""
    state = pin_state(ctx=ctx, user=user)
    if not state.usable:
        return LoginResult(False, state.reason, code=LoginCode.OFFLINE_REFUSED)
    checked = counter_key.verify(ctx, user.id, "pin_hash", pin) if valid_pin(pin) else None
    if checked is not None and checked.verdict is Verdict.NO_KEY:  # the key went meanwhile
        return LoginResult(False, counter_key.MISSING_LOCKED, code=LoginCode.OFFLINE_REFUSED)
    right = checked is not None and checked.right
    with ctx.db.transaction() as session:
        row = session.get(LocalUser, user.id)
        if right and row.pin_failures < MAX_FAILURES:  # not locked out meanwhile
            row.pin_failures = 0
            return LoginResult(True, "Unlocked.", user)
        row.pin_failures += 0 if right else 1
        left = MAX_FAILURES - row.pin_failures
    if left <= 0:
        return LoginResult(False, LOCKED_OUT, code=LoginCode.INVALID_CREDENTIALS)
    tries = "1 more try" if left == 1 else f"{left} more tries"
    return LoginResult(
        False,
        f"{WRONG_PIN} {tries} before PIN unlock turns off.",
        code=LoginCode.INVALID_CREDENTIALS,
    )
