"""What a booking's price may carry beyond its tickets -- a booking fee, a voucher -- as
sales sees it.

Billing owns fees and vouchers (`billing.services.booking_pricing`) and plugs them in here
from `BillingConfig.ready()`, so sales prices and writes a booking without importing
billing: `booking_extras` before the tickets are priced (`sales.pricing.price_tickets`
takes its `voucher` and `fee`), `record_booking_pricing` once the booking row exists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from enturf_core.pricing.breakdown import PriceBreakdown
from enturf_core.pricing.terms import BookingFee
from enturf_core.pricing.terms import Voucher as PricingVoucher


class BookingExtras(Protocol):
    @property
    def fee(self) -> BookingFee | None: ...

    @property
    def voucher(self) -> PricingVoucher | None: ...

    @property
    def any(self) -> bool: ...


@dataclass(frozen=True)
class _NoExtras:
    fee: None = None
    voucher: None = None
    any: bool = False


NO_EXTRAS: BookingExtras = _NoExtras()  # a booking with neither: nothing for billing to record

_extras: Callable[..., BookingExtras] | None = None
_record: Callable[..., None] | None = None


def provide(*, extras: Callable[..., BookingExtras], record: Callable[..., None]) -> None:
    """Billing's `booking_extras` and `record_booking_pricing` (see their docstrings)."""
    global _extras, _record
    _extras, _record = extras, record


def _provided() -> tuple[Callable[..., BookingExtras], Callable[..., None]]:
    if _extras is None or _record is None:
        raise RuntimeError("No app provides booking fees and vouchers: is billing installed?")
    return _extras, _record


def booking_extras(
    *,
    settings: Any,
    event: Any,
    tickets: Sequence[Any],
    voucher_code: str = "",
    online: bool,
    now: datetime,
) -> BookingExtras:
    """The fee (online bookings only) and the voucher, locked for this transaction; an
    unusable voucher code is refused with a `ServiceError`."""
    extras, _record = _provided()
    return extras(
        settings=settings,
        event=event,
        tickets=tickets,
        voucher_code=voucher_code,
        online=online,
        now=now,
    )


def record_booking_pricing(
    *,
    booking: Any,
    lines: Sequence[Any],
    breakdown: PriceBreakdown | None,
    extras: BookingExtras,
) -> None:
    """Store the breakdown and the voucher use, and set each line's discount."""
    _extras, record = _provided()
    record(booking=booking, lines=lines, breakdown=breakdown, extras=extras)
