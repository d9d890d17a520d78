"""The programme: today's and upcoming events with what is left per ticket, searchable
by name, venue and date. Enter or a double click opens an event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from enturf_core import palette
from enturf_pos.services import venue_time
from enturf_pos.services.sales.counter_selectors import ProgrammeEvent

Index = QModelIndex | QPersistentModelIndex
RowRole = Qt.ItemDataRole.UserRole + 1
SearchRole = Qt.ItemDataRole.UserRole + 2


def search_text(row: ProgrammeEvent) -> str:
    """Everything a cashier might type to find an event: name, venue, date forms."""
    local = venue_time.local(row.starts_at)
    return " ".join(
        [
            row.name,
            row.venue,
            f"{local:%A %a %d %b %B %Y}",
            f"{local:%Y-%m-%d}",
            f"{local:%d.%m.%Y}",
            f"{local:%d.%m.}",
            f"{local:%d/%m/%Y}",
            f"{local:%H:%M}",
        ]
    ).casefold()


def left_lines(row: ProgrammeEvent) -> list[str]:
    """Places left, once per pool: tickets of one seat category (Adult, Child) share its
    seats, so "Stalls 120" is shown once; each ticket's figure is in the tooltip."""
    seen: dict[str, int] = {}
    for ticket in row.tickets:
        seen.setdefault(ticket.pool, ticket.left)
    return [f"{pool} {left:,}" for pool, left in seen.items()]


class ProgrammeModel(QAbstractTableModel):
    EVENT, LEFT = range(2)
    WHEN = EVENT  # the date is shown with the name
    TITLES = ("Event", "Left")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ProgrammeEvent] = []

    def set_rows(self, rows: Sequence[ProgrammeEvent]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ProgrammeEvent:
        return self._rows[row]

    def row_of(self, event_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == event_id:
                return i
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.TITLES)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.TITLES[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.EVENT:
                when = venue_time.text(row.starts_at, "%a %d %b, %H:%M")
                venue = f" · {row.venue}" if row.venue else ""
                return f"{row.name}\n{when}{venue}"
            if row.state != "on_sale":
                return "Not on sale yet"
            return "\n".join(left_lines(row)) or "—"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.name}\n" + "\n".join(f"{t.name}: {t.left:,} left" for t in row.tickets)
        if role == Qt.ItemDataRole.ForegroundRole and row.state != "on_sale":
            from PySide6.QtGui import QColor

            return QColor(palette.TEXT_DISABLED)
        if role == RowRole:
            return row
        if role == SearchRole:
            return search_text(row)
        return None


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        # Qt 6.10 deprecates invalidateFilter() for begin/endFilterChange() around the change
        bracketed = hasattr(self, "beginFilterChange")
        if bracketed:
            self.beginFilterChange()
        self._words = text.casefold().split()
        if bracketed:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        text = model.data(model.index(source_row, 0, source_parent), SearchRole) or ""
        return all(word in text for word in self._words)


class _EventTable(QTableView):
    activatedByKey = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activatedByKey.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class ProgrammePanel(QWidget):
    eventChosen = Signal(int)  # an event id to open
    leaveRequested = Signal()  # Esc in the search: it was cleared, the focus goes back

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("programmePanel")
        self.model = ProgrammeModel(self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(objectName="eventSearch")
        self.search.setPlaceholderText("Find event: name or date (Ctrl+F)")
        self.search.setAccessibleName("Find event")
        self.search.setClearButtonEnabled(True)
        self.table = _EventTable(objectName="eventList")
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Programme: today's and upcoming events")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setMinimumSectionSize(56)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ProgrammeModel.LEFT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ProgrammeModel.LEFT, 132)
        self.empty = QLabel(
            "No upcoming events on this counter yet. They appear once the counter has "
            "synced with the server.",
            objectName="programmeEmpty",
        )
        self.empty.setWordWrap(True)
        self.empty.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        title = QLabel("Programme", objectName="sectionTitle")
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

        self.search.installEventFilter(self)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._open_first)
        self.table.activatedByKey.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)

    def set_rows(self, rows: Sequence[ProgrammeEvent]) -> None:
        current = self.current_event_id()
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        if current is not None:
            self.select_event(current)

    def current_event_id(self) -> int | None:
        index = self.table.currentIndex()
        row = index.data(RowRole) if index.isValid() else None
        return row.id if row else None

    def select_event(self, event_id: int) -> None:
        row = self.model.row_of(event_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.search.clear()
            self.leaveRequested.emit()
            return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        if not self.proxy.rowCount():
            return
        # the first event whose name holds the whole phrase, else the soonest match
        phrase = " ".join(text.casefold().split())
        best = 0
        for r in range(self.proxy.rowCount()):
            row = self.proxy.index(r, 0).data(RowRole)
            if phrase and phrase in row.name.casefold():
                best = r
                break
        self.table.setCurrentIndex(self.proxy.index(best, 0))

    def _open_first(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() and self.proxy.rowCount():
            index = self.proxy.index(0, 0)
        if index.isValid():
            self._open_index(index)

    def _open_index(self, index: QModelIndex) -> None:
        row = index.data(RowRole)
        if row is not None:
            self.eventChosen.emit(row.id)
