"""The occupancy heat map's scale (no Qt): each sold seat's step on a sequential scale,
by when it was sold or by what was paid for it, and the legend's words per step.

The occupancy report lists the map's seats as three arrays (`seats`: ids, and for sold
seats `sold_at` in epoch seconds and `price_cents`, else null). With as many distinct values as steps or fewer (a few prices), each
value has its own step; otherwise the range from the lowest to the highest value is cut
into equal steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from enturf_pos.services import venue_time
from enturf_pos.services.reports.report_tables import money, money_text, server_time

BY_TIME = "time"
BY_PRICE = "price"


@dataclass(frozen=True)
class HeatScale:
    by: str
    step_of: dict[int, int]  # seat id -> step (0: earliest / cheapest)
    labels: tuple[tuple[int, str], ...]  # the steps used, each with the legend's words
    detail: dict[int, str]  # seat id -> "sold Mon 07 Dec 14:02 for €45.00"

    @property
    def sold(self) -> int:
        return len(self.step_of)


def heat_scale(seats: Any, by: str, steps: int, currency: str) -> HeatScale:
    seats = seats if isinstance(seats, dict) else {}
    ids = list(seats.get("ids") or ())
    times = list(seats.get("sold_at") or ())
    prices = list(seats.get("price_cents") or ())
    rows: list[tuple[int, datetime | None, int | None]] = []
    for k, seat in enumerate(ids):
        if not isinstance(seat, int):
            continue
        at = server_time(times[k]) if k < len(times) else None
        cents = prices[k] if k < len(prices) and isinstance(prices[k], int) else None
        if at is not None or cents is not None:  # sold
            rows.append((seat, at, cents))
    detail = {
        seat: " for ".join(
            part
            for part in (
                f"sold {venue_time.text(at, venue_time.DATE_CLOCK)}" if at else "sold",
                money_text(money(cents, currency), currency) if cents is not None else "",
            )
            if part
        )
        for seat, at, cents in rows
    }
    if by == BY_PRICE:
        values = {seat: float(cents) for seat, _at, cents in rows if cents is not None}

        def words(value: float) -> str:
            return money_text(money(int(value), currency), currency)
    else:
        values = {seat: at.timestamp() for seat, at, _c in rows if at is not None}

        def words(value: float) -> str:
            at = datetime.fromtimestamp(value, UTC)
            return venue_time.text(at, venue_time.SHORT)

    if not values:
        return HeatScale(by, {}, (), detail)
    distinct = sorted(set(values.values()))
    if len(distinct) <= steps:
        # few values: spread over the whole scale, so that two prices differ plainly
        last = max(1, len(distinct) - 1)
        index = {
            v: round(k * (steps - 1) / last) if len(distinct) > 1 else steps - 1
            for k, v in enumerate(distinct)
        }
        labels = tuple((index[v], words(v)) for v in distinct)
        return HeatScale(by, {s: index[v] for s, v in values.items()}, labels, detail)
    low, high = distinct[0], distinct[-1]
    width = (high - low) / steps
    step_of = {s: min(steps - 1, int((v - low) / width)) for s, v in values.items()}
    labels = tuple(
        (k, f"{words(low + k * width)} to {words(low + (k + 1) * width)}") for k in range(steps)
    )
    return HeatScale(by, step_of, labels, detail)
