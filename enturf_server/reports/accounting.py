"""The accounting export: one journal line per payment, refund part, and invoice or
credit note tax rate, in the CSV layout of docs/accounting-export.md.

Payments and refunds are read from billing, documents from invoicing (each document's
lines summed per tax rate in SQL), so the file ties to both: its invoice and credit note
lines add up to the documents' totals, its payment and refund lines to the money. Each
of the three queries comes back in time order; they are merged, not sorted again, and
written as they come (a sold-out arena's month is tens of thousands of lines).
"""

from __future__ import annotations

import csv
import heapq
import io
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from enturf_server.billing.models import COUNTING_STATES, Payment, RefundPart, RefundState
from enturf_server.catalog.models import Venue
from enturf_server.invoicing.models import InvoiceLine
from enturf_server.reports.scope import Period

COLUMNS = (
    "date",
    "time",
    "entry",
    "document",
    "reference",
    "booking",
    "event",
    "method",
    "currency",
    "tax_rate",
    "net",
    "tax",
    "gross",
)
# on equal times: the money in, the invoice, the money back, the credit note
_ORDER = {"payment": 0, "invoice": 1, "refund": 2, "credit_note": 3}

# (time, order, document, cells after date and time)
Entry = tuple[datetime, int, str, list[str]]


@cache
def _rate(value: Decimal) -> str:
    """19.00 -> "19", 5.50 -> "5.5"."""
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".")


def _money(value: Decimal | None) -> str:
    # stored and summed amounts come back with their two places (SQLite's too: Django's
    # converter quantizes to the field's places)
    return "" if value is None else f"{value:.2f}"


def _payments(period: Period, venue: Venue | None) -> Iterator[Entry]:
    payments = Payment.objects.filter(state__in=COUNTING_STATES).annotate(
        at=Coalesce("succeeded_at", "created_at")
    )
    if venue is not None:
        payments = payments.filter(booking__event__seat_map__venue=venue)
    rows = period.filter(payments, "at").values_list(
        "at", "id", "booking__code", "booking__event__name", "method", "currency", "amount"
    )
    for at, pk, code, event, method, currency, amount in rows.order_by("at", "id"):
        document = str(pk)
        yield (
            at,
            0,
            document,
            ["payment", document, "", code, event, method, currency, "", "", "", _money(amount)],
        )


def _refunds(period: Period, venue: Venue | None) -> Iterator[Entry]:
    parts = RefundPart.objects.filter(refund__state=RefundState.SUCCEEDED).annotate(
        at=Coalesce("refund__completed_at", "refund__created_at")
    )
    if venue is not None:
        parts = parts.filter(refund__booking__event__seat_map__venue=venue)
    rows = period.filter(parts, "at").values_list(
        "at",
        "refund_id",
        "payment_id",
        "refund__booking__code",
        "refund__booking__event__name",
        "payment__method",
        "refund__currency",
        "amount",
    )
    for at, refund, payment, code, event, method, currency, amount in rows.order_by("at", "id"):
        document = str(refund)
        cells = ["refund", document, str(payment), code, event, method, currency, "", "", ""]
        yield at, 2, document, [*cells, _money(-amount)]


def _booking_methods():
    """The booking's payment methods, `+`-joined (`card`, `cash`, `card+cash`): what the
    document's `payment_methods` lists, read from billing in SQL (cash and card are the
    only methods, so two of them are both)."""
    methods = (
        Payment.objects.filter(booking=OuterRef("invoice__booking_id"), state__in=COUNTING_STATES)
        .order_by()
        .values("booking")
        .annotate(kinds=Count("method", distinct=True), first=Min("method"), last=Max("method"))
        .annotate(
            text=Case(
                When(kinds__gt=1, then=Concat("first", Value("+"), "last")),
                default=F("first"),
                output_field=CharField(),
            )
        )
        .values("text")[:1]
    )
    return Coalesce(Subquery(methods), Value(""))


def _documents(period: Period, venue: Venue | None) -> Iterator[Entry]:
    lines = InvoiceLine.objects.all()
    if venue is not None:
        lines = lines.filter(invoice__booking__event__seat_map__venue=venue)
    rows = (
        period.filter(lines, "invoice__issued_at")
        .values("invoice_id", "tax_rate")
        .annotate(
            at=F("invoice__issued_at"),
            kind=F("invoice__kind"),
            number=F("invoice__full_number"),
            reference=F("invoice__references__full_number"),
            code=F("invoice__booking_code"),
            event=F("invoice__event_name"),
            methods=_booking_methods(),
            currency=F("invoice__currency"),
            net=Sum("net"),
            tax=Sum("tax"),
            gross=Sum("gross"),
        )
        .order_by("invoice__issued_at", "invoice__full_number", "tax_rate")
        .values_list(
            "at", "kind", "number", "reference", "code", "event", "methods", "currency",
            "tax_rate", "net", "tax", "gross",
        )
    )  # fmt: skip
    for at, kind, number, reference, code, event, methods, currency, rate, net, tax, gross in rows:
        cells = [kind, number, reference or "", code, event, methods, currency]
        yield (
            at,
            _ORDER[kind],
            number,
            [*cells, _rate(rate), _money(net), _money(tax), _money(gross)],
        )


def journal(*, period: Period, venue: Venue | None = None) -> Iterator[Entry]:
    """Every journal line of the period in time order (on a tie: payment, invoice,
    refund, credit note, then by document)."""
    return heapq.merge(
        _payments(period, venue),
        _refunds(period, venue),
        _documents(period, venue),
        key=lambda entry: entry[:3],
    )


def accounting_csv(*, period: Period, venue: Venue | None = None) -> str:
    zone: ZoneInfo = period.zone
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = []
    for at, _order, _document, cells in journal(period=period, venue=venue):
        local = at.astimezone(zone).isoformat(sep=" ", timespec="seconds")
        rows.append([local[:10], local[11:19], *cells])
    writer.writerows(rows)
    return out.getvalue()
