"""The "Events" tab: every event and the selected event's tickets, editable in place
(name, date, time, state; ticket name, price, tax rate), with buttons that create an
event, duplicate it, make a weekly series of it, and add or remove a ticket.

Each edit or creation is written locally with its outbox op by the catalog services
(online or offline); the tab hands the result to the window (`done`), which shows it
and sends it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services.catalog import (
    catalog_selectors,
    event_edits,
    event_setup,
    ticket_edits,
)
from enturf_pos.services.catalog.catalog_selectors import EventRow, TicketRow
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.main_window_base import table_view
from enturf_pos.ui.manager.delegates import (
    EDIT_TRIGGERS,
    DateTimeDelegate,
    StateDelegate,
    aware,
)
from enturf_pos.ui.table_models import EventTableModel, RowRole, TicketTableModel

Done = Callable[..., bool]  # (result, notice=False): shows it, sends it; whether ok


def _section(title: QLabel, view: QWidget, *buttons: QPushButton) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    header = QHBoxLayout()
    header.addWidget(title, 1)
    for button in buttons:
        header.addWidget(button)
    layout.addLayout(header)
    layout.addWidget(view, 1)
    return box


class EventsTab(QWidget):
    eventSelected = Signal()  # another event (or none) is selected

    def __init__(self, ctx: PosContext, done: Done, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventsTab")
        self._ctx = ctx
        self._done = done
        self.dialog: QDialog | None = None  # the dialog open now, if any
        self.events = EventTableModel(
            parent=self,
            editors={
                EventTableModel.NAME: lambda r, v: self._edit_event(r, name=str(v)),
                EventTableModel.DATE: self._edit_start,
                EventTableModel.TIME: self._edit_start,
                EventTableModel.STATE: lambda r, v: self._edit_event(r, state=str(v)),
            },
        )
        self.tickets = TicketTableModel(
            parent=self,
            editors={
                TicketTableModel.NAME: lambda r, v: self._edit_ticket(r, name=str(v)),
                TicketTableModel.PRICE: lambda r, v: self._edit_ticket(r, price=str(v)),
                TicketTableModel.TAX: lambda r, v: self._edit_ticket(r, tax_rate=str(v)),
            },
        )
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
        for view in (self.events_view, self.tickets_view):
            view.setEditTriggers(EDIT_TRIGGERS)
        self._state_delegate = StateDelegate(self)
        self._time_delegate = DateTimeDelegate(self)
        self.events_view.setItemDelegateForColumn(EventTableModel.STATE, self._state_delegate)
        self.events_view.setItemDelegateForColumn(EventTableModel.DATE, self._time_delegate)
        self.events_view.setItemDelegateForColumn(EventTableModel.TIME, self._time_delegate)

        self.create_button = fw.button("eventCreateButton", "New event…", primary=True)
        self.duplicate_button = fw.button("eventDuplicateButton", "Duplicate…")
        self.series_button = fw.button("eventSeriesButton", "Weekly series…")
        self.ticket_create_button = fw.button("ticketCreateButton", "Add ticket…")
        self.ticket_remove_button = fw.button("ticketRemoveButton", "Remove ticket…")
        self.create_button.setToolTip("Create an event from a venue's seat map, with its tickets")
        self.duplicate_button.setToolTip("Copy the selected event and its tickets to a new date")
        self.series_button.setToolTip(
            "Copy the selected event and its tickets to every week, or to a list of dates"
        )
        self.ticket_remove_button.setToolTip(
            "Delete the selected ticket if nothing was sold with it, otherwise retire it"
        )
        self.tickets_title = QLabel("Tickets", objectName="sectionTitle")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(
            _section(
                QLabel("Events", objectName="sectionTitle"),
                self.events_view,
                self.create_button,
                self.duplicate_button,
                self.series_button,
            )
        )
        splitter.addWidget(
            _section(
                self.tickets_title,
                self.tickets_view,
                self.ticket_create_button,
                self.ticket_remove_button,
            )
        )
        splitter.setSizes([400, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(splitter, 1)

        self.create_button.clicked.connect(self.open_create)
        self.duplicate_button.clicked.connect(self.open_duplicate)
        self.series_button.clicked.connect(self.open_series)
        self.ticket_create_button.clicked.connect(self.open_ticket_create)
        self.ticket_remove_button.clicked.connect(self.confirm_ticket_remove)
        self.events_view.selectionModel().selectionChanged.connect(self._event_selected)
        self.tickets_view.selectionModel().selectionChanged.connect(self._enable)

    # -- editing in place ---------------------------------------------------------------

    def _edit_event(self, row: EventRow, **changes: Any) -> bool:
        return self._done(event_edits.edit_event(ctx=self._ctx, event_id=row.id, changes=changes))

    def _edit_start(self, row: EventRow, value: Any) -> bool:
        try:
            starts_at = aware(value)
        except ValueError:
            return self._done(EditResult(False, "Enter a date and time."))
        return self._edit_event(row, starts_at=starts_at)

    def _edit_ticket(self, row: TicketRow, **changes: Any) -> bool:
        return self._done(
            ticket_edits.edit_ticket(ctx=self._ctx, ticket_id=row.id, changes=changes)
        )

    # -- dialogs --------------------------------------------------------------------------

    def _open(self, dialog: QDialog, select: Callable[[QDialog], int | None]) -> None:
        """Show a window-modal dialog that saves by itself; once it did, say so and select
        what it made."""
        self.dialog = dialog

        def finished(code: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            result = getattr(dialog, "result_", None)
            if code == QDialog.DialogCode.Accepted and result is not None:
                self._done(result, notice=True)
                self.refresh()  # now, to select what the dialog made
                self.select_event(select(dialog))
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def open_create(self) -> None:
        from enturf_pos.ui.manager.event_dialog import EventDialog

        self._open(EventDialog(self._ctx, self), lambda d: d.event_id)

    def open_duplicate(self) -> None:
        from enturf_pos.ui.manager.series_dialog import DuplicateDialog

        row = self.selected_event()
        if row is not None:
            self._open(DuplicateDialog(self._ctx, row, self), lambda d: d.first_id)

    def open_series(self) -> None:
        from enturf_pos.ui.manager.series_dialog import SeriesDialog

        row = self.selected_event()
        if row is not None:
            self._open(SeriesDialog(self._ctx, row, self), lambda d: d.first_id)

    def open_ticket_create(self) -> None:
        from enturf_pos.ui.manager.ticket_dialog import TicketDialog

        row = self.selected_event()
        if row is not None:
            self._open(TicketDialog(self._ctx, row, self), lambda _d: row.id)

    def confirm_ticket_remove(self) -> None:
        ticket = self.selected_ticket()
        if ticket is None:
            return
        name = ticket.ticket.name
        confirm = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove ticket",
            f"Remove the ticket “{name}”?\n\nIf nothing was sold with it, it is deleted. "
            "If some were sold, it is retired instead: no longer sold, and the tickets "
            "already sold stay valid.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        confirm.setObjectName("ticketRemoveConfirm")
        confirm.setDefaultButton(QMessageBox.StandardButton.No)
        yes = confirm.button(QMessageBox.StandardButton.Yes)
        yes.setText("Remove")
        yes.setObjectName("ticketRemoveConfirmButton")
        confirm.button(QMessageBox.StandardButton.No).setText("Keep")
        yes.clicked.connect(lambda: self._remove_ticket(ticket.id))
        confirm.finished.connect(confirm.deleteLater)
        self.dialog = confirm
        confirm.finished.connect(lambda _c: setattr(self, "dialog", None))
        confirm.open()

    def _remove_ticket(self, ticket_id: int) -> None:
        self._done(event_setup.remove_ticket(ctx=self._ctx, ticket_id=ticket_id), notice=True)

    # -- tables ---------------------------------------------------------------------------

    def selected_event(self) -> EventRow | None:
        rows = self.events_view.selectionModel().selectedRows()
        return rows[0].data(RowRole) if rows else None

    def selected_event_id(self) -> int | None:
        row = self.selected_event()
        return None if row is None else row.id

    def selected_ticket(self) -> TicketRow | None:
        rows = self.tickets_view.selectionModel().selectedRows()
        return rows[0].data(RowRole) if rows else None

    def editing(self) -> bool:
        editing = QAbstractItemView.State.EditingState
        return editing in (self.events_view.state(), self.tickets_view.state())

    def refresh(self) -> None:
        if self.editing():  # reloading now would close the editor and lose the typing
            QTimer.singleShot(300, self.refresh)
            return
        selected = self.selected_event()
        self.events.set_rows(catalog_selectors.all_events(ctx=self._ctx))
        if selected is None or not (self.select_event(selected.id) or self._select_same(selected)):
            self._select_first_upcoming()
        self._show_tickets()

    def select_event(self, event_id: int | None) -> bool:
        proxy = self.events_view.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, 0).data(RowRole).id == event_id:
                self.events_view.selectRow(row)
                return True
        return False

    def _select_same(self, row: EventRow) -> bool:
        """An event made here got the server's id: the same name and start."""
        proxy = self.events_view.model()
        for r in range(proxy.rowCount()):
            other = proxy.index(r, 0).data(RowRole)
            if (other.name, other.starts_at) == (row.name, row.starts_at):
                self.events_view.selectRow(r)
                return True
        return False

    def _select_first_upcoming(self) -> None:
        proxy = self.events_view.model()
        now = datetime.now(UTC)
        rows = [proxy.index(r, 0).data(RowRole) for r in range(proxy.rowCount())]
        upcoming = [r for r, row in enumerate(rows) if row.starts_at >= now]
        if rows:
            self.events_view.selectRow(upcoming[0] if upcoming else len(rows) - 1)

    def _event_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_tickets()
        self.eventSelected.emit()

    def _show_tickets(self) -> None:
        event = self.selected_event()
        selected_ticket = self.selected_ticket()
        rows = (
            [] if event is None else catalog_selectors.tickets_of(ctx=self._ctx, event_id=event.id)
        )
        if event is not None and any(row.ticket.area for row in rows):
            _categories, areas = event_setup.sellables(ctx=self._ctx, event_id=event.id)
            self.tickets.area_names = {a.id: a.name for a in areas}
        self.tickets.set_rows(rows)
        self.tickets_title.setText(f"Tickets · {event.name}" if event else "Tickets")
        if selected_ticket is not None:
            proxy = self.tickets_view.model()
            for r in range(proxy.rowCount()):
                if proxy.index(r, 0).data(RowRole).id == selected_ticket.id:
                    self.tickets_view.selectRow(r)
        self._enable()

    def _enable(self, *_args: object) -> None:
        has_event = self.selected_event() is not None
        for button in (self.duplicate_button, self.series_button, self.ticket_create_button):
            button.setEnabled(has_event)
        ticket = self.selected_ticket()
        self.ticket_remove_button.setEnabled(ticket is not None and ticket.ticket.active)
