"""What the server itself knows of a shift's takings: its check of the counter's Z report.

A counter sells and refunds only inside an open shift (one open at a time per counter),
so the shift's business is this counter's in the shift's window, whoever was logged in:
the bookings the device made with `created_at` in [opened_at, until] and the refunds made
at the device in the window (the same rule as the counter's, `enturf_pos.services
.shift_service`).

Expected: cash = float + cash in - cash out + cash taken for sales - cash refunded from
the drawer; card = card payments of the shift's sales (what the terminal totals). Card
refunds go back through the gateway, never the terminal: they are reported on their own
(`takings`) and do not lower the card expected, so no other shift's sale makes it
negative. Sales made offline and not pushed yet are missing here, which is why a mismatch
is noted rather than refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from enturf_server.billing.models import COUNTING_STATES, Payment, Refund, RefundPart, RefundState
from enturf_server.sales.models import Booking, BookingLine
from enturf_server.shifts.models import DrawerMovement, MovementKind, Shift

ZERO = Decimal("0.00")
METHODS = ("cash", "card")


@dataclass(frozen=True)
class ServerFigures:
    expected: dict[str, Decimal]
    sales: list[dict[str, Any]]
    refunds: list[dict[str, Any]]
    bookings: int
    takings: dict[str, dict[str, Decimal]]  # method -> {"sales", "refunds"}

    def as_json(self) -> dict[str, Any]:
        return {
            "expected": {m: str(_cents(v)) for m, v in self.expected.items()},
            "takings": {
                m: {k: str(_cents(v)) for k, v in t.items()} for m, t in self.takings.items()
            },
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
    bookings = Booking.objects.filter(
        device=shift.device_id, created_at__gte=shift.opened_at, created_at__lte=until
    )
    takings = {m: {"sales": ZERO, "refunds": ZERO} for m in METHODS}
    paid = (
        Payment.objects.filter(booking__in=bookings, state__in=COUNTING_STATES)
        .values("method")
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        takings.setdefault(row["method"], {"sales": ZERO, "refunds": ZERO})
        takings[row["method"]]["sales"] += row["total"]
    refunds = Refund.objects.filter(
        device=shift.device_id,
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
        takings.setdefault(method, {"sales": ZERO, "refunds": ZERO})
        takings[method]["refunds"] += row["total"]
    expected = {m: t["sales"] for m, t in takings.items()}
    # only cash refunds leave the drawer; card refunds never pass through the terminal
    expected["cash"] += drawer_balance(shift=shift) - takings["cash"]["refunds"]
    return ServerFigures(
        takings={m: {k: _cents(v) for k, v in t.items()} for m, t in takings.items()},
        expected={m: _cents(v) for m, v in expected.items()},
        sales=_line_rows(BookingLine.objects.filter(booking__in=bookings)),
        refunds=_line_rows(BookingLine.objects.filter(refunds__in=refunds)),
        bookings=bookings.count(),
    )
