"""Logging in and out at the counter, online and offline, and unlocking the screen.

Every function answers a result object (`ok`, `message`) and never raises into the UI.

* Online login: the server checks the password; the token goes to the secret store and
  the local user row gets a fresh hash keyed with the counter key (`counter_key`) and
  the time of this login.
* Offline login: only for a staff member who logged in online on this counter before,
  within `offline_login_days` (synced settings, default 7), against the local hash, and
  only while this keyring holds the counter key that hash was made with.
* Logout revokes the token on the server when it can, and always forgets it locally.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from enturf_core.staff_rights import DEFAULT_GRANTS, Grant, Right, StaffRole, staff_role
from enturf_pos.models import Device, LocalUser, SiteSettings
from enturf_pos.services import venue_time
from enturf_pos.services.session import approvals, counter_key, role_grants
from enturf_pos.services.session.api_client import ApiClient, ApiError, ServerUnreachable
from enturf_pos.services.session.device_service import mark_revoked
from enturf_pos.services.session.local_password import Verdict
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret

log = logging.getLogger(__name__)

STAFF_ROLES = tuple(role.value for role in StaffRole)
DEFAULT_OFFLINE_LOGIN_DAYS = 7

WRONG_PASSWORD = "Wrong username or password."
NOT_STAFF = "This account cannot use a counter: only staff members can."
DISABLED = "This account is disabled. Ask an administrator."
DEVICE_REVOKED = (
    "This counter's registration has been revoked by an administrator. Ask for a new "
    "setup code and register the counter again."
)
NOT_REGISTERED = "This counter is not registered yet."


@dataclass(slots=True)
class CurrentUser:
    """Who is signed in. Every window and panel holds this one object, so a grant changed
    on the server reaches them all once sync brings it (`follow_grant`)."""

    id: int
    username: str
    role: str
    display_name: str
    offline: bool
    grant: Grant | None = None  # their role's: at login, then as sync brings it

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

    @property
    def staff_role(self) -> StaffRole | None:
        return staff_role(self.role)

    def can(self, right: Right, amount_cents: int | None = None) -> bool:
        """Whether their role holds `right` (a refund: up to the role's limit), by the
        grant the counter had at login (the server's when synced, else the defaults)."""
        grant = self.grant
        if grant is None:
            role = self.staff_role
            grant = DEFAULT_GRANTS.get(role) if role is not None else None
        return grant is not None and grant.allows(right, amount_cents=amount_cents)

    def follow_grant(self, grant: Grant | None) -> bool:
        """Take their role's grant as the counter knows it now (sync brought a change);
        whether what they may do changed."""
        if grant is None or grant == self.grant:
            return False
        self.grant = grant
        return True


class LoginCode(StrEnum):
    """How a login or unlock ended (`LoginResult.code`); a server's refusal it does not
    know keeps the server's code as text."""

    ONLINE = "online"
    OFFLINE = "offline"
    MISSING = "missing"  # no username or password
    NOT_REGISTERED = "not_registered"
    UNREACHABLE = "unreachable"
    BAD = "bad"  # the server's answer could not be understood
    NOT_STAFF = "not_staff"
    INVALID_CREDENTIALS = "invalid_credentials"
    OFFLINE_REFUSED = "offline_refused"
    DEVICE_REVOKED = "device_revoked"  # the server no longer knows this counter
    DEVICE_UNKNOWN = "device_unknown"


@dataclass(frozen=True, slots=True)
class LoginResult:
    ok: bool
    message: str
    user: CurrentUser | None = None
    code: LoginCode | str = ""
    offline_possible: bool = False  # the server is unreachable but offline login may work


@dataclass(frozen=True, slots=True)
class LogoutResult:
    ok: bool
    message: str
    revoked: bool = True  # False: the server could not be told (the message says so)


def _now() -> datetime:
    return datetime.now(UTC)


def offline_login_days(*, ctx: PosContext) -> int:
    with ctx.db.transaction() as session:
        row = session.get(SiteSettings, 1)
        value = (row.data if row else {}).get("offline_login_days", DEFAULT_OFFLINE_LOGIN_DAYS)
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return DEFAULT_OFFLINE_LOGIN_DAYS


def _device_state(ctx: PosContext) -> tuple[bool, bool]:
    """(registered, revoked)"""
    with ctx.db.transaction() as session:
        row = session.get(Device, 1)
        return row is not None, row is not None and row.revoked_at is not None


DEVICE_REFUSALS = frozenset({LoginCode.DEVICE_REVOKED, LoginCode.DEVICE_UNKNOWN})


def _is_device_refusal(exc: ApiError) -> bool:
    return exc.code in DEVICE_REFUSALS


def _display_name(user: dict[str, Any]) -> str:
    full = f"{user.get('first_name') or ''} {user.get('last_name') or ''}".strip()
    return full or str(user.get("username") or "")


def _offline_refusal(ctx: PosContext, username: str, now: datetime) -> str | None:
    """Why offline login is impossible for `username` (None when it is possible)."""
    days = offline_login_days(ctx=ctx)
    with ctx.db.transaction() as session:
        user = session.scalar(select(LocalUser).where(LocalUser.username == username))
        if user is None or not user.password_hash or user.last_online_login is None:
            return (
                "Offline login is only possible for someone who has logged in on this "
                "counter while it was online."
            )
        if not user.active:
            return DISABLED
        if user.role not in STAFF_ROLES:
            return NOT_STAFF
        if now - user.last_online_login > timedelta(days=days):
            last = venue_time.text(user.last_online_login, "%d %b %Y")
            return (
                f"Your last online login on this counter was on {last}: offline login is "
                f"allowed for {days} days after that. Log in once while the server is reachable."
            )
        if counter_key.unusable(ctx, user.password_hash):
            return counter_key.MISSING
    return None


def login(*, ctx: PosContext, username: str, password: str) -> LoginResult:
    """Online login; when the server is unreachable says whether offline login may work."""
    username = username.strip()
    if not username or not password:
        return LoginResult(False, "Enter your username and password.", code=LoginCode.MISSING)
    registered, revoked = _device_state(ctx)
    if not registered:
        return LoginResult(False, NOT_REGISTERED, code=LoginCode.NOT_REGISTERED)
    client = ctx.api_client()
    assert client is not None
    try:
        answer = client.post(
            "/api/v1/auth/login/", {"username": username, "password": password}, authenticated=False
        )
    except ServerUnreachable as exc:
        refusal = DEVICE_REVOKED if revoked else _offline_refusal(ctx, username, _now())
        if refusal is None:
            return LoginResult(
                False,
                f"{exc.message} You can log in offline: sales are kept on this counter and "
                "sent when the server is back.",
                code=LoginCode.UNREACHABLE,
                offline_possible=True,
            )
        return LoginResult(False, f"{exc.message} {refusal}", code=LoginCode.UNREACHABLE)
    except ApiError as exc:
        return _refused(ctx, exc, username)
    finally:
        client.close()

    try:
        token = str(answer["token"])
        user = answer["user"]
        user_id, role = int(user["id"]), str(user["role"])
    except (KeyError, TypeError, ValueError):
        return LoginResult(
            False, "The server's answer could not be understood.", code=LoginCode.BAD
        )
    if role not in STAFF_ROLES:
        _revoke_quietly(ctx, token)
        return LoginResult(False, NOT_STAFF, code=LoginCode.NOT_STAFF)

    password_hash = counter_key.new_hash(ctx, password)
    now = _now()
    with ctx.db.transaction() as session:
        # Another row may hold this username (a user renamed on the server): it goes.
        clash = session.scalar(
            select(LocalUser).where(LocalUser.username == username, LocalUser.id != user_id)
        )
        if clash is not None:
            session.delete(clash)
            session.flush()
        row = session.get(LocalUser, user_id) or LocalUser(id=user_id, username=username)
        row.username = str(user.get("username") or username)
        row.role = role
        row.display_name = _display_name(user)
        row.active = True
        row.password_hash = password_hash
        row.last_online_login = now
        row.pin_failures = 0  # the password itself was used
        session.add(row)
        grant = role_grants.grant_from_answer(role, user) or role_grants.session_grant(
            session, role
        )
        current = CurrentUser(
            user_id, row.username, role, row.display_name, offline=False, grant=grant
        )
        device = session.get(Device, 1)
        if device is not None:
            device.revoked_at = None  # the server accepted this counter
            duty = (answer.get("device") or {}).get("duty")
            if duty in ("counter", "door"):  # which window this device opens
                device.duty = duty
    ctx.secrets.set(Secret.USER_TOKEN, token)
    if approvals.approves_anything(current):  # their approval key here (approvals.py)
        approvals.enrol_after_login(ctx=ctx, user_id=user_id, password=password)
    return LoginResult(True, f"Welcome, {current.display_name}.", current, code=LoginCode.ONLINE)


def _refused(ctx: PosContext, exc: ApiError, username: str) -> LoginResult:
    if _is_device_refusal(exc):
        mark_revoked(ctx=ctx)
        return LoginResult(False, DEVICE_REVOKED, code=LoginCode.DEVICE_REVOKED)
    if exc.code == "account_disabled":
        with ctx.db.transaction() as session:
            row = session.scalar(select(LocalUser).where(LocalUser.username == username))
            if row is not None:
                row.active = False  # and so no offline login either
        return LoginResult(False, DISABLED, code=exc.code)
    if exc.code in ("invalid_credentials", "authentication_failed"):
        return LoginResult(False, WRONG_PASSWORD, code=LoginCode.INVALID_CREDENTIALS)
    if exc.code == "throttled":
        wait = exc.details.get("retry_after_seconds")
        when = f"in {wait} seconds" if wait else "in a minute"
        return LoginResult(False, f"Too many login attempts. Try again {when}.", code=exc.code)
    return LoginResult(False, exc.message, code=exc.code)


def login_offline(*, ctx: PosContext, username: str, password: str) -> LoginResult:
    username = username.strip()
    registered, revoked = _device_state(ctx)
    if not registered:
        return LoginResult(False, NOT_REGISTERED, code=LoginCode.NOT_REGISTERED)
    if revoked:
        return LoginResult(False, DEVICE_REVOKED, code=LoginCode.DEVICE_REVOKED)
    refusal = _offline_refusal(ctx, username, _now())
    if refusal is not None:
        return LoginResult(False, refusal, code=LoginCode.OFFLINE_REFUSED)
    with ctx.db.transaction() as session:
        row = session.scalar(select(LocalUser).where(LocalUser.username == username))
        assert row is not None
        user = (row.id, row.username, row.role, row.display_name)
    checked = counter_key.verify(ctx, user[0], "password_hash", password)
    if checked.verdict is Verdict.NO_KEY:
        return LoginResult(False, counter_key.MISSING, code=LoginCode.OFFLINE_REFUSED)
    if not checked.right:
        return LoginResult(False, WRONG_PASSWORD, code=LoginCode.INVALID_CREDENTIALS)
    ctx.secrets.delete(Secret.USER_TOKEN)  # a stale token must not be used for this user
    with ctx.db.transaction() as session:
        session.get(LocalUser, user[0]).pin_failures = 0  # the password itself was used
    current = CurrentUser(
        *user, offline=True, grant=role_grants.session_grant_for(ctx=ctx, role=user[2])
    )
    return LoginResult(
        True,
        f"Welcome, {current.display_name or current.username}. You are working offline.",
        current,
        code=LoginCode.OFFLINE,
    )


def check_unlock(*, ctx: PosContext, user: CurrentUser, password: str) -> LoginResult:
    """Unlock the screen: the same user's password, checked against the local hash."""
    with ctx.db.transaction() as session:
        row = session.get(LocalUser, user.id)
        stored = row.password_hash if row is not None and row.active else None
    if stored is None:
        return LoginResult(False, "This account can no longer unlock the counter; log in again.")
    checked = counter_key.verify(ctx, user.id, "password_hash", password)
    if checked.verdict is Verdict.NO_KEY:
        return LoginResult(False, counter_key.MISSING_LOCKED, code=LoginCode.OFFLINE_REFUSED)
    if not checked.right:
        return LoginResult(False, "Wrong password.", code=LoginCode.INVALID_CREDENTIALS)
    with ctx.db.transaction() as session:
        session.get(LocalUser, user.id).pin_failures = 0  # PIN unlock works again
    return LoginResult(True, "Unlocked.", user)


def _revoke_quietly(ctx: PosContext, token: str) -> bool:
    client: ApiClient | None = ctx.api_client()
    if client is None:
        return False
    client.user_token = token
    try:
        client.post("/api/v1/auth/logout/")
        return True
    except ApiError as exc:
        return exc.status == 401  # already invalid on the server: as good as revoked
    except ServerUnreachable:
        return False
    finally:
        client.close()


def logout(*, ctx: PosContext) -> LogoutResult:
    """Forget the user's token here and revoke it on the server when reachable."""
    token = ctx.secrets.get(Secret.USER_TOKEN)
    ctx.secrets.delete(Secret.USER_TOKEN)
    if not token:
        return LogoutResult(True, "Logged out.")
    if _revoke_quietly(ctx, token):
        return LogoutResult(True, "Logged out.")
    return LogoutResult(
        True,
        "Logged out on this counter. The server could not be told; your session there "
        "ends when it expires.",
        revoked=False,
    )
