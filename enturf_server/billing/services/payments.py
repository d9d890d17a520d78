"""Payments: counter (cash, card verified at the gateway) and online (PaymentIntents).

A booking is paid when its succeeded payments cover its total. Becoming paid happens in
the transaction that records the covering payment: state `paid`, `paid_at`, lines
signed (ticketing), invoice issued (invoicing), change-log entry, audit entry.

Payments are accepted while the booking is still `pending` in the database, even just
past its TTL: with the booking row locked, the lazy expiry (which skips locked rows)
cannot take its seats meanwhile. Once it is expired or cancelled, a counter payment is
refused. Online: one PaymentIntent per booking and amount, created under the booking's
lock; an online payment that succeeds when the booking does not need it (already covered,
refunded, expired or cancelled) is refunded automatically (`refunds.plan_extra_refund`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from enturf_core.gateway import GatewayError, GatewayErrorCode
from enturf_core.gateway.results import payment_result
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.audit.services import record
from enturf_server.billing.models import (
    COUNTING_STATES,
    Payment,
    PaymentChannel,
    PaymentMethod,
    PaymentState,
    Refund,
)
from enturf_server.billing.selectors import balance, paid_amount
from enturf_server.billing.services import documents, refunds
from enturf_server.billing.services.gateway import gateway_failure, server_gateway, to_minor
from enturf_server.sales.feed import emit_booking
from enturf_server.sales.models import Booking, BookingState
from enturf_server.sales.selectors import effective_state
from enturf_server.sync import changes

# intent statuses that mean the card was approved: `requires_capture` for counter intents
# (manual capture: the POS captures right after the server accepted the payment)
APPROVED_STATUSES = ("succeeded", "requires_capture")


def payment_window() -> timedelta:
    """How long an online payment in progress keeps a pending booking (and its seats)."""
    return timedelta(seconds=getattr(settings, "ENTURF_PAYMENT_WINDOW_SECONDS", 900))


@dataclass(frozen=True)
class PaymentOutcome:
    payment: Payment
    booking: Booking
    balance: Decimal
    created: bool = True


def _fingerprint(**fields: Any) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def _lock_booking(booking_id) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",)).select_related("event").get(pk=booking_id)
    )


def _ensure_payable(booking: Booking) -> None:
    """The locked booking accepts payments (stored state pending)."""
    if booking.state == BookingState.PENDING:
        return
    if booking.state == BookingState.EXPIRED:
        raise Conflict(
            "This booking expired unpaid and its seats were released; book again.",
            code="booking_expired",
        )
    if booking.state == BookingState.CANCELLED:
        raise Conflict("This booking was cancelled.", code="booking_cancelled")
    raise Conflict("This booking is already paid.", code="already_paid")


def _outcome(payment: Payment, *, created: bool) -> PaymentOutcome:
    booking = Booking.objects.prefetch_related("lines").get(pk=payment.booking_id)
    return PaymentOutcome(
        payment=payment, booking=booking, balance=balance(booking=booking), created=created
    )


# -- becoming paid -----------------------------------------------------------------------------


def settle_if_covered(*, booking: Booking, actor=None, device=None) -> bool:
    """Mark the locked pending booking paid when its payments cover the total."""
    if booking.state != BookingState.PENDING:
        return False
    if paid_amount(booking=booking) < booking.total:
        return False
    now = timezone.now()
    Booking.objects.filter(pk=booking.pk).update(
        state=BookingState.PAID, paid_at=now, version=F("version") + 1
    )
    booking.refresh_from_db()
    documents.booking_paid(booking=booking)  # ticket codes, then the invoice
    emit_booking(booking, list(booking.lines.all()))
    record(
        actor=actor,
        action="booking.paid",
        obj=booking,
        device=device,
        details={"code": booking.code, "total": str(booking.total), "currency": booking.currency},
    )
    return True


# -- counter payments --------------------------------------------------------------------------


def _card_details(intent: dict[str, Any]) -> dict[str, Any]:
    result = payment_result(intent)
    card = result.card
    return {
        "gateway_status": intent.get("status", ""),
        "charge_id": result.charge_id or "",
        "card_brand": (card.brand or "") if card else "",
        "card_last4": (card.last4 or "") if card else "",
        "card_exp_month": card.exp_month if card else None,
        "card_exp_year": card.exp_year if card else None,
        "authorization_code": result.authorization_code or "",
    }


def retrieve_intent(intent_id: str) -> dict[str, Any]:
    try:
        with server_gateway() as gateway:
            return gateway.retrieve_payment_intent(intent_id)
    except GatewayError as exc:
        if exc.code in (GatewayErrorCode.NOT_FOUND, GatewayErrorCode.INVALID_REQUEST):
            raise ServiceError(
                f"The gateway knows no payment {intent_id!r}.",
                code="unknown_payment_intent",
                details={"payment_intent": intent_id},
            ) from None
        raise gateway_failure(exc) from None


def verify_intent(intent: dict[str, Any], *, booking_id, amount: Decimal, currency: str) -> None:
    """Refuse an intent that is not approved, or is for another amount, currency or
    booking. 409 `not_paid`; 400 `amount_mismatch`, `currency_mismatch`, `booking_mismatch`."""
    status = intent.get("status")
    details = {"payment_intent": intent.get("id"), "status": status}
    if (intent.get("metadata") or {}).get("booking") != str(booking_id):
        raise ServiceError(
            "This card payment was made for another booking.",
            code="booking_mismatch",
            details=details,
        )
    if str(intent.get("currency", "")).upper() != currency.upper():
        raise ServiceError(
            f"The card payment is in {str(intent.get('currency')).upper()}, not {currency}.",
            code="currency_mismatch",
            details=details,
        )
    if intent.get("amount") != to_minor(amount, currency):
        raise ServiceError(
            "The card payment's amount differs from the amount given.",
            code="amount_mismatch",
            details={**details, "gateway_amount_minor": intent.get("amount")},
        )
    if status not in APPROVED_STATUSES:
        raise Conflict(
            f"The card payment is not approved at the gateway (status {status}).",
            code="not_paid",
            details=details,
        )


def _replay(existing: Payment, fingerprint: str) -> PaymentOutcome:
    if existing.request_fingerprint != fingerprint:
        raise Conflict(
            "This payment id was already used for a different payment.",
            code="payment_id_taken",
            details={"payment": str(existing.pk)},
        )
    return _outcome(existing, created=False)


def take_counter_payment(
    *,
    actor,
    booking: Booking,
    payment_id: uuid.UUID,
    method: str,
    amount: Decimal,
    currency: str,
    payment_intent: str | None = None,
    device=None,
    intent: dict[str, Any] | None = None,
    settle: bool = True,
) -> PaymentOutcome:
    """Record a cash or card payment taken at the counter; idempotent by `payment_id`.

    Cash above the balance is accepted as tendered money with change; a card payment must
    be for no more than the balance, and counts only after the server retrieved its
    PaymentIntent with the secret key and checked it (`verify_intent`). `intent`: the
    PaymentIntent the caller has just retrieved with `retrieve_intent` (the counter-sale
    push fetches it before it locks any inventory); it is checked all the same.
    `settle=False`: a covered booking is not marked paid (a counter sale held for a
    manager's review, `counters.counter_sales`)."""
    currency = currency.upper()
    fingerprint = _fingerprint(
        booking=str(booking.pk),
        method=method,
        amount=str(amount.quantize(Decimal("0.01"))),
        currency=currency,
        payment_intent=payment_intent or "",
    )
    existing = Payment.objects.filter(pk=payment_id).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    if currency != booking.currency:
        raise ServiceError(
            f"This booking is paid in {booking.currency}, not {currency}.",
            code="currency_mismatch",
        )
    card: dict[str, Any] = {}
    if method == PaymentMethod.CARD:
        if not payment_intent:
            raise ServiceError(
                "A card payment needs its payment_intent.", code="payment_intent_required"
            )
        if intent is None or intent.get("id") != payment_intent:
            intent = retrieve_intent(payment_intent)  # outside the transaction: network
        verify_intent(intent, booking_id=booking.pk, amount=amount, currency=currency)
        card = _card_details(intent)
    elif payment_intent:
        raise ServiceError("A cash payment has no payment_intent.", code="invalid")

    with changes.atomic():
        locked = _lock_booking(booking.pk)
        existing = Payment.objects.filter(pk=payment_id).first()  # a concurrent duplicate
        if existing is not None:
            return _replay(existing, fingerprint)
        _ensure_payable(locked)
        if payment_intent and Payment.objects.filter(payment_intent=payment_intent).exists():
            raise Conflict(
                "This card payment was already recorded for a payment.",
                code="payment_intent_used",
            )
        due = balance(booking=locked)
        applied, tendered, change = amount, None, None
        if amount > due:
            if method == PaymentMethod.CARD:
                raise ServiceError(
                    f"A card payment cannot exceed the balance of {due} {currency}.",
                    code="overpayment",
                    details={"balance": str(due)},
                )
            applied, tendered, change = due, amount, amount - due
        payment = Payment.objects.create(
            id=payment_id,
            booking=locked,
            method=method,
            channel=PaymentChannel.COUNTER,
            amount=applied,
            tendered=tendered,
            change=change,
            currency=currency,
            state=PaymentState.SUCCEEDED,
            payment_intent=payment_intent or None,
            request_fingerprint=fingerprint,
            created_by=actor,
            device=device,
            succeeded_at=timezone.now(),
            **card,
        )
        record(
            actor=actor,
            action="payment.take",
            obj=payment,
            device=device,
            details={
                "booking": locked.code,
                "method": method,
                "amount": str(applied),
                "currency": currency,
                "tendered": None if tendered is None else str(tendered),
                "change": None if change is None else str(change),
                "payment_intent": payment_intent,
            },
        )
        if settle:
            settle_if_covered(booking=locked, actor=actor, device=device)
    return _outcome(payment, created=True)


# -- online payments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OnlinePayment:
    payment: Payment
    client_secret: str


# every online payment id is derived from its booking, amount and currency: the same id
# (and so the same gateway idempotency key `<payment id>:create`) for the same checkout
ONLINE_PAYMENT_NAMESPACE = uuid.UUID("3d7c2f6e-5b1a-4c8e-9a41-6f0e2d9b7c15")


def online_payment_id(booking: Booking, amount: Decimal) -> uuid.UUID:
    amount = amount.quantize(Decimal("0.01"))
    return uuid.uuid5(ONLINE_PAYMENT_NAMESPACE, f"{booking.pk}:{amount}:{booking.currency}")


def _online_intent(
    payment: Payment | None, payment_id: uuid.UUID, booking: Booking, due: Decimal
) -> dict[str, Any]:
    """The checkout's PaymentIntent: the payment's own while it can still be paid, else a
    new one whose idempotency key derives from the payment (and the canceled intent)."""
    with server_gateway() as gateway:
        if payment is not None and payment.payment_intent:
            intent = gateway.retrieve_payment_intent(payment.payment_intent)
            if intent.get("status") != "canceled":
                return intent
            local_id = f"{payment_id}.{payment.payment_intent}"  # replaces a canceled one
        else:
            local_id = str(payment_id)
        return gateway.create_payment_intent(
            local_id,
            to_minor(due, booking.currency),
            booking.currency,
            capture_method="automatic",
            payment_method_types=["card"],
            metadata={"booking": str(booking.pk), "payment": str(payment_id)},
            description=f"Booking {booking.code}",
        )


def start_online_payment(*, actor, booking: Booking) -> OnlinePayment:
    """Create (or reuse) the PaymentIntent with which the booking's owner pays the balance,
    and keep the booking for the payment window meanwhile.

    One intent per booking and amount: under the booking's row lock the payment id is
    derived from booking, amount and currency, and the intent is created with the
    idempotency key `<payment id>:create` (a concurrent or repeated call waits for the
    lock, then finds that payment and answers its intent)."""
    with changes.atomic():
        locked = _lock_booking(booking.pk)
        if effective_state(locked) == BookingState.EXPIRED:
            raise Conflict(
                "This booking expired unpaid and its seats were released; book again.",
                code="booking_expired",
            )
        _ensure_payable(locked)
        due = balance(booking=locked)
        if due <= 0:
            raise Conflict("This booking is already paid.", code="already_paid")
        payment_id = online_payment_id(locked, due)
        payment = Payment.objects.filter(pk=payment_id).first()
        try:  # the network, under the booking's lock: one intent per booking and amount
            intent = _online_intent(payment, payment_id, locked, due)
        except GatewayError as exc:
            raise gateway_failure(exc) from None
        if payment is None:
            payment = Payment.objects.create(
                id=payment_id,
                booking=locked,
                method=PaymentMethod.CARD,
                channel=PaymentChannel.ONLINE,
                amount=due,
                currency=locked.currency,
                payment_intent=intent["id"],
                gateway_status=intent.get("status", ""),
                created_by=actor,
            )
        elif payment.state == PaymentState.FAILED or payment.payment_intent != intent["id"]:
            payment.state = PaymentState.PENDING
            payment.payment_intent = intent["id"]
            payment.save(update_fields=["state", "payment_intent", "updated_at"])
        keep_until = timezone.now() + payment_window()
        if locked.expires_at is None or locked.expires_at < keep_until:
            Booking.objects.filter(pk=locked.pk).update(
                expires_at=keep_until, version=F("version") + 1
            )
            locked.refresh_from_db()
            emit_booking(locked, list(locked.lines.all()))
    return OnlinePayment(payment=payment, client_secret=intent.get("client_secret") or "")


def _extra(booking: Booking, payment: Payment) -> Decimal:
    """What of `payment`, just counted, the locked booking does not need: all of it once the
    booking is no longer pending (already paid or refunded, expired, cancelled), else what
    the booking's payments now hold beyond its total."""
    if booking.state != BookingState.PENDING:
        return payment.amount
    over = paid_amount(booking=booking) - booking.total
    return min(payment.amount, max(Decimal("0.00"), over))


def apply_online_intent(
    *, intent: dict[str, Any], actor=None
) -> tuple[Payment | None, Refund | None]:
    """Bring the online payment of `intent` up to date, inside the caller's
    `changes.atomic()`. Returns `(payment, refund)`: `refund` is the automatic refund of
    money the booking did not need (stored pending, with its audit entry); the caller
    runs it with `refunds.give_back_extra` once this transaction is committed."""
    payment = Payment.objects.filter(
        payment_intent=intent.get("id"), channel=PaymentChannel.ONLINE
    ).first()
    if payment is None:
        return None, None
    booking = _lock_booking(payment.booking_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    status = intent.get("status", "")
    if status in APPROVED_STATUSES:
        if payment.state in COUNTING_STATES:
            return payment, refunds.unfinished_extra_refund(payment=payment)
        verify_intent(
            intent, booking_id=booking.pk, amount=payment.amount, currency=payment.currency
        )
        for name, value in _card_details(intent).items():
            setattr(payment, name, value)
        payment.state = PaymentState.SUCCEEDED
        payment.succeeded_at = timezone.now()
        payment.failure_code = ""
        payment.save()
        extra = _extra(booking, payment)
        settle_if_covered(booking=booking, actor=actor)
        if extra <= 0:
            return payment, None
        return payment, refunds.plan_extra_refund(payment=payment, booking=booking, amount=extra)
    error = intent.get("last_payment_error") or {}
    payment.gateway_status = status
    if payment.state == PaymentState.PENDING and (error or status == "canceled"):
        payment.state = PaymentState.FAILED
        payment.failure_code = str(error.get("decline_code") or error.get("code") or status)[:60]
    payment.save()
    return payment, None


def refresh_online_payment(*, actor, booking: Booking) -> PaymentOutcome:
    """Ask the gateway about the booking's online payments (when no webhook came): each
    one not yet counted, or with an automatic refund left to finish, and the latest."""
    online = list(
        Payment.objects.filter(
            booking=booking, channel=PaymentChannel.ONLINE, payment_intent__isnull=False
        ).order_by("created_at", "pk")
    )
    if not online:
        raise Conflict("No online payment was started for this booking.", code="no_payment")
    unfinished = set(
        Refund.objects.filter(
            booking=booking, lines__isnull=True, state__in=refunds.UNFINISHED
        ).values_list("parts__payment_id", flat=True)
    )
    latest = online[-1]
    for payment in online:
        settled = payment.state in COUNTING_STATES and payment.pk not in unfinished
        if settled and payment is not latest:
            continue
        intent = retrieve_intent(payment.payment_intent)
        with changes.atomic():
            _payment, refund = apply_online_intent(intent=intent, actor=actor)
        if refund is not None:
            refunds.give_back_extra(refund=refund)
    return _outcome(Payment.objects.get(pk=latest.pk), created=False)
