"""Counter sales held for a manager's review, and the manager's decision.

A counter sale recorded at prices the server did not agree to (`counters.counter_sales`)
is kept in state `review`: its seats are sold, its payments recorded, its lines carry
the server's price (`BookingLine.server_price`) next to the counter's, and it has no
invoice. An administrator decides:

* ``accept``: the sale stands at the counter's prices; it becomes paid and is invoiced,
  exactly as a sale that was paid at once (`payments.settle_if_covered`);
* ``reject``: the sale is voided through the refund service (`refunds.create_refund`
  with ``void_review``): card money goes back through the gateway, cash is recorded as a
  cash refund that the venue gives back to the buyer, the seats go back on sale and the
  booking ends `cancelled`. A reject that stopped half-way (gateway unreachable) is
  finished by deciding again.

Both decisions are audited (`booking.review_accepted` / `booking.review_rejected`) with
the manager's reason and the two prices of each line.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from enturf_core.staff_rights import Right
from enturf_server.accounts.rights import ensure_right
from enturf_server.api.errors import Conflict, NotFound, ServiceError
from enturf_server.audit.services import record
from enturf_server.billing.models import PaymentMethod, Refund, RefundState
from enturf_server.billing.services.payments import settle_if_covered
from enturf_server.billing.services.refunds import create_refund
from enturf_server.sales.models import Booking, BookingState
from enturf_server.sync import changes

ACCEPT, REJECT = "accept", "reject"
DECISIONS = (ACCEPT, REJECT)
_REFUND_NAMESPACE = uuid.UUID("0b6f3f0e-8f7c-4c1e-9a35-2f1d7c5e4b21")


@dataclass(frozen=True)
class ReviewDecision:
    booking: Booking
    decision: str
    refund: Refund | None = None


def sales_in_review() -> QuerySet[Booking]:
    return (
        Booking.objects.filter(state=BookingState.REVIEW)
        .select_related("created_by", "device", "event")
        .prefetch_related("lines")
        .order_by("created_at", "id")
    )


def line_prices(booking: Booking) -> list[dict[str, Any]]:
    """Each line's counter price and, where it differs, the server's."""
    return [
        {
            "line": str(line.pk),
            "ticket": line.ticket_id,
            "counter_price": str(line.price),
            "server_price": None if line.server_price is None else str(line.server_price),
        }
        for line in booking.lines.all()
    ]


def decide(
    *, actor, booking_id: uuid.UUID, decision: str, reason: str = "", device=None
) -> ReviewDecision:
    """Apply a decision on a sale held for review (right `override_price`)."""
    ensure_right(actor, Right.OVERRIDE_PRICE, "decide on a sale held for review")
    if decision not in DECISIONS:
        raise ServiceError(
            f"The decision is {' or '.join(DECISIONS)}, not {decision!r}.", code="invalid"
        )
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        raise NotFound("There is no such booking.")
    if decision == ACCEPT:
        return _accept(actor, booking.pk, reason, device)
    return _reject(actor, booking, reason, device)


def _not_in_review(booking: Booking) -> Conflict:
    return Conflict(
        f"Booking {booking.code} is not held for review (it is {booking.state}).",
        code="not_in_review",
        details={"state": booking.state},
    )


def _accept(actor, booking_id: uuid.UUID, reason: str, device) -> ReviewDecision:
    with changes.atomic():
        locked = Booking.objects.select_for_update(of=("self",)).get(pk=booking_id)
        if locked.state != BookingState.REVIEW:
            raise _not_in_review(locked)
        if Refund.objects.filter(booking=locked, state=RefundState.PENDING).exists():
            raise Conflict(
                f"Booking {locked.code} is being rejected (its money is going back); "
                "decide again once that finished.",
                code="rejection_in_progress",
            )
        prices = line_prices(locked)
        # back to pending inside this transaction only: becoming paid is then the one path
        # every sale takes (paid_at, codes, invoice, change log, audit)
        Booking.objects.filter(pk=locked.pk).update(state=BookingState.PENDING)
        locked.state = BookingState.PENDING
        if not settle_if_covered(booking=locked, actor=actor, device=device):
            raise Conflict(
                "The sale's payments do not cover its total; it cannot be accepted.",
                code="underpaid",
            )
        record(
            actor=actor,
            action="booking.review_accepted",
            obj=locked,
            device=device,
            details={"code": locked.code, "reason": reason, "lines": prices},
        )
    return ReviewDecision(booking=_fresh(booking_id), decision=ACCEPT)


def _reject(actor, booking: Booking, reason: str, device) -> ReviewDecision:
    if booking.state != BookingState.REVIEW:
        raise _not_in_review(booking)
    prices = line_prices(booking)
    # one refund id per attempt: a retry after a stop resumes it; after a failed one
    # (nothing went back) the next attempt is a new refund
    failed = Refund.objects.filter(booking=booking, state=RefundState.FAILED).count()
    refund_id = uuid.uuid5(_REFUND_NAMESPACE, f"{booking.pk}:reject:{failed}")
    refund, _created = create_refund(
        actor=actor,
        booking=booking,
        reason=f"Sale rejected in review: {reason}".strip()[:500],
        refund_id=refund_id,
        device=device,
        void_review=True,
    )
    parts = list(refund.parts.select_related("payment"))
    cash = sum(
        (p.amount for p in parts if p.payment.method == PaymentMethod.CASH),
        Decimal("0.00"),
    )
    with changes.atomic():
        record(
            actor=actor,
            action="booking.review_rejected",
            obj=booking,
            device=device,
            details={
                "code": booking.code,
                "reason": reason,
                "lines": prices,
                "refund": str(refund.pk),
                "refunded": str(refund.amount),
                "cash_to_give_back": str(cash),
            },
        )
    return ReviewDecision(booking=_fresh(booking.pk), decision=REJECT, refund=refund)


def _fresh(booking_id: uuid.UUID) -> Booking:
    return Booking.objects.prefetch_related("lines").get(pk=booking_id)
