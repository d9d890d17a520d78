"""Reading billing data: what a booking costs, what was paid and refunded, who sees what."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from enturf_core.money import Money
from enturf_core.pricing.breakdown import PriceBreakdown, compute_breakdown
from enturf_core.pricing.terms import LineInput
from enturf_server.accounts.roles import is_staff_role
from enturf_server.billing.models import (
    COUNTING_STATES,
    BookingBreakdown,
    Payment,
    Refund,
    RefundState,
    Voucher,
    VoucherRedemption,
)
from enturf_server.sales.models import Booking, BookingState

ZERO = Decimal("0.00")


def booking_breakdown(*, booking: Booking) -> PriceBreakdown:
    """The booking's price breakdown; ticket lines are keyed by booking line id.

    Stored when the booking had a fee or a voucher; otherwise rebuilt from its lines (a
    line's price is what was paid for it, tax included, so rebuilding gives the same
    numbers)."""
    stored = BookingBreakdown.objects.filter(booking=booking).first()
    if stored is not None:
        return PriceBreakdown.from_dict(stored.data)
    lines = sorted(booking.lines.all(), key=lambda line: str(line.pk))
    return compute_breakdown(
        [
            LineInput(
                unit_price=Money(line.price, booking.currency),
                tax_rate=line.tax_rate,
                key=str(line.pk),
                ticket_id=str(line.ticket_id),
            )
            for line in lines
        ],
        currency=booking.currency,
    )


def paid_amount(*, booking: Booking) -> Decimal:
    """What succeeded payments applied to the booking (refunds not deducted)."""
    total = Payment.objects.filter(booking=booking, state__in=COUNTING_STATES).aggregate(
        s=Sum("amount")
    )["s"]
    return total or ZERO


def refunded_amount(*, booking: Booking, include_pending: bool = True) -> Decimal:
    """Refunded so far; pending refunds count too (their amount is promised)."""
    states = [RefundState.SUCCEEDED, *([RefundState.PENDING] if include_pending else [])]
    total = Refund.objects.filter(booking=booking, state__in=states).aggregate(s=Sum("amount"))["s"]
    return total or ZERO


def balance(*, booking: Booking) -> Decimal:
    """What is still to pay (never negative)."""
    return max(ZERO, booking.total - paid_amount(booking=booking))


def _live(now: datetime) -> Q:
    """Redemptions that count: bookings paid (refunded ones included) or pending and not
    expired."""
    return Q(booking__state__in=[BookingState.PAID, *_REFUND_STATES]) | Q(
        Q(booking__expires_at__isnull=True) | Q(booking__expires_at__gt=now),
        booking__state=BookingState.PENDING,
    )


def voucher_uses(*, voucher: Voucher, now: datetime | None = None) -> int:
    """Uses that count: bookings paid (refunded ones included) or pending and not expired.
    A cancelled or expired booking gives its use back, even before the lazy clean-up."""
    live = _live(now or timezone.now())
    return VoucherRedemption.objects.filter(live, voucher=voucher).count()


_REFUND_STATES = (BookingState.PARTIALLY_REFUNDED, BookingState.REFUNDED)


def vouchers() -> QuerySet[Voucher]:
    """With `uses` counted in the same query (a subquery: filters joining events or
    tickets cannot multiply it), not one query per voucher."""
    counted = (
        VoucherRedemption.objects.filter(_live(timezone.now()), voucher=OuterRef("pk"))
        .values("voucher")
        .annotate(n=Count("pk"))
        .values("n")
    )
    uses = Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    return Voucher.objects.prefetch_related("events", "tickets").annotate(uses=uses)


def voucher_redemptions(*, voucher: Voucher) -> QuerySet[VoucherRedemption]:
    """Every redemption of `voucher`, newest first, with its booking (counting or not)."""
    return (
        VoucherRedemption.objects.filter(voucher=voucher)
        .select_related("booking", "booking__device")
        .order_by("-created_at", "-id")
    )


def refunds_for(*, user, booking_id=None) -> QuerySet[Refund]:
    """Staff see every refund; a customer those of their own bookings."""
    refunds = Refund.objects.select_related("booking").prefetch_related("lines", "parts")
    if not is_staff_role(user):
        refunds = refunds.filter(booking__owner=user)
    if booking_id is not None:
        refunds = refunds.filter(booking_id=booking_id)
    return refunds


def payments_of(*, booking: Booking) -> QuerySet[Payment]:
    return Payment.objects.filter(booking=booking)
