"""Staff and role grants as the Staff tab manages them (right `manage_staff`).

Changes go to the server at once (`/api/v1/users/`, `/api/v1/roles/`, see
docs/staff-and-rights.md): they need it online and the logged-in user's session; offline
every change answers why it cannot be made. Reading works offline too: the staff this
counter knows (the synced `users`, active ones only: the server sends a deactivated user
as a delete) and the grants it goes by (`role_grants`).

Every function answers a result and never raises into the UI; each makes a few small
requests, so the UI calls them on its task runner.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from enturf_core.staff_rights import (
    LOCKED_ROLES,
    ROLE_LABELS,
    Grant,
    Right,
    StaffRole,
    staff_role,
)
from enturf_pos.models import LocalUser
from enturf_pos.models import RoleRights as RoleRightsRow
from enturf_pos.services.session import role_grants
from enturf_pos.services.session.api_client import ApiClient, ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext

log = logging.getLogger(__name__)

USERS = "/api/v1/users/"
ROLES = "/api/v1/roles/"
MAX_PAGES = 50  # 50 pages of staff is far more than any venue has

NEEDS_SERVER = "Changing staff needs the server, and this counter is offline."
NOT_SIGNED_IN = (
    "Changing staff needs the server, and you are logged in offline: log in again while "
    "the server answers."
)
OFFLINE_LIST = "Offline: the active staff this counter knows. Changing staff needs the server."


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    username: str
    first_name: str
    last_name: str
    role: str
    active: bool
    last_seen: datetime | None = None  # their last online login on this counter

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username


@dataclass(frozen=True, slots=True)
class StaffList:
    members: tuple[StaffMember, ...]
    online: bool
    message: str = ""


@dataclass(frozen=True, slots=True)
class StaffResult:
    ok: bool
    message: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GrantList:
    grants: dict[StaffRole, Grant]
    online: bool
    message: str = ""


def _seen(ctx: PosContext) -> dict[int, datetime | None]:
    with ctx.db.transaction() as session:
        return {u.id: u.last_online_login for u in session.scalars(select(LocalUser))}


def _local_staff(ctx: PosContext) -> tuple[StaffMember, ...]:
    with ctx.db.transaction() as session:
        rows = session.scalars(select(LocalUser).order_by(LocalUser.username)).all()
        members = []
        for row in rows:
            if staff_role(row.role) is None:
                continue
            first, _sep, last = (row.display_name or "").partition(" ")
            members.append(
                StaffMember(
                    row.id, row.username, first, last, row.role, row.active, row.last_online_login
                )
            )
    return tuple(members)


def _member(data: Mapping[str, Any], seen: Mapping[int, datetime | None]) -> StaffMember:
    user_id = int(data["id"])
    return StaffMember(
        id=user_id,
        username=str(data.get("username") or ""),
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
        role=str(data.get("role") or ""),
        active=bool(data.get("is_active", True)),
        last_seen=seen.get(user_id),
    )


def _pages(client: ApiClient, path: str, params: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Every item of a paginated list (DRF's `results` / `next`), or of a plain list."""
    answer = client.get(path, params=params)
    for _ in range(MAX_PAGES):
        if isinstance(answer, list):
            yield from answer
            return
        yield from answer.get("results") or ()
        following = answer.get("next")
        if not following:
            return
        if following.startswith(client.base_url):
            following = following[len(client.base_url) :]
        else:
            parts = urlsplit(following)
            following = parts.path + (f"?{parts.query}" if parts.query else "")
        answer = client.get(following)


def _client(ctx: PosContext) -> tuple[ApiClient | None, str]:
    client = ctx.user_client()
    return (client, "") if client is not None else (None, NOT_SIGNED_IN)


def list_staff(*, ctx: PosContext) -> StaffList:
    """The server's staff when it answers (deactivated ones too), else this counter's."""
    client, _why = _client(ctx)
    if client is None:
        return StaffList(_local_staff(ctx), online=False, message=OFFLINE_LIST)
    seen = _seen(ctx)
    try:
        members = [_member(d, seen) for d in _pages(client, USERS, {"page_size": 200})]
    except ServerUnreachable:
        return StaffList(_local_staff(ctx), online=False, message=OFFLINE_LIST)
    except (ApiError, KeyError, TypeError, ValueError) as exc:
        log.warning("the staff list could not be read: %s", exc)
        message = exc.message if isinstance(exc, ApiError) else "unreadable answer"
        return StaffList(
            _local_staff(ctx), online=False, message=f"{OFFLINE_LIST} (The server: {message})"
        )
    finally:
        client.close()
    staff = tuple(
        sorted(
            (m for m in members if staff_role(m.role) is not None),
            key=lambda m: (not m.active, m.username.lower()),
        )
    )
    return StaffList(staff, online=True)


def _change(ctx: PosContext, method: str, path: str, body: Any, done: str) -> StaffResult:
    client, why = _client(ctx)
    if client is None:
        return StaffResult(False, why)
    try:
        answer = client.request(method, path, json=body)
    except ServerUnreachable as exc:
        return StaffResult(False, f"{exc.message} {NEEDS_SERVER}")
    except ApiError as exc:
        return StaffResult(False, exc.message)
    finally:
        client.close()
    return StaffResult(True, done, answer if isinstance(answer, dict) else {})


def add_staff(
    *,
    ctx: PosContext,
    username: str,
    first_name: str,
    last_name: str,
    role: StaffRole,
    password: str,
) -> StaffResult:
    body = {
        "username": username.strip(),
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "role": StaffRole(role).value,
        "password": password,
    }
    return _change(ctx, "POST", USERS, body, f"{username.strip()} can now log in.")


def change_role(*, ctx: PosContext, member: StaffMember, role: StaffRole) -> StaffResult:
    role = StaffRole(role)  # a plain str after a Qt signal
    done = f"{member.name} is now {ROLE_LABELS[role]}."
    return _change(ctx, "PATCH", f"{USERS}{member.id}/", {"role": role.value}, done)


def set_active(*, ctx: PosContext, member: StaffMember, active: bool) -> StaffResult:
    if active:
        done = f"{member.name} can log in again."
        return _change(ctx, "POST", f"{USERS}{member.id}/reactivate/", None, done)
    done = f"{member.name} is deactivated: their sessions ended and they cannot log in."
    return _change(ctx, "POST", f"{USERS}{member.id}/deactivate/", None, done)


def reset_password(*, ctx: PosContext, member: StaffMember, password: str) -> StaffResult:
    done = f"{member.name}'s password is reset; they use the new one from now on."
    return _change(ctx, "POST", f"{USERS}{member.id}/reset-password/", {"password": password}, done)


# -- role grants ---------------------------------------------------------------------------


def list_grants(*, ctx: PosContext) -> GrantList:
    """The grants as the server has them when it answers, else as this counter knows them."""
    client, _why = _client(ctx)
    local = role_grants.all_grants(ctx=ctx)
    if client is None:
        return GrantList(local, online=False, message=NOT_SIGNED_IN)
    try:
        answer = client.get(ROLES)
        items = answer if isinstance(answer, list) else answer.get("results") or []
        grants = dict(local)
        for item in items:
            grant = Grant.from_wire(item)
            grants[grant.role] = grant
    except ServerUnreachable:
        return GrantList(local, online=False, message=NEEDS_SERVER)
    except (ApiError, KeyError, TypeError, ValueError) as exc:
        message = exc.message if isinstance(exc, ApiError) else "unreadable answer"
        return GrantList(local, online=False, message=f"The server: {message}")
    finally:
        client.close()
    return GrantList(grants, online=True)


def save_grant(
    *, ctx: PosContext, role: StaffRole, rights: Iterable[Right], refund_limit_cents: int | None
) -> StaffResult:
    """`PUT /roles/{role}/`; the answer is kept here at once (the feed brings the same)."""
    if role in LOCKED_ROLES:
        return StaffResult(False, "The administrator role always has every right.")
    body = {"rights": sorted(r.value for r in rights), "refund_limit_cents": refund_limit_cents}
    result = _change(ctx, "PUT", f"{ROLES}{role.value}/", body, f"{ROLE_LABELS[role]}: saved.")
    if result.ok and result.data:
        _keep(ctx, result.data)
    return result


def _keep(ctx: PosContext, item: Mapping[str, Any]) -> None:
    """The server's answer to a grant change, unless the feed already brought a newer one."""
    try:
        role, version = str(item["role"]), int(item.get("version") or 0)
    except (KeyError, TypeError, ValueError):
        return
    with ctx.db.transaction() as session:
        row = session.get(RoleRightsRow, role) or RoleRightsRow(role=role, version=-1)
        if row.version is not None and row.version > version:
            return
        row.rights = list(item.get("rights") or [])
        row.refund_limit_cents = item.get("refund_limit_cents")
        row.version = version
        session.add(row)
