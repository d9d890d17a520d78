"""A report table (`services.reports.report_tables.ReportTable`) as a Qt table model:
text as the screen shows it, the typed value under `RawRole` (sorting, tests), figures
right-aligned, the totals row last and bold (it stays last when sorted)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from enturf_pos.services.reports.report_tables import Kind, ReportTable
from enturf_pos.ui.table_models import RawRole

Index = QModelIndex | QPersistentModelIndex
TOTAL_ROLE = Qt.ItemDataRole.UserRole + 2  # True on the totals row
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class ReportTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table: ReportTable | None = None
        self._rows: list[tuple[Any, ...]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_table(self, table: ReportTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self._rows = [] if table is None else list(table.rows)
        if table is not None and table.totals is not None:
            self._rows.append(table.totals)
        self.endResetModel()

    def _is_total(self, row: int) -> bool:
        return (
            self.table is not None and self.table.totals is not None and row == len(self._rows) - 1
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if self.table is None or orientation != Qt.Orientation.Horizontal:
            return None
        column = self.table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if column.kind in (Kind.TEXT, Kind.DATE) else RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        kind = self.table.columns[index.column()].kind
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.table.text(value, index.column())
        if role == RawRole:
            return value
        if role == TOTAL_ROLE:
            return self._is_total(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if kind in (Kind.TEXT, Kind.DATE) else RIGHT
        if role == Qt.ItemDataRole.FontRole and self._is_total(index.row()):
            return self._bold
        return None

    def column_values(self, key: str, *, totals: bool = False) -> list[Any]:
        """A column's typed values (without the totals row unless asked). For tests."""
        if self.table is None:
            return []
        k = self.table.column(key)
        rows = self._rows if totals or self.table.totals is None else self._rows[:-1]
        return [row[k] for row in rows]


class ReportSortModel(QSortFilterProxyModel):
    """Sorts on the typed values; the totals row stays last either way."""

    def __init__(self, source: ReportTableModel, parent=None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(RawRole)

    def lessThan(self, left: Index, right: Index) -> bool:
        if left.data(TOTAL_ROLE) or right.data(TOTAL_ROLE):
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return bool(right.data(TOTAL_ROLE)) == ascending
        a, b = left.data(RawRole), right.data(RawRole)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)
