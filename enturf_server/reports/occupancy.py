"""Occupancy of one event: every seat and GA place sold, held, allocated, blocked or free.

A seat's effective state is an SQL `Case` over its inventory row and its booking (the
same reading as availability: a hold or an unpaid booking past its time is free again),
counted per category with conditional `Count`s. The per-seat columns feed the POS's
heat map: one query, seat-id order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.utils import timezone

from enturf_server.catalog.models import Event
from enturf_server.reports.local_day import Cents, EpochSeconds
from enturf_server.sales.models import (
    AreaInventory,
    BookingLine,
    BookingState,
    HoldArea,
    LineState,
    SeatInventory,
    SeatStatus,
)
from enturf_server.sales.selectors import allocated_places

STATES = ("sold", "held", "allocated", "blocked", "free")
# bookings whose seats are sold (a sale under review keeps its seats)
SOLD_SEAT_STATES = (
    BookingState.PAID,
    BookingState.PARTIALLY_REFUNDED,
    BookingState.REVIEW,
)


def _effective_state(now: datetime) -> Case:
    sold = Q(status=SeatStatus.SOLD)
    pending = sold & Q(booking__state=BookingState.PENDING)
    lapsed = pending & Q(booking__expires_at__lte=now)
    live_hold = Q(status=SeatStatus.HELD) & (Q(held_until__isnull=True) | Q(held_until__gt=now))
    allocated = Q(allocated_to__isnull=False)
    return Case(
        When(lapsed & allocated, then=Value("allocated")),
        When(lapsed, then=Value("free")),
        When(pending, then=Value("held")),  # not paid yet: its seats are kept, not sold
        When(sold, then=Value("sold")),
        When(live_hold, then=Value("held")),
        When(Q(status=SeatStatus.BLOCKED), then=Value("blocked")),
        When(allocated, then=Value("allocated")),
        default=Value("free"),
        output_field=CharField(),
    )


def _seat_figures(event: Event, now: datetime) -> list[dict[str, Any]]:
    counts = {state: Count("id", filter=Q(state=state)) for state in STATES}
    rows = (
        SeatInventory.objects.filter(event=event)
        .annotate(state=_effective_state(now))
        .values("seat__category")
        .annotate(capacity=Count("id"), **counts)
        .order_by("seat__category")
    )
    return [
        {"category": r["seat__category"], "capacity": r["capacity"], **{s: r[s] for s in STATES}}
        for r in rows
    ]


def _standing(event: Event, now: datetime) -> list[dict[str, Any]]:
    """GA areas: the inventory's `sold` counts unpaid bookings too; those inside their
    time are held, those past it free."""
    areas = list(
        AreaInventory.objects.filter(event=event)
        .order_by("area_id")
        .values_list("area_id", "area__name", "capacity", "sold")
    )
    ids = [a[0] for a in areas]
    held = dict(
        HoldArea.objects.filter(
            area_id__in=ids,
            hold__event=event,
            hold__released_at__isnull=True,
            hold__expires_at__gt=now,
        )
        .values("area_id")
        .annotate(n=Sum("quantity"))
        .values_list("area_id", "n")
    )
    unpaid = (
        BookingLine.objects.filter(
            booking__event=event, booking__state=BookingState.PENDING, area__isnull=False
        )
        .exclude(state=LineState.CANCELLED)
        .values("area_id")
        .annotate(
            live=Count(
                "id", filter=Q(booking__expires_at__isnull=True) | Q(booking__expires_at__gt=now)
            ),
            lapsed=Count("id", filter=Q(booking__expires_at__lte=now)),
        )
    )
    pending = {r["area_id"]: (r["live"], r["lapsed"]) for r in unpaid}
    reserved = allocated_places(event=event, area_ids=ids)
    out = []
    for area_id, name, capacity, sold in areas:
        live, lapsed = pending.get(area_id, (0, 0))
        paid = max(0, sold - live - lapsed)
        kept = held.get(area_id, 0) + live
        allocated = reserved.get(area_id, 0)
        free = max(0, capacity - paid - kept - allocated)
        out.append(
            {
                "area": area_id,
                "name": name,
                "capacity": capacity,
                "sold": paid,
                "held": kept,
                "allocated": allocated,
                "blocked": 0,
                "free": free,
            }
        )
    return out


def _seat_columns(event: Event) -> dict[str, list]:
    """Every seat of the event in id order; for a sold one, when and at what price (its
    line in a paid booking: a refunded line's seat is free again)."""
    ids = list(
        SeatInventory.objects.filter(event=event)
        .order_by("seat_id")
        .values_list("seat_id", flat=True)
    )
    sold = {
        seat_id: (at, price)
        for seat_id, at, price in BookingLine.objects.filter(
            booking__event=event,
            booking__state__in=SOLD_SEAT_STATES,
            state=LineState.VALID,
            seat__isnull=False,
        )
        .order_by()
        .values_list("seat_id", EpochSeconds("booking__created_at"), Cents("price"))
    }
    nothing = (None, None)
    pairs = [sold.get(seat_id, nothing) for seat_id in ids]
    sold_at = [at for at, _price in pairs]
    prices = [price for _at, price in pairs]
    return {"ids": ids, "sold_at": sold_at, "price_cents": prices}


def occupancy_report(*, event: Event) -> dict[str, Any]:
    now = timezone.now()
    by_category = _seat_figures(event, now)
    standing = _standing(event, now)
    totals = {
        name: sum(r[name] for r in by_category) + sum(a[name] for a in standing)
        for name in ("capacity", *STATES)
    }
    return {
        "event": event.pk,
        **totals,
        "by_category": by_category,
        "standing": standing,
        "seats": _seat_columns(event),
        "generated_at": now,
    }
