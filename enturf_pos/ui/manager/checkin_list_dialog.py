"""A check-in list of an event, new or edited (objectName ``checkinListDialog``): its
name, the tickets it admits (none ticked: all), its gates (comma-separated; none: any),
whether exits are scanned and re-entry allowed, and an optional time window.

Saved on the server (there is no push op for lists): the save runs off the UI thread;
a refusal or "needs the server" keeps the dialog open with the reason.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from enturf_core.wire import feed
from enturf_pos.services import venue_time
from enturf_pos.services.catalog.catalog_selectors import EventRow, TicketRow
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.door import checkin_list_edits
from enturf_pos.services.door.checkin_list_edits import ListDraft, parse_gates
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager.delegates import qtime
from enturf_pos.ui.manager.dialog_parts import OptionalTime, buttons, message
from enturf_pos.ui.task_runner import TaskRunner


class CheckinListDialog(QDialog):
    def __init__(
        self,
        ctx: PosContext,
        event: EventRow,
        tickets: list[TicketRow],
        runner: TaskRunner,
        existing: feed.CheckinList | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("checkinListDialog")
        self.setWindowTitle("Edit check-in list" if existing else "New check-in list")
        self._ctx, self._event, self._runner, self._existing = ctx, event, runner, existing
        self.result_: EditResult | None = None
        zone = venue_time.zone_of(event.starts_at).key

        self.name = QLineEdit(objectName="checkinListName")
        self.name.setPlaceholderText("e.g. Main entrance, VIP, Staff")
        self.tickets = QListWidget(objectName="checkinListTickets")
        self.tickets.setAccessibleName("Tickets admitted (none ticked: all)")
        for row in tickets:
            item = QListWidgetItem(
                f"{row.ticket.name}  ·  {row.sells}" if row.sells else row.ticket.name
            )
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.tickets.addItem(item)
        self.tickets.setMaximumHeight(150)
        self.gates = QLineEdit(objectName="checkinListGates")
        self.gates.setPlaceholderText("e.g. North, South (empty: any gate)")
        self.exits = QCheckBox("Exits are scanned too", objectName="checkinListExits")
        self.reentry = QCheckBox("Re-entry allowed after an exit", objectName="checkinListReentry")
        self.starts = OptionalTime("checkinListStarts", "From", zone, self)
        self.ends = OptionalTime("checkinListEnds", "Until", zone, self)
        self.starts.set_value(qtime(event.starts_at - timedelta(hours=2)))
        self.ends.set_value(qtime(event.starts_at + timedelta(hours=6)))
        self.message = message("checkinListDialogMessage")
        box, self.save_button = buttons(
            self, "checkinListDialogSave", "Save list" if existing else "Create list", self.save
        )
        self.exits.toggled.connect(self._exits_toggled)

        form = QFormLayout()
        form.addRow(fw.caption("&Name", self.name), self.name)
        form.addRow(fw.caption("&Tickets admitted", self.tickets), self.tickets)
        form.addRow(QLabel("None ticked: every ticket of the event.", objectName="hint"))
        form.addRow(fw.caption("&Gates", self.gates), self.gates)
        form.addRow("", self.exits)
        form.addRow("", self.reentry)
        form.addRow(QLabel("Valid", objectName="hint"), self.starts)
        form.addRow("", self.ends)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Who comes in to “{event.name}”", objectName="checkinListIntro"))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(box)
        if existing is not None:
            self._fill(existing)
        self._exits_toggled(self.exits.isChecked())
        self.resize(500, self.sizeHint().height())
        for edit in (self.name, self.gates):
            edit.textEdited.connect(lambda _t: fw.show_message(self.message, None))

    def _fill(self, lst: feed.CheckinList) -> None:
        self.name.setText(lst.name)
        for i in range(self.tickets.count()):
            item = self.tickets.item(i)
            ticked = item.data(Qt.ItemDataRole.UserRole) in lst.tickets
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.gates.setText(", ".join(lst.gates))
        self.exits.setChecked(lst.exits)
        self.reentry.setChecked(lst.reentry)
        for part, moment in ((self.starts, lst.starts_at), (self.ends, lst.ends_at)):
            part.check.setChecked(moment is not None)
            if moment is not None:
                part.set_value(qtime(moment))

    def _exits_toggled(self, on: bool) -> None:
        self.reentry.setEnabled(on)
        if not on:
            self.reentry.setChecked(False)

    def draft(self) -> ListDraft:
        ticked = tuple(
            int(self.tickets.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.tickets.count())
            if self.tickets.item(i).checkState() == Qt.CheckState.Checked
        )
        return ListDraft(
            name=self.name.text(),
            tickets=ticked,
            gates=parse_gates(self.gates.text()),
            exits=self.exits.isChecked(),
            reentry=self.reentry.isChecked(),
            starts_at=self.starts.value(),
            ends_at=self.ends.value(),
        )

    def save(self) -> None:
        draft = self.draft()
        problem = draft.problem()
        if problem:
            fw.show_message(self.message, problem)
            return
        ctx, event_id, existing = self._ctx, self._event.id, self._existing
        self.save_button.setEnabled(False)
        fw.show_message(self.message, None)
        if existing is None:
            self._runner.run(
                lambda: checkin_list_edits.create_list(ctx, event_id, draft), self._saved
            )
        else:
            self._runner.run(
                lambda: checkin_list_edits.update_list(ctx, event_id, existing.id, draft),
                self._saved,
            )

    def _saved(self, result: EditResult) -> None:
        self.save_button.setEnabled(True)
        if not result.ok:
            fw.show_message(self.message, result.message)
            return
        self.result_ = result
        self.accept()
