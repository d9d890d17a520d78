"""Qt table models over plain row dataclasses (never ORM objects).

Each model is a list of rows plus a list of :class:`Column` specs. A column is editable
when it has an `edit` callback, or when the model was given one for it (`editors`, by
column number: the manager's window edits the same models the cashier only reads).
`setData` routes an edit to that callback, which writes through a service and answers
whether it was accepted; `EditRole` gives the editor its starting value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QDateTime, QModelIndex, QPersistentModelIndex, Qt

from enturf_pos.services import venue_time
from enturf_pos.services.catalog.catalog_selectors import EventRow, TicketRow

RowT = TypeVar("RowT")
Index = QModelIndex | QPersistentModelIndex
RawRole = Qt.ItemDataRole.UserRole  # the unformatted value: sorting and tests use it
RowRole = Qt.ItemDataRole.UserRole + 1  # the whole row dataclass


@dataclass(frozen=True)
class Column(Generic[RowT]):
    title: str
    value: Callable[[RowT], Any]
    text: Callable[[Any], str] = str
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    edit: Callable[[RowT, Any], bool] | None = None  # None: read-only
    display: Callable[[RowT], str] | None = None  # text from the whole row (e.g. money)
    edit_value: Callable[[RowT], Any] | None = None  # the editor's start value (default: raw)

    def text_of(self, row: RowT) -> str:
        return self.display(row) if self.display else self.text(self.value(row))


class RowTableModel(QAbstractTableModel, Generic[RowT]):
    columns: Sequence[Column[RowT]] = ()

    def __init__(
        self,
        rows: Sequence[RowT] = (),
        parent=None,
        *,
        editors: dict[int, Callable[[RowT, Any], bool]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = list(rows)
        self._editors = dict(editors or {})

    def _editor(self, column: int) -> Callable[[RowT, Any], bool] | None:
        return self._editors.get(column) or self.columns[column].edit

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,  # the whole text of a cell a view elides
        ):
            return column.text_of(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == RawRole:
            value = column.value(row)
            return str(value) if isinstance(value, Decimal) else value
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.EditRole:
            return column.edit_value(row) if column.edit_value else column.value(row)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editor(index.column()) is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        edit = self._editor(index.column())
        if edit is None or not edit(self._rows[index.row()], value):
            return False
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

EVENT_STATES = {
    "draft": "Announced",
    "on_sale": "On sale",
    "closed": "Sales closed",
    "cancelled": "Cancelled",
}


def _day(value: Any) -> str:
    return venue_time.text(value, venue_time.DAY)


def _time(value: Any) -> str:
    return venue_time.text(value, venue_time.CLOCK)


def _qdatetime(value: Any) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp()))


def _event_name(row: EventRow) -> str:
    """The name, and whether the event is still only on this counter."""
    return row.name if row.on_server else f"{row.name} · not on the server yet"


class EventTableModel(RowTableModel[EventRow]):
    DATE, TIME, NAME, VENUE, STATE, TAKEN = range(6)
    columns = (
        Column("Date", lambda r: r.starts_at, _day, edit_value=lambda r: _qdatetime(r.starts_at)),
        Column("Time", lambda r: r.starts_at, _time, edit_value=lambda r: _qdatetime(r.starts_at)),
        Column("Event", lambda r: r.name, display=_event_name),
        Column("Venue", lambda r: r.venue),
        Column("State", lambda r: r.state, lambda s: EVENT_STATES.get(s, s)),
        Column("Seats taken", lambda r: r.sold_or_held, align=RIGHT),
    )


def _money(row: TicketRow) -> str:
    return f"{row.ticket.price:,.2f} {row.ticket.currency}"


class TicketTableModel(RowTableModel[TicketRow]):
    NAME, PRICE, TAX, SELLS, ACTIVE = range(5)
    columns = (
        Column("Ticket", lambda r: r.ticket.name),
        Column(
            "Price",
            lambda r: r.ticket.price,
            align=RIGHT,
            display=_money,
            edit_value=lambda r: str(r.ticket.price),
        ),
        Column(
            "Tax",
            lambda r: r.ticket.tax_rate,
            lambda v: f"{v.normalize():f} %",
            align=RIGHT,
            edit_value=lambda r: str(r.ticket.tax_rate),
        ),
        Column("Sells", lambda r: r.sells),
        Column("Active", lambda r: r.ticket.active, lambda v: "Yes" if v else "No"),
    )
    # standing areas by id, to name them in "Sells" (the manager's list sets them)
    area_names: dict[int, str] = {}

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        area = None
        if index.isValid() and index.column() == self.SELLS and index.row() < self.rowCount():
            area = self.row_at(index.row()).ticket.area
        if area in self.area_names and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return f"standing: {self.area_names[area]}"
        return super().data(index, role)
