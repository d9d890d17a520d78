"""Refunding and cancelling bookings from the counter, through the server.

The server decides everything (`POST /api/v1/refunds/`: who may refund how much, which
lines are still refundable, where the money goes) and gives card parts back to the card
itself with its secret key. Refunds therefore need the server: offline they are refused
here with a plain message. Cash parts are cash out of this counter's drawer: every refund
made here is recorded in `local_refunds` with what went back per method, for the shift
report, and the cashier is told what to do ("Give back €20.00 cash", "€20.00 back to the
card ending 4242").

The refund id is chosen here; a retry with the same id (after the connection broke) is
answered by the server with the first refund, and recorded once.

Functions are for a worker thread and answer result objects; nothing raises for a
network or server problem.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from enturf_core.money import Money
from enturf_core.staff_rights import Right
from enturf_pos.models import LocalRefund
from enturf_pos.services.sales.booking_lookup import BOOKINGS, REFUNDS, results_of
from enturf_pos.services.sales.booking_records import (
    BookingDetail,
    BookingPayment,
    payment_from_api,
)
from enturf_pos.services.session import approvals
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.open_shift import open_shift_id
from enturf_pos.services.shifts.shift_records import CASH

log = logging.getLogger(__name__)

REFUND_APPROVAL = "refund"  # the approval kind the server checks above the limit
NEEDS_SERVER = (
    "Refunds need the server, and it cannot be reached from this counter right now. "
    "Nothing was refunded; try again when the counter is online."
)
NO_SHIFT = (
    "Refunds are booked to the shift open at this counter, and none is open. Open the "
    "shift (Open shift, with the float) and refund again; nothing was refunded."
)
NOT_SIGNED_IN = (
    "Refunds need the server, and this session is not signed in to it (offline login). "
    "Nothing was refunded; try again once the counter shows Online."
)


@dataclass(frozen=True, slots=True)
class MoneyBack:
    """What went back one way: cash from the drawer, or to one card."""

    method: str  # cash, card
    amount: Money
    card: str = ""  # "Visa ending 4242"

    @property
    def instruction(self) -> str:
        if self.method == "cash":
            return f"Give back {self.amount.format()} cash."
        to = f"the card {self.card.split(' ', 1)[1]}" if " ending " in self.card else "the card"
        return f"{self.amount.format()} back to {to} (done by the server)."


class RefundError(StrEnum):
    """Why a refund was refused (`RefundResult.code`): match on this, not on the message.
    A refusal by the server carries the server's code: a member here when the counter
    knows it, else the server's text as it is (`ApiError.code_as`)."""

    NO_SHIFT = "no_shift"  # no shift is open at this counter
    DRAWER_SHORT = "drawer_short"  # the drawer has not the cash to give back
    NO_SESSION = "no_session"  # not signed in to the server
    APPROVAL_REFUSED = "approval_refused"  # the administrator's approval was refused
    NO_LINES = "no_lines"  # no ticket ticked
    UNKNOWN_OUTCOME = "unknown_outcome"  # the connection broke after sending: retry
    UNREACHABLE = "unreachable"
    REFUND_FAILED = "refund_failed"  # the server tried and the card refund failed
    # the server's refusals the counter words itself
    LIMIT_EXCEEDED = "refund_limit_exceeded"  # above the cashier's limit: ask an admin
    LINE_NOT_REFUNDABLE = "line_not_refundable"
    NOTHING_TO_REFUND = "nothing_to_refund"
    NOT_REFUNDABLE = "not_refundable"
    PERMISSION_DENIED = "permission_denied"


@dataclass(frozen=True, slots=True)
class RefundResult:
    ok: bool
    message: str
    code: RefundError | str = ""
    refund_id: uuid.UUID | None = None
    amount: Money | None = None
    back: tuple[MoneyBack, ...] = ()
    reachable: bool = True
    may_have_acted: bool = False  # the connection broke after sending: retry with the same id

    @property
    def cash(self) -> Money | None:
        return next((b.amount for b in self.back if b.method == "cash"), None)


@dataclass(frozen=True, slots=True)
class CancelResult:
    ok: bool
    message: str
    code: str = ""


@dataclass(frozen=True, slots=True)
class Override:
    """An administrator's approval typed in place, for a refund above the cashier's limit
    of `amount` (what the server said the refund is)."""

    username: str
    password: str = field(repr=False)
    amount: Money


def _limit_refusal(exc: ApiError, currency: str) -> RefundResult:
    """The limit is per booking: what cashiers refunded on it before counts too. An
    administrator can approve the refund in place (`Override`)."""
    details = exc.details

    def money(key: str, default: str | None = None) -> str:
        return Money(Decimal(str(details.get(key, default))), currency).format()

    try:
        limit, asked = money("limit"), Money(Decimal(str(details["amount"])), currency)
        already = Decimal(str(details.get("already_refunded", "0")))
        if already > 0:
            message = (
                f"This refund is {asked.format()}, and {money('already_refunded')} of this "
                f"booking was already refunded by cashiers: {money('total')} in all. Cashiers "
                f"may refund up to {limit} per booking (the employee refund limit; "
                f"{money('left')} left). An administrator can approve it here."
            )
        else:
            message = (
                f"This refund is {asked.format()}; cashiers may refund up to {limit} per "
                "booking (the employee refund limit). An administrator can approve it here."
            )
    except (KeyError, ArithmeticError, ValueError, TypeError):
        message = f"{exc.message} Ask an administrator to make this refund."
        return RefundResult(False, message, code=RefundError.LIMIT_EXCEEDED)
    return RefundResult(False, message, code=RefundError.LIMIT_EXCEEDED, amount=asked)


def _refusal(exc: ApiError, booking: BookingDetail) -> RefundResult:
    currency = booking.summary.total.currency
    code = exc.code_as(RefundError)
    if code == RefundError.LIMIT_EXCEEDED:
        return _limit_refusal(exc, currency)
    elif exc.status == 404:
        message = (
            f"Booking {booking.code} is not on the server yet (this counter has not sent "
            "the sale). Sync now (F5) and try again."
        )
    elif code in (RefundError.LINE_NOT_REFUNDABLE, RefundError.NOTHING_TO_REFUND):
        message = f"{exc.message} It was already refunded or cancelled; look at the booking again."
    elif code == RefundError.NOT_REFUNDABLE:
        message = exc.message
    elif code == RefundError.PERMISSION_DENIED or exc.status == 403:
        message = f"You may not refund: {exc.message}"
    else:
        message = f"The server refused the refund: {exc.message}"
    return RefundResult(False, message, code=code)


def _money_back(
    parts: Sequence[Mapping[str, Any]], payments: Mapping[uuid.UUID, BookingPayment], currency: str
) -> tuple[MoneyBack, ...]:
    """Refund parts (per payment) summed per method, and per card."""
    totals: dict[tuple[str, str], Money] = {}
    for part in parts:
        payment = payments.get(uuid.UUID(str(part["payment"])))
        method = payment.method if payment is not None else "cash"
        card = payment.label if payment is not None and method == "card" else ""
        amount = Money(Decimal(str(part["amount"])), currency)
        key = (method, card)
        totals[key] = totals[key] + amount if key in totals else amount
    return tuple(
        MoneyBack(method, amount, card)
        for (method, card), amount in sorted(totals.items(), key=lambda kv: kv[0][0] != "cash")
        if not amount.is_zero()
    )


def refund(
    *,
    ctx: PosContext,
    booking: BookingDetail,
    line_ids: Sequence[uuid.UUID] | None,
    user: str,
    refund_id: uuid.UUID,
    reason: str = "",
    shift_id: uuid.UUID | None = None,
    override: Override | None = None,
) -> RefundResult:
    """Refund the chosen lines of `booking` (None: everything left) through the server and
    record it in `local_refunds` (linked to `shift_id`, by default the shift open at this
    counter; without an open shift nothing is refunded). Use the same `refund_id` to retry
    the same refund. Above the cashier's limit an administrator's `override` is checked and
    signed (services/session/approvals.py)."""
    if shift_id is None:
        with ctx.db.transaction() as session:
            shift_id = open_shift_id(session)
    if shift_id is None:
        return RefundResult(False, NO_SHIFT, code=RefundError.NO_SHIFT)
    if (short := _drawer_short(ctx, booking, line_ids)) is not None:
        return RefundResult(False, short, code=RefundError.DRAWER_SHORT)
    client = ctx.user_client()
    if client is None:
        return RefundResult(False, NOT_SIGNED_IN, code=RefundError.NO_SESSION, reachable=False)
    body: dict[str, Any] = {"id": str(refund_id), "booking": str(booking.id), "reason": reason}
    if override is not None:
        approval = approvals.approve(
            ctx=ctx,
            username=override.username,
            password=override.password,
            request=approvals.ApprovalRequest(
                REFUND_APPROVAL, str(refund_id), {"amount": override.amount.amount_text()}
            ),
            right=Right.REFUND,
            amount_cents=override.amount.to_minor_units(),
        )
        if not approval.ok or approval.proof is None:
            client.close()
            return RefundResult(False, approval.message, code=RefundError.APPROVAL_REFUSED)
        body["approval"] = approval.proof
    if line_ids is not None:
        if not line_ids:
            return RefundResult(
                False, "Tick the tickets to refund first.", code=RefundError.NO_LINES
            )
        body["lines"] = [str(line) for line in line_ids]
    try:
        try:
            answer = client.post(REFUNDS, body)
        except ServerUnreachable as exc:
            if exc.request_sent:
                return RefundResult(
                    False,
                    "The connection broke while the server was refunding; it may have refunded "
                    "already. Press Refund again when online: the same refund is asked "
                    "for, never a second one.",
                    code=RefundError.UNKNOWN_OUTCOME,
                    reachable=False,
                    may_have_acted=True,
                )
            return RefundResult(False, NEEDS_SERVER, code=RefundError.UNREACHABLE, reachable=False)
        except ApiError as exc:
            return _refusal(exc, booking)
        currency = str(answer.get("currency") or booking.summary.total.currency)
        amount = Money(Decimal(str(answer["amount"])), currency)
        if answer.get("state") != "succeeded":
            why = answer.get("failure_message") or "the card could not be refunded"
            return RefundResult(
                False,
                f"The refund did not go through: {why}. Nothing was given back; keep the "
                "tickets and try again, or ask an administrator.",
                code=RefundError.REFUND_FAILED,
                refund_id=refund_id,
                amount=amount,
            )
        payments = {p.id: p for p in booking.payments}
        parts = answer.get("parts") or []
        if any(uuid.UUID(str(p["payment"])) not in payments for p in parts):
            try:
                fresh = client.get(f"{BOOKINGS}{booking.id}/payments/")
                payments = {
                    p.id: p for p in (payment_from_api(d, currency) for d in results_of(fresh))
                }
            except (ServerUnreachable, ApiError) as exc:
                log.warning("payments of %s not read after the refund: %s", booking.id, exc)
    finally:
        client.close()

    back = _money_back(parts, payments, currency)
    _record(ctx, answer, booking, back, user=user, reason=reason, shift_id=shift_id)
    steps = " ".join(b.instruction for b in back) or "Nothing to give back (free tickets)."
    lines = len(answer.get("lines") or ())
    what = f"{lines} ticket{'s' if lines != 1 else ''} of {booking.code}"
    return RefundResult(
        True,
        f"Refunded {amount.format()} for {what}. {steps}",
        refund_id=uuid.UUID(str(answer["id"])),
        amount=amount,
        back=back,
    )


def _drawer_short(
    ctx: PosContext, booking: BookingDetail, line_ids: Sequence[uuid.UUID] | None
) -> str | None:
    """A booking paid only in cash gives cash back from this drawer: never more than the
    drawer should hold (the cash expected of the shift stays >= 0)."""
    if not booking.payments or any(p.method != "cash" for p in booking.payments):
        return None
    chosen = set(line_ids) if line_ids is not None else None
    lines = [
        line for line in booking.lines if line.refundable and (chosen is None or line.id in chosen)
    ]
    if not lines:
        return None
    amount = Money.total((line.price for line in lines), lines[0].price.currency)
    report = shift_service.shift_report(ctx=ctx)
    if report is None:
        return None
    in_drawer = report.expected[CASH]
    if amount.amount <= in_drawer.amount:
        return None
    return (
        f"This refund gives back {amount.format()} in cash, and the drawer should hold "
        f"{in_drawer.format()}. Put cash in (Cash in) first; nothing was refunded."
    )


def _record(
    ctx: PosContext,
    answer: Mapping[str, Any],
    booking: BookingDetail,
    back: Sequence[MoneyBack],
    *,
    user: str,
    reason: str,
    shift_id: uuid.UUID,
) -> None:
    refund_id = uuid.UUID(str(answer["id"]))
    by_line = {line.id: line for line in booking.lines}
    lines = []
    for line_id in answer.get("lines") or ():
        line = by_line.get(uuid.UUID(str(line_id)))
        lines.append(
            {
                "line": str(line_id),
                "event": line.event_id if line else None,
                "ticket": line.ticket_id if line else None,
                "amount": line.price.amount_text() if line else None,
            }
        )
    with ctx.db.transaction() as session:
        if session.get(LocalRefund, refund_id) is not None:
            return  # a replay of a refund already recorded
        session.add(
            LocalRefund(
                id=refund_id,
                booking_id=booking.id,
                booking_code=booking.code,
                amount=Decimal(str(answer["amount"])),
                currency=str(answer.get("currency") or booking.summary.total.currency),
                parts=[{"method": b.method, "amount": b.amount.amount_text()} for b in back],
                lines=lines,
                user=user,
                reason=reason,
                shift_id=shift_id,
            )
        )


def cancel(*, ctx: PosContext, booking: BookingDetail) -> CancelResult:
    """Cancel an unpaid (pending) booking on the server: its seats go back on sale."""
    client = ctx.user_client()
    if client is None:
        return CancelResult(False, NOT_SIGNED_IN.replace("Refunds", "Cancelling"), "no_session")
    try:
        answer = client.post(f"{BOOKINGS}{booking.id}/cancel/")
    except ServerUnreachable:
        return CancelResult(
            False,
            "Cancelling needs the server, and it cannot be reached right now. Nothing was changed.",
            "unreachable",
        )
    except ApiError as exc:
        return CancelResult(False, f"The server refused to cancel: {exc.message}", exc.code)
    finally:
        client.close()
    return CancelResult(
        True, f"Booking {answer.get('code') or booking.code} cancelled; its places are free again."
    )
