"""SeatTableModel: the seat map as a table (one row per seat), for screen readers, tests
and a list view of the map. It reads a :class:`SeatMapState` and follows its signals."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from enturf_pos.ui.seat_map.map_state import SeatMapState

Index = QModelIndex | QPersistentModelIndex

SeatIdRole = Qt.ItemDataRole.UserRole + 1  # int seat id
SeatIndexRole = Qt.ItemDataRole.UserRole + 2  # int seat index in the layout
StateRole = Qt.ItemDataRole.UserRole + 3  # enturf_core.seating.states.SeatState (int)
LookRole = Qt.ItemDataRole.UserRole + 4  # palette.Look (int): what the map shows
SelectedRole = Qt.ItemDataRole.UserRole + 5  # bool: in this counter's cart
SelectableRole = Qt.ItemDataRole.UserRole + 6  # bool: may be put in the cart now
PositionRole = Qt.ItemDataRole.UserRole + 7  # (x, y) in map units


class SeatTableModel(QAbstractTableModel):
    SECTION, ROW, SEAT, CATEGORY, STATUS = range(5)
    HEADERS = ("Section", "Row", "Seat", "Category", "Status")

    def __init__(self, state: SeatMapState, parent=None) -> None:
        super().__init__(parent)
        self._state = state
        state.layoutChanged.connect(self._reset)
        state.seatsChanged.connect(self._seats_changed)
        state.ticketsChanged.connect(self._reset)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._state.layout is None:
            return 0
        return len(self._state.layout)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        state, layout = self._state, self._state.layout
        if not index.isValid() or layout is None or not 0 <= index.row() < len(layout):
            return None
        i = index.row()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            column = index.column()
            if column == self.SECTION:
                return layout.sections[layout.section_of[i]].name
            if column == self.ROW:
                return layout.rows[layout.row_of[i]].label
            if column == self.SEAT:
                return layout.labels[i]
            if column == self.CATEGORY:
                return layout.categories[layout.category_of[i]]
            if column == self.STATUS:
                return state.status_text(i)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return state.describe(i)
        if role == SeatIdRole:
            return layout.ids[i]
        if role == SeatIndexRole:
            return i
        if role == StateRole:
            assert state.states is not None
            return int(state.states.codes[i])
        if role == LookRole:
            return int(state.look(i))
        if role == SelectedRole:
            return i in state.selected
        if role == SelectableRole:
            return state.is_selectable(i)
        if role == PositionRole:
            return (layout.xs[i], layout.ys[i])
        return None

    def row_of_seat(self, seat_id: int) -> int:
        """The model row of a seat id (-1 if the map has no such seat)."""
        layout = self._state.layout
        return -1 if layout is None else layout.index_of.get(seat_id, -1)

    def _reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def _seats_changed(self, indices: list[int]) -> None:
        if not indices:
            return
        # one dataChanged per run of consecutive rows
        ordered = sorted(indices)
        start = prev = ordered[0]
        for i in [*ordered[1:], None]:
            if i is not None and i == prev + 1:
                prev = i
                continue
            self.dataChanged.emit(self.index(start, 0), self.index(prev, self.STATUS))
            if i is not None:
                start = prev = i
