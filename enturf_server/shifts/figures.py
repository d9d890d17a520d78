"""What the server itself knows of a shift's takings: its check of the counter's Z report.

Expected per method = (cash only) opening float + cash in - cash out, plus the payments of
the bookings this counter's cashier made during the shift (or that name them as their
seller, `Booking.claimed_seller`), minus what that cashier
refunded at this counter during the shift. Sales made offline and not pushed yet are
missing here, which is why a mismatch is noted rather than refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from enturf_server.billing.models import COUNTING_STATES, RefundPart, RefundState
from enturf_server.shifts.models import DrawerMovement, MovementKind, Shift

ZERO = Decimal("0.00")
METHODS = ("cash", "card")


@dataclass(frozen=True)
class ServerFigures:
    expected: dict[str, Decimal]
    sales: list[dict[str, Any]]
    refunds: list[dict[str, Any]]
    bookings: int

    def as_json(self) -> dict[str, Any]:
        return {
            "expected": {m: str(_cents(v)) for m, v in self.expected.items()},
            "sales": self.sales,
            "refunds": self.refunds,
            "bookings": self.bookings,
        }


def _cents(value) -> Decimal:
    # SQLite's sums lose the scale; amounts are always shown with two decimals
    return Decimal(value).quantize(Decimal("0.01"))


def drawer_balance(*, shift: Shift) -> Decimal:
    """The float plus cash in minus cash out."""
    total = ZERO
    for kind, amount in DrawerMovement.objects.filter(shift=shift).values_list("kind", "amount"):
        total += -amount if kind == MovementKind.CASH_OUT else amount
    return total


def _line_rows(lines) -> list[dict[str, Any]]:
    # a line's `price` is what was paid for it, after any voucher discount
    rows = (
        lines.values("booking__event_id", "booking__event__name", "ticket_id", "ticket__name")
        .annotate(count=Count("id"), amount=Sum("price"))
        .order_by("booking__event__name", "booking__event_id", "ticket__name", "ticket_id")
    )
    return [
        {
            "event": r["booking__event__name"],
            "event_id": r["booking__event_id"],
            "ticket": r["ticket__name"],
            "ticket_id": r["ticket_id"],
            "count": r["count"],
            "amount": str(_cents(r["amount"] or ZERO)),
        }
        for r in rows
    ]


def server_figures(*, shift: Shift, until: datetime) -> ServerFigures:
    from enturf_server.billing.models import Payment, Refund
    from enturf_server.sales.models import Booking, BookingLine

    # the cashier's sales: pushed under their login, or pushed later under the next
    # cashier's login at this counter naming them (`claimed_seller`, a note: it only
    # decides which of this counter's drawers the money is expected in)
    by_cashier = Q(created_by=shift.cashier_id)
    if shift.cashier is not None:
        by_cashier |= Q(claimed_seller=shift.cashier.username)
    bookings = Booking.objects.filter(
        by_cashier,
        device=shift.device_id,
        created_at__gte=shift.opened_at,
        created_at__lte=until,
    )
    expected = dict.fromkeys(METHODS, ZERO)
    expected["cash"] += drawer_balance(shift=shift)
    paid = (
        Payment.objects.filter(booking__in=bookings, state__in=COUNTING_STATES)
        .values("method")
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        expected[row["method"]] = expected.get(row["method"], ZERO) + row["total"]
    refunds = Refund.objects.filter(
        device=shift.device_id,
        created_by=shift.cashier_id,
        state=RefundState.SUCCEEDED,
        created_at__gte=shift.opened_at,
        created_at__lte=until,
    )
    given_back = (
        RefundPart.objects.filter(refund__in=refunds)
        .values("payment__method")
        .annotate(total=Sum("amount"))
    )
    for row in given_back:
        method = row["payment__method"]
        expected[method] = expected.get(method, ZERO) - row["total"]
    return ServerFigures(
        expected={m: _cents(v) for m, v in expected.items()},
        sales=_line_rows(BookingLine.objects.filter(booking__in=bookings)),
        refunds=_line_rows(BookingLine.objects.filter(refunds__in=refunds)),
        bookings=bookings.count(),
    )
