"""Completing a sale at the counter: the local record, its signed ticket codes and its
`counter_sale` outbox op, in one local transaction.

Online and offline sales take the same path: the op reaches the server on the next push
(the window asks for one at once when online), where it becomes a paid, invoiced
booking with this sale's ids. Payload (`enturf_core.wire.ops.CounterSale`)::

    {"booking": {"id", "code", "event", "created_at", "seller", "shift", "buyer_name"?,
                 "buyer_email"?, "voucher"?},
     "lines": [{"id", "ticket", "seat" | "area", "price", "tax_rate", "tax_amount",
                "discount", "ticket_code",
                "override"?: {"reason", "listed_price", "approval": {...} | null}}],
     "payments": [{"id", "method": "card", "amount", "currency", "payment_intent",
                   "card": {"brand", "last4"}, "authorization_code"?},
                  {"id", "method": "cash", "amount", "currency", "tendered", "change"}],
     "hold": "<hold id>" (online only)}

A sale is paid in cash, by card, or split (card part first, the cash rest with its
change); `record_sale` records any of them, `services.payments.card_payments` takes the card part.

`price` is what is paid for the line (after its voucher discount, tax included);
`tax_amount` is the tax in it, by `enturf_core.pricing`. A line whose price a supervisor
changed (`services.price_override`) keeps the id its approval was signed for and carries
`override`: the reason, the listed price and the administrator's signed approval (null
when none could be signed here: the server then holds the sale for review). Each line's ticket code is
signed with this counter's key (the keyring's device signing key).

A counter sells only inside an open shift (`open_shift.open_shift_id`): the sale is
refused without one (the window offers to open it) and carries the shift's id, so its
money is counted in that shift's X / Z report (docs/shifts.md).

Offline, only this counter's allocation is sold: seats allocated to it and GA places of
its quota (checked here again, whatever the window allowed).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.money import Money
from enturf_core.pricing.breakdown import PriceBreakdown
from enturf_core.ticket_codes import SigningKey, TicketPayload, sign
from enturf_core.wire import ops as wire
from enturf_pos.models import Area, LocalSale, OutboxOp, SeatStatus
from enturf_pos.services.sales.buyer import Buyer
from enturf_pos.services.sales.cart_service import Cart, CartRow
from enturf_pos.services.sales.counter_selectors import own_allocation
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.services.shifts.open_shift import NO_OPEN_SHIFT, open_shift_id
from enturf_pos.services.sync import outbox_service

COUNTER_SALE = wire.COUNTER_SALE
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # the server's booking-code alphabet
CODE_LENGTH = 7


class SaleError(StrEnum):
    """Why a sale was refused (`SaleResult.error`): match on this, not on the message."""

    EMPTY_CART = "empty_cart"
    CURRENCY = "currency"  # an amount in another currency than the sale's
    CARD_PART = "card_part"  # the card part is more than the total
    NOT_COVERED = "not_covered"  # the cash tendered does not cover the (rest of the) total
    NO_SIGNING_KEY = "no_signing_key"
    NO_SHIFT = "no_shift"  # no shift is open at this counter
    OUTSIDE_ALLOCATION = "outside_allocation"  # offline, beyond this counter's allocation


@dataclass(frozen=True, slots=True)
class SaleResult:
    ok: bool
    message: str
    sale_id: uuid.UUID | None = None
    code: str = ""  # the booking code
    total: Money | None = None
    tendered: Money | None = None
    change: Money | None = None
    tickets: int = 0
    offline: bool = False
    error: SaleError | None = None  # why it was refused

    @property
    def needs_shift(self) -> bool:
        """Refused: no shift is open at this counter (the window offers to open one)."""
        return self.error is SaleError.NO_SHIFT


def _refused(error: SaleError, message: str) -> SaleResult:
    return SaleResult(False, message, error=error)


def parse_tendered(text: str, currency: str) -> Money | None:
    """What the cashier typed ("50", "50.00", "50,5"); None if it is not an amount."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    money = Money(amount, currency)
    return money if money.is_quantized else None


def change_due(total: Money, tendered: Money | None) -> Money | None:
    """Change to give back, or None while the amount tendered does not cover the total."""
    if tendered is None or tendered < total:
        return None
    return tendered - total


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


NO_SIGNING_KEY = (
    "This counter's signing key is missing from the keyring, so it cannot issue tickets. "
    "Register the counter again."
)


def signing_key(ctx: PosContext) -> SigningKey | None:
    """This counter's ticket signing key; None when missing or unreadable (`NO_SIGNING_KEY`)."""
    raw = ctx.secrets.get(Secret.SIGNING_KEY)
    if not raw:
        return None
    try:
        return SigningKey.from_base64(raw)
    except ValueError:
        return None


def _lines(
    cart: Cart, breakdown: PriceBreakdown, key: SigningKey, event_id: int, now: datetime
) -> tuple[wire.SaleLine, ...]:
    rows: dict[str, CartRow] = {row.key: row for row in cart.rows()}
    out = []
    seen: dict[str, int] = {}
    for priced in breakdown.ticket_lines():
        row = rows[priced.key or ""]
        nth = seen[row.key] = seen.get(row.key, -1) + 1
        changed = row.override.lines[nth] if row.override is not None else None
        line_id = changed.line_id if changed is not None else uuid.uuid4()
        payload = TicketPayload(
            line_id=line_id,
            event_id=event_id,
            seat_id=row.seat_id,
            area_id=row.area_id,
            issued_at=now,
        )
        override = None
        if changed is not None and row.override is not None:
            override = wire.LineOverride(
                reason=row.override.reason,
                listed_price=Decimal(changed.listed.amount_text()),
                approval=dict(changed.approval) if changed.approval else None,
            )
        out.append(
            wire.SaleLine(
                id=line_id,
                ticket=int(priced.ticket_id or row.ticket_id),
                price=Decimal(priced.gross.amount_text()),
                tax_rate=priced.tax_rate,
                tax_amount=Decimal(priced.tax.amount_text()),
                discount=Decimal(priced.discount.amount_text()),
                ticket_code=sign(payload, key),
                seat=row.seat_id,
                area=None if row.seat_id is not None else row.area_id,
                override=override,
            )
        )
    return tuple(out)


def _offline_refusal(session, cart: Cart) -> str | None:
    allocation = own_allocation(session, cart.event_id)
    outside = [s for s in cart.seat_ids() if s not in allocation.seat_ids]
    if outside:
        return (
            f"Offline, this counter sells only its allocated seats; {len(outside)} seat"
            f"{'s are' if len(outside) != 1 else ' is'} not allocated to it."
        )
    for area_id, quantity in cart.area_quantities().items():
        left = allocation.areas_left.get(area_id, 0)
        if quantity > left:
            name = cart.area_names.get(area_id, f"area {area_id}")
            return (
                f"Offline, this counter may sell {left} more place{'s' if left != 1 else ''} "
                f"in {name} (its allocation)."
            )
    return None


def _mark_sold(session, event_id: int, lines: tuple[wire.SaleLine, ...]) -> None:
    """Show the sale in the local availability at once (sync brings the server's view)."""
    row = session.get(SeatStatus, event_id) or SeatStatus(event_id=event_id, seats={}, areas={})
    seats = dict(row.seats or {})
    areas = dict(row.areas or {})
    for line in lines:
        if line.seat is not None:
            seats[str(line.seat)] = "sold"
            continue
        area = str(line.area)
        if area not in areas:  # nothing reported for it yet: all of it was left
            known = session.get(Area, line.area)
            areas[area] = known.capacity if known is not None else 0
        areas[area] = max(0, int(areas[area]) - 1)
    row.seats, row.areas = seats, areas  # new dicts: JSON columns track assignment only
    session.add(row)


def shift_refusal(ctx: PosContext) -> str | None:
    """Why no sale can start now (no shift open at this counter), or None."""
    with ctx.db.transaction() as session:
        return None if open_shift_id(session) is not None else NO_OPEN_SHIFT


@dataclass(frozen=True, slots=True)
class CardPart:
    """The card part of a sale, as the gateway approved it (never card data beyond the
    brand and last four digits)."""

    payment_intent: str
    amount: Money
    brand: str = ""
    last4: str = ""
    authorization_code: str = ""


@dataclass(frozen=True, slots=True)
class SaleDraft:
    """A sale checked and priced, not recorded yet: what a card payment is taken for."""

    sale_id: uuid.UUID
    total: Money
    cash_due: Money  # the part paid in cash (zero when the card pays it all)
    card_due: Money


def plan_payment(cart: Cart, card_amount: Money | None) -> SaleDraft | str:
    """Split the cart's total into the card part and the cash rest; a message if the
    split cannot be paid (card part missing, above the total, in another currency)."""
    if cart.empty:
        return "The cart is empty: pick seats or places first."
    total = cart.breakdown().total
    card = total if card_amount is None else card_amount
    if card.currency != total.currency:
        return f"The sale is in {total.currency}."
    if card.amount <= 0:
        return "The card part must be more than zero; take the sale in cash instead."
    if card > total:
        return f"The card part cannot be more than the total of {total.format()}."
    return SaleDraft(uuid.uuid4(), total, total - card, card)


def record_cash_sale(
    *,
    ctx: PosContext,
    cart: Cart,
    tendered: Money,
    seller: str,
    hold_id: str | None,
    offline: bool,
    buyer: Buyer | None = None,
) -> SaleResult:
    """Record a sale paid in cash. Nothing is stored unless everything is."""
    return record_sale(
        ctx=ctx,
        cart=cart,
        tendered=tendered,
        card=None,
        seller=seller,
        hold_id=hold_id,
        offline=offline,
        buyer=buyer,
    )


def offline_refusal(ctx: PosContext, cart: Cart) -> str | None:
    """Why this counter cannot sell the cart offline (outside its allocation), or None."""
    with ctx.db.transaction() as session:
        return _offline_refusal(session, cart)


def _payments(
    total: Money, tendered: Money | None, card: CardPart | None
) -> tuple[tuple[wire.SalePayment, ...], Money | None] | SaleResult:
    """The payload's payments (card first, then the cash rest) and the change due."""
    card_amount = card.amount if card is not None else Money.zero(total.currency)
    if card_amount.currency != total.currency or (
        tendered is not None and tendered.currency != total.currency
    ):
        return _refused(SaleError.CURRENCY, f"The sale is in {total.currency}.")
    if card_amount > total:
        return _refused(
            SaleError.CARD_PART,
            f"The card part cannot be more than the total of {total.format()}.",
        )
    cash_due = total - card_amount
    payments: list[wire.SalePayment] = []
    if card is not None:
        payments.append(
            wire.SalePayment(
                id=uuid.uuid4(),
                method=wire.CARD,
                amount=Decimal(card.amount.amount_text()),
                currency=total.currency,
                payment_intent=card.payment_intent,
                card=wire.CardSeen(brand=card.brand, last4=card.last4),
                authorization_code=card.authorization_code,
            )
        )
    if cash_due.amount == 0:
        return tuple(payments), None
    change = change_due(cash_due, tendered)
    if change is None:
        given = tendered.format() if tendered is not None else "Nothing"
        return _refused(
            SaleError.NOT_COVERED,
            f"{given} does not cover the {'rest' if card else 'total'} of {cash_due.format()}.",
        )
    assert tendered is not None
    payments.append(
        wire.SalePayment(
            id=uuid.uuid4(),
            method=wire.CASH,
            amount=Decimal(cash_due.amount_text()),
            currency=total.currency,
            tendered=Decimal(tendered.amount_text()),
            change=Decimal(change.amount_text()),
        )
    )
    return tuple(payments), change


def record_sale(
    *,
    ctx: PosContext,
    cart: Cart,
    tendered: Money | None,
    card: CardPart | None,
    seller: str,
    hold_id: str | None,
    offline: bool,
    buyer: Buyer | None = None,
    sale_id: uuid.UUID | None = None,
    session_hook: Callable[[Session], None] | None = None,
) -> SaleResult:
    """Record a sale paid in cash, by card, or part cash part card (`card` is the part
    the gateway approved, `tendered` the cash given for the rest). Nothing is stored
    unless everything is; `session_hook` runs inside the same transaction (the card
    payment marks its attempt there)."""
    if cart.empty:
        return _refused(SaleError.EMPTY_CART, "The cart is empty: pick seats or places first.")
    breakdown = cart.breakdown()
    total = breakdown.total
    if tendered is not None and tendered.currency != total.currency:
        return _refused(SaleError.CURRENCY, f"The sale is in {total.currency}.")
    planned = _payments(total, tendered, card)
    if isinstance(planned, SaleResult):
        return planned
    payments, change = planned
    key = signing_key(ctx)
    if key is None:
        return _refused(SaleError.NO_SIGNING_KEY, NO_SIGNING_KEY)
    now = datetime.now(UTC)
    sale_id = sale_id or uuid.uuid4()
    code = new_booking_code()
    lines = _lines(cart, breakdown, key, cart.event_id, now)
    booking = wire.SaleBooking(
        id=sale_id,
        code=code,
        event=cart.event_id,
        created_at=now,
        seller=seller,
        buyer_name=buyer.name if buyer is not None else "",
        buyer_email=buyer.email if buyer is not None else "",
        voucher=cart.voucher.code if cart.voucher is not None else "",
    )
    with ctx.db.transaction() as session:
        shift_id = open_shift_id(session)
        if shift_id is None:
            return _refused(SaleError.NO_SHIFT, NO_OPEN_SHIFT)
        if offline and (refusal := _offline_refusal(session, cart)) is not None:
            return _refused(SaleError.OUTSIDE_ALLOCATION, refusal)
        payload = wire.CounterSale(
            booking=replace(booking, shift=shift_id),
            lines=lines,
            payments=payments,
            hold=uuid.UUID(hold_id) if hold_id and not offline else None,
        ).to_wire()
        op_id = outbox_service.enqueue(session, type=wire.COUNTER_SALE, payload=payload)
        session.add(
            LocalSale(
                id=sale_id,
                created_at=now,
                payload=payload,
                op_id=op_id,
                event_id=cart.event_id,
                code=code,
                total=total.amount,
                currency=total.currency,
                seller=seller,
                offline=offline,
            )
        )
        _mark_sold(session, cart.event_id, lines)
        if session_hook is not None:
            session_hook(session)
    count = f"{len(lines)} ticket{'s' if len(lines) != 1 else ''}"
    if card is not None:
        paid = f"Card {card.brand.title()} •••• {card.last4} {card.amount.format()}".replace(
            "  ", " "
        )
        if change is not None:
            paid += f", cash {(total - card.amount).format()}. Change due {change.format()}"
        message = f"Sale {code} recorded: {count}, {total.format()}. {paid}."
    else:
        assert change is not None
        message = f"Sale {code} recorded: {count}, {total.format()}. Change due {change.format()}."
    return SaleResult(
        True,
        message,
        sale_id=sale_id,
        code=code,
        total=total,
        tendered=tendered,
        change=change,
        tickets=len(lines),
        offline=offline,
    )


REVIEW = "review"  # the server's booking state for a sale held for a manager's review


@dataclass(frozen=True, slots=True)
class SaleStatus:
    """Where a local sale stands with the server."""

    sale_id: uuid.UUID
    code: str
    state: str  # pending (not accepted yet), applied, review (held for a manager), rejected...
    message: str
    server_code: str = ""
    invoice: str | None = None


def sale_with_op(session, sale_id: uuid.UUID) -> tuple[LocalSale, OutboxOp | None] | None:
    """A local sale and its `counter_sale` op (None once the op was cleaned up)."""
    row = session.execute(
        select(LocalSale, OutboxOp)
        .outerjoin(OutboxOp, OutboxOp.id == LocalSale.op_id)
        .where(LocalSale.id == sale_id)
    ).first()
    return None if row is None else (row[0], row[1])


def _first(refusals: dict[str, str]) -> str:
    return str(next(iter(refusals.values())))


def sale_status(*, ctx: PosContext, sale_id: uuid.UUID) -> SaleStatus | None:
    with ctx.db.transaction() as session:
        row = sale_with_op(session, sale_id)
        if row is None:
            return None
        sale, op = row
        state = op.state if op is not None else "pending"
        result = (op.result if op is not None else None) or {}
        booking = result.get("booking") or {}
        if state == "applied" and booking.get("state") == REVIEW:
            # kept on the server, not refused: a manager accepts or rejects it there
            state = REVIEW
            message = (
                f"Sale {booking.get('code') or sale.code} is on the server, held for a "
                "manager's review: its prices differ from the server's. It is invoiced "
                "once a manager accepts it."
            )
            refusals = booking.get("override_refusals") or {}
            if refusals:  # a supervisor's price override whose approval did not count
                message += f" The price change's approval was not accepted: {_first(refusals)}"
        elif state == "applied":
            message = f"Sale {booking.get('code') or sale.code} is on the server"
            if booking.get("invoice"):
                message += f" (invoice {booking['invoice']})"
            message += "."
        elif state == "pending":
            message = f"Sale {sale.code} is kept on this counter until it reaches the server."
        else:
            message = f"The server refused sale {sale.code}: {op.last_error if op else ''}"
        return SaleStatus(
            sale.id,
            sale.code,
            str(state),
            message,
            server_code=str(booking.get("code") or ""),
            invoice=booking.get("invoice"),
        )
