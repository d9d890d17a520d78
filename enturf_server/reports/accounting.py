"""The accounting export: one journal line per payment, refund part, and invoice or
credit note tax rate, in the CSV layout of docs/accounting-export.md.

Payments and refunds are read from billing, documents from invoicing (each document's
lines summed per tax rate in SQL), so the file ties to both: its invoice and credit note
lines add up to the documents' totals, its payment and refund lines to the money.

A sold-out arena's month is tens of thousands of lines, so the database does the work:
one `UNION ALL` of the three, in time order, each cell already text as the file writes
it (local date and time, amounts with two places, rates, uuids). Python only hands the
rows to the csv writer, chunk by chunk as the database sends them: the answer streams,
and memory stays flat.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from itertools import islice

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from enturf_server.billing.models import COUNTING_STATES, Payment, RefundPart, RefundState
from enturf_server.catalog.models import Venue
from enturf_server.invoicing.models import InvoiceKind, InvoiceLine
from enturf_server.reports.local_day import SortableTime, local_date_and_time
from enturf_server.reports.scope import Period
from enturf_server.reports.text_cells import MoneyText, RateText, UuidText

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
# each row of the union: what it is sorted by, then the file's cells
SORT_KEYS = ("sort_at", "sort_entry", "sort_rate")
CELLS = tuple(f"cell_{column}" for column in COLUMNS)
# on equal times: the money in, the invoice, the money back, the credit note
ENTRY_ORDER = {"payment": 0, "invoice": 1, "refund": 2, "credit_note": 3}
ROWS_PER_CHUNK = 2000
EMPTY = Value("")
NO_RATE = Cast(Value(None), FloatField())  # typed: PostgreSQL unites it with the rates


def _payments(period: Period, venue: Venue | None) -> QuerySet:
    payments = Payment.objects.filter(state__in=COUNTING_STATES).annotate(
        at=Coalesce("succeeded_at", "created_at")
    )
    if venue is not None:
        payments = payments.filter(booking__event__seat_map__venue=venue)
    return period.filter(payments, "at").order_by()


def _refund_parts(period: Period, venue: Venue | None) -> QuerySet:
    parts = RefundPart.objects.filter(refund__state=RefundState.SUCCEEDED).annotate(
        at=Coalesce("refund__completed_at", "refund__created_at")
    )
    if venue is not None:
        parts = parts.filter(refund__booking__event__seat_map__venue=venue)
    return period.filter(parts, "at").order_by()


def _document_lines(period: Period, venue: Venue | None) -> QuerySet:
    lines = InvoiceLine.objects.annotate(at=F("invoice__issued_at"))
    if venue is not None:
        lines = lines.filter(invoice__booking__event__seat_map__venue=venue)
    return period.filter(lines, "at").order_by()


def _booking_methods():
    """The booking's payment methods, `+`-joined (`card`, `cash`, `card+cash`): what the
    document's `payment_methods` lists, read from billing in SQL (cash and card are the
    only methods, so two different ones are both)."""
    methods = (
        Payment.objects.filter(booking=OuterRef("invoice__booking_id"), state__in=COUNTING_STATES)
        .order_by()
        .values("booking")
        .annotate(first=Min("method"), last=Max("method"))
        .annotate(
            text=Case(
                When(first=F("last"), then=F("first")),
                default=Concat("first", Value("+"), "last"),
                output_field=CharField(),
            )
        )
        .values("text")[:1]
    )
    return Subquery(methods)  # none (no payment counts): empty


def _span(period: Period, parts: list[QuerySet]) -> Callable[[], tuple[datetime, datetime]]:
    """The first and last moment of the journal: the period's bounds, or where one is
    open, the rows' own."""

    @cache
    def span() -> tuple[datetime, datetime]:
        lower, upper = period.lower(), period.upper()
        if lower is None or upper is None:
            found = [part.aggregate(first=Min("at"), last=Max("at")) for part in parts]
            now = datetime.now(UTC)
            lower = lower or min((f["first"] for f in found if f["first"]), default=now)
            upper = upper or max((f["last"] for f in found if f["last"]), default=now)
        return lower, upper

    return span


def _as_stored(expression) -> ExpressionWrapper:
    """A sort key as the database sends it: typed as text, so that Django converts none
    of them per row (Python never reads them)."""
    return ExpressionWrapper(expression, output_field=CharField())


class _PerGroup(Func):
    """An expression of columns that the query groups by, left out of its GROUP BY:
    Django would group by the expression itself, which the database then computes for
    every line to sort the lines into groups, instead of once per group."""

    template = "%(expressions)s"

    def get_group_by_cols(self):
        return []


def _row(*, entry_order, rate_order=None, at=None, **cells) -> dict:
    """annotate() arguments of one union row: its sort keys and its 13 cells (those not
    given are empty)."""
    assert set(cells) <= set(COLUMNS), set(cells) - set(COLUMNS)
    return {
        "sort_at": _as_stored(at if at is not None else SortableTime("at")),
        "sort_entry": _as_stored(entry_order),
        "sort_rate": _as_stored(rate_order if rate_order is not None else NO_RATE),
        **{f"cell_{column}": cells.get(column, EMPTY) for column in COLUMNS},
    }


def _payment_rows(payments: QuerySet, date, time) -> QuerySet:
    return payments.annotate(
        **_row(
            entry_order=Value(ENTRY_ORDER["payment"]),
            date=date,
            time=time,
            entry=Value("payment"),
            document=UuidText("id"),
            booking=F("booking__code"),
            event=F("booking__event__name"),
            method=F("method"),
            currency=F("currency"),
            gross=MoneyText("amount"),
        )
    )


def _refund_rows(parts: QuerySet, date, time) -> QuerySet:
    return parts.annotate(
        **_row(
            entry_order=Value(ENTRY_ORDER["refund"]),
            date=date,
            time=time,
            entry=Value("refund"),
            document=UuidText("refund_id"),
            reference=UuidText("payment_id"),
            booking=F("refund__booking__code"),
            event=F("refund__booking__event__name"),
            method=F("payment__method"),
            currency=F("refund__currency"),
            gross=MoneyText(-F("amount")),
        )
    )


def _document_rows(lines: QuerySet, date, time) -> QuerySet:
    """One row per document and tax rate. Grouped by document and rate; the document's
    time and booking are named too (one per document) so that PostgreSQL lets the cells
    computed from them be computed once per group."""
    grouped = lines.values("invoice_id", "tax_rate", "invoice__issued_at", "invoice__booking_id")
    text = CharField()
    return grouped.annotate(
        **_row(
            at=_PerGroup(SortableTime("at"), output_field=text),
            entry_order=_PerGroup(
                Case(
                    When(invoice__kind=InvoiceKind.CREDIT_NOTE, then=ENTRY_ORDER["credit_note"]),
                    default=ENTRY_ORDER["invoice"],
                )
            ),
            rate_order=_PerGroup(Cast("tax_rate", FloatField())),
            date=_PerGroup(date, output_field=text),
            time=_PerGroup(time, output_field=text),
            entry=F("invoice__kind"),
            document=F("invoice__full_number"),
            reference=F("invoice__references__full_number"),  # an invoice's: none, empty
            booking=F("invoice__booking_code"),
            event=F("invoice__event_name"),
            method=_PerGroup(_booking_methods(), output_field=text),
            currency=F("invoice__currency"),
            tax_rate=_PerGroup(RateText("tax_rate")),
            net=MoneyText(Sum("net")),
            tax=MoneyText(Sum("tax")),
            gross=MoneyText(Sum("gross")),
        )
    )


def journal_rows(*, period: Period, venue: Venue | None = None) -> QuerySet:
    """Every journal line of the period in time order (on a tie: payment, invoice,
    refund, credit note, then by document and tax rate), as `SORT_KEYS + CELLS` tuples."""
    payments = _payments(period, venue)
    refunds = _refund_parts(period, venue)
    lines = _document_lines(period, venue)
    date, time = local_date_and_time("at", period.zone, _span(period, [payments, refunds, lines]))
    names = (*SORT_KEYS, *CELLS)
    return (
        _payment_rows(payments, date, time)
        .values_list(*names)
        .union(
            _refund_rows(refunds, date, time).values_list(*names),
            _document_rows(lines, date, time).values_list(*names),
            all=True,
        )
        .order_by("sort_at", "sort_entry", "cell_document", "sort_rate")
    )


def accounting_csv_chunks(*, period: Period, venue: Venue | None = None) -> Iterator[str]:
    """The CSV file in pieces of `ROWS_PER_CHUNK` lines (the first with the header), as
    the rows come from the database. The query runs at the first piece."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = journal_rows(period=period, venue=venue).iterator(chunk_size=ROWS_PER_CHUNK)
    skip = len(SORT_KEYS)
    with _without_jit():
        chunk = list(islice(rows, ROWS_PER_CHUNK))
    while chunk:
        writer.writerows([row[skip:] for row in chunk])
        yield _taken(buffer)
        chunk = list(islice(rows, ROWS_PER_CHUNK))
    if buffer.tell():  # nothing in the period: the header alone
        yield _taken(buffer)


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL plans the query with a high cost (a subquery per document), so it
    compiles it (JIT) first: 0.37 s of its 1.3 s for the arena's month, more than the
    compiled code saves. Off while it starts (the first rows fetched), for this
    connection only; nothing to do on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


def _taken(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
