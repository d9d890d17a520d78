"""The tickets of an event being created: one row per ticket, typed in the table
(name, price, tax rate, limit per booking); what each sells (a seat category or a
standing area) is fixed by the row. Text stays as typed until the dialog checks it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from enturf_pos.services.catalog.event_setup import TicketDraft

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class DraftRow:
    sells: str  # what the manager reads: "Seats · Premium", "Standing · Floor (400)"
    category: str = ""
    area_id: int | None = None
    name: str = ""
    price: str = ""
    tax_rate: str = ""
    limit: str = ""  # "" : no limit


def seat_row(category: str, tax_rate: str) -> DraftRow:
    words = category.replace("_", " ").title()
    return DraftRow(f"Seats · {words}", category=category, name=words, tax_rate=tax_rate)


def area_row(area_id: int, name: str, capacity: int, tax_rate: str) -> DraftRow:
    return DraftRow(
        f"Standing · {name} ({capacity:,})", area_id=area_id, name=name, tax_rate=tax_rate
    )


def _amount(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{what}: type a number, like 24.50.") from None
    if not value.is_finite():
        raise ValueError(f"{what}: type a number, like 24.50.")
    return value


def to_draft(row: DraftRow) -> TicketDraft:
    """The row as the service takes it; ValueError saying what to fix."""
    name = row.name.strip()
    label = f"Ticket “{name}”" if name else f"The ticket for {row.sells}"
    if not name:
        raise ValueError(f"{label} needs a name.")
    if not row.price.strip():
        raise ValueError(f"{label} needs a price.")
    price = _amount(row.price, f"{label}'s price")
    if price < 0:
        raise ValueError(f"{label}'s price cannot be negative.")
    tax = _amount(row.tax_rate or "0", f"{label}'s tax rate")
    if not Decimal(0) <= tax <= Decimal(100):
        raise ValueError(f"{label}'s tax rate is a percentage from 0 to 100.")
    limit: int | None = None
    if row.limit.strip():
        try:
            limit = int(row.limit.strip())
        except ValueError:
            raise ValueError(f"{label}'s limit per booking is a whole number, or empty.") from None
        if limit < 1:
            raise ValueError(f"{label}'s limit per booking is at least 1, or empty for none.")
    return TicketDraft(name, price, tax, row.category, row.area_id, limit)


class TicketDraftModel(QAbstractTableModel):
    NAME, SELLS, PRICE, TAX, LIMIT = range(5)
    TITLES = ("Ticket", "Sells", "Price", "Tax %", "Limit per booking")
    FIELDS = {NAME: "name", PRICE: "price", TAX: "tax_rate", LIMIT: "limit"}

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[DraftRow] = []

    def set_rows(self, rows: list[DraftRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()

    def add_like(self, row: int) -> int:
        """Another ticket selling what row `row` sells (a second price: "Reduced")."""
        base = self.rows[row]
        new = replace(base, name="", price="", limit="")
        at = row + 1
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, new)
        self.endInsertRows()
        return at

    def drafts(self) -> list[TicketDraft]:
        return [to_draft(row) for row in self.rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.TITLES)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.TITLES[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == self.SELLS:
                return row.sells
            value = getattr(row, self.FIELDS[column])
            if role == Qt.ItemDataRole.DisplayRole and column == self.LIMIT and not value:
                return "No limit"
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.PRICE,
            self.TAX,
            self.LIMIT,
        ):
            return int(RIGHT)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.PRICE:
            return "Price with tax included"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() != self.SELLS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        field = self.FIELDS.get(index.column())
        if field is None:
            return False
        self.rows[index.row()] = replace(self.rows[index.row()], **{field: str(value)})
        self.dataChanged.emit(index, index)
        return True
