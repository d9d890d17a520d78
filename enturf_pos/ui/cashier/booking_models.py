"""The booking lookup's tables: the bookings found and the tickets of one booking (with
a check box per refundable ticket), and how a booking's state reads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal

from enturf_pos.services import venue_time
from enturf_pos.services.sales.booking_records import BookingLine, BookingSummary
from enturf_pos.ui.table_models import RIGHT, Column, Index, RowTableModel

STATES = {
    "pending": "Not paid",
    "paid": "Paid",
    "partially_refunded": "Partly refunded",
    "refunded": "Refunded",
    "cancelled": "Cancelled",
    "expired": "Expired",
    "review": "Held for a manager's review",
    "valid": "Valid",
}


def state_text(value: str) -> str:
    return STATES.get(value, value.replace("_", " ").capitalize())


def when_text(value: Any) -> str:
    return venue_time.text(value, venue_time.DATE_CLOCK)


class BookingResultsModel(RowTableModel[BookingSummary]):
    CODE, BUYER, EVENT, STATE, TOTAL, WHEN = range(6)
    columns = (
        Column("Code", lambda r: r.code),
        Column("Buyer", lambda r: r.buyer_name or r.buyer_email),
        Column("Event", lambda r: r.event_name),
        Column(
            "State",
            lambda r: r.state,
            display=lambda r: state_text(r.state) + (" · not sent yet" if r.pending_push else ""),
        ),
        Column("Total", lambda r: r.total.amount, align=RIGHT, display=lambda r: r.total.format()),
        Column(
            "Sold",
            lambda r: r.created_at,
            lambda v: venue_time.text(v, venue_time.SHORT),
        ),
    )

    def update_row(self, summary: BookingSummary) -> None:
        """The booking as just read again (after a refund): its row shows the new state."""
        for row, current in enumerate(self._rows):
            if current.id == summary.id:
                self._rows[row] = summary
                last = self.columnCount() - 1
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))


class BookingLinesModel(RowTableModel[BookingLine]):
    """The booking's tickets; refundable ones carry a check box (column 0)."""

    PLACE, TICKET, PRICE, STATE = range(4)
    columns = (
        Column("Place", lambda r: r.place),
        Column("Ticket", lambda r: r.ticket_name),
        Column("Price", lambda r: r.price.amount, align=RIGHT, display=lambda r: r.price.format()),
        Column("State", lambda r: r.state, state_text),
    )
    checkedChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__((), parent)
        self.checked: set[uuid.UUID] = set()

    def set_rows(self, rows: Sequence[BookingLine]) -> None:
        self.checked = {line.id for line in rows if line.refundable}
        super().set_rows(rows)
        self.checkedChanged.emit()

    def chosen(self) -> list[BookingLine]:
        return [line for line in self._rows if line.id in self.checked]

    def set_checked(self, row: int, on: bool) -> None:
        self.setData(
            self.index(row, 0),
            Qt.CheckState.Checked if on else Qt.CheckState.Unchecked,
            Qt.ItemDataRole.CheckStateRole,
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0:
            line = self._rows[index.row()]
            if not line.refundable:
                return None
            return Qt.CheckState.Checked if line.id in self.checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0 and self._rows[index.row()].refundable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != 0:
            return super().setData(index, value, role)
        line = self._rows[index.row()]
        if not line.refundable:
            return False
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        (self.checked.add if on else self.checked.discard)(line.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()
        return True
