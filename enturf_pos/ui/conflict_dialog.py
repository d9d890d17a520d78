"""The manager's decisions after a sync: conflicting edits and edits the server refused.

One box per issue. A conflict shows each field with the manager's value and the
server's, and two buttons: *Keep the server's* and *Use mine* (sent again, based on the
server's version). A refusal shows the server's reason and *Dismiss* (a manager's
refused set-up op too: a new event or ticket, blocked seats, a counter's allocation).

A seat-map draft published over a newer version on the server shows both (seats,
sections, standing areas; the sections that differ) and *Publish as the newer version*
or *Start again from the server's*.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_conflicts
from enturf_pos.services.sync.sync_conflicts import MapSide, SyncIssue
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.table_models import EVENT_STATES

FIELD_NAMES = {
    "name": "Name",
    "description": "Description",
    "starts_at": "Starts",
    "ends_at": "Ends",
    "sales_start": "Sales start",
    "sales_end": "Sales end",
    "state": "State",
    "price": "Price",
    "tax_rate": "Tax rate (%)",
    "active": "Active",
}


def show_value(field: str, value: Any) -> str:
    if value is None:
        return "—"
    if field == "state":
        return EVENT_STATES.get(str(value), str(value))
    if field in ("starts_at", "ends_at", "sales_start", "sales_end"):
        try:
            return venue_time.text(datetime.fromisoformat(str(value)), venue_time.DAY_CLOCK)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


class ConflictDialog(QDialog):
    resolved = Signal()  # something was decided: reload, count again, sync

    def __init__(self, ctx: PosContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Changes that need a decision")
        self.setModal(False)
        self.resize(720, 480)
        self._ctx = ctx
        intro = QLabel(
            "These changes made on this counter could not be applied as they were. "
            "Nothing has been lost: decide for each one.",
            objectName="conflictIntro",
        )
        intro.setWordWrap(True)
        self._message = QLabel("", objectName="decisionMessage")
        self._message.setWordWrap(True)
        self._message.hide()
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._message)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.issues: list[SyncIssue] = []
        self.last_result: EditResult | None = None  # the last decision's outcome
        self.reload()

    def reload(self) -> None:
        while self._list_layout.count():
            item = self._list_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.issues = sync_conflicts.open_issues(ctx=self._ctx)
        for issue in self.issues:
            self._list_layout.addWidget(self._box(issue))
        if not self.issues:
            self._list_layout.addWidget(QLabel("Nothing left to decide.", objectName="noIssues"))

    def _box(self, issue: SyncIssue) -> QFrame:
        box = QFrame(objectName="syncIssue")
        box.setProperty("opId", str(issue.op_id))
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        what = (
            "Event" if issue.kind == "event" else "Ticket" if issue.kind == "ticket" else issue.kind
        )
        box.setProperty("opType", issue.op_type)
        of_event = f" of “{issue.event_name}”" if issue.event_name else ""
        title = QLabel(f"{what} “{issue.entity_name}”{of_event}", objectName="issueTitle")
        title.setStyleSheet("font-weight: 600")
        layout.addWidget(title)
        reason = QLabel(issue.reason, objectName="issueReason")
        reason.setWordWrap(True)
        layout.addWidget(reason)
        row = QHBoxLayout()
        row.addStretch(1)
        if issue.state == "conflict" and issue.draft_id is not None:
            self._seat_map_sides(issue, layout, row)
        elif issue.state == "conflict":
            grid = QGridLayout()
            for col, head in enumerate(("", "Yours", "On the server")):
                label = QLabel(head)
                label.setStyleSheet("font-weight: 600")
                grid.addWidget(label, 0, col)
            for r, clash in enumerate(issue.fields, start=1):
                grid.addWidget(QLabel(FIELD_NAMES.get(clash.field, clash.field)), r, 0)
                grid.addWidget(
                    QLabel(show_value(clash.field, clash.mine), objectName="mineValue"), r, 1
                )
                grid.addWidget(
                    QLabel(show_value(clash.field, clash.server), objectName="serverValue"), r, 2
                )
            layout.addLayout(grid)
            keep = fw.button("keepServerButton", "Keep the server's")
            mine = fw.button("useMineButton", "Use mine", primary=True)
            keep.clicked.connect(lambda: self._decide(sync_conflicts.keep_server, issue.op_id))
            mine.clicked.connect(lambda: self._decide(sync_conflicts.use_mine, issue.op_id))
            row.addWidget(keep)
            row.addWidget(mine)
        else:
            dismiss = fw.button("dismissButton", "Dismiss")
            dismiss.clicked.connect(lambda: self._decide(sync_conflicts.dismiss, issue.op_id))
            row.addWidget(dismiss)
        layout.addLayout(row)
        return box

    def _seat_map_sides(self, issue: SyncIssue, layout: QVBoxLayout, row: QHBoxLayout) -> None:
        both = sync_conflicts.seatmap_comparison(ctx=self._ctx, op_id=issue.op_id)
        grid = QGridLayout()
        sides: list[MapSide | None] = [both.draft, both.server] if both else [None, None]
        heads = ["", "Your draft", "On the server"]
        if both is not None and both.server is not None and both.server.version is not None:
            heads[2] = f"On the server (version {both.server.version})"
        for col, head in enumerate(heads):
            label = QLabel(head)
            label.setStyleSheet("font-weight: 600")
            grid.addWidget(label, 0, col)
        for r, (what, attr) in enumerate(
            (("Seats", "seats"), ("Sections", "sections"), ("Standing areas", "areas")), start=1
        ):
            grid.addWidget(QLabel(what), r, 0)
            for col, (side, name) in enumerate(
                zip(sides, ("draftFigure", "serverFigure"), strict=True), start=1
            ):
                text = f"{getattr(side, attr):,}" if side is not None else "—"
                figure = QLabel(text, objectName=name)
                figure.setProperty("figure", attr)
                grid.addWidget(figure, r, col)
        layout.addLayout(grid)
        if both is None:
            note = "This draft is no longer on this counter."
        elif both.server is None:
            note = "The server's version arrives at the next sync; then both can be compared."
        elif both.differing_sections:
            note = "Sections that differ: " + ", ".join(both.differing_sections)
        else:
            note = "The sections have the same seats."
        differ = QLabel(note, objectName="differingSections")
        differ.setWordWrap(True)
        layout.addWidget(differ)
        again = fw.button("startFromServerButton", "Start again from the server's")
        again.setEnabled(both is not None and both.server is not None)
        newer = fw.button("publishAsNewerButton", "Publish as the newer version", primary=True)
        again.clicked.connect(lambda: self._decide(sync_conflicts.start_from_server, issue.op_id))
        newer.clicked.connect(lambda: self._decide(sync_conflicts.publish_as_newer, issue.op_id))
        row.addWidget(again)
        row.addWidget(newer)

    def _decide(self, action: Callable[..., EditResult], op_id: uuid.UUID) -> None:
        result = action(ctx=self._ctx, op_id=op_id)
        self.last_result = result
        self._message.setText("" if result.ok else result.message)
        self._message.setVisible(not result.ok)
        self.reload()
        self.resolved.emit()
