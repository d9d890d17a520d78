"""The "Door" tab (objectName ``doorTab``): the selected event's door check-in.

* Check-in lists (``checkinListsTable``): new, edit, delete. Kept on the server (no push
  op), so they are edited online only; offline the tab shows this device's copy and
  says that changes need the server (``doorListsNotice``).
* Live figures (``doorFigures``): in, out and inside now per list and gate, by ticket
  and by category, double entries; fetched every few seconds off the UI thread while
  the tab shows. Offline: the last figures with their time (``doorFiguresTime``) and
  what this device's own scan log knows (``doorOwnScans``).
* Double entries the server flagged (``doorDoubleEntries``): the ticket and its two scans.
* Device duty (``deviceDutyTable``): which registered device opens the door window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from enturf_core.wire import feed
from enturf_pos.services import venue_time
from enturf_pos.services.catalog import catalog_selectors
from enturf_pos.services.catalog.catalog_selectors import EventRow
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.door import checkin_list_edits, device_duty, door_figures
from enturf_pos.services.door.checkin_list_edits import ListsResult
from enturf_pos.services.door.door_figures import ANY_GATE, Counts, Figures
from enturf_pos.services.door.local_door_data import Scan
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.task_runner import TaskRunner

Done = Callable[..., bool]  # (result, notice=False): shows it; whether ok
REFRESH_MS = 4000  # live figures: how often they are fetched while the tab shows
LEFT_WIDTH = 580
FIGURE_COLUMNS = ("", "In", "Out", "Inside now", "Double entries", "Refused")
CLOCK = "%H:%M:%S"


def _heading(text: str) -> QLabel:
    return QLabel(text, objectName="sectionTitle")


def _table(name: str, headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _cell(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _when(at: object, fmt: str = "%a %d %b %H:%M:%S") -> str:
    return venue_time.text(at, fmt) if at else "?"  # type: ignore[arg-type]


class DoorTab(QWidget):
    def __init__(self, ctx: PosContext, done: Done, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doorTab")
        self._ctx, self._done = ctx, done
        self.runner = TaskRunner(self)
        self.current: EventRow | None = None
        self.lists: tuple[feed.CheckinList, ...] = ()
        self.lists_online = False
        self.figures: Figures | None = None
        self.dialog: QDialog | None = None
        self._fetching = False
        self._visible = False
        self._devices: list[device_duty.DeviceDuty] = []
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.fetch_figures)

        self.title = fw.ElidedLabel("Select an event in the Events tab.", objectName="doorTitle")
        self.title.setProperty("role", "title")
        self.figures_time = QLabel(objectName="doorFiguresTime")
        self.refresh_button = fw.button("refreshDoorFiguresButton", "Refresh")
        self.refresh_button.setToolTip("Fetch the figures now (they refresh every few seconds)")

        self.lists_table = _table("checkinListsTable", ("List", "Gates", "Tickets", "Exits"))
        self.lists_table.setAccessibleName("Check-in lists of the event")
        self.lists_table.setWordWrap(False)
        header = self.lists_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # gates: the rest
        self.lists_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lists_notice = QLabel(objectName="doorListsNotice")
        self.lists_notice.setWordWrap(True)
        self.new_button = fw.button("newCheckinListButton", "New list", primary=True)
        self.edit_button = fw.button("editCheckinListButton", "Edit")
        self.delete_button = fw.button("deleteCheckinListButton", "Delete")
        self.duty_table = _table("deviceDutyTable", ("Device", "Duty"))
        self.duty_table.setAccessibleName("Registered devices and their duty")
        self.duty_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)

        self.figures_view = QTreeWidget(objectName="doorFigures")
        self.figures_view.setAccessibleName("Door figures")
        self.figures_view.setColumnCount(len(FIGURE_COLUMNS))
        self.figures_view.setHeaderLabels(list(FIGURE_COLUMNS))
        self.figures_view.setRootIsDecorated(True)
        self.figures_view.setUniformRowHeights(True)
        header = self.figures_view.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column in range(1, len(FIGURE_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.own_scans = QLabel(objectName="doorOwnScans")
        self.own_scans.setWordWrap(True)
        self.doubles = _table("doorDoubleEntries", ("Ticket", "First scan", "Flagged scan"))
        self.doubles.setAccessibleName("Double entries flagged by the server")
        self.doubles.setMaximumHeight(170)
        for column in (1, 2):
            self.doubles.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )

        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(_heading("Check-in lists"))
        left.addWidget(self.lists_table, 3)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left.addLayout(buttons)
        left.addWidget(self.lists_notice)
        left.addWidget(_heading("Device duty"))
        left.addWidget(self.duty_table, 2)
        left_panel = QWidget(objectName="doorSide")
        left_panel.setLayout(left)
        left_panel.setFixedWidth(LEFT_WIDTH)
        left.setContentsMargins(0, 0, 12, 0)

        right = QVBoxLayout()
        right.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(_heading("Figures"))
        top.addWidget(self.figures_time, 1)
        top.addWidget(self.refresh_button)
        right.addLayout(top)
        right.addWidget(self.figures_view, 1)
        right.addWidget(self.own_scans)
        right.addWidget(_heading("Double entries"))
        right.addWidget(self.doubles)

        body = QHBoxLayout()
        body.addWidget(left_panel)
        body.addLayout(right, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.addWidget(self.title)
        outer.addLayout(body, 1)

        self.new_button.clicked.connect(self.open_new)
        self.edit_button.clicked.connect(self.open_edit)
        self.delete_button.clicked.connect(self.confirm_delete)
        self.refresh_button.clicked.connect(self.fetch_figures)
        self.lists_table.itemSelectionChanged.connect(self._enable)
        self.lists_table.itemDoubleClicked.connect(lambda _i: self.open_edit())
        self._enable()

    # -- the event ------------------------------------------------------------------------

    def show_event(self, event: EventRow | None, *, visible: bool) -> None:
        """Follow the selected event; fetch only while the tab shows."""
        changed = (event.id if event else None) != (self.current.id if self.current else None)
        self.current = event
        was_visible, self._visible = self._visible, visible
        if changed:
            self.lists, self.figures = (), None
            self._show_lists()
            self._show_figures_now()
        if not visible:
            self.timer.stop()
            return
        self.title.setText(
            f"Door check-in · {event.name} · {venue_time.text(event.starts_at)}"
            if event
            else "Select an event in the Events tab."
        )
        self._load_devices()
        if event is None:
            self.timer.stop()
            return
        if changed or not was_visible:
            self.reload_lists()
            self.fetch_figures()
        self.timer.start()

    def reload_lists(self) -> None:
        if self.current is None:
            return
        ctx, event_id = self._ctx, self.current.id
        self.runner.run(lambda: checkin_list_edits.lists_of(ctx, event_id), self._lists_loaded)

    def _lists_loaded(self, result: ListsResult) -> None:
        if self.current is None or any(x.event != self.current.id for x in result.lists):
            return
        self.lists, self.lists_online = result.lists, result.online
        if result.online:
            notice = ""
        elif result.offline:
            notice = (
                "Offline: these are the lists this device has. "
                "Creating or changing a list needs the server."
            )
        else:
            notice = f"The server did not give the lists: {result.message}"
        self.lists_notice.setText(notice)
        fw.restyle(self.lists_notice, error=not result.online)
        self._show_lists()

    def _show_lists(self) -> None:
        names = {t.id: t.ticket.name for t in self._tickets()}
        chosen = self.selected_list()
        table = self.lists_table
        table.setRowCount(len(self.lists))
        for row, lst in enumerate(self.lists):
            tickets = ", ".join(names.get(t, f"#{t}") for t in lst.tickets) or "All"
            exits = ("In + out, re-entry" if lst.reentry else "In + out") if lst.exits else "In"
            name = _cell(lst.name, lst.id)
            name.setToolTip(f"{lst.name}: {_window_text(lst)}")
            table.setItem(row, 0, name)
            table.setItem(row, 1, _cell(", ".join(lst.gates) or "Any gate"))
            table.setItem(row, 2, _cell(tickets))
            table.setItem(row, 3, _cell(exits))
            if chosen is not None and lst.id == chosen.id:
                table.selectRow(row)
        self._enable()

    def _tickets(self) -> list[catalog_selectors.TicketRow]:
        if self.current is None:
            return []
        return catalog_selectors.tickets_of(ctx=self._ctx, event_id=self.current.id)

    def selected_list(self) -> feed.CheckinList | None:
        rows = self.lists_table.selectionModel().selectedRows()
        if not rows:
            return None
        list_id = self.lists_table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((x for x in self.lists if x.id == list_id), None)

    def _enable(self) -> None:
        has_event = self.current is not None
        self.new_button.setEnabled(has_event)
        chosen = self.selected_list() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # -- list edits -----------------------------------------------------------------------

    def open_new(self) -> None:
        self._open(None)

    def open_edit(self) -> None:
        chosen = self.selected_list()
        if chosen is not None:
            self._open(chosen)

    def _open(self, existing: feed.CheckinList | None) -> None:
        from enturf_pos.ui.manager.checkin_list_dialog import CheckinListDialog

        if self.current is None:
            return
        dialog = CheckinListDialog(
            self._ctx, self.current, self._tickets(), self.runner, existing, self
        )
        self.dialog = dialog

        def finished(_code: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            if dialog.result_ is not None:
                self._edited(dialog.result_)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def confirm_delete(self) -> None:
        chosen = self.selected_list()
        if chosen is None or self.current is None:
            return
        confirm = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete check-in list",
            f"Delete the check-in list “{chosen.name}”?\n\nThe door devices stop using it "
            "at their next sync; the scans made with it stay recorded.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        confirm.setObjectName("checkinListDeleteConfirm")
        confirm.setDefaultButton(QMessageBox.StandardButton.No)
        yes = confirm.button(QMessageBox.StandardButton.Yes)
        yes.setText("Delete")
        yes.setObjectName("checkinListDeleteConfirmButton")
        confirm.button(QMessageBox.StandardButton.No).setText("Keep")
        ctx, event_id = self._ctx, self.current.id
        yes.clicked.connect(
            lambda: self.runner.run(
                lambda: checkin_list_edits.delete_list(ctx, event_id, chosen.id, chosen.name),
                self._edited,
            )
        )
        self.dialog = confirm
        confirm.finished.connect(lambda _c: setattr(self, "dialog", None))
        confirm.finished.connect(confirm.deleteLater)
        confirm.open()

    def _edited(self, result: EditResult) -> None:
        self._done(result, notice=True)
        if result.ok:
            self.reload_lists()
            self.fetch_figures()

    # -- figures --------------------------------------------------------------------------

    def fetch_figures(self) -> None:
        if self.current is None or self._fetching:
            return
        self._fetching = True
        ctx, event_id = self._ctx, self.current.id
        self.runner.run(
            lambda: door_figures.fetch(ctx, event_id), self._fetched, lambda _e: self._failed()
        )

    def _failed(self) -> None:
        self._fetching = False

    def _fetched(self, figures: Figures) -> None:
        self._fetching = False
        if self.current is None or figures.event_id != self.current.id:
            return
        went_offline = figures.offline and self.lists_online
        came_back = figures.live and not self.lists_online
        self.figures = figures
        self._show_figures_now()
        if went_offline or came_back:  # the lists say where they come from
            self.reload_lists()

    def _show_figures_now(self) -> None:
        figures = self.figures
        view = self.figures_view
        scrolled = view.verticalScrollBar().value()  # refreshed every few seconds: stay put
        view.clear()
        self.doubles.setRowCount(0)
        if figures is None:
            self.figures_time.setText("" if self.current is None else "Fetching the figures…")
            self.own_scans.setText("")
            fw.restyle(self.figures_time, error=False)
            return
        why = "Offline" if figures.offline else "Not live"
        if figures.live:
            self.figures_time.setText(f"Live · {_when(figures.at)}")
        elif figures.at is not None:
            self.figures_time.setText(f"{why}: the last figures, from {_when(figures.at)}")
        else:
            self.figures_time.setText(f"{why}: no figures fetched yet for this event")
        self.figures_time.setToolTip(figures.message)
        fw.restyle(self.figures_time, error=not figures.live)

        self._figure_row(view, figures.totals, "All entrances")
        # every list with its gates, those without a scan yet at 0
        groups: dict[str, dict[str, Counts]] = {}
        for lst in self.lists:
            groups[lst.name] = {g: Counts(g, group=lst.name) for g in lst.gates}
        for gate in figures.gates:
            groups.setdefault(gate.group, {})[gate.label] = gate
        for name, gates in groups.items():
            total = sum_counts(f"List “{name}”", gates.values())
            parent = self._figure_row(view, total, total.label)
            _bold(parent)
            for gate in gates.values():
                self._figure_row(parent, gate, gate.label)
        names = {str(t.id): t.ticket.name for t in self._tickets()}
        if figures.tickets:
            group = self._figure_group(view, "By ticket")
            for row in figures.tickets:
                self._figure_row(group, row, names.get(row.label, row.label))
        if figures.categories:
            group = self._figure_group(view, "By category")
            for row in figures.categories:
                self._figure_row(group, row, row.label)
        if figures.known:
            group = self._figure_group(view, "Known on this device")
            for known in figures.known:
                counts = Counts(known.list_name, known.entries, known.exits, known.inside)
                self._figure_row(group, counts, known.list_name)
        view.expandAll()
        view.verticalScrollBar().setValue(scrolled)

        own = figures.own
        self.own_scans.setText(
            f"This device's own scans: {own.entries} in, {own.exits} out, {own.refused} refused"
            + (f", {own.unsent} not yet sent" if own.unsent else "")
        )
        self.doubles.setRowCount(len(figures.double_entries))
        for row, double in enumerate(figures.double_entries):
            ticket = _cell(f"{double.ticket} · {double.line[:8]}", double.line)
            ticket.setToolTip(f"Booking line {double.line}, list “{double.list_name}”")
            self.doubles.setItem(row, 0, ticket)
            for column, scan in ((1, double.first), (2, double.second)):
                cell = _cell(_scan_text(scan))
                cell.setToolTip(_when(scan.at) if scan else "")
                self.doubles.setItem(row, column, cell)

    def _figure_group(self, view: QTreeWidget, text: str) -> QTreeWidgetItem:
        return _bold(QTreeWidgetItem(view, [text]))

    def _figure_row(
        self, parent: QTreeWidget | QTreeWidgetItem, counts: Counts, label: str
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            parent,
            [
                label,
                str(counts.entries),
                str(counts.exits),
                str(counts.inside),
                str(counts.doubles),
                str(counts.refused),
            ],
        )
        for column in range(1, len(FIGURE_COLUMNS)):
            item.setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        return item

    def figure(self, group: str | None, label: str) -> tuple[int, int, int, int] | None:
        """The figures shown on a row (in, out, inside, doubles): under `group` (a list,
        "By ticket", "By category"), or at the top when None. For tests and tools."""
        view = self.figures_view
        items = [view.topLevelItem(i) for i in range(view.topLevelItemCount())]
        if group is not None:
            parent = next((i for i in items if i.text(0) in (group, f"List “{group}”")), None)
            if parent is None:
                return None
            items = [parent.child(i) for i in range(parent.childCount())]
        for item in items:
            if item.text(0) == label:
                return tuple(int(item.text(c) or 0) for c in range(1, 5))  # type: ignore[return-value]
        return None

    # -- device duty ----------------------------------------------------------------------

    def _load_devices(self, *, force: bool = False) -> None:
        rows = device_duty.devices(self._ctx)
        if rows == self._devices and not force:
            return  # a sync refreshed the window: keep the combos (one may be open)
        self._devices = rows
        table = self.duty_table
        table.setRowCount(len(rows))
        for row, device in enumerate(rows):
            name = device.name if device.active else f"{device.name} (retired)"
            table.setItem(row, 0, _cell(name, device.id))
            combo = QComboBox(objectName=f"deviceDuty{device.id}")
            combo.setAccessibleName(f"Duty of {device.name}")
            for code, words in device_duty.DUTIES.items():
                combo.addItem(words, code)
            combo.setCurrentIndex(combo.findData(device.duty))
            combo.setEnabled(device.active)
            combo.activated.connect(
                lambda _i, c=combo, d=device: self._duty_chosen(d, c.currentData())
            )
            table.setCellWidget(row, 1, combo)

    def _duty_chosen(self, device: device_duty.DeviceDuty, duty: str) -> None:
        if duty == device.duty:
            return
        ctx = self._ctx
        self.runner.run(lambda: device_duty.set_duty(ctx, device.id, duty), self._duty_set)

    def _duty_set(self, result: EditResult) -> None:
        self._done(result, notice=True)
        self._load_devices(force=True)  # a refusal puts the combo back

    def shutdown(self) -> None:
        self.timer.stop()
        self.runner.shutdown()


def _window_text(lst: feed.CheckinList) -> str:
    """The list's time window in words."""
    if lst.starts_at is None and lst.ends_at is None:
        return "valid at any time"
    parts = []
    if lst.starts_at is not None:
        parts.append(f"from {venue_time.text(lst.starts_at)}")
    if lst.ends_at is not None:
        parts.append(f"until {venue_time.text(lst.ends_at)}")
    return "valid " + " ".join(parts)


def _bold(item: QTreeWidgetItem) -> QTreeWidgetItem:
    font = item.font(0)
    font.setBold(True)
    item.setFont(0, font)
    return item


def sum_counts(label: str, rows: Iterable[Counts]) -> Counts:
    rows = list(rows)
    return Counts(
        label,
        sum(r.entries for r in rows),
        sum(r.exits for r in rows),
        sum(r.inside for r in rows),
        sum(r.doubles for r in rows),
        sum(r.refused for r in rows),
    )


def _scan_text(scan: Scan | None) -> str:
    if scan is None:
        return "not synced here"
    return f"{scan.gate or ANY_GATE} · {scan.device} · {_when(scan.at, '%H:%M:%S')}"
