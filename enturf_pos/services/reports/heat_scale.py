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
DAY = "%d %b"  # 09 Oct


@dataclass(frozen=True)
class HeatScale:
    by: str
    step_of: dict[int, int]  # seat id -> step (0: earliest / cheapest)
    labels: tuple[tuple[int, str], ...]  # the steps used, each with the legend's words
    sales: dict[int, tuple[float | None, int | None]]  # seat id -> (epoch seconds, cents)
    currency: str = ""

    @property
    def sold(self) -> int:
        return len(self.step_of)

    def detail(self, seat_id: int) -> str:
        """A sold seat's tooltip words ("sold 07 Dec 2026 14:02 for €45.00"), made when
        asked: 10,000 sold seats need not all be worded to draw the map."""
        sale = self.sales.get(seat_id)
        if sale is None:
            return ""
        epoch, cents = sale
        when = datetime.fromtimestamp(epoch, UTC) if epoch is not None else None
        parts = [f"sold {venue_time.text(when, venue_time.DATE_CLOCK)}" if when else "sold"]
        if cents is not None:
            parts.append(money_text(money(cents, self.currency), self.currency))
        return " for ".join(parts)


def _epoch(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)  # the server's epoch seconds: no datetime per seat
    at = server_time(value)
    return at.timestamp() if at is not None else None


def heat_scale(seats: Any, by: str, steps: int, currency: str) -> HeatScale:
    seats = seats if isinstance(seats, dict) else {}
    ids = list(seats.get("ids") or ())
    times = list(seats.get("sold_at") or ())
    prices = list(seats.get("price_cents") or ())
    sales: dict[int, tuple[float | None, int | None]] = {}
    for seat, at, cents in zip(ids, times + [None] * (len(ids) - len(times)),
                               prices + [None] * (len(ids) - len(prices)), strict=False):  # fmt: skip
        if not isinstance(seat, int) or (at is None and cents is None):
            continue  # not sold
        sales[seat] = (_epoch(at), cents if isinstance(cents, int) else None)
    if by == BY_PRICE:
        values = {seat: float(c) for seat, (_at, c) in sales.items() if c is not None}

        def words(value: float) -> str:
            return money_text(money(int(value), currency), currency)
    else:
        values = {seat: at for seat, (at, _c) in sales.items() if at is not None}
        spread = max(values.values(), default=0) - min(values.values(), default=0)
        # steps a day or more long are named by their day alone
        fmt = DAY if spread >= steps * 86_400 else venue_time.SHORT

        def words(value: float) -> str:
            return venue_time.text(datetime.fromtimestamp(value, UTC), fmt)

    if not values:
        return HeatScale(by, {}, (), sales, currency)
    distinct = sorted(set(values.values()))
    if len(distinct) <= steps:
        # few values: spread over the whole scale, so that two prices differ plainly
        last = max(1, len(distinct) - 1)
        index = {
            v: round(k * (steps - 1) / last) if len(distinct) > 1 else steps - 1
            for k, v in enumerate(distinct)
        }
        labels = tuple((index[v], words(v)) for v in distinct)
        return HeatScale(by, {s: index[v] for s, v in values.items()}, labels, sales, currency)
    low, high = distinct[0], distinct[-1]
    width = (high - low) / steps
    step_of = {s: min(steps - 1, int((v - low) / width)) for s, v in values.items()}
    # each step named by where it starts: "from 09 Oct" (the legend reads left to right)
    labels = tuple((k, f"from {words(low + k * width)}") for k in range(steps))
    return HeatScale(by, step_of, labels, sales, currency)
