"""Shifts and day close at the counter: float, cash in / out, X report, Z close.

Each step is one local transaction holding the local row and its push op
(`shift_open`, `drawer_movement`, `shift_close`, payloads as in docs/shifts.md), so it
works offline and reaches the server on the next push, in outbox order.

What a shift holds and what the drawer should hold are computed by `shift_figures`
(rules in its docstring); the records answered are in `shift_records`.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from enturf_core.money import Money
from enturf_core.staff_rights import Right
from enturf_core.wire import ops as wire
from enturf_pos.models import LocalDrawerMovement, LocalShift, ShiftState
from enturf_pos.services import people, venue_time
from enturf_pos.services.sales.sale_service import parse_tendered
from enturf_pos.services.session import approvals
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.shifts.open_shift import NO_OPEN_SHIFT, open_shift_id  # noqa: F401 (re-export)
from enturf_pos.services.shifts.shift_figures import read_report, shift_info, site_settings
from enturf_pos.services.shifts.shift_records import (
    CARD,
    CASH,
    CASH_IN,
    CASH_OUT,
    METHODS,
    MOVEMENT_KINDS,
    CloseRequest,
    ShiftError,
    ShiftInfo,
    ShiftReport,
    ShiftResult,
)
from enturf_pos.services.sync import outbox_service

log = logging.getLogger(__name__)

SHIFT_OPEN, DRAWER_MOVEMENT, SHIFT_CLOSE = wire.SHIFT_OPEN, wire.DRAWER_MOVEMENT, wire.SHIFT_CLOSE
DEFAULT_CURRENCY = "EUR"
REASON_MAX = 300


# -- settings and input ----------------------------------------------------------------------


def currency(*, ctx: PosContext) -> str:
    with ctx.db.transaction() as session:
        return str(site_settings(session).get("currency") or DEFAULT_CURRENCY).upper()


def parse_amount(text: str, currency_code: str) -> Money | None:
    """An amount as typed ("100", "100.50", "100,5"); None unless it is one (>= 0)."""
    return parse_tendered(text or "", currency_code)


def _amount_refusal(text: str, what: str, currency_code: str) -> str:
    if not (text or "").strip():
        return f"Enter {what}."
    return f"{text.strip()!r} is not an amount: enter {what} like 100.00 ({currency_code})."


# -- reading ---------------------------------------------------------------------------------


def current_shift(*, ctx: PosContext) -> ShiftInfo | None:
    with ctx.db.transaction() as session:
        row = session.scalar(select(LocalShift).where(LocalShift.state == ShiftState.OPEN))
        return shift_info(session, row) if row is not None else None


def last_shift(*, ctx: PosContext) -> ShiftInfo | None:
    """The most recently opened shift of this counter (open or closed)."""
    with ctx.db.transaction() as session:
        row = session.scalar(select(LocalShift).order_by(LocalShift.opened_at.desc()).limit(1))
        return shift_info(session, row) if row is not None else None


def shift_report(*, ctx: PosContext, shift_id: uuid.UUID | None = None) -> ShiftReport | None:
    """The X report of the open shift (or of `shift_id`; a closed shift up to its close)."""
    with ctx.db.transaction() as session:
        if shift_id is None:
            row = session.scalar(select(LocalShift).where(LocalShift.state == ShiftState.OPEN))
        else:
            row = session.get(LocalShift, shift_id)
        if row is None:
            return None
        return read_report(session, row, row.closed_at or datetime.now(UTC))


# -- writing ---------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def open_shift(*, ctx: PosContext, cashier: str, opening_float: str) -> ShiftResult:
    """Open a shift with the float counted in the drawer."""
    cur = currency(ctx=ctx)
    amount = parse_amount(opening_float, cur)
    if amount is None:
        return ShiftResult(
            False,
            _amount_refusal(opening_float, "the cash counted in the drawer (the float)", cur),
            code=ShiftError.INVALID,
        )
    if not cashier:
        return ShiftResult(False, "Log in to open a shift.", code=ShiftError.INVALID)
    shift_id = uuid.uuid4()
    now = _now()
    try:
        with ctx.db.transaction() as session:
            current = session.scalar(select(LocalShift).where(LocalShift.state == ShiftState.OPEN))
            if current is not None:
                return ShiftResult(
                    False,
                    f"A shift is already open at this counter (by "
                    f"{people.display_name(session, current.cashier)}, since "
                    f"{venue_time.text(current.opened_at, venue_time.SHORT)}). Close it first.",
                    current.id,
                    code=ShiftError.ALREADY_OPEN,
                )
            op_id = outbox_service.enqueue(
                session,
                type=SHIFT_OPEN,
                payload=wire.ShiftOpen(
                    wire.ShiftOpening(
                        id=shift_id,
                        opened_at=now,
                        opening_float=Decimal(amount.amount_text()),
                        currency=cur,
                        cashier=cashier,
                    )
                ).to_wire(),
            )
            session.add(
                LocalShift(
                    id=shift_id,
                    cashier=cashier,
                    opened_at=now,
                    opening_float=amount.amount,
                    currency=cur,
                    state=ShiftState.OPEN,
                    open_slot=True,
                    counted={},
                    report={},
                    open_op_id=op_id,
                )
            )
    except IntegrityError:  # another window opened one at the same moment
        return ShiftResult(
            False, "A shift is already open at this counter.", code=ShiftError.ALREADY_OPEN
        )
    return ShiftResult(True, f"Shift opened with a float of {amount.format()}.", shift_id)


def record_movement(
    *, ctx: PosContext, kind: str, amount: str, reason: str, user: str
) -> ShiftResult:
    """Cash put into (`cash_in`) or taken out of (`cash_out`) the drawer, with a reason."""
    if kind not in MOVEMENT_KINDS:
        return ShiftResult(False, f"Unknown drawer movement {kind!r}.", code=ShiftError.INVALID)
    cur = currency(ctx=ctx)
    money = parse_amount(amount, cur)
    label = "put in" if kind == CASH_IN else "taken out"
    if money is None or not money.is_positive():
        message = (
            f"Enter the amount {label}: more than 0."
            if money is not None
            else _amount_refusal(amount, f"the amount {label}", cur)
        )
        return ShiftResult(False, message, code=ShiftError.INVALID)
    reason = " ".join((reason or "").split())
    if not reason:
        return ShiftResult(
            False, "Give a reason (e.g. change from the safe).", code=ShiftError.INVALID
        )
    if len(reason) > REASON_MAX:
        return ShiftResult(
            False,
            f"The reason is too long: at most {REASON_MAX} characters.",
            code=ShiftError.INVALID,
        )
    movement_id = uuid.uuid4()
    now = _now()
    with ctx.db.transaction() as session:
        shift = session.scalar(select(LocalShift).where(LocalShift.state == ShiftState.OPEN))
        if shift is None:
            return ShiftResult(False, NO_OPEN_SHIFT, code=ShiftError.NO_SHIFT)
        if money.currency != shift.currency:
            money = Money(money.amount, shift.currency)
        if kind == CASH_OUT:
            in_drawer = read_report(session, shift, now).expected[CASH]
            if money > in_drawer:
                return ShiftResult(
                    False,
                    f"The drawer should hold {in_drawer.format()}: {money.format()} cannot be "
                    "taken out.",
                    shift.id,
                    code=ShiftError.INVALID,
                )
        op_id = outbox_service.enqueue(
            session,
            type=DRAWER_MOVEMENT,
            payload=wire.DrawerMovement(
                wire.Movement(
                    id=movement_id,
                    shift=shift.id,
                    kind=kind,
                    amount=Decimal(money.amount_text()),
                    reason=reason,
                    at=now,
                    user=user,
                )
            ).to_wire(),
        )
        session.add(
            LocalDrawerMovement(
                id=movement_id,
                shift_id=shift.id,
                kind=kind,
                amount=money.amount,
                reason=reason,
                at=now,
                user=user,
                op_id=op_id,
            )
        )
        shift_id = shift.id
    return ShiftResult(True, f"{MOVEMENT_KINDS[kind]}: {money.format()} ({reason}).", shift_id)


def parse_counted(
    *, cash: str, card: str, currency_code: str
) -> tuple[dict[str, Money] | None, str]:
    """The counted amounts per method, or None and what is wrong."""
    counted: dict[str, Money] = {}
    for method, text, what in (
        (CASH, cash, "the cash counted in the drawer"),
        (CARD, card, "the card total of the terminal's end-of-day report (0 if none)"),
    ):
        amount = parse_amount(text, currency_code)
        if amount is None:
            return None, _amount_refusal(text, what, currency_code)
        counted[method] = amount
    return counted, ""


def close_approval(shift_id: uuid.UUID, difference: Money) -> approvals.ApprovalRequest:
    """What an administrator approves at a Z close (the server checks the same)."""
    return approvals.ApprovalRequest(
        "shift_close", str(shift_id), {"difference": difference.amount_text()}
    )


def close_shift(*, ctx: PosContext, request: CloseRequest) -> ShiftResult:
    """The Z close: counted amounts against the expected ones; above the threshold only
    with an administrator's approval (checked here, online or offline)."""
    with ctx.db.transaction() as session:
        row = session.scalar(select(LocalShift).where(LocalShift.state == ShiftState.OPEN))
        if row is None:
            return ShiftResult(False, NO_OPEN_SHIFT, code=ShiftError.NO_SHIFT)
        preview = read_report(session, row, _now())
    counted = {m: Money(request.counted[m].amount, preview.currency) for m in METHODS}
    approver, proof = "", None
    if request.approver.strip() or preview.needs_approval(counted):
        if preview.needs_approval(counted) and not request.approver.strip():
            return ShiftResult(
                False,
                f"The difference of {preview.difference(counted).format()} is more than "
                f"{preview.threshold.format()}: an administrator must approve the close.",
                preview.shift.id,
                code=ShiftError.APPROVAL_REQUIRED,
            )
        approval = approvals.approve(
            ctx=ctx,
            username=request.approver,
            password=request.approver_password,
            request=close_approval(preview.shift.id, preview.difference(counted)),
            right=Right.CLOSE_WITH_DIFFERENCE,
        )
        if not approval.ok:
            return ShiftResult(
                False, approval.message, preview.shift.id, code=ShiftError.APPROVAL_REFUSED
            )
        approver, proof = approval.username, approval.proof

    closed_at = _now()
    with ctx.db.transaction() as session:
        row = session.get(LocalShift, preview.shift.id)
        if row is None or row.state != ShiftState.OPEN:
            return ShiftResult(False, "This shift was closed meanwhile.", code=ShiftError.NO_SHIFT)
        report = read_report(session, row, closed_at)  # a sale may have landed since the preview
        difference = report.difference(counted)
        if (report.needs_approval(counted) and not approver) or (
            proof is not None and difference != preview.difference(counted)
        ):  # the admin approved the figures they saw
            return ShiftResult(
                False,
                "The figures changed while closing; check them and close again.",
                row.id,
                code=ShiftError.APPROVAL_REQUIRED,
            )
        payload = wire.ShiftClose(
            shift=row.id,
            closed_at=closed_at,
            counted={m: Decimal(counted[m].amount_text()) for m in METHODS},
            report=report.as_json(),
            difference=Decimal(difference.amount_text()),
            approved_by=approver or None,
            approval=dict(proof) if proof is not None else None,
        ).to_wire()
        row.close_op_id = outbox_service.enqueue(session, type=SHIFT_CLOSE, payload=payload)
        row.state = ShiftState.CLOSED
        row.open_slot = None
        row.closed_at = closed_at
        row.counted = payload["counted"]
        row.report = payload["report"]
        row.difference = difference.amount
        row.approved_by = approver
        shift_id = row.id
    note = f" Approved by {approver}." if approver else ""
    if approver and proof is None and report.needs_approval(counted):
        note += f" {approvals.UNSIGNED}"
    return ShiftResult(True, f"Shift closed. Difference {difference.format()}.{note}", shift_id)
