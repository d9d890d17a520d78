"""What a report covers: the sold lines, the period as UTC bounds, the zone days are in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import F, QuerySet

from enturf_core.local_time import wall_time_to_utc
from enturf_server.accounts.models import SiteSettings
from enturf_server.catalog.local_time import house_zone, venue_zone
from enturf_server.catalog.models import Event, Venue
from enturf_server.sales.models import BookingLine, BookingState, LineState

# bookings that sold: paid, and paid then refunded (in part or whole); a sale held for a
# manager's review counts once accepted (then it is paid)
SOLD_STATES = (BookingState.PAID, BookingState.PARTIALLY_REFUNDED, BookingState.REFUNDED)


def cents(value: Decimal | int | float | None) -> int:
    """An aggregated amount (SQLite's sums may lose the scale) as whole cents."""
    return int((Decimal(value or 0) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Period:
    """Inclusive local days `start`..`end` (either open) in `zone`."""

    zone: ZoneInfo
    start: date | None = None
    end: date | None = None

    def lower(self) -> datetime | None:
        return (
            wall_time_to_utc(datetime.combine(self.start, time()), self.zone)
            if self.start
            else None
        )

    def upper(self) -> datetime | None:
        """The first moment after the period (exclusive)."""
        if self.end is None:
            return None
        return wall_time_to_utc(datetime.combine(self.end + timedelta(days=1), time()), self.zone)

    def filter(self, qs: QuerySet, field: str) -> QuerySet:
        lower, upper = self.lower(), self.upper()
        if lower is not None:
            qs = qs.filter(**{f"{field}__gte": lower})
        if upper is not None:
            qs = qs.filter(**{f"{field}__lt": upper})
        return qs


def report_zone(*, venue: Venue | None = None, event: Event | None = None) -> ZoneInfo:
    """The venue's zone (of `venue`, else of `event`'s venue), else the house zone."""
    if venue is not None:
        return venue_zone(venue)
    if event is not None:
        return venue_zone(event.seat_map.venue)
    return house_zone()


def report_currency() -> str:
    return SiteSettings.load().currency


def sold_lines(
    *, currency: str, venue: Venue | None = None, event: Event | None = None
) -> QuerySet[BookingLine]:
    """Every ticket sold (refunded ones included) in `currency`, with its sale's moment as
    `sold_at`: the booking's `created_at`, which for a counter sale is when the counter
    sold it (an offline sale is paid on the server only when pushed), the shift figures'
    rule too."""
    lines = (
        BookingLine.objects.filter(booking__state__in=SOLD_STATES, booking__currency=currency)
        .exclude(state=LineState.CANCELLED)
        .annotate(sold_at=F("booking__created_at"))
    )
    if venue is not None:
        lines = lines.filter(booking__event__seat_map__venue=venue)
    if event is not None:
        lines = lines.filter(booking__event=event)
    return lines.order_by()
