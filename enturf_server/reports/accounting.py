"""The accounting export: one journal line per payment, refund part, and invoice or
credit note tax rate, in the CSV layout of docs/accounting-export.md.

Payments and refunds are read from billing, documents from invoicing (each document's
lines summed per tax rate in SQL), so the file ties to both: its invoice and credit note
lines add up to the documents' totals, its payment and refund lines to the money.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import F, Sum
from django.db.models.functions import Coalesce

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
TWO = Decimal("0.01")


@dataclass(frozen=True)
class JournalLine:
    at: datetime
    entry: str  # payment, refund, invoice, credit_note
    document: str
    reference: str
    booking: str
    event: str
    method: str
    currency: str
    tax_rate: Decimal | None
    net: Decimal | None
    tax: Decimal | None
    gross: Decimal

    def cells(self, zone: ZoneInfo) -> list[str]:
        local = self.at.astimezone(zone)
        return [
            local.date().isoformat(),
            local.strftime("%H:%M:%S"),
            self.entry,
            self.document,
            self.reference,
            self.booking,
            self.event,
            self.method,
            self.currency,
            _rate(self.tax_rate),
            _money(self.net),
            _money(self.tax),
            _money(self.gross),
        ]


def _money(value: Decimal | None) -> str:
    return "" if value is None else str(Decimal(value).quantize(TWO))


def _rate(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = str(Decimal(value).quantize(TWO))
    return text.rstrip("0").rstrip(".") if "." in text else text


def _payments(period: Period, venue: Venue | None) -> Iterator[JournalLine]:
    payments = Payment.objects.filter(state__in=COUNTING_STATES).annotate(
        at=Coalesce("succeeded_at", "created_at")
    )
    if venue is not None:
        payments = payments.filter(booking__event__seat_map__venue=venue)
    rows = period.filter(payments, "at").values_list(
        "at", "id", "booking__code", "booking__event__name", "method", "currency", "amount"
    )
    for at, pk, code, event, method, currency, amount in rows.order_by("at", "id"):
        yield JournalLine(
            at, "payment", str(pk), "", code, event, method, currency, None, None, None, amount
        )


def _refunds(period: Period, venue: Venue | None) -> Iterator[JournalLine]:
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
        yield JournalLine(
            at,
            "refund",
            str(refund),
            str(payment),
            code,
            event,
            method,
            currency,
            None,
            None,
            None,
            -amount,
        )


def _documents(period: Period, venue: Venue | None) -> Iterator[JournalLine]:
    lines = InvoiceLine.objects.all()
    if venue is not None:
        lines = lines.filter(invoice__booking__event__seat_map__venue=venue)
    rows = (
        period.filter(lines, "invoice__issued_at")
        .values(
            "invoice_id",
            "tax_rate",
            at=F("invoice__issued_at"),
            kind=F("invoice__kind"),
            number=F("invoice__full_number"),
            reference=F("invoice__references__full_number"),
            code=F("invoice__booking_code"),
            event=F("invoice__event_name"),
            methods=F("invoice__payment_methods"),
            currency=F("invoice__currency"),
        )
        .annotate(net=Sum("net"), tax=Sum("tax"), gross=Sum("gross"))
        .order_by("at", "invoice_id", "tax_rate")
    )
    for r in rows:
        methods = r["methods"] or []
        yield JournalLine(
            r["at"],
            r["kind"],
            r["number"],
            r["reference"] or "",
            r["code"],
            r["event"],
            "+".join(sorted({m.get("method", "") for m in methods if isinstance(m, dict)})),
            r["currency"],
            r["tax_rate"],
            r["net"],
            r["tax"],
            r["gross"],
        )


def journal(*, period: Period, venue: Venue | None = None) -> list[JournalLine]:
    """Every journal line of the period, in time order (payments, refunds, documents)."""
    lines = [*_payments(period, venue), *_refunds(period, venue), *_documents(period, venue)]
    order = {"payment": 0, "invoice": 1, "refund": 2, "credit_note": 3}
    return sorted(lines, key=lambda line: (line.at, order[line.entry], line.document))


def accounting_csv(*, period: Period, venue: Venue | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in journal(period=period, venue=venue):
        writer.writerow(line.cells(period.zone))
    return out.getvalue()
