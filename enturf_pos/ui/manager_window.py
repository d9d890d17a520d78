"""The back-office window of an administrator: events and their tickets, editable.

Edits are written locally with their outbox op (`event_edits`, `ticket_edits`), online
or offline; sync sends them. Double-click (or F2, or just type) a cell: event name,
date and time, state; ticket name, price, tax rate. Conflicts and refused edits open
the decision dialog (`ConflictDialog`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QDateTime,
    QItemSelection,
    QModelIndex,
    Qt,
    QTimer,
    QTimeZone,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QSplitter,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.services.catalog import catalog_selectors, event_edits, ticket_edits
from enturf_pos.services.catalog.catalog_selectors import EventRow, TicketRow
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.conflict_dialog import ConflictDialog
from enturf_pos.ui.main_window_base import MainWindowBase, action, table_view
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.table_models import (
    EVENT_STATES,
    EventTableModel,
    RowRole,
    TicketTableModel,
)

EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)


def _section(title: QLabel, view: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(title)
    layout.addWidget(view, 1)
    return box


class FittingDelegate(QStyledItemDelegate):
    """An editor at least as wide as it needs: a column sized to its text ("On sale") is
    too narrow for the same text in a combo box or date editor with its arrow."""

    def updateEditorGeometry(self, editor: QWidget, option: Any, _index: QModelIndex) -> None:
        rect = option.rect
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)


class StateDelegate(FittingDelegate):
    """An event's state picked from a list."""

    def createEditor(self, parent: QWidget, _option: Any, _index: QModelIndex) -> QWidget:
        combo = QComboBox(parent, objectName="stateEditor")
        for key, text in EVENT_STATES.items():
            combo.addItem(text, key)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class DateTimeDelegate(FittingDelegate):
    def createEditor(self, parent: QWidget, _option: Any, index: QModelIndex) -> QWidget:
        editor = QDateTimeEdit(parent, objectName="startsAtEditor")
        # Typed and shown in the event's venue's zone, whatever the machine's zone is.
        row = index.data(RowRole)
        zone = venue_time.zone_of(row.starts_at) if row else venue_time.current_zone()
        editor.setTimeZone(QTimeZone(zone.key.encode()))
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("dd MMM yyyy HH:mm")
        return editor


def aware(value: Any) -> datetime:
    """A time from an editor (QDateTime, in the venue's zone) as an aware UTC datetime."""
    if isinstance(value, QDateTime):
        return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
    if isinstance(value, datetime) and value.tzinfo:
        return value
    raise ValueError("not a date and time")


class ManagerWindow(MainWindowBase):
    openCashierRequested = Signal()

    def __init__(self, *, ctx: PosContext, user: CurrentUser, sync: SyncController) -> None:
        super().__init__(user=user, sync=sync, title="Manager")
        self.setObjectName("managerWindow")
        self._ctx = ctx
        venue_time.load_from(ctx.db)  # times on screen: the venue's zone
        self._sync = sync
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
        self.tickets_title = QLabel("Tickets", objectName="sectionTitle")
        self.message = fw.message_label("managerMessage")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(_section(QLabel("Events", objectName="sectionTitle"), self.events_view))
        splitter.addWidget(_section(self.tickets_title, self.tickets_view))
        splitter.setSizes([440, 260])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self.setCentralWidget(central)

        self.open_cashier_action = action(
            self, "openCashierAction", "Open counter", "Ctrl+K", "Open the cashier's counter window"
        )
        self.open_cashier_action.triggered.connect(self.openCashierRequested)
        self.conflicts_action = action(
            self,
            "conflictsAction",
            "Decisions",
            "Ctrl+D",
            "Changes that conflict with the server's or that it refused",
        )
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.finish_toolbar(self.open_cashier_action, self.conflicts_action)
        self.conflict_dialog: ConflictDialog | None = None
        self._issues = sync.issues
        self._show_issue_count(sync.issues)
        sync.issuesChanged.connect(self._issues_changed)
        self.events_view.selectionModel().selectionChanged.connect(self._event_selected)
        self.refresh()
        if sync.issues:
            QTimer.singleShot(0, self.show_conflicts)

    # -- editing -------------------------------------------------------------------------

    def _done(self, result: EditResult) -> bool:
        fw.show_message(self.message, None if result.ok else result.message)
        self.message.setProperty("error", not result.ok)
        if result.ok:
            self._sync.refresh_counts()
            self._sync.send_now_if_online()  # online, the edit reaches the server at once
            QTimer.singleShot(0, self.refresh)  # after the view has finished its edit
        return result.ok

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

    # -- decisions -----------------------------------------------------------------------

    def _show_issue_count(self, count: int) -> None:
        self.conflicts_action.setText(f"Decisions ({count})" if count else "Decisions")
        self.conflicts_action.setEnabled(count > 0 or self.conflict_dialog is not None)

    def _issues_changed(self, count: int) -> None:
        grew = count > self._issues
        self._issues = count
        self._show_issue_count(count)
        if self.conflict_dialog is not None:
            self.conflict_dialog.reload()
        elif grew and self.isVisible():
            self.show_conflicts()

    def show_conflicts(self) -> None:
        if self.conflict_dialog is None:
            self.conflict_dialog = ConflictDialog(self._ctx, self)
            self.conflict_dialog.resolved.connect(self._resolved)
            self.conflict_dialog.finished.connect(self._conflicts_closed)
        self.conflict_dialog.show()
        self.conflict_dialog.raise_()

    def _resolved(self) -> None:
        self._sync.refresh_counts()
        self.refresh()
        self._sync.sync_now()

    def _conflicts_closed(self, _result: int) -> None:
        dialog, self.conflict_dialog = self.conflict_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self._show_issue_count(self._issues)

    # -- tables --------------------------------------------------------------------------

    def selected_event_id(self) -> int | None:
        rows = self.events_view.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(RowRole).id

    def editing(self) -> bool:
        editing = QAbstractItemView.State.EditingState
        return editing in (self.events_view.state(), self.tickets_view.state())

    def refresh(self) -> None:
        if self.editing():  # reloading now would close the editor and lose the typing
            QTimer.singleShot(300, self.refresh)
            return
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
