"""Shifts and day close at the counter: float, cash in / out, X report, Z close.

Each step is one local transaction holding the local row and its push op
(`shift_open`, `drawer_movement`, `shift_close`, payloads as in docs/shifts.md), so it
works offline and reaches the server on the next push, in outbox order.

What belongs to a shift (the same rule as the server's check, `enturf_server.shifts
.figures`): the counter sells and refunds only inside an open shift, so a shift holds the
local sales whose `created_at` is in its window [opened_at, closed_at], whoever sold
them (they went into this drawer), and the local refunds linked to it
(`LocalRefund.shift_id`, the shift open when the refund was made), plus unlinked ones
(made before refunds needed a shift) in the window.

Expected per method, never made negative by another shift's business:
cash = float + cash in - cash out + cash taken for sales (tendered - change) - cash
refunded from the drawer; card = card sales, what the terminal's end-of-day total shows.
Card refunds go back to the card through the server and the gateway, never through the
terminal: they are reported on their own line and do not lower the card expected. The
difference is counted minus expected over all methods; above the synced
`shift_difference_threshold` (strictly) the close needs an admin's username and
password, checked on the spot and signed (`approvals.approve`, the `approval` of the
`shift_close` op).
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from enturf_core.money import Money
from enturf_core.wire import ops as wire
from enturf_pos.models import (
    Event,
    LocalDrawerMovement,
    LocalRefund,
    LocalSale,
    LocalShift,
    OutboxOp,
    OutboxState,
    ShiftState,
    SiteSettings,
    Ticket,
)
from enturf_pos.services import people, venue_time
from enturf_pos.services.sales.sale_service import parse_tendered
from enturf_pos.services.session import approvals
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.shifts.open_shift import NO_OPEN_SHIFT, open_shift_id  # noqa: F401 (re-export)
from enturf_pos.services.sync import outbox_service

log = logging.getLogger(__name__)

SHIFT_OPEN, DRAWER_MOVEMENT, SHIFT_CLOSE = wire.SHIFT_OPEN, wire.DRAWER_MOVEMENT, wire.SHIFT_CLOSE
CASH, CARD = wire.CASH, wire.CARD
METHODS = wire.PAYMENT_METHODS
CASH_IN, CASH_OUT = wire.CASH_IN, wire.CASH_OUT
MOVEMENT_KINDS = {CASH_IN: "Cash in", CASH_OUT: "Cash out"}
DEFAULT_THRESHOLD = Decimal("5.00")
DEFAULT_CURRENCY = "EUR"
REASON_MAX = 300

# the administrator's password check lives in approvals.py (it also signs); kept here by
# their old names for the close dialog's callers
check_approver = approvals.approve
WRONG_APPROVER = approvals.WRONG_APPROVER


# -- results and figures -------------------------------------------------------------------


class ShiftError(StrEnum):
    """Why a shift action was refused (`ShiftResult.code`)."""

    INVALID = "invalid"  # an amount, reason or name that is not valid
    ALREADY_OPEN = "already_open"
    NO_SHIFT = "no_shift"  # no shift is open at this counter
    APPROVAL_REQUIRED = "approval_required"  # the difference needs an administrator
    APPROVAL_REFUSED = "approval_refused"


@dataclass(frozen=True, slots=True)
class ShiftResult:
    ok: bool
    message: str
    shift_id: uuid.UUID | None = None
    code: ShiftError | None = None  # why not, when not ok


@dataclass(frozen=True, slots=True)
class ShiftInfo:
    id: uuid.UUID
    cashier: str
    opened_at: datetime
    opening_float: Money
    state: str
    closed_at: datetime | None
    difference: Money | None
    approved_by: str
    sync_state: str  # of its last op: pending, applied, rejected...
    sync_problem: str = ""  # why the server refused one of its ops, if it did
    cashier_name: str = ""  # the cashier's display name (people.display_name)

    @property
    def is_open(self) -> bool:
        return self.state == ShiftState.OPEN


@dataclass(frozen=True, slots=True)
class MovementInfo:
    id: uuid.UUID
    kind: str
    amount: Money
    reason: str
    at: datetime
    user: str

    @property
    def label(self) -> str:
        return MOVEMENT_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class ReportRow:
    event: str
    ticket: str
    count: int
    amount: Money

    def as_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "ticket": self.ticket,
            "count": self.count,
            "amount": self.amount.amount_text(),
        }


@dataclass(frozen=True, slots=True)
class CashFigures:
    """Where the expected amounts come from."""

    opening_float: Money
    cash_in: Money
    cash_out: Money
    cash_sales: Money
    cash_refunds: Money
    card_sales: Money
    card_refunds: Money

    def as_json(self) -> dict[str, str]:
        return {name: getattr(self, name).amount_text() for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class ShiftReport:
    """An X report (shift open) or the figures of a Z close."""

    shift: ShiftInfo
    currency: str
    until: datetime
    figures: CashFigures
    expected: dict[str, Money]
    sales: list[ReportRow]
    refunds: list[ReportRow]
    movements: list[MovementInfo]
    sales_count: int
    refunds_count: int
    threshold: Money
    counted: dict[str, Money] = field(default_factory=dict)  # a closed shift's count

    def difference(self, counted: dict[str, Money]) -> Money:
        """Counted minus expected over all methods (a method not counted counts 0)."""
        zero = Money.zero(self.currency)
        return Money.total(
            (counted.get(m, zero) - self.expected[m] for m in METHODS), self.currency
        )

    def needs_approval(self, counted: dict[str, Money]) -> bool:
        return abs(self.difference(counted)) > self.threshold

    def as_json(self) -> dict[str, Any]:
        """The `report` of the `shift_close` op (other keys than expected/sales/refunds are
        stored by the server as sent)."""
        return {
            "expected": {m: self.expected[m].amount_text() for m in METHODS},
            "sales": [r.as_json() for r in self.sales],
            "refunds": [r.as_json() for r in self.refunds],
            "drawer": self.figures.as_json(),
            "sales_count": self.sales_count,
            "refunds_count": self.refunds_count,
        }


@dataclass(frozen=True, slots=True)
class CloseRequest:
    counted: dict[str, Money]
    approver: str = ""
    approver_password: str = field(default="", repr=False)


# -- settings and input ----------------------------------------------------------------------


def _settings(session: Session) -> dict[str, Any]:
    row = session.get(SiteSettings, 1)
    return dict(row.data) if row is not None and row.data else {}


def currency(*, ctx: PosContext) -> str:
    with ctx.db.transaction() as session:
        return str(_settings(session).get("currency") or DEFAULT_CURRENCY).upper()


def _threshold(session: Session, currency_code: str) -> Money:
    raw = _settings(session).get("shift_difference_threshold", DEFAULT_THRESHOLD)
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        value = DEFAULT_THRESHOLD
    return Money(value, currency_code)


def parse_amount(text: str, currency_code: str) -> Money | None:
    """An amount as typed ("100", "100.50", "100,5"); None unless it is one (>= 0)."""
    return parse_tendered(text or "", currency_code)


def _amount_refusal(text: str, what: str, currency_code: str) -> str:
    if not (text or "").strip():
        return f"Enter {what}."
    return f"{text.strip()!r} is not an amount: enter {what} like 100.00 ({currency_code})."


# -- reading ---------------------------------------------------------------------------------


def _info(
    session: Session, row: LocalShift, movements: list[LocalDrawerMovement] | None = None
) -> ShiftInfo:
    """`movements`: the shift's drawer movements when the caller already read them."""
    if movements is None:
        movement_ops = session.scalars(
            select(LocalDrawerMovement.op_id).where(LocalDrawerMovement.shift_id == row.id)
        ).all()
    else:
        movement_ops = [m.op_id for m in movements]
    ids = [i for i in (row.open_op_id, *movement_ops, row.close_op_id) if i is not None]
    ops = {op.id: op for op in session.scalars(select(OutboxOp).where(OutboxOp.id.in_(ids)))}
    last = ops.get(row.close_op_id or row.open_op_id)  # type: ignore[arg-type]
    refused = [
        f"{op.type.replace('_', ' ')}: {op.last_error or 'refused'}"
        for i in ids
        if (op := ops.get(i)) is not None and op.state == OutboxState.REJECTED
    ]
    return ShiftInfo(
        id=row.id,
        cashier=row.cashier,
        opened_at=row.opened_at,
        opening_float=Money(row.opening_float, row.currency),
        state=row.state,
        closed_at=row.closed_at,
        difference=Money(row.difference, row.currency) if row.difference is not None else None,
        approved_by=row.approved_by,
        sync_state=str(last.state) if last is not None else "pending",
        sync_problem="; ".join(refused),
        cashier_name=people.display_name(session, row.cashier),
    )


def current_shift(*, ctx: PosContext) -> ShiftInfo | None:
    with ctx.db.transaction() as session:
        row = session.scalar(select(LocalShift).where(LocalShift.state == ShiftState.OPEN))
        return _info(session, row) if row is not None else None


def last_shift(*, ctx: PosContext) -> ShiftInfo | None:
    """The most recently opened shift of this counter (open or closed)."""
    with ctx.db.transaction() as session:
        row = session.scalar(select(LocalShift).order_by(LocalShift.opened_at.desc()).limit(1))
        return _info(session, row) if row is not None else None


def _names(session: Session, ticket_ids: set[int], event_ids: set[int]) -> tuple[dict, dict]:
    tickets = {
        t.id: (t.name, t.event_id)
        for t in session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids)))
    }
    event_ids |= {event_id for _name, event_id in tickets.values()}
    events = {e.id: e.name for e in session.scalars(select(Event).where(Event.id.in_(event_ids)))}
    return tickets, events


def _money(value: Any, currency_code: str) -> Money:
    try:
        return Money(Decimal(str(value)), currency_code)
    except (InvalidOperation, ValueError):
        return Money.zero(currency_code)


def _sale_payments(payload: dict[str, Any], currency_code: str) -> dict[str, Money]:
    """What each method brought into the drawer or the card account for one sale."""
    taken = dict.fromkeys(METHODS, Money.zero(currency_code))
    for payment in payload.get("payments") or []:
        method = payment.get("method")
        if method not in taken:
            continue
        amount = _money(payment.get("amount", "0"), currency_code)
        if method == CASH and payment.get("tendered") is not None:
            # the cash part: what was handed over minus the change given back
            amount = _money(payment["tendered"], currency_code) - _money(
                payment.get("change", "0"), currency_code
            )
        taken[method] = taken[method] + amount
    return taken


def _rows(counts: dict[tuple[str, str], list], currency_code: str) -> list[ReportRow]:
    return [
        ReportRow(event, ticket, count, Money(amount, currency_code))
        for (event, ticket), (count, amount) in sorted(counts.items())
    ]


def _report(session: Session, row: LocalShift, until: datetime) -> ShiftReport:
    cur = row.currency
    zero = Money.zero(cur)
    sales = session.scalars(
        select(LocalSale)
        .where(
            LocalSale.created_at >= row.opened_at,
            LocalSale.created_at <= until,
        )
        .order_by(LocalSale.created_at)
    ).all()
    refunds = session.scalars(
        select(LocalRefund)
        .where(
            or_(
                LocalRefund.shift_id == row.id,
                and_(
                    LocalRefund.shift_id.is_(None),
                    LocalRefund.created_at >= row.opened_at,
                    LocalRefund.created_at <= until,
                ),
            )
        )
        .order_by(LocalRefund.created_at)
    ).all()
    movements = session.scalars(
        select(LocalDrawerMovement)
        .where(LocalDrawerMovement.shift_id == row.id)
        .order_by(LocalDrawerMovement.at)
    ).all()

    ticket_ids: set[int] = set()
    event_ids: set[int] = set()
    for sale in sales:
        event_ids.add(sale.event_id or 0)
        ticket_ids |= {int(line.get("ticket") or 0) for line in sale.payload.get("lines") or []}
    for refund in refunds:
        for line in refund.lines or []:
            if isinstance(line.get("ticket"), int):
                ticket_ids.add(line["ticket"])
            if isinstance(line.get("event"), int):
                event_ids.add(line["event"])
    tickets, events = _names(session, ticket_ids, event_ids)

    def event_name(event_id: Any) -> str:
        if isinstance(event_id, str):
            return event_id
        return events.get(event_id) or f"Event {event_id}"

    def ticket_name(ticket_id: Any) -> str:
        if isinstance(ticket_id, str):
            return ticket_id
        return tickets.get(ticket_id, (f"Ticket {ticket_id}", None))[0]

    cash_sales = card_sales = cash_refunds = card_refunds = zero
    sold: dict[tuple[str, str], list] = defaultdict(lambda: [0, Decimal("0")])
    for sale in sales:
        taken = _sale_payments(sale.payload, cur)
        cash_sales += taken[CASH]
        card_sales += taken[CARD]
        for line in sale.payload.get("lines") or []:
            ticket_id = int(line.get("ticket") or 0)
            event_id = sale.event_id or tickets.get(ticket_id, ("", None))[1]
            key = (event_name(event_id), ticket_name(ticket_id))
            sold[key][0] += 1
            sold[key][1] += _money(line.get("price", "0"), cur).amount

    refunded: dict[tuple[str, str], list] = defaultdict(lambda: [0, Decimal("0")])
    for refund in refunds:
        for part in refund.parts or []:
            amount = _money(part.get("amount", "0"), cur)
            if part.get("method") == CASH:
                cash_refunds += amount
            elif part.get("method") == CARD:
                card_refunds += amount
        if refund.lines:
            for line in refund.lines:
                key = (event_name(line.get("event")), ticket_name(line.get("ticket")))
                refunded[key][0] += 1
                refunded[key][1] += _money(line.get("amount", "0"), cur).amount
        else:  # a whole-booking refund without lines
            key = (f"Booking {refund.booking_code or refund.booking_id}", "whole booking")
            refunded[key][0] += 1
            refunded[key][1] += Money(refund.amount, cur).amount

    cash_in = Money.total((Money(m.amount, cur) for m in movements if m.kind == CASH_IN), cur)
    cash_out = Money.total((Money(m.amount, cur) for m in movements if m.kind == CASH_OUT), cur)
    opening = Money(row.opening_float, cur)
    figures = CashFigures(
        opening_float=opening,
        cash_in=cash_in,
        cash_out=cash_out,
        cash_sales=cash_sales,
        cash_refunds=cash_refunds,
        card_sales=card_sales,
        card_refunds=card_refunds,
    )
    return ShiftReport(
        shift=_info(session, row, list(movements)),
        currency=cur,
        until=until,
        figures=figures,
        expected={
            CASH: opening + cash_in - cash_out + cash_sales - cash_refunds,
            CARD: card_sales,  # card refunds do not pass through the terminal
        },
        sales=_rows(sold, cur),
        refunds=_rows(refunded, cur),
        movements=[
            MovementInfo(m.id, m.kind, Money(m.amount, cur), m.reason, m.at, m.user)
            for m in movements
        ],
        sales_count=len(sales),
        refunds_count=len(refunds),
        threshold=_threshold(session, cur),
        counted={m: _money(v, cur) for m, v in (row.counted or {}).items()},
    )


def shift_report(*, ctx: PosContext, shift_id: uuid.UUID | None = None) -> ShiftReport | None:
    """The X report of the open shift (or of `shift_id`; a closed shift up to its close)."""
    with ctx.db.transaction() as session:
        if shift_id is None:
            row = session.scalar(select(LocalShift).where(LocalShift.state == ShiftState.OPEN))
        else:
            row = session.get(LocalShift, shift_id)
        if row is None:
            return None
        return _report(session, row, row.closed_at or datetime.now(UTC))


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
            in_drawer = _report(session, shift, now).expected[CASH]
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
        preview = _report(session, row, _now())
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
        report = _report(session, row, closed_at)  # a sale may have landed since the preview
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
