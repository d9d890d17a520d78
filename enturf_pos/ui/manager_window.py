"""The back-office window of an administrator: events and their tickets."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from enturf_pos.services import catalog_selectors
from enturf_pos.services.auth_service import CurrentUser
from enturf_pos.services.pos_context import PosContext
from enturf_pos.ui.main_window_base import MainWindowBase, action, table_view
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.table_models import EventTableModel, RowRole, TicketTableModel


def _section(title: QLabel, view: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(title)
    layout.addWidget(view, 1)
    return box


class ManagerWindow(MainWindowBase):
    openCashierRequested = Signal()

    def __init__(self, *, ctx: PosContext, user: CurrentUser, sync: SyncController) -> None:
        super().__init__(user=user, sync=sync, title="Manager")
        self.setObjectName("managerWindow")
        self._ctx = ctx
        self.events = EventTableModel(parent=self)
        self.tickets = TicketTableModel(parent=self)
        self.events_view = table_view(
            "managerEventsTable",
            self.events,
            "Events",
            stretch_column=EventTableModel.NAME,
            sort_column=EventTableModel.DATE,
        )
        self.tickets_view = table_view(
            "managerTicketsTable",
            self.tickets,
            "Tickets of the selected event",
            stretch_column=TicketTableModel.NAME,
        )
        self.tickets_title = QLabel("Tickets", objectName="sectionTitle")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(_section(QLabel("Events", objectName="sectionTitle"), self.events_view))
        splitter.addWidget(_section(self.tickets_title, self.tickets_view))
        splitter.setSizes([440, 260])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(splitter)
        self.setCentralWidget(central)

        self.open_cashier_action = action(
            self, "openCashierAction", "Open counter", "Ctrl+K", "Open the cashier's counter window"
        )
        self.open_cashier_action.triggered.connect(self.openCashierRequested)
        self.finish_toolbar(self.open_cashier_action)
        self.events_view.selectionModel().selectionChanged.connect(self._event_selected)
        self.refresh()

    def selected_event_id(self) -> int | None:
        rows = self.events_view.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(RowRole).id

    def refresh(self) -> None:
        selected = self.selected_event_id()
        self.events.set_rows(catalog_selectors.all_events(ctx=self._ctx))
        proxy = self.events_view.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, 0).data(RowRole).id == selected:
                self.events_view.selectRow(row)
                break
        else:
            self._select_first_upcoming()
        self._show_tickets()

    def _select_first_upcoming(self) -> None:
        proxy = self.events_view.model()
        now = datetime.now(UTC)
        rows = [proxy.index(r, 0).data(RowRole) for r in range(proxy.rowCount())]
        upcoming = [r for r, row in enumerate(rows) if row.starts_at >= now]
        if rows:
            self.events_view.selectRow(upcoming[0] if upcoming else len(rows) - 1)

    def _event_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_tickets()

    def _show_tickets(self) -> None:
        event_id = self.selected_event_id()
        rows = (
            []
            if event_id is None
            else catalog_selectors.tickets_of(ctx=self._ctx, event_id=event_id)
        )
        self.tickets.set_rows(rows)
        name = self.events_view.selectionModel().selectedRows()
        self.tickets_title.setText(f"Tickets · {name[0].data(RowRole).name}" if name else "Tickets")
