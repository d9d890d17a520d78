"""A shift's figures, read from this counter's database: the X report of an open shift
and the Z figures of a close.

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

from collections import defaultdict
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from enturf_core.money import Money
from enturf_core.wire.ops import CounterSale
from enturf_pos.models import (
    Event,
    LocalDrawerMovement,
    LocalRefund,
    LocalSale,
    LocalShift,
    OutboxOp,
    OutboxState,
    SiteSettings,
    Ticket,
)
from enturf_pos.services import people
from enturf_pos.services.shifts.shift_records import (
    CARD,
    CASH,
    CASH_IN,
    CASH_OUT,
    METHODS,
    CashFigures,
    MovementInfo,
    ReportRow,
    ShiftInfo,
    ShiftReport,
)

DEFAULT_THRESHOLD = Decimal("5.00")


def site_settings(session: Session) -> dict[str, Any]:
    row = session.get(SiteSettings, 1)
    return dict(row.data) if row is not None and row.data else {}


def threshold(session: Session, currency_code: str) -> Money:
    raw = site_settings(session).get("shift_difference_threshold", DEFAULT_THRESHOLD)
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        value = DEFAULT_THRESHOLD
    return Money(value, currency_code)


def shift_info(
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


def _sale_payments(sale: CounterSale, currency_code: str) -> dict[str, Money]:
    """What each method brought into the drawer or the card account for one sale."""
    taken = dict.fromkeys(METHODS, Money.zero(currency_code))
    for payment in sale.payments:
        if payment.method not in taken:
            continue
        amount = Money(payment.amount, currency_code)
        if payment.method == CASH and payment.tendered is not None:
            # the cash part: what was handed over minus the change given back
            amount = Money(payment.tendered - (payment.change or 0), currency_code)
        taken[payment.method] = taken[payment.method] + amount
    return taken


def _rows(counts: dict[tuple[str, str], list], currency_code: str) -> list[ReportRow]:
    return [
        ReportRow(event, ticket, count, Money(amount, currency_code))
        for (event, ticket), (count, amount) in sorted(counts.items())
    ]


def read_report(session: Session, row: LocalShift, until: datetime) -> ShiftReport:
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
    stored = [(sale.event_id, sale.sale) for sale in sales]  # each payload parsed once
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
    for sale_event, sale in stored:
        event_ids.add(sale_event or 0)
        ticket_ids |= {line.ticket for line in sale.lines}
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
    for sale_event, sale in stored:
        taken = _sale_payments(sale, cur)
        cash_sales += taken[CASH]
        card_sales += taken[CARD]
        for line in sale.lines:
            event_id = sale_event or tickets.get(line.ticket, ("", None))[1]
            key = (event_name(event_id), ticket_name(line.ticket))
            sold[key][0] += 1
            sold[key][1] += Money(line.price, cur).amount

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
        shift=shift_info(session, row, list(movements)),
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
        threshold=threshold(session, cur),
        counted={m: _money(v, cur) for m, v in (row.counted or {}).items()},
    )
