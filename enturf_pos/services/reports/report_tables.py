"""Reports as typed tables: what the Reports tab shows and every export writes.

A cell holds its value with its type (text, whole number, money in the currency's major
units as `Decimal`, a date, a share 0..1), so the XLSX gets numbers and dates, the CSV
plain text, the PDF and the screen formatted text, all from one table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from enturf_core.local_time import parse_utc
from enturf_core.money import Money, currency_exponent
from enturf_pos.services.reports.report_filters import GROUPS

_DIGITS = re.compile(r"\d{4,}")  # the whole part of an amount, to group


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    MONEY = "money"
    DATE = "date"
    SHARE = "share"  # 0..1, shown as a percentage


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True, slots=True)
class ReportTable:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    totals: tuple[Any, ...] | None = None  # a last row, "Total" in the first column
    currency: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)  # filters, "as of", source

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def text(self, value: Any, column: int) -> str:
        """A cell as the screen and the PDF show it."""
        return cell_text(value, self.columns[column].kind, self.currency)


def cell_text(value: Any, kind: Kind, currency: str = "") -> str:
    if value is None:
        return ""
    if kind == Kind.MONEY:
        return money_text(value, currency)
    if kind == Kind.COUNT:
        return f"{value:,}"
    if kind == Kind.SHARE:
        return f"{value * 100:.1f} %"
    if kind == Kind.DATE and isinstance(value, date):
        return value.strftime("%a %d %b %Y")
    return str(value)


def money_text(amount: Decimal, currency: str) -> str:
    """``€12,345.50``: the receipt's format with the thousands grouped."""
    if not currency:
        return f"{amount:,.2f}"
    text = Money(amount, currency).format()
    return _DIGITS.sub(lambda m: f"{int(m.group()):,}", text, count=1)


def money(cents: Any, currency: str) -> Decimal:
    """Minor units from the server -> the amount in major units."""
    units = cents if isinstance(cents, int) else 0
    return Decimal(units).scaleb(-currency_exponent(currency)) if currency else Decimal(units)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _day(value: Any) -> date | str:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return str(value)


SALES_FIGURES = (
    Column("tickets", "Tickets", Kind.COUNT),
    Column("refunded_tickets", "Refunded", Kind.COUNT),
    Column("gross_cents", "Gross", Kind.MONEY),
    Column("tax_cents", "Tax", Kind.MONEY),
    Column("net_cents", "Net", Kind.MONEY),
    Column("refunds_cents", "Refunds", Kind.MONEY),
)


def sales_table(
    data: dict[str, Any], notes: tuple[str, ...] = (), *, one_event: bool = False
) -> ReportTable:
    """`GET /reports/sales/`: a row per group (day, event, ticket...) and the totals.
    `one_event`: the report is of one event, so a ticket's label drops the event's name
    the server puts before it ("Gala: Adult" -> "Adult")."""
    group = str(data.get("group_by") or "event")
    currency = str(data.get("currency") or "")
    first = Column(
        "label", GROUPS.get(group, group.title()), Kind.DATE if group == "day" else Kind.TEXT
    )

    def figures(item: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            money(item.get(c.key), currency) if c.kind == Kind.MONEY else _int(item.get(c.key))
            for c in SALES_FIGURES
        )

    rows = []
    for item in data.get("rows") or ():
        if not isinstance(item, dict):
            continue
        label: Any = item.get("label") or item.get("key") or ""
        if group == "day":
            label = _day(item.get("key") or label)
        elif group == "ticket" and one_event and ": " in str(label):
            label = str(label).split(": ", 1)[1]
        rows.append((label, *figures(item)))
    totals = data.get("totals")
    return ReportTable(
        f"Sales by {GROUPS.get(group, group).lower()}",
        (first, *SALES_FIGURES),
        tuple(rows),
        ("Total", *figures(totals)) if isinstance(totals, dict) else None,
        currency,
        notes,
    )


OCCUPANCY_FIGURES = (
    Column("capacity", "Capacity", Kind.COUNT),
    Column("sold", "Sold", Kind.COUNT),
    Column("held", "Held", Kind.COUNT),
    Column("allocated", "Counters", Kind.COUNT),
    Column("blocked", "Blocked", Kind.COUNT),
    Column("free", "Free", Kind.COUNT),
    Column("sold_share", "Sold %", Kind.SHARE),
)


def _place_name(item: dict[str, Any]) -> str:
    for key in ("label", "name", "category", "area"):
        if item.get(key) not in (None, ""):
            return str(item[key]).replace("_", " ").title() if key == "category" else str(item[key])
    return "?"


def occupancy_table(data: dict[str, Any], notes: tuple[str, ...] = ()) -> ReportTable:
    """`GET /reports/occupancy/`: the event, each seat category, each standing area."""

    def figures(item: dict[str, Any]) -> tuple[Any, ...]:
        counts = [_int(item.get(c.key)) for c in OCCUPANCY_FIGURES[:-1]]
        share = Decimal(counts[1]) / counts[0] if counts[0] else Decimal(0)
        return (*counts, share)

    rows: list[tuple[Any, ...]] = []
    for item in data.get("by_category") or ():
        if isinstance(item, dict):
            rows.append((f"Seats · {_place_name(item)}", *figures(item)))
    for item in data.get("standing") or ():
        if isinstance(item, dict):
            rows.append((f"Standing · {_place_name(item)}", *figures(item)))
    return ReportTable(
        "Occupancy",
        (Column("label", "Places"), *OCCUPANCY_FIGURES),
        tuple(rows),
        ("Total", *figures(data)),
        "",
        notes,
    )


OVER_TIME_COLUMNS = (
    Column("day", "Day", Kind.DATE),
    Column("days_from_on_sale", "Days on sale", Kind.COUNT),
    Column("tickets", "Tickets", Kind.COUNT),
    Column("gross_cents", "Gross", Kind.MONEY),
    Column("cumulative_tickets", "Tickets so far", Kind.COUNT),
    Column("cumulative_gross_cents", "Gross so far", Kind.MONEY),
)


def over_time_table(
    data: dict[str, Any], currency: str, notes: tuple[str, ...] = ()
) -> ReportTable:
    """`GET /reports/sales-over-time/`: a row per day with sales."""
    rows = []
    for item in data.get("series") or ():
        if not isinstance(item, dict):
            continue
        rows.append(
            tuple(
                _day(item.get(c.key))
                if c.kind == Kind.DATE
                else money(item.get(c.key), currency)
                if c.kind == Kind.MONEY
                else _int(item.get(c.key))
                for c in OVER_TIME_COLUMNS
            )
        )
    return ReportTable("Sales over time", OVER_TIME_COLUMNS, tuple(rows), None, currency, notes)


def server_time(value: Any) -> datetime | None:
    """A time from the server: epoch seconds (the occupancy's `sold_at`) or ISO 8601."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    return parse_utc(value)
