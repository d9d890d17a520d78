"""An approval at the counter, online or offline, with proof the server checks (a Z close
above the threshold; the same for a supervisor's override). The approver is anyone whose
role holds the right asked for (`enturf_core.staff_rights`: a refund above the cashier's
limit, a price override...); with no right named, an administrator.

* **Enrolment**: when an administrator logs in online on this counter (or approves
  online), the counter makes them an Ed25519 approval key once, seals its private half
  with AES-GCM under a key derived from their password and the counter key (keyed
  scrypt, `local_password.derive_key`; a key sealed before the counter key is sealed
  again at its next use), keeps it in `approval_keys` and registers the public half
  with the server (`POST /api/v1/auth/approval-keys/`, their session on this counter). A
  changed password makes a new key at the next online login (the server revoked the old).
* **Approving**: the admin types username and password in place. The password is checked
  by the server when it answers, else against the local hash (as offline login); then the
  sealed key is opened with it and signs the statement of what was approved
  (`enturf_core.approvals`). The proof travels with the op; the server verifies it. An
  approval that cannot be signed (no key on this counter yet) still lets the counter go
  on: the server then holds the op for an administrator's decision online.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select

from enturf_core.approvals import ApprovalStatement, sign_statement
from enturf_core.staff_rights import RIGHT_LABELS, Grant, Right, StaffRole
from enturf_core.ticket_codes import SigningKey
from enturf_pos.models import ApprovalKey, Device, LocalUser
from enturf_pos.services import venue_time
from enturf_pos.services.session import auth_service, counter_key, local_password, role_grants
from enturf_pos.services.session.api_client import ApiClient, ApiError, ServerUnreachable
from enturf_pos.services.session.local_password import Verdict
from enturf_pos.services.session.pos_context import PosContext

log = logging.getLogger(__name__)

KEYS_PATH = "/api/v1/auth/approval-keys/"
WRONG_APPROVER = "Wrong administrator username or password."
UNSIGNED = (
    "This administrator has no approval key on this counter yet (they log in here online "
    "once to get one): the server will ask an administrator to confirm online."
)


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    """What is approved: `kind` (e.g. "shift_close"), its `subject` (an id) and the
    figures the approver saw (e.g. {"difference": "-10.00"})."""

    kind: str
    subject: str
    figures: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    ok: bool
    message: str
    username: str = ""
    offline: bool = False
    proof: dict[str, Any] | None = None  # the signed approval, when one could be made
    proofs: tuple[dict[str, Any], ...] = ()  # one per request, when several were asked


# Rights an approver lends at another user's counter: who holds one gets an approval key.
APPROVING_RIGHTS = (
    Right.REFUND,
    Right.OVERRIDE_PRICE,
    Right.CASH_OUT,
    Right.CLOSE_WITH_DIFFERENCE,
    Right.DOOR_OVERRIDE,
)


def approves_anything(user: auth_service.CurrentUser) -> bool:
    """Whether the user may approve something for someone else: a right of
    `APPROVING_RIGHTS`; refunds only without a cap of their own (a capped role, such as
    the cashier's, approves no refund above the cap it shares)."""
    others = (r for r in APPROVING_RIGHTS if r is not Right.REFUND)
    uncapped = (
        user.can(Right.REFUND)
        and user.grant is not None
        and (user.grant.refund_limit_cents is None)
    )
    return uncapped or any(user.can(right) for right in others)


def _may_approve(
    grant: Grant | None, role: str, right: Right | None, amount_cents: int | None
) -> bool:
    if right is None:  # the callers that name no right: an administrator's approval
        return role == StaffRole.ADMIN
    return grant is not None and grant.allows(right, amount_cents=amount_cents)


def _not_allowed(username: str, right: Right | None, amount_cents: int | None = None) -> str:
    if right is None:
        return f"{username} is not an administrator."
    what = RIGHT_LABELS[right].lower() + (" that much" if amount_cents is not None else "")
    return (
        f"{username} may not approve this: they are not an administrator or anyone else "
        f"who may {what}."
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


# -- the sealed key ----------------------------------------------------------------------------


def _seal(ctx: PosContext, user_id: int, key: SigningKey, password: str) -> ApprovalKey:
    kdf, secret = local_password.derive_key(password, counter_key.ensure(ctx))
    nonce = os.urandom(12)
    sealed = AESGCM(secret).encrypt(
        nonce, key.to_base64().encode("ascii"), f"{user_id}:{key.key_id}".encode()
    )
    return ApprovalKey(
        user_id=user_id,
        key_id=key.key_id,
        public_key=key.public_key_base64(),
        kdf=kdf,
        sealed=_b64(nonce + sealed),
    )


def _unseal(ctx: PosContext, row: ApprovalKey, password: str) -> SigningKey | None:
    """The private key, or None when `password` (or this keyring's counter key) is not
    the one it was sealed with."""
    try:
        _kdf, secret = local_password.derive_key(password, counter_key.current(ctx), row.kdf)
        data = base64.urlsafe_b64decode(row.sealed)
        raw = AESGCM(secret).decrypt(data[:12], data[12:], f"{row.user_id}:{row.key_id}".encode())
        key = SigningKey.from_base64(raw.decode("ascii"))
    except (InvalidTag, ValueError):
        return None
    return key if key.key_id == row.key_id else None


def _stored_key(ctx: PosContext, user_id: int, password: str) -> SigningKey | None:
    with ctx.db.transaction() as session:
        row = session.get(ApprovalKey, user_id)
        if row is not None:
            session.expunge(row)
    key = _unseal(ctx, row, password) if row is not None else None
    if key is not None and not local_password.is_current(row.kdf, counter_key.ensure(ctx)):
        resealed = _seal(ctx, user_id, key, password)  # sealed before the counter key
        resealed.registered_at = row.registered_at
        _store(ctx, resealed)
    return key


def _store(ctx: PosContext, row: ApprovalKey) -> None:
    with ctx.db.transaction() as session:
        session.merge(row)


def _register(ctx: PosContext, client: ApiClient, user_id: int, key: SigningKey) -> bool:
    try:
        client.post(KEYS_PATH, {"public_key": key.public_key_base64()})
    except ApiError as exc:
        log.warning("the server refused approval key %s: %s", key.key_id, exc.message)
        return exc.code not in ("key_revoked", "key_in_use")  # False: make a new key
    except ServerUnreachable:
        return True  # registered at the next online login
    with ctx.db.transaction() as session:
        row = session.get(ApprovalKey, user_id)
        if row is not None and row.key_id == key.key_id and row.registered_at is None:
            row.registered_at = _now()
    return True


def enrol(*, ctx: PosContext, client: ApiClient, user_id: int, password: str) -> SigningKey:
    """The admin's approval key on this counter, made and registered when missing (or
    sealed with another password, or revoked); `client` carries the admin's session on
    this counter. Checks with the server at each call (one small request)."""
    key = _stored_key(ctx, user_id, password)
    if key is None or not _register(ctx, client, user_id, key):
        key = SigningKey.generate()
        _store(ctx, _seal(ctx, user_id, key, password))
        _register(ctx, client, user_id, key)
    return key


def enrol_after_login(*, ctx: PosContext, user_id: int, password: str) -> None:
    """Called after an administrator's online login on this counter; never raises."""
    client = ctx.api_client()
    if client is None:
        return
    try:
        enrol(ctx=ctx, client=client, user_id=user_id, password=password)
    except Exception:  # the login stands; the key is made at the next online approval
        log.exception("the approval key could not be prepared")
    finally:
        client.close()


# -- approving ---------------------------------------------------------------------------------


def approve(
    *,
    ctx: PosContext,
    username: str,
    password: str,
    request: ApprovalRequest | Sequence[ApprovalRequest] | None = None,
    right: Right | None = None,
    amount_cents: int | None = None,
) -> ApprovalResult:
    """Check that `username` / `password` is an active user whose role holds `right` (up
    to `amount_cents` for a refund; no right: an administrator), by the server when it
    answers, else on this counter as offline login does, and sign `request` (or each of
    several requests, with one password check: `proofs` in their order)."""
    username = (username or "").strip()
    if not username or not password:
        return ApprovalResult(False, "The approver must enter their username and password.")
    client = ctx.api_client()
    if client is not None:
        try:
            answer = client.post(
                "/api/v1/auth/login/",
                {"username": username, "password": password},
                authenticated=False,
            )
        except ServerUnreachable:
            pass  # checked on this counter below
        except ApiError as exc:
            return ApprovalResult(False, _login_refusal(exc, username))
        else:
            client.user_token = str(answer.get("token") or "")  # the approver's, revoked below
            user = answer.get("user") or {}
            try:
                role = str(user.get("role") or "")
                grant = role_grants.grant_from_answer(role, user) or role_grants.grant_for(
                    ctx=ctx, role=role
                )
                if not _may_approve(grant, role, right, amount_cents):
                    return ApprovalResult(False, _not_allowed(username, right, amount_cents))
                key = (
                    enrol(ctx=ctx, client=client, user_id=int(user["id"]), password=password)
                    if request is not None
                    else None
                )
            finally:
                _forget_token(client)
            checked = ApprovalResult(True, f"Approved by {username}.", username)
            return _signed(ctx, checked, request, int(user["id"]), key)
        finally:
            client.close()
    checked, user_id = _check_offline(ctx, username, password, right, amount_cents)
    if not checked.ok or request is None:
        return checked
    return _signed(ctx, checked, request, user_id, _stored_key(ctx, user_id, password))


def _login_refusal(exc: ApiError, username: str) -> str:
    if exc.code == "throttled":
        return "Too many attempts. Try again in a minute."
    if exc.code == "account_disabled":
        return f"{username}'s account is disabled."
    if exc.code in ("invalid_credentials", "authentication_failed"):
        return WRONG_APPROVER
    if exc.code in auth_service.DEVICE_REFUSALS:
        return auth_service.DEVICE_REVOKED
    return f"The server could not check the password: {exc.message}"


def _forget_token(client: ApiClient) -> None:
    """The approval needed no session: revoke the token it created at once."""
    if not client.user_token:
        return
    try:
        client.post("/api/v1/auth/logout/")
    except (ApiError, ServerUnreachable):
        log.info("the approver's token could not be revoked; it expires on its own")


def _check_offline(
    ctx: PosContext, username: str, password: str, right: Right | None, amount_cents: int | None
) -> tuple[ApprovalResult, int]:
    days = auth_service.offline_login_days(ctx=ctx)
    with ctx.db.transaction() as session:
        user = session.scalar(select(LocalUser).where(LocalUser.username == username))
        stored = user.password_hash if user is not None else None
        user_role, active = (user.role, user.active) if user is not None else ("", False)
        last = user.last_online_login if user is not None else None
        user_id = user.id if user is not None else 0
    known = bool(stored) and last is not None
    verdict = (
        counter_key.verify(ctx, user_id, "password_hash", password).verdict
        if known
        else Verdict.WRONG
    )
    if not known:
        message = (
            "The server cannot be reached, and this administrator has not logged in on this "
            "counter before, so their password cannot be checked here."
        )
    elif verdict is Verdict.NO_KEY:
        message = (
            f"The server cannot be reached, and this counter cannot check {username}'s "
            "password by itself: its key is missing from this computer's keyring. Approve "
            "once the server is reachable."
        )
    elif verdict is not Verdict.RIGHT:
        message = WRONG_APPROVER
    elif not active:
        message = f"{username}'s account is disabled."
    elif not _may_approve(
        role_grants.grant_for(ctx=ctx, role=user_role), user_role, right, amount_cents
    ):
        message = _not_allowed(username, right, amount_cents)
    elif _now() - last > timedelta(days=days):
        message = (
            f"The server cannot be reached and {username} last logged in on this counter "
            f"on {venue_time.text(last, '%d %b %Y')}, more than {days} days ago."
        )
    else:
        approved = f"Approved by {username} (checked on this counter)."
        return ApprovalResult(True, approved, username, True), user_id
    return ApprovalResult(False, message), user_id


def _signed(
    ctx: PosContext,
    checked: ApprovalResult,
    request: ApprovalRequest | Sequence[ApprovalRequest] | None,
    user_id: int,
    key: SigningKey | None,
) -> ApprovalResult:
    if request is None:
        return checked
    requests = [request] if isinstance(request, ApprovalRequest) else list(request)
    with ctx.db.transaction() as session:
        device_id = session.scalar(select(Device.device_id).where(Device.id == 1))
    if key is None or not device_id or not requests:
        return replace(checked, message=f"{checked.message} {UNSIGNED}")
    at = _now()
    proofs = tuple(
        sign_statement(
            ApprovalStatement(
                kind=r.kind,
                subject=r.subject,
                figures=dict(r.figures),
                approver=user_id,
                device=int(device_id),
                at=at,
            ),
            key,
        )
        for r in requests
    )
    return replace(checked, proof=proofs[0], proofs=proofs)
