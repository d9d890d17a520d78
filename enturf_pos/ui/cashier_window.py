"""The counter window of a cashier: today, the programme of upcoming events."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from enturf_pos.services import catalog_selectors
from enturf_pos.services.auth_service import CurrentUser
from enturf_pos.services.pos_context import PosContext
from enturf_pos.ui.main_window_base import MainWindowBase, table_view
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.table_models import EventTableModel


class CashierWindow(MainWindowBase):
    def __init__(self, *, ctx: PosContext, user: CurrentUser, sync: SyncController) -> None:
        super().__init__(user=user, sync=sync, title="Counter")
        self.setObjectName("cashierWindow")
        self._ctx = ctx
        self.events = EventTableModel(parent=self)
        self.table = table_view(
            "programmeTable",
            self.events,
            "Programme: upcoming events",
            stretch_column=EventTableModel.NAME,
            sort_column=EventTableModel.DATE,
        )
        self.empty_label = QLabel(
            "No upcoming events on this counter yet. They appear once the counter has "
            "synced with the server.",
            objectName="programmeEmpty",
        )
        self.empty_label.setWordWrap(True)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(QLabel("Programme", objectName="sectionTitle"))
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)
        self.finish_toolbar()
        self.refresh()

    def refresh(self) -> None:
        rows = catalog_selectors.upcoming_events(ctx=self._ctx)
        self.events.set_rows(rows)
        self.empty_label.setVisible(not rows)
