"""What billing adds to the pricing of a booking: the booking fee and a voucher.

Sales' booking transaction calls `booking_extras` before it prices the tickets (with
`sales.pricing.price_tickets`, which runs `enturf_core.pricing.breakdown.compute_breakdown`) and
`record_booking_pricing` once the booking row exists, through `sales.pricing_extras`
(`BillingConfig.ready()` plugs both in); counter sales call them directly. A booking
without fee and voucher costs no extra query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from enturf_core.money import Money
from enturf_core.pricing.breakdown import PriceBreakdown
from enturf_core.pricing.terms import BookingFee, FeeBasis
from enturf_core.pricing.terms import Voucher as PricingVoucher
from enturf_server.billing.models import BookingBreakdown
from enturf_server.billing.services.vouchers import VoucherUse, record_redemption, redeem_voucher


@dataclass(frozen=True)
class BookingExtras:
    fee: BookingFee | None = None
    voucher_use: VoucherUse | None = None

    @property
    def voucher(self) -> PricingVoucher | None:
        return self.voucher_use.pricing if self.voucher_use else None

    @property
    def any(self) -> bool:
        return self.fee is not None or self.voucher_use is not None


NO_EXTRAS = BookingExtras()


def booking_fee(*, settings, currency: str) -> BookingFee | None:
    """The fee of the site settings, or None when there is none."""
    if not settings.booking_fee_amount:
        return None
    return BookingFee(
        amount=Money(settings.booking_fee_amount, currency),
        tax_rate=settings.booking_fee_tax_rate,
        basis=FeeBasis(settings.booking_fee_basis),
    )


def booking_extras(
    *,
    settings,
    event,
    tickets: Sequence,
    voucher_code: str = "",
    online: bool,
    now: datetime,
) -> BookingExtras:
    """The fee (online bookings only: the counter sells without one) and the voucher,
    locked for this transaction. Refuses an unusable voucher code with a 400."""
    if not voucher_code and not (online and settings.booking_fee_amount):
        return NO_EXTRAS
    currency = tickets[0].currency if tickets else settings.currency
    fee = booking_fee(settings=settings, currency=currency) if online else None
    use = None
    if voucher_code:
        use = redeem_voucher(
            code=voucher_code, event=event, tickets=tickets, currency=currency, now=now
        )
    return BookingExtras(fee=fee, voucher_use=use)


def record_booking_pricing(
    *, booking, lines: Sequence, breakdown: PriceBreakdown | None, extras: BookingExtras
) -> None:
    """Store the breakdown and the voucher use, and set each line's discount. `lines` are
    the unsaved booking lines in the order they were priced."""
    if not extras.any or breakdown is None:
        return
    ticket_lines = breakdown.ticket_lines()
    data = breakdown.to_dict()
    keys = {}
    for line, priced in zip(lines, ticket_lines, strict=True):
        line.discount = priced.discount.amount
        keys[priced.line_no] = str(line.pk)
    for entry in data["lines"]:
        if entry["line_no"] in keys:
            entry["key"] = keys[entry["line_no"]]
    BookingBreakdown.objects.create(booking=booking, data=data)
    if extras.voucher_use is not None:
        record_redemption(
            use=extras.voucher_use,
            booking=booking,
            discount=breakdown.totals.discount.amount,
        )
