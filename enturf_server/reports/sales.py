"""Sales by day, event, ticket, category, channel, counter, cashier or payment method.

One grouped query over the sold booking lines (`scope.sold_lines`): the group's key is
an SQL expression, the figures conditional `Count` / `Sum`; Python then only names the
groups (one lookup per kind of key) and sorts the handful of rows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from enturf_core.local_time import date_text
from enturf_server.accounts.models import Device
from enturf_server.billing.models import COUNTING_STATES, Payment
from enturf_server.catalog.local_time import venue_zone
from enturf_server.catalog.models import Event, Ticket, Venue
from enturf_server.reports.local_day import local_day
from enturf_server.reports.scope import Period, cents, report_currency, report_zone, sold_lines
from enturf_server.sales.models import BookingLine, Channel, LineState

FIGURES = ("tickets", "refunded_tickets", "gross_cents", "tax_cents", "net_cents", "refunds_cents")
METHOD_LABELS = {"cash": "Cash", "card": "Card", "mixed": "Cash and card", "none": "Nothing to pay"}
ONLINE = "Online"


def _with_key(lines: QuerySet[BookingLine], group_by: str, zone: ZoneInfo) -> QuerySet:
    """`lines` annotated with `key`, the SQL expression of the group they fall in."""
    counter_only = Q(booking__channel=Channel.COUNTER)
    if group_by == "day":
        span = lines.aggregate(first=Min("sold_at"), last=Max("sold_at"))
        return lines.annotate(key=local_day("sold_at", zone, span["first"], span["last"]))
    if group_by == "event":
        return lines.annotate(key=F("booking__event_id"))
    if group_by == "ticket":
        return lines.annotate(key=F("ticket_id"))
    if group_by == "category":
        return lines.annotate(key=Coalesce("seat__category", "area__name"))
    if group_by == "channel":
        return lines.annotate(key=F("booking__channel"))
    if group_by == "counter":
        return lines.annotate(key=Case(When(counter_only, then=F("booking__device_id"))))
    if group_by == "cashier":
        # who sold it at a counter; an online booking's creator is its customer
        return lines.annotate(key=Case(When(counter_only, then=F("booking__created_by_id"))))
    if group_by == "payment_method":
        # one correlated subquery per line: its booking's methods, `mixed` for several
        methods = (
            Payment.objects.filter(booking=OuterRef("booking_id"), state__in=COUNTING_STATES)
            .order_by()
            .values("booking")
            .annotate(kinds=Count("method", distinct=True), first=Min("method"))
            .annotate(
                method=Case(
                    When(kinds__gt=1, then=Value("mixed")),
                    default=F("first"),
                    output_field=CharField(),
                )
            )
            .values("method")[:1]
        )
        return lines.annotate(key=Coalesce(Subquery(methods), Value("none")))
    raise ValueError(group_by)  # the query serializer admits only the groups above


def _figures(row: dict[str, Any]) -> dict[str, int]:
    gross, tax = cents(row["gross"]), cents(row["tax"])
    return {
        "tickets": row["tickets"],
        "refunded_tickets": row["refunded_tickets"],
        "gross_cents": gross,
        "tax_cents": tax,
        "net_cents": gross - tax,
        "refunds_cents": cents(row["refunds"]),
    }


_AGGREGATES = {
    "tickets": Count("id"),
    "refunded_tickets": Count("id", filter=Q(state=LineState.REFUNDED)),
    "gross": Sum("price"),
    "tax": Sum("tax_amount"),
    "refunds": Sum("price", filter=Q(state=LineState.REFUNDED)),
}


def _labelled(group_by: str, keys: list[Any], zone: ZoneInfo) -> dict[Any, tuple[str, Any]]:
    """key -> (label, sort key) for the groups found."""
    if group_by == "day":
        return {
            k: (date_text(datetime.combine(_day(k), datetime.min.time())), str(k)) for k in keys
        }
    if group_by == "event":
        events = Event.objects.select_related("seat_map__venue").in_bulk([k for k in keys if k])
        out = {}
        for k in keys:
            e = events[k]
            start = timezone.localtime(e.starts_at, venue_zone(e.seat_map.venue))
            out[k] = (f"{e.name} — {start:%Y-%m-%d %H:%M}", (e.starts_at, e.pk))
        return out
    if group_by == "ticket":
        tickets = Ticket.objects.select_related("event").in_bulk(keys)
        return {k: (f"{tickets[k].event.name}: {tickets[k].name}",) * 2 for k in keys}
    if group_by == "category":
        return {k: (k or "", k or "") for k in keys}
    if group_by == "channel":
        return {k: (Channel(k).label,) * 2 for k in keys}
    if group_by == "counter":
        names = dict(Device.objects.filter(pk__in=keys).values_list("pk", "name"))
        return {k: ((names.get(k, f"Device {k}"),) * 2 if k else (ONLINE, "")) for k in keys}
    if group_by == "cashier":
        users = get_user_model().objects.filter(pk__in=keys).values_list("pk", "username")
        names = dict(users)
        return {
            k: ((names.get(k, f"User {k}"),) * 2 if k else ("Online (customer)", "")) for k in keys
        }
    return {k: (METHOD_LABELS.get(k, k),) * 2 for k in keys}  # payment_method


def _day(value: date | str) -> date:
    # SQLite answers TruncDate as text when the key comes back through values()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def sales_report(
    *,
    group_by: str,
    start: date | None = None,
    end: date | None = None,
    venue: Venue | None = None,
    event: Event | None = None,
) -> dict[str, Any]:
    zone = report_zone(venue=venue, event=event)
    currency = report_currency()
    lines = Period(zone, start, end).filter(
        sold_lines(currency=currency, venue=venue, event=event), "sold_at"
    )
    grouped = list(_with_key(lines, group_by, zone).values("key").annotate(**_AGGREGATES))
    names = _labelled(group_by, [g["key"] for g in grouped], zone)
    rows = []
    for g in sorted(grouped, key=lambda g: names[g["key"]][1]):
        key = g["key"]
        text = _day(key).isoformat() if group_by == "day" else ("" if key is None else str(key))
        rows.append({"key": text, "label": names[key][0], **_figures(g)})
    totals = {name: sum(row[name] for row in rows) for name in FIGURES}
    return {
        "group_by": group_by,
        "currency": currency,
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        "rows": rows,
        "totals": totals,
        "generated_at": timezone.now(),
    }
