"""Sales over time of one event, day by day from its on-sale date, and the same for an
earlier event to compare the pace with (both against `days_from_on_sale`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from enturf_server.catalog.models import Event
from enturf_server.reports.local_day import local_day
from enturf_server.reports.scope import cents, report_currency, report_zone, sold_lines

MAX_DAYS = 3660  # a series never runs longer (an event on sale for ten years is a typo)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def event_series(*, event: Event, currency: str) -> dict[str, Any]:
    zone = report_zone(event=event)
    lines = sold_lines(currency=currency, event=event)
    span = lines.aggregate(first=Min("sold_at"), last=Max("sold_at"))
    first_sale: datetime | None = span["first"]
    per_day = {
        _day(r["day"]): (r["tickets"], cents(r["gross"]))
        for r in lines.annotate(day=local_day("sold_at", zone, first_sale, span["last"]))
        .values("day")
        .annotate(tickets=Count("id"), gross=Sum("price"))
        .order_by("day")
    }
    on_sale_at = event.sales_start or first_sale or event.created_at
    on_sale_day = timezone.localtime(on_sale_at, zone).date()
    series: list[dict[str, Any]] = []
    if per_day:
        day, last = min(on_sale_day, min(per_day)), max(per_day)
        if (last - day).days > MAX_DAYS:
            day = last - timedelta(days=MAX_DAYS)
        earlier = [v for d, v in per_day.items() if d < day]  # cut off by MAX_DAYS
        total_tickets = sum(t for t, _g in earlier)
        total_gross = sum(g for _t, g in earlier)
        while day <= last:
            tickets, gross = per_day.get(day, (0, 0))
            total_tickets += tickets
            total_gross += gross
            series.append(
                {
                    "day": day,
                    "days_from_on_sale": (day - on_sale_day).days,
                    "tickets": tickets,
                    "gross_cents": gross,
                    "cumulative_tickets": total_tickets,
                    "cumulative_gross_cents": total_gross,
                }
            )
            day += timedelta(days=1)
    return {"event": event.pk, "on_sale_at": on_sale_at, "series": series}


def sales_over_time(*, event: Event, compare_event: Event | None = None) -> dict[str, Any]:
    currency = report_currency()
    return {
        **event_series(event=event, currency=currency),
        "compare": (
            event_series(event=compare_event, currency=currency)
            if compare_event is not None
            else None
        ),
        "generated_at": timezone.now(),
    }
