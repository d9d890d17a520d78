"""Approvals made at a counter, online or offline, checked by the server.

A staff user who may approve something (:func:`may_approve`: a holder of a right some
approval kind needs, `KIND_RIGHTS`) and logs in online on a counter gets an approval key
for that counter: the counter generates an Ed25519 key pair, keeps the private half
encrypted with a key derived from the user's password, and registers the public half here
(:func:`register_key`, over the user's own session bound to that counter). An approval
(a Z close above the threshold, a supervisor override) carries a signed statement of what
was approved (`enturf_core.approvals`); :func:`verify` checks it for the op it came with
and records it, so each approval is used once.

Who approved is who holds the key, i.e. who knows the password: never a name in a body.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from enturf_core.approvals import InvalidApproval, parse_proof, verify_signature
from enturf_core.staff_rights import RIGHT_LABELS, Right
from enturf_core.ticket_codes import PublicKeyInfo
from enturf_core.wire.ops import DOOR_OVERRIDE
from enturf_server.accounts.models import Approval, ApprovalKey, Device, User
from enturf_server.accounts.rights import has_right, refund_limit_cents
from enturf_server.api.errors import Conflict, Forbidden, ServiceError
from enturf_server.audit.services import record

# an offline counter's clock may run a little ahead of the server's
CLOCK_SKEW = timedelta(minutes=10)


# The right whose holders may approve each kind (refunds: with a limit covering the amount).
KIND_RIGHTS: dict[str, Right] = {
    "refund": Right.REFUND,
    "price_override": Right.OVERRIDE_PRICE,
    "shift_close": Right.CLOSE_WITH_DIFFERENCE,
    DOOR_OVERRIDE: Right.DOOR_OVERRIDE,
}


def may_approve(user) -> bool:
    """Whether `user` may approve some kind, and so have approval keys: they hold a right
    of `KIND_RIGHTS`, the refund right only without a cap (a capped refunder cannot lift
    another's cap)."""
    for right in KIND_RIGHTS.values():
        if right is Right.REFUND:
            if has_right(user, right) and refund_limit_cents(user) is None:
                return True
        elif has_right(user, right):
            return True
    return False


class ApprovalRefused(ServiceError):
    """The proof does not show the approval it claims; `code` says why."""

    status_code = 403
    code = "approval_invalid"


def register_key(*, user: User, device: Device, token, public_key: str) -> ApprovalKey:
    """Register an approver's approval key for the counter their session is bound to.
    Refused with `not_admin` (the code older counters know) to who may approve nothing."""
    if not may_approve(user):
        raise Forbidden(
            "Only staff who may approve something (a refund above a limit, a price override, "
            "a shift's difference, a door override) have approval keys.",
            code="not_admin",
        )
    if device is None or token is None or token.device_id != device.pk:
        raise Forbidden(
            "Register an approval key with a session opened on this counter (log in here "
            "with the counter's device header).",
            code="device_session_required",
        )
    try:
        info = PublicKeyInfo.from_base64(public_key)
    except (ValueError, TypeError):
        raise ServiceError(
            "public_key must be an Ed25519 public key: 32 bytes in base64url without padding.",
            code="invalid_public_key",
        ) from None
    existing = ApprovalKey.objects.filter(key_id=info.key_id).first()
    if existing is not None:
        if (existing.user_id, existing.device_id) != (user.pk, device.pk):
            raise Conflict("This key is registered to someone else.", code="key_in_use")
        if existing.revoked_at is not None:
            raise Conflict("This key was revoked; generate a new one.", code="key_revoked")
        return existing
    with transaction.atomic():
        key = ApprovalKey.objects.create(
            user=user, device=device, key_id=info.key_id, public_key=info.public_key_base64()
        )
        record(
            actor=user,
            action="approval_key.register",
            obj=key,
            device=device,
            details={"key_id": key.key_id},
        )
    return key


def revoke_keys(*, user: User) -> int:
    """A changed password revokes the user's keys (they were unlocked by the old one)."""
    return ApprovalKey.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def verify(
    *,
    proof: object,
    kind: str,
    subject: str,
    figures: Mapping[str, str],
    device: Device,
    amount_cents: int | None = None,
) -> Approval:
    """The verified approval of `kind` on `subject` with exactly these `figures`, made on
    `device` by a user who still holds the right the kind needs (`KIND_RIGHTS`; a refund's
    approver with a limit covering `amount_cents`). Records it (used once) in the caller's
    transaction; raises ApprovalRefused otherwise."""
    right = KIND_RIGHTS[kind]
    try:
        statement, key_id, signature = parse_proof(proof)
    except InvalidApproval as exc:
        raise ApprovalRefused(str(exc), code="approval_malformed") from None
    key = ApprovalKey.objects.select_related("user").filter(key_id=key_id).first()
    if key is None or key.revoked_at is not None:
        raise ApprovalRefused(
            "The approval was signed with a key the server does not know or has revoked.",
            code="approval_key_unknown",
        )
    if key.device_id != getattr(device, "pk", None) or statement.device != key.device_id:
        raise ApprovalRefused(
            "The approval was signed on another counter.", code="approval_other_device"
        )
    if statement.approver != key.user_id:
        raise ApprovalRefused(
            "The approval names another approver than its key's.", code="approval_mismatch"
        )
    try:
        verify_signature(statement, signature, key.public_key)
    except InvalidApproval as exc:
        raise ApprovalRefused(str(exc), code="approval_bad_signature") from None
    if (statement.kind, statement.subject) != (kind, subject) or dict(statement.figures) != dict(
        figures
    ):
        raise ApprovalRefused(
            f"The approval is for {statement.kind} {statement.subject} with "
            f"{dict(statement.figures)}, not for {kind} {subject} with {dict(figures)}.",
            code="approval_mismatch",
        )
    if statement.at > timezone.now() + CLOCK_SKEW:
        raise ApprovalRefused("The approval is dated in the future.", code="approval_mismatch")
    approver = key.user
    if not has_right(approver, right, amount_cents=amount_cents):
        limit = refund_limit_cents(approver) if right is Right.REFUND else None
        why = (
            f"may refund at most {limit / 100:.2f} without an approval"
            if limit is not None and has_right(approver, right)
            else f"lacks the right “{RIGHT_LABELS[right]}”"
        )
        message = f"{approver.username} may not approve this: their role {why}."
        if not approver.is_active:
            message = f"{approver.username} is no longer active staff and may not approve this."
        raise ApprovalRefused(
            message,
            code="approver_not_admin",  # the code older counters know
            details={"right": right.value},
        )
    try:
        with transaction.atomic():
            approval = Approval.objects.create(
                nonce=statement.nonce,
                kind=kind,
                subject=subject,
                figures=dict(figures),
                approver=approver,
                device=device,
                key=key,
                signed_at=statement.at,
                statement=statement.as_json(),
                signature=str(proof["signature"]),  # type: ignore[index]
            )
    except IntegrityError:
        raise ApprovalRefused("This approval was used already.", code="approval_used") from None
    return approval
