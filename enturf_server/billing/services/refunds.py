"""Refunds of paid bookings: whole bookings or some of their lines.

Amount: each refunded line's price (what was paid for it) plus its per-ticket fee; the
refund that leaves no valid line takes whatever was paid and not yet refunded (so a
per-booking fee goes back with the last tickets). `enturf_core.pricing.refunds.refundable`
caps it at what was paid. Staff need the right `refund`; a role with a refund limit
(`accounts.rights.refund_limit_cents`: the cashier's is `SiteSettings.employee_refund_limit`
unless its grant sets one) refunds up to it per booking, in all (`check_refund_limit`),
above it with the signed approval of someone whose role covers the amount.

Money goes back on card payments first (through the gateway, up to what each card paid
and has not had back), then in cash. Steps: (1) plan under the booking's row lock and
store the refund as pending (its amount is then reserved); (2) refund the card parts at
the gateway, outside any transaction, idempotent by refund id; (3) complete: payments,
lines (`refunded`), seats back on sale through the inventory lock, booking state,
credit note, change log and audit, in one transaction. A replay of the refund id
resumes a refund that stopped between the steps.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import timezone

from enturf_core.gateway import GatewayError
from enturf_core.money import Money
from enturf_core.pricing.refunds import RefundError, refundable, refundable_for_lines
from enturf_core.staff_rights import ROLE_LABELS, Right
from enturf_server.accounts import approvals
from enturf_server.accounts.models import Approval
from enturf_server.accounts.rights import (
    cents_to_amount,
    ensure_right,
    refund_limit_cents,
    staff_role_of,
)
from enturf_server.api.errors import Conflict, Forbidden, ServiceError
from enturf_server.audit.services import record
from enturf_server.billing.models import (
    COUNTING_STATES,
    Payment,
    PaymentMethod,
    PaymentState,
    Refund,
    RefundMethod,
    RefundPart,
    RefundState,
)
from enturf_server.billing.selectors import booking_breakdown, paid_amount, refunded_amount
from enturf_server.billing.services import documents
from enturf_server.billing.services.gateway import gateway_failure, server_gateway, to_minor
from enturf_server.sales.feed import emit_booking
from enturf_server.sales.inventory import InventoryLock, SeatTarget
from enturf_server.sales.models import Booking, BookingLine, BookingState, LineState, SeatStatus
from enturf_server.sync import changes

REFUNDABLE_STATES = (BookingState.PAID, BookingState.PARTIALLY_REFUNDED)
CENT = Decimal("0.01")
REFUND_APPROVAL_KIND = "refund"  # a supervisor's override of a role's refund limit


def _fingerprint(booking_id, line_ids: Sequence | None, reason: str) -> str:
    data = {
        "booking": str(booking_id),
        "lines": None if line_ids is None else sorted(str(i) for i in line_ids),
        "reason": reason,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _lock_booking(booking_id) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",)).select_related("event").get(pk=booking_id)
    )


def create_refund(
    *,
    actor,
    booking: Booking,
    line_ids: Sequence[uuid.UUID] | None = None,
    reason: str = "",
    refund_id: uuid.UUID | None = None,
    device=None,
    void_review: bool = False,
    approval=None,
) -> tuple[Refund, bool]:
    """Refund `line_ids` of the booking (None: everything left). Staff with the right
    `refund`, up to their role's refund limit, or above it with the signed `approval` of
    someone whose role covers the amount, made at the counter (`device`) for this refund
    id and amount (accounts.approvals). Returns
    `(refund, created)`; a replay of `refund_id` with the same request returns (and if
    needed finishes) the first refund.

    `void_review`: the whole of a counter sale held for review is given back, which
    voids it (`sale_review.reject`): the booking ends `cancelled`, with no credit note
    (it was never invoiced): the caller checked the decision's right, no limit applies."""
    if not void_review:
        ensure_right(actor, Right.REFUND, "refund")
    limited = not void_review and refund_limit_cents(actor) is not None
    fingerprint = _fingerprint(booking.pk, line_ids, reason)
    if refund_id is not None and (existing := Refund.objects.filter(pk=refund_id).first()):
        if existing.request_fingerprint != fingerprint:
            raise Conflict(
                "This refund id was already used for a different refund.",
                code="refund_id_taken",
            )
        return execute_refund(refund=existing, actor=actor), False

    with changes.atomic():
        locked = _lock_booking(booking.pk)
        allowed = (BookingState.REVIEW,) if void_review and line_ids is None else REFUNDABLE_STATES
        if locked.state not in allowed:
            hint = " Cancel it instead." if locked.state == BookingState.PENDING else ""
            raise Conflict(
                f"Only a paid booking can be refunded; this one is {locked.state}.{hint}",
                code="not_refundable",
            )
        valid = {
            line.pk: line
            for line in BookingLine.objects.filter(booking=locked, state=LineState.VALID)
        }
        in_progress = set(
            Refund.lines.through.objects.filter(
                refund__booking=locked, refund__state=RefundState.PENDING
            ).values_list("bookingline_id", flat=True)
        )
        if line_ids is None:
            chosen = [line for pk, line in valid.items() if pk not in in_progress]
        else:
            chosen = _chosen_lines(locked, line_ids, valid, in_progress)
        if not chosen:
            raise Conflict("Nothing is left to refund on this booking.", code="nothing_to_refund")
        amount = _amount(locked, chosen, last=len(chosen) == len(valid))
        override = None
        if approval is not None and limited:  # a supervisor's override
            total = role_refunded(booking=locked, role=staff_role_of(actor)) + amount
            override = approvals.verify(
                proof=approval,
                kind=REFUND_APPROVAL_KIND,
                subject=str(refund_id),
                figures={"amount": f"{amount:.2f}"},
                device=device,
                amount_cents=int(total * 100),
            )
        if override is None and limited:
            check_refund_limit(actor=actor, booking=locked, amount=amount)
        parts = _allocate(locked, amount)
        methods = {payment.method for payment, _share in parts}
        refund = Refund.objects.create(
            id=refund_id or uuid.uuid4(),
            booking=locked,
            whole_booking=line_ids is None,
            amount=amount,
            currency=locked.currency,
            method=_method(methods),
            reason=reason,
            request_fingerprint=fingerprint,
            created_by=actor,
            device=device,
        )
        refund.lines.set(chosen)
        RefundPart.objects.bulk_create(
            RefundPart(refund=refund, payment=payment, amount=share) for payment, share in parts
        )
        if override is not None:
            record(
                actor=override.approver,
                action="refund.override",
                obj=refund,
                device=device,
                details={"approval": override.pk, "amount": str(amount), "cashier": actor.username},
            )
    return execute_refund(refund=refund, actor=actor), True


def role_refunded(*, booking: Booking, role) -> Decimal:
    """What users of `role` (not superusers, not the automatic refunds, not refunds an
    approver allowed at the counter) have refunded on the booking, pending refunds
    included (their amount is promised)."""
    refunds = dict(
        Refund.objects.filter(
            booking=booking,
            state__in=[RefundState.PENDING, RefundState.SUCCEEDED],
            created_by__role=getattr(role, "value", role),
            created_by__is_superuser=False,
        ).values_list("id", "amount")
    )
    approved = set(
        Approval.objects.filter(
            kind=REFUND_APPROVAL_KIND, subject__in=[str(i) for i in refunds]
        ).values_list("subject", flat=True)
    )
    total = sum((amount for i, amount in refunds.items() if str(i) not in approved), Decimal("0"))
    return (total or Decimal("0")).quantize(CENT)


def check_refund_limit(*, actor, booking: Booking, amount: Decimal) -> None:
    """The one place of the refund limit: a user whose role has a limit
    (`accounts.rights.refund_limit_cents`) may refund, per booking, up to it in all (what
    users of the role refunded on it before, plus `amount`); roles without a cap without
    limit. Called under the booking's row lock, so two refunds of one booking cannot both
    pass. Per booking, not per shift (docs/billing.md). Refusal: 403
    `refund_limit_exceeded`, details `limit`, `amount`, `already_refunded`, `total` and
    `left` (what users of the role may still refund on it)."""
    cents = refund_limit_cents(actor)
    role = staff_role_of(actor)
    if cents is None or role is None:
        return
    limit = cents_to_amount(cents)
    already = role_refunded(booking=booking, role=role)
    amount = amount.quantize(CENT)
    total = already + amount
    if total <= limit:
        return
    currency = booking.currency
    left = max(Decimal("0.00"), limit - already)
    who = f"{ROLE_LABELS[role]}s"
    message = f"{who} may refund up to {limit} {currency} per booking without an approval"
    if already > 0:
        message += (
            f". {already} {currency} of this booking was already refunded by {who.lower()}, "
            f"so this refund of {amount} {currency} would make {total} {currency}; up to "
            f"{left} {currency} more can be refunded without an approval."
        )
    else:
        message += f"; this refund is {amount} {currency}."
    raise Forbidden(
        message + " Ask someone whose role may refund this much to approve or make it.",
        code="refund_limit_exceeded",
        details={
            "limit": str(limit),
            "amount": str(amount),
            "already_refunded": str(already),
            "total": str(total),
            "left": str(left),
        },
    )


def _chosen_lines(booking, line_ids, valid, in_progress) -> list[BookingLine]:
    wanted = list(dict.fromkeys(line_ids))
    all_lines = {
        line.pk: line for line in BookingLine.objects.filter(booking=booking, pk__in=wanted)
    }
    unknown = [str(i) for i in wanted if i not in all_lines]
    if unknown:
        raise ServiceError(
            "Some lines are not lines of this booking.",
            code="unknown_line",
            details={"lines": unknown},
        )
    gone = [str(i) for i in wanted if i not in valid or i in in_progress]
    if gone:
        raise Conflict(
            "Some lines were already refunded or cancelled.",
            code="line_not_refundable",
            details={"lines": gone},
        )
    return [all_lines[i] for i in wanted]


def _amount(booking: Booking, lines: Sequence[BookingLine], *, last: bool) -> Decimal:
    currency = booking.currency
    paid = Money(paid_amount(booking=booking), currency)
    already = Money(refunded_amount(booking=booking), currency)
    try:
        if last:  # the last valid lines take everything left, booking fee included
            return refundable(paid, already).amount
        breakdown = booking_breakdown(booking=booking)
        numbers = {line.key: line.line_no for line in breakdown.ticket_lines()}
        priced = breakdown.lines_for([numbers[str(line.pk)] for line in lines])
        requested = refundable_for_lines(priced)
        if not requested.is_positive():
            return Decimal("0.00")
        return refundable(paid, already, requested).amount
    except RefundError as exc:
        raise Conflict(f"This refund is not possible: {exc}.", code="refund_exceeds_paid") from None


def _allocate(booking: Booking, amount: Decimal) -> list[tuple[Payment, Decimal]]:
    """Card payments first (oldest first), then cash, each up to what it has left."""
    if amount <= 0:
        return []
    payments = list(
        Payment.objects.select_for_update()
        .filter(booking=booking, state__in=COUNTING_STATES)
        .order_by("created_at", "pk")
    )
    reserved = dict(
        RefundPart.objects.filter(
            payment__in=payments, refund__state__in=[RefundState.PENDING, RefundState.SUCCEEDED]
        )
        .values_list("payment_id")
        .annotate(total=Sum("amount"))
    )
    payments.sort(key=lambda p: p.method != PaymentMethod.CARD)  # stable: cards first
    parts, left = [], amount
    for payment in payments:
        available = payment.amount - reserved.get(payment.pk, Decimal("0"))
        share = min(available, left)
        if share > 0:
            parts.append((payment, share))
            left -= share
        if left <= 0:
            break
    if left > 0:
        raise Conflict(
            "The payments of this booking do not cover this refund.", code="refund_exceeds_paid"
        )
    return parts


def _method(methods: set[str]) -> str:
    if not methods:
        return RefundMethod.NONE
    if methods == {PaymentMethod.CARD}:
        return RefundMethod.CARD
    if methods == {PaymentMethod.CASH}:
        return RefundMethod.CASH
    return RefundMethod.MIXED


def execute_refund(*, refund: Refund, actor=None) -> Refund:
    """Pay back the card parts at the gateway, then complete the refund."""
    if refund.state != RefundState.PENDING:
        return refund
    parts = list(refund.parts.select_related("payment").order_by("pk"))
    for part in parts:
        payment = part.payment
        if payment.method != PaymentMethod.CARD or part.gateway_refund_id:
            continue
        try:
            with server_gateway() as gateway:
                answer = gateway.create_refund(
                    f"{refund.pk}.{part.pk}",
                    payment.payment_intent,
                    amount_minor=to_minor(part.amount, refund.currency),
                    reason="requested_by_customer",
                    metadata={"booking": str(refund.booking_id), "refund": str(refund.pk)},
                )
        except GatewayError as exc:
            if not any(p.gateway_refund_id for p in parts):  # nothing went back yet
                Refund.objects.filter(pk=refund.pk, state=RefundState.PENDING).update(
                    state=RefundState.FAILED, failure_message=exc.message[:300]
                )
            raise gateway_failure(exc) from None
        part.gateway_refund_id = answer["id"]
        part.save(update_fields=["gateway_refund_id"])
    return _complete(refund=refund, actor=actor)


def _complete(*, refund: Refund, actor) -> Refund:
    with changes.atomic():
        booking = _lock_booking(refund.booking_id)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.state != RefundState.PENDING:
            return refund
        now = timezone.now()
        for part in refund.parts.all():
            Payment.objects.filter(pk=part.payment_id).update(
                refunded_amount=F("refunded_amount") + part.amount
            )
            payment = Payment.objects.get(pk=part.payment_id)
            payment.state = (
                PaymentState.REFUNDED
                if payment.refunded_amount >= payment.amount
                else PaymentState.PARTIALLY_REFUNDED
            )
            payment.save(update_fields=["state", "updated_at"])

        lines = list(refund.lines.all())
        automatic = not lines  # money the booking did not need (`plan_extra_refund`)
        if lines:
            _release_lines(booking, lines, now=now)
        if booking.state in REFUNDABLE_STATES and not automatic:
            left = BookingLine.objects.filter(booking=booking, state=LineState.VALID).exists()
            booking.state = BookingState.PARTIALLY_REFUNDED if left else BookingState.REFUNDED
            booking.version += 1
            booking.save(update_fields=["state", "version"])
        elif booking.state == BookingState.REVIEW and refund.whole_booking:  # rejected: void
            booking.state = BookingState.CANCELLED
            booking.version += 1
            booking.save(update_fields=["state", "version"])
        refund.state = RefundState.SUCCEEDED
        refund.completed_at = now
        refund.save(update_fields=["state", "completed_at"])
        if booking.paid_at is not None and refund.amount > 0 and not automatic:  # credit note
            documents.refund_completed(refund=refund)  # the credit note
        emit_booking(booking, list(booking.lines.all()))
        record(
            actor=actor,
            action="refund",
            obj=refund,
            device=refund.device,
            details={
                "booking": booking.code,
                "amount": str(refund.amount),
                "currency": refund.currency,
                "method": refund.method,
                "lines": [str(line.pk) for line in lines],
                "parts": [
                    {
                        "payment": str(p.payment_id),
                        "amount": str(p.amount),
                        "gateway": p.gateway_refund_id,
                    }
                    for p in refund.parts.all()
                ],
                "reason": refund.reason,
                "automatic": automatic,
            },
        )
    return refund


def _release_lines(booking: Booking, lines: Sequence[BookingLine], *, now) -> None:
    """Lines -> refunded; their seats and GA places back on sale (inventory lock protocol:
    the booking row is locked already, seat and area rows next, the event row last)."""
    BookingLine.objects.filter(pk__in=[line.pk for line in lines], state=LineState.VALID).update(
        state=LineState.REFUNDED
    )
    seat_ids = sorted(line.seat_id for line in lines if line.seat_id is not None)
    places = Counter(line.area_id for line in lines if line.area_id is not None)
    lock = InventoryLock(event=booking.event, now=now)
    lock.acquire(seat_ids=seat_ids, area_ids=sorted(places))
    for seat_id in seat_ids:
        row = lock.seats.get(seat_id)
        if row is not None and row.status == SeatStatus.SOLD and row.booking_id == booking.pk:
            lock.set_seat(row, SeatTarget(SeatStatus.AVAILABLE))
    for area_id, count in places.items():
        lock.change_area(area_id, sold=-count)
    lock.write()


# -- automatic refunds of money a booking did not need -------------------------------------------

UNFINISHED = (RefundState.PENDING, RefundState.FAILED)


def plan_extra_refund(*, payment: Payment, booking: Booking, amount: Decimal) -> Refund:
    """Store, pending, the automatic refund of `amount` of an online `payment` that
    succeeded when its (locked) booking no longer needed it: already covered by other
    payments (two checkouts, or cash taken at the box office while the customer's checkout
    was open), refunded, expired or cancelled. Audited (`payment.extra`); inside the
    caller's transaction, and `give_back_extra` runs it once that is committed. A refund
    without lines: the booking's state, lines and invoice stay as they are."""
    if booking.state == BookingState.PENDING or booking.state in REFUNDABLE_STATES:
        why = "the booking's other payments already covered it"
    else:
        why = f"the booking was {booking.state} when it arrived"
    refund = Refund.objects.create(
        booking=booking,
        amount=amount,
        currency=payment.currency,
        method=RefundMethod.CARD,
        reason=f"Automatic refund of an online payment the booking did not need: {why}.",
    )
    RefundPart.objects.create(refund=refund, payment=payment, amount=amount)
    record(
        actor=None,
        action="payment.extra",
        obj=payment,
        details={
            "booking": booking.code,
            "booking_state": booking.state,
            "payment_intent": payment.payment_intent,
            "paid": str(payment.amount),
            "amount": str(amount),
            "currency": payment.currency,
            "refund": str(refund.pk),
        },
    )
    return refund


def unfinished_extra_refund(*, payment: Payment) -> Refund | None:
    """The automatic refund of `payment` that has not gone through yet (the gateway did not
    answer), made pending again so that `give_back_extra` retries it with its own
    idempotency keys; inside the caller's transaction, the booking locked."""
    refund = (
        Refund.objects.select_for_update(of=("self",))
        .filter(parts__payment=payment, lines__isnull=True, state__in=UNFINISHED)
        .first()
    )
    if refund is not None and refund.state == RefundState.FAILED:
        refund.state, refund.failure_message = RefundState.PENDING, ""
        refund.save(update_fields=["state", "failure_message"])
    return refund


def give_back_extra(*, refund: Refund) -> Refund:
    """Run an automatic refund (`plan_extra_refund`). When the gateway does not answer it
    stays visible to staff as failed, and the next look at the payment (webhook or
    `pay/refresh/`) tries again."""
    try:
        return execute_refund(refund=refund)
    except ServiceError:
        return Refund.objects.get(pk=refund.pk)
