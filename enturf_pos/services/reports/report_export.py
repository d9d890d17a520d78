"""Any report table as a CSV or XLSX file.

CSV: a header row, then the rows and the totals row, values as plain text a
spreadsheet or script reads back (amounts with a dot and two decimals, dates ISO,
shares as percentages), UTF-8 with a BOM so that Excel opens accents right.
XLSX (openpyxl): the same table on the sheet "Report" with typed cells: counts as
whole numbers, money as numbers in the currency's format, dates as dates, shares as
percentages; the header row bold and frozen with the first column; the totals row
bold; the filters and the figures' time on a second sheet "About"."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from enturf_core.money import Money, currency_exponent
from enturf_pos.services.reports.report_tables import Kind, ReportTable

CSV_ENCODING = "utf-8-sig"


def csv_value(value: Any, kind: Kind, currency: str) -> str:
    if value is None:
        return ""
    if kind == Kind.MONEY:
        places = currency_exponent(currency) if currency else 2
        return f"{Decimal(value):.{places}f}"
    if kind == Kind.SHARE:
        return f"{Decimal(value) * 100:.1f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _all_rows(table: ReportTable) -> list[tuple[Any, ...]]:
    return [*table.rows, *([table.totals] if table.totals is not None else [])]


def _header(table: ReportTable) -> list[str]:
    return [
        f"{c.title} ({table.currency})" if c.kind == Kind.MONEY and table.currency else c.title
        for c in table.columns
    ]


def csv_text(table: ReportTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_header(table))
    for row in _all_rows(table):
        writer.writerow(
            csv_value(v, c.kind, table.currency) for v, c in zip(row, table.columns, strict=True)
        )
    return out.getvalue()


def write_csv(table: ReportTable, path: Path) -> Path:
    path.write_text(csv_text(table), encoding=CSV_ENCODING, newline="")
    return path


def money_format(currency: str) -> str:
    """An Excel number format showing the currency as the receipt does (`€#,##0.00`)."""
    places = currency_exponent(currency) if currency else 2
    digits = "#,##0" + ("." + "0" * places if places else "")
    if not currency:
        return digits
    zero = Money(0, currency).format()  # "€0.00" or "0.00 CHF"
    prefix, _, suffix = zero.partition("0" if places == 0 else "0." + "0" * places)
    quote = lambda text: f'"{text}"' if text else ""  # noqa: E731
    return f"{quote(prefix)}{digits}{quote(suffix)}"


def write_xlsx(table: ReportTable, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from enturf_core import palette

    book = Workbook()
    sheet = book.active
    sheet.title = "Report"
    bold = Font(bold=True)
    shade = PatternFill("solid", fgColor=palette.PAPER_PANEL.lstrip("#"))
    formats = {
        Kind.MONEY: money_format(table.currency),
        Kind.COUNT: "#,##0",
        Kind.SHARE: "0.0%",
        Kind.DATE: "yyyy-mm-dd",
    }
    sheet.append(_header(table))
    for cell in sheet[1]:
        cell.font, cell.fill = bold, shade
        cell.alignment = Alignment(horizontal="left" if cell.column == 1 else "right")
    rows = _all_rows(table)
    for row in rows:
        sheet.append(list(row))  # typed: Decimal and date cells stay numbers and dates
    for column, spec in enumerate(table.columns, start=1):
        number_format = formats.get(spec.kind)
        if number_format is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if not isinstance(cell.value, str):
                cell.number_format = number_format
    if table.totals is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    sheet.freeze_panes = "B2"  # the header row and the first column stay in view
    for column, spec in enumerate(table.columns, start=1):
        texts = [spec.title, *(table.text(r[column - 1], column - 1) for r in rows)]
        sheet.column_dimensions[get_column_letter(column)].width = min(
            60, max(10, max(len(t) for t in texts) + 3)
        )

    about = book.create_sheet("About")
    about.append([table.title])
    about["A1"].font = Font(bold=True, size=13)
    for note in table.notes:
        about.append([note])
    about.column_dimensions["A"].width = 80
    book.properties.title = table.title
    book.save(path)
    return path
