"""This counter's own sales as bookings: found by code, buyer or ticket line in the
local database (`local_sales`, pushed or not), with the refunds made here
(`local_refunds`). Offline they are all a lookup can find; online they add the sales
the server does not have yet.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from enturf_core.money import Money
from enturf_core.wire.ops import CounterSale, SalePayment
from enturf_pos.models import LocalRefund, LocalSale, OutboxOp
from enturf_pos.services.sales.booking_records import (
    LOCAL,
    BookingDetail,
    BookingLine,
    BookingPayment,
    BookingRefund,
    BookingSummary,
    CatalogNames,
    catalog_names,
    in_map_order,
    money_of,
    uuid_of,
)
from enturf_pos.services.sales.sale_service import REVIEW, sale_with_op
from enturf_pos.services.session.pos_context import PosContext

MAX_RESULTS = 50


def normalise_code(text: str) -> str:
    """As the server matches codes: case, spaces and dashes ignored."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _local_state(sale: CounterSale, refunded_lines: set[str], op: OutboxOp | None) -> str:
    line_ids = {str(line.id) for line in sale.lines}
    if op is not None and op.state == "rejected":
        return "refused by the server"
    if op is not None and ((op.result or {}).get("booking") or {}).get("state") == REVIEW:
        return REVIEW  # the last the server said: kept there, waiting for a manager
    if line_ids and line_ids <= refunded_lines:
        return "refunded"
    if line_ids & refunded_lines:
        return "partially_refunded"
    return "paid"


def _server_code(sale: LocalSale, op: OutboxOp | None) -> str:
    result = (op.result if op is not None else None) or {}
    return str((result.get("booking") or {}).get("code") or sale.code)


def _refunded_line_ids(
    session: Session, sale_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, set[str]]:
    out: dict[uuid.UUID, set[str]] = {}
    if not sale_ids:
        return out
    rows = session.scalars(select(LocalRefund).where(LocalRefund.booking_id.in_(sale_ids)))
    sales = {s.id: s for s in session.scalars(select(LocalSale).where(LocalSale.id.in_(sale_ids)))}
    for refund in rows:
        ids = out.setdefault(refund.booking_id, set())
        if refund.lines:
            ids.update(str(line["line"]) for line in refund.lines)
        elif (sale := sales.get(refund.booking_id)) is not None:  # the whole booking
            ids.update(str(line.id) for line in sale.sale.lines)
    return out


def _local_summary(
    sale: LocalSale, op: OutboxOp | None, names: CatalogNames, refunded: set[str]
) -> BookingSummary:
    stored = sale.sale
    return BookingSummary(
        id=sale.id,
        code=_server_code(sale, op),
        buyer_name=stored.booking.buyer_name,
        buyer_email=stored.booking.buyer_email,
        event_name=names.event(sale.event_id),
        state=_local_state(stored, refunded, op),
        total=money_of(sale.total, sale.currency or "EUR"),
        tickets=len(stored.lines),
        created_at=sale.created_at,
        source=LOCAL,
        pending_push=op is None or op.state != "applied",
    )


def local_matches(
    session: Session, text: str, *, pending_only: bool
) -> list[tuple[LocalSale, OutboxOp | None]]:
    booking = LocalSale.payload["booking"]
    needle = f"%{text.lower()}%"
    code = normalise_code(text)
    stmt = (
        select(LocalSale, OutboxOp)
        .outerjoin(OutboxOp, OutboxOp.id == LocalSale.op_id)
        .where(
            or_(
                LocalSale.code == code,
                func.lower(booking["buyer_name"].as_string()).like(needle),
                func.lower(booking["buyer_email"].as_string()).like(needle),
            )
        )
        .order_by(LocalSale.created_at.desc())
        .limit(MAX_RESULTS)
    )
    if pending_only:
        stmt = stmt.where(or_(OutboxOp.id.is_(None), OutboxOp.state != "applied"))
    rows = [(sale, op) for sale, op in session.execute(stmt)]
    if code and not any(sale.code == code for sale, _ in rows):
        # the server may have given the sale another code when it was pushed
        for sale, op in session.execute(
            select(LocalSale, OutboxOp)
            .join(OutboxOp, OutboxOp.id == LocalSale.op_id)
            .where(OutboxOp.result["booking"]["code"].as_string() == code)
        ):
            rows.append((sale, op))
    return rows


def local_line_matches(
    session: Session, line_id: str, *, pending_only: bool
) -> list[tuple[LocalSale, OutboxOp | None]]:
    """This counter's sale holding ticket line `line_id` (a canonical UUID string)."""
    stmt = (
        select(LocalSale, OutboxOp)
        .outerjoin(OutboxOp, OutboxOp.id == LocalSale.op_id)
        .where(cast(LocalSale.payload, String).like(f'%"{line_id}"%'))  # then checked below
    )
    if pending_only:
        stmt = stmt.where(or_(OutboxOp.id.is_(None), OutboxOp.state != "applied"))
    return [
        (sale, op)
        for sale, op in session.execute(stmt)
        if any(str(line.id) == line_id for line in sale.sale.lines)
    ]


Matcher = Callable[..., list[tuple[LocalSale, OutboxOp | None]]]


def local_search(
    ctx: PosContext, matches: Matcher, *, pending_only: bool = False
) -> list[BookingSummary]:
    with ctx.db.transaction() as session:
        rows = matches(session, pending_only=pending_only)
        names = catalog_names(session, events=[sale.event_id for sale, _ in rows])
        refunded = _refunded_line_ids(session, [sale.id for sale, _ in rows])
        return [_local_summary(sale, op, names, refunded.get(sale.id, set())) for sale, op in rows]


def local_detail(*, ctx: PosContext, booking_id: uuid.UUID) -> BookingDetail | None:
    """A sale of this counter as its database has it (with the refunds made here)."""
    with ctx.db.transaction() as session:
        row = sale_with_op(session, booking_id)
        if row is None:
            return None
        sale, op = row
        stored = sale.sale
        names = catalog_names(
            session,
            events=[sale.event_id] if sale.event_id is not None else [],
            tickets=[line.ticket for line in stored.lines],
            seats=[line.seat for line in stored.lines if line.seat is not None],
            areas=[line.area for line in stored.lines if line.area is not None],
        )
        refunded = _refunded_line_ids(session, [sale.id]).get(sale.id, set())
        currency = sale.currency or "EUR"
        lines = in_map_order(
            BookingLine(
                id=line.id,
                event_id=int(sale.event_id or 0),
                event_name=names.event(sale.event_id),
                ticket_id=line.ticket,
                ticket_name=names.ticket(line.ticket),
                place=names.place(line.seat, line.area),
                price=money_of(line.price, currency),
                state="refunded" if str(line.id) in refunded else "valid",
                seat_id=line.seat,
                area_id=line.area,
            )
            for line in stored.lines
        )
        payments = tuple(_payment(p, currency) for p in stored.payments)
        refunds = tuple(
            BookingRefund(
                id=r.id,
                amount=money_of(r.amount, r.currency),
                method=_method_of(r.parts),
                state="succeeded",
                created_at=r.created_at,
                lines=tuple(uuid_of(line["line"]) for line in r.lines or ()),
                reason=r.reason,
            )
            for r in session.scalars(
                select(LocalRefund)
                .where(LocalRefund.booking_id == sale.id)
                .order_by(LocalRefund.created_at)
            )
        )
        summary = _local_summary(sale, op, names, refunded)
        return BookingDetail(summary, lines, payments, refunds, local_sale=True)


def _payment(payment: SalePayment, currency: str) -> BookingPayment:
    cur = payment.currency or currency
    card = payment.card
    return BookingPayment(
        id=payment.id,
        method=payment.method,
        amount=Money(payment.amount, cur),
        state="succeeded",
        refunded=Money.zero(cur),
        card_brand=card.brand if card is not None else "",
        card_last4=card.last4 if card is not None else "",
    )


def _method_of(parts: Sequence[Mapping[str, Any]]) -> str:
    methods = {str(p.get("method")) for p in parts or () if Decimal(str(p.get("amount", 0))) > 0}
    if not methods:
        return "none"
    return methods.pop() if len(methods) == 1 else "mixed"
