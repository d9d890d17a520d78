"""The back-office window of an administrator (objectName ``managerWindow``), in tabs
(``managerTabs``): "Events" (events and tickets, editable; new events, duplicates,
series, tickets), "Seat maps" (the editor), "Event map" (the selected event's
seats: counter allocations and blocked seats), "Door" (check-in lists, live door
figures, device duty: `door_tab`), "Reports" (sales, occupancy, charts, exports:
`reports_tab`), "Vouchers", "Staff" (staff and the rights of each role: `staff_tab`)
and "Audit". Each tab shows only to a user whose role holds its right (`TAB_RIGHTS`).

Every change is written locally with its outbox op, online or offline; sync sends it.
Conflicts and refused changes open the decision dialog (`ConflictDialog`). The window
lays out, shows each change's result in ``managerMessage`` and sends it at once when
online.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from enturf_core.staff_rights import RIGHT_LABELS, Right
from enturf_pos.services import venue_time
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.conflict_dialog import ConflictDialog
from enturf_pos.ui.main_window_base import MainWindowBase, action
from enturf_pos.ui.manager.audit_tab import AuditTab
from enturf_pos.ui.manager.door_tab import DoorTab
from enturf_pos.ui.manager.event_map_tab import EventMapTab
from enturf_pos.ui.manager.events_tab import EventsTab
from enturf_pos.ui.manager.reports_tab import ReportsTab
from enturf_pos.ui.manager.staff_tab import StaffTab
from enturf_pos.ui.manager.tab_rights import TAB_RIGHTS
from enturf_pos.ui.manager.vouchers_tab import VouchersTab
from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor
from enturf_pos.ui.sync_controller import SyncController


class ManagerWindow(MainWindowBase):
    openCashierRequested = Signal()
    offers_manager = False  # it is the back office

    def __init__(self, *, ctx: PosContext, user: CurrentUser, sync: SyncController) -> None:
        super().__init__(user=user, sync=sync, title="Manager")
        self.setObjectName("managerWindow")
        self._ctx = ctx
        venue_time.load_from(ctx.db)  # times on screen: the venue's zone
        self._sync = sync
        self.message = fw.message_label("managerMessage")
        self.events_tab = EventsTab(ctx, self._done)
        # the tables, as tests and the tabs' neighbours know them
        self.events, self.tickets = self.events_tab.events, self.events_tab.tickets
        self.events_view = self.events_tab.events_view
        self.tickets_view = self.events_tab.tickets_view
        self.tickets_title = self.events_tab.tickets_title
        # the editor is made when its tab first shows: most sessions never open it
        self.seat_maps_tab = QWidget(objectName="seatMapsTab")
        QVBoxLayout(self.seat_maps_tab).setContentsMargins(0, 0, 0, 0)
        self.seat_map_editor: SeatMapEditor | None = None
        self.event_map_tab = EventMapTab(ctx, self._done)
        self.door_tab = DoorTab(ctx, self._done)
        self.reports_tab = ReportsTab(ctx)
        self.staff_tab = StaffTab(ctx, user, self._notice)

        self.tabs = QTabWidget(objectName="managerTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.events_tab, "Events")
        self.tabs.addTab(self.seat_maps_tab, "Seat maps")
        self.tabs.addTab(self.event_map_tab, "Event map")
        self.tabs.addTab(self.door_tab, "Door")
        self.tabs.addTab(self.reports_tab, "Reports")
        self.tabs.addTab(VouchersTab(ctx), "Vouchers")
        self.tabs.addTab(self.staff_tab, "Staff")
        self.tabs.addTab(AuditTab(ctx), "Audit")
        self._show_tabs_by_right()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(20, 10, 20, 12)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self.setCentralWidget(central)

        self.open_cashier_action = action(
            self, "openCashierAction", "Open counter", "Ctrl+K", "Open the cashier's counter window"
        )
        self.open_cashier_action.triggered.connect(self.openCashierRequested)
        self._cashier_tip = self.open_cashier_action.toolTip()
        self._show_open_cashier()
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
        # before the flow closes the window: the editor's last change into its draft
        self.logoutRequested.connect(self._save_drafts)
        self.events_tab.eventSelected.connect(self._show_event_map)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.events_tab.eventSelected.connect(self._show_door)
        self.tabs.currentChanged.connect(self._show_door)
        self.refresh()
        if sync.issues:
            QTimer.singleShot(0, self.show_conflicts)

    # -- results --------------------------------------------------------------------------

    def _done(self, result: EditResult, *, notice: bool = False) -> bool:
        """Show an edit's result: a refusal always, what was done when `notice` (a
        dialog's or the event map's change; an edit typed in a cell says nothing)."""
        fw.show_message(self.message, result.message if notice or not result.ok else None)
        fw.restyle(self.message, error=not result.ok)
        if result.ok:
            self._queued()
            QTimer.singleShot(0, self.refresh)  # after the view has finished its edit
        return result.ok

    def _notice(self, text: str, error: bool) -> None:
        fw.show_message(self.message, text or None)
        fw.restyle(self.message, error=error)

    def _queued(self) -> None:
        self._sync.refresh_counts()
        self._sync.send_now_if_online()  # online, the change reaches the server at once

    # -- decisions ------------------------------------------------------------------------

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

    # -- rights ---------------------------------------------------------------------------

    def _show_open_cashier(self) -> None:
        may_sell = self.user.can(Right.SELL)
        self.open_cashier_action.setEnabled(may_sell)
        self.open_cashier_action.setToolTip(
            self._cashier_tip
            if may_sell
            else f"Your role may not sell ({RIGHT_LABELS[Right.SELL].lower()})"
        )

    def apply_rights(self) -> None:
        """The user's grant changed while the window is open: the tabs and the actions
        follow; a tab that closed takes its open dialogs with it, and says so."""
        super().apply_rights()
        self._show_open_cashier()
        current = self.tabs.currentWidget()
        closed = self._show_tabs_by_right()
        for tab in closed:
            for dialog in tab.findChildren(QDialog):
                if dialog.isVisible():
                    dialog.reject()  # its change would need the right the role lost
        if not closed:
            return
        names = ", ".join(self.tabs.tabText(self.tabs.indexOf(tab)) for tab in closed)
        text = f"Your role's rights changed on the server: {names} closed."
        if not self.visible_tabs():
            text += " Your role has no back-office tab left: log out, or use another window."
        elif current in closed:
            text += f" Showing {self.tabs.tabText(self.tabs.currentIndex())}."
        self._notice(text, True)

    # -- tabs -----------------------------------------------------------------------------

    def _show_tabs_by_right(self) -> list[QWidget]:
        """Each tab listed in `TAB_RIGHTS` only for a user whose role holds its right; the
        tabs this hid that showed before."""
        closed = []
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            right = TAB_RIGHTS.get(tab.objectName())
            allowed = right is None or self.user.can(right)
            if not allowed and self.tabs.isTabVisible(index):
                closed.append(tab)
            self.tabs.setTabVisible(index, allowed)
        visible = [i for i in range(self.tabs.count()) if self.tabs.isTabVisible(i)]
        if visible and not self.tabs.isTabVisible(self.tabs.currentIndex()):
            self.tabs.setCurrentIndex(visible[0])
        return closed

    def visible_tabs(self) -> list[str]:
        """The objectNames of the tabs this user sees, in order (tests, scripts)."""
        return [
            self.tabs.widget(i).objectName()
            for i in range(self.tabs.count())
            if self.tabs.isTabVisible(i)
        ]

    def selected_event_id(self) -> int | None:
        return self.events_tab.selected_event_id()

    def editing(self) -> bool:
        return self.events_tab.editing()

    def refresh(self) -> None:
        self.events_tab.refresh()
        self._show_event_map()
        self._show_door()
        if self.seat_map_editor is not None:
            self.seat_map_editor.refresh()

    def _tab_shown(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.seat_maps_tab and self.seat_map_editor is None:
            self.seat_map_editor = SeatMapEditor(self._ctx)
            self.seat_map_editor.publishQueued.connect(self._queued)
            self.seat_maps_tab.layout().addWidget(self.seat_map_editor)
        if self.tabs.currentWidget() is self.staff_tab:
            self.staff_tab.refresh()  # asks the server: each time someone looks
        self._show_event_map()

    def _save_drafts(self) -> None:
        if self.seat_map_editor is not None:
            self.seat_map_editor.save_now()

    def _show_event_map(self, *_args: object) -> None:
        """The event map follows the selected event; drawn only while its tab shows."""
        self.event_map_tab.show_event(
            self.events_tab.selected_event(),
            visible=self.tabs.currentWidget() is self.event_map_tab,
        )

    def _show_door(self, *_args: object) -> None:
        """The Door tab follows the selected event; it fetches only while it shows."""
        self.door_tab.show_event(
            self.events_tab.selected_event(), visible=self.tabs.currentWidget() is self.door_tab
        )
