"""A table written to a file a manager opens elsewhere: CSV (UTF-8 with a BOM, so a
spreadsheet reads its accents) or XLSX (openpyxl, a bold header row, times as venue-local
dates the spreadsheet can sort)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from enturf_pos.services import venue_time

FORMATS = ("csv", "xlsx")


def write_table(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet"
) -> int:
    """Write `rows` under `headers` as CSV or XLSX, by `path`'s suffix; the rows written."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(f"Save as .csv or .xlsx, not {path.suffix or 'no suffix'}.")
    return _xlsx(path, headers, rows, title) if kind == "xlsx" else _csv(path, headers, rows)


def _csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_text(value) for value in row])
            count += 1
    return count


def _xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet")
    bold = Font(bold=True)
    head = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    count = 0
    for row in rows:
        sheet.append([_cell(value) for value in row])
        count += 1
    book.save(path)
    return count


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return venue_time.local(value).isoformat(timespec="seconds")
    return str(value)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):  # a spreadsheet has no zones: the venue's wall clock
        return venue_time.local(value).replace(tzinfo=None)
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)
