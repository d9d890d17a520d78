"""Shifts: open with a counted float, cash in / out, Z close. Idempotent by the counter's ids.

Each function runs inside the caller's transaction (the push op's savepoint) and writes an
audit entry for every drawer movement and close. A closed shift never changes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from enturf_core.staff_rights import Right
from enturf_server.accounts import approvals
from enturf_server.accounts.models import Approval, SiteSettings, User
from enturf_server.accounts.rights import ensure_right
from enturf_server.api.errors import Conflict, NotFound, ServiceError
from enturf_server.audit.services import record
from enturf_server.shifts.figures import ZERO, server_figures
from enturf_server.shifts.models import (
    ApprovalStatus,
    DrawerMovement,
    MovementKind,
    Shift,
    ShiftState,
)

# the opening float is a movement too; its id follows from the shift's
_FLOAT_NAMESPACE = uuid.UUID("6d1f7a4e-2c1b-4d0e-9a57-5b0f3c7e2a10")


def float_movement_id(shift_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(_FLOAT_NAMESPACE, str(shift_id))


@dataclass(frozen=True)
class Outcome:
    shift: Shift
    created: bool
    movement: DrawerMovement | None = None


def _locked_shift(shift_id: uuid.UUID, device) -> Shift:
    shift = Shift.objects.select_for_update().filter(pk=shift_id).first()
    if shift is None:
        raise NotFound(
            f"Shift {shift_id} is not known to the server; its opening must be sent first.",
            code="unknown_shift",
        )
    if shift.device_id != getattr(device, "pk", None):
        raise Conflict("This shift belongs to another counter.", code="shift_of_other_device")
    return shift


def open_shift(
    *,
    device,
    shift_id: uuid.UUID,
    cashier: User,
    opened_at: datetime,
    opening_float: Decimal,
    currency: str,
    claim: dict[str, Any] | None = None,
) -> Outcome:
    """Record a shift opened at `device` by `cashier` (the authenticated user); the float is
    its first drawer movement. `claim`: audit details of who the counter named instead."""
    currency = currency.upper()
    existing = Shift.objects.filter(pk=shift_id).first()
    if existing is not None:
        if existing.device_id != getattr(device, "pk", None):
            raise Conflict("Another counter already has a shift with this id.", code="id_taken")
        return Outcome(existing, created=False)
    ensure_right(cashier, Right.SELL, "open a shift at a counter")
    site_currency = SiteSettings.load().currency
    if currency != site_currency:
        raise ServiceError(
            f"The drawer counts in {site_currency}, not {currency}.", code="currency_mismatch"
        )
    with transaction.atomic():
        shift = Shift.objects.create(
            id=shift_id,
            device=device,
            cashier=cashier,
            opened_at=opened_at,
            opening_float=opening_float,
            currency=currency,
        )
        movement = DrawerMovement.objects.create(
            id=float_movement_id(shift_id),
            shift=shift,
            kind=MovementKind.FLOAT,
            amount=opening_float,
            reason="opening float",
            at=opened_at,
            user=cashier,
        )
        record(
            actor=cashier,
            action="shift.open",
            obj=shift,
            device=device,
            details={
                "opening_float": str(opening_float),
                "currency": currency,
                **(claim or {}),
            },
        )
        _record_movement(movement, device, claim)
    return Outcome(shift, created=True, movement=movement)


def _record_movement(movement: DrawerMovement, device, claim: dict[str, Any] | None) -> None:
    record(
        actor=movement.user,
        action=f"drawer.{movement.kind}",
        obj=movement,
        device=device,
        details={
            "shift": str(movement.shift_id),
            "amount": str(movement.amount),
            "reason": movement.reason,
            "at": movement.at.isoformat(),
            **(claim or {}),
        },
    )


def record_movement(
    *,
    device,
    movement_id: uuid.UUID,
    shift_id: uuid.UUID,
    kind: str,
    amount: Decimal,
    reason: str,
    at: datetime,
    user: User,
    claim: dict[str, Any] | None = None,
) -> Outcome:
    """Cash put into (`cash_in`) or taken out of (`cash_out`) an open shift's drawer by
    `user` (the authenticated user); `claim`: audit details of who the counter named."""
    existing = DrawerMovement.objects.select_related("shift").filter(pk=movement_id).first()
    if existing is not None:
        if existing.shift_id != shift_id or existing.shift.device_id != getattr(device, "pk", None):
            raise Conflict("This movement id is already used.", code="id_taken")
        return Outcome(existing.shift, created=False, movement=existing)
    if kind not in (MovementKind.CASH_IN, MovementKind.CASH_OUT):
        raise ServiceError(
            "A drawer movement is cash_in or cash_out; the float is set when the shift opens.",
            code="invalid_kind",
        )
    ensure_right(user, Right.SELL, "move cash in a counter's drawer")
    if kind == MovementKind.CASH_OUT:
        ensure_right(user, Right.CASH_OUT, "take cash out of the drawer")
    if amount <= ZERO:
        raise ServiceError("A drawer movement moves more than nothing.", code="invalid_amount")
    if not reason.strip():
        raise ServiceError("Cash in and out need a reason.", code="reason_required")
    with transaction.atomic():
        shift = _locked_shift(shift_id, device)
        _ensure_open(shift)
        movement = DrawerMovement.objects.create(
            id=movement_id, shift=shift, kind=kind, amount=amount, reason=reason, at=at, user=user
        )
        shift.version += 1
        shift.save(update_fields=["version", "updated_at"])
        _record_movement(movement, device, claim)
    return Outcome(shift, created=True, movement=movement)


def _ensure_open(shift: Shift) -> None:
    if shift.state != ShiftState.OPEN:
        raise Conflict(
            f"The shift was closed at {shift.closed_at:%Y-%m-%d %H:%M}; it cannot change.",
            code="shift_closed",
        )


CLOSE_APPROVAL_KIND = "shift_close"


def close_figures(difference: Decimal) -> dict[str, str]:
    """What an approval of a Z close signs: the counter's difference."""
    return {"difference": f"{difference:.2f}"}


def _close_approval(
    *, proof: Any, claimed: str | None, shift: Shift, difference: Decimal, device, needed: bool
) -> tuple[Approval | None, list[str]]:
    """The verified approval of this close, if its proof holds, and notes on why not."""
    notes = []
    if proof is not None:
        try:
            approval = approvals.verify(
                proof=proof,
                kind=CLOSE_APPROVAL_KIND,
                subject=str(shift.pk),
                figures=close_figures(difference),
                device=device,
            )
        except approvals.ApprovalRefused as exc:
            notes.append(f"The approval sent with the close was not accepted: {exc.message}")
        else:
            return approval, notes
    elif claimed:
        notes.append(
            f"The counter named {claimed!r} as approver without a signed approval; "
            "the server does not take a name for an approval."
        )
    if needed:
        notes.append(
            "An administrator must approve this difference online "
            f"(POST /api/v1/shifts/{shift.pk}/approve/)."
        )
    return None, notes


def close_shift(
    *,
    device,
    shift_id: uuid.UUID,
    closed_at: datetime,
    counted: dict[str, Decimal],
    report: dict[str, Any],
    difference: Decimal,
    approval: Any = None,
    approved_by: str | None = None,
    actor: User,
) -> Outcome:
    """The Z close: the counter's counted amounts and report, checked against the server's.

    A difference above the settings' threshold needs an administrator's approval: a signed
    one (`approval`, checked by accounts.approvals) made at the counter, else the close is
    recorded all the same and waits for an administrator's decision online
    (`approval_status` awaiting_admin, :func:`approve_close`). `approved_by` is only the
    name the counter showed; it proves nothing. A repeated close of the same shift at the
    same time is a replay.
    """
    with transaction.atomic():
        shift = _locked_shift(shift_id, device)
        if shift.state == ShiftState.CLOSED:
            if shift.closed_at == closed_at:
                return Outcome(shift, created=False)
            _ensure_open(shift)
        if closed_at < shift.opened_at:
            raise ServiceError("A shift cannot close before it opened.", code="invalid_closed_at")
        threshold = SiteSettings.load().shift_difference_threshold
        needed = abs(difference) > threshold
        approved, approval_notes = _close_approval(
            proof=approval,
            claimed=approved_by,
            shift=shift,
            difference=difference,
            device=device,
            needed=needed,
        )
        approver = approved.approver if approved else None
        figures = server_figures(shift=shift, until=closed_at)
        counter_expected = {m: Decimal(str(v)) for m, v in report.get("expected", {}).items()}
        server_difference = sum(counted.values(), ZERO) - sum(figures.expected.values(), ZERO)
        notes = []
        if any(
            counter_expected.get(m, ZERO) != figures.expected.get(m, ZERO)
            for m in set(counter_expected) | set(figures.expected)
        ):
            notes.append(
                "The server's expected amounts differ from the counter's (sales or refunds "
                "not pushed yet, or made under another login)."
            )
        if abs(server_difference) > threshold and approved is None:
            notes.append(
                f"By the server's figures the difference is {server_difference}, above the "
                f"threshold of {threshold}."
            )
        notes.extend(approval_notes)
        if approved is not None:
            shift.approval_status = ApprovalStatus.SIGNED
            shift.approval, shift.approved_at = approved, approved.signed_at
        else:
            shift.approval_status = ApprovalStatus.AWAITING if needed else ApprovalStatus.NOT_NEEDED
        shift.state = ShiftState.CLOSED
        shift.closed_at = closed_at
        shift.counted = {m: str(v) for m, v in counted.items()}
        shift.difference = difference
        shift.server_difference = server_difference
        shift.approved_by = approver
        shift.z_report = {
            "counter": report,
            "server": {
                **figures.as_json(),
                "difference": str(server_difference),
                "threshold": str(threshold),
                "notes": notes,
            },
        }
        shift.version += 1
        shift.save()
        record(
            actor=actor,
            action="shift.close",
            obj=shift,
            device=device,
            details={
                "counted": shift.counted,
                "difference": str(difference),
                "server_difference": str(server_difference),
                "approved_by": approver.username if approver else None,
                "approval_status": shift.approval_status,
                "approval": approved.pk if approved else None,
                "notes": notes,
            },
        )
    return Outcome(shift, created=True)


def approve_close(*, shift_id: uuid.UUID, actor: User, note: str = "") -> Shift:
    """A decision online, by a holder of `close_with_difference`, on a close that waits."""
    ensure_right(actor, Right.CLOSE_WITH_DIFFERENCE, "approve a shift's difference")
    with transaction.atomic():
        shift = Shift.objects.select_for_update().filter(pk=shift_id).first()
        if shift is None:
            raise NotFound("No such shift.")
        if shift.approval_status != ApprovalStatus.AWAITING:
            raise Conflict(
                f"This shift does not wait for an approval ({shift.get_approval_status_display()}).",
                code="not_awaiting_approval",
            )
        shift.approval_status = ApprovalStatus.APPROVED_ONLINE
        shift.approved_by, shift.approved_at = actor, timezone.now()
        shift.version += 1
        shift.save()
        record(
            actor=actor,
            action="shift.approve",
            obj=shift,
            details={"difference": str(shift.difference), "note": note},
        )
    return shift


def sale_outside_shift(*, device, shift_id: uuid.UUID | None, sold_at: datetime) -> str:
    """Why a counter sale belongs to none of its counter's shifts ("" when it belongs to
    `shift_id`). Counters sell only inside an open shift; a sale queued by an older counter
    (no shift) or sold outside its shift's window is still recorded, never lost, and this
    reason goes into its audit entry (`counter_sale.outside_shift`)."""
    if shift_id is None:
        return "sold without an open shift (no shift in the sale)"
    shift = Shift.objects.filter(pk=shift_id).only("device_id", "opened_at", "closed_at").first()
    if shift is None:
        return f"its shift {shift_id} is not known to the server"
    if shift.device_id != getattr(device, "pk", None):
        return f"its shift {shift_id} belongs to another counter"
    if sold_at < shift.opened_at or (shift.closed_at is not None and sold_at > shift.closed_at):
        return f"sold outside its shift's window (shift {shift_id})"
    return ""
