"""The status-bar widget: online / offline / syncing, progress, last good sync, unsent ops."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QWidget

from enturf_pos.services import venue_time
from enturf_pos.ui.form_widgets import restyle
from enturf_pos.ui.sync_controller import CHECKING, OFFLINE, ONLINE, SYNCING, SyncController

STATE_TEXT = {
    CHECKING: "Checking connection…",
    ONLINE: "Online",
    OFFLINE: "Offline",
    SYNCING: "Syncing…",
}
STATE_HELP = {
    CHECKING: "Checking whether the server can be reached.",
    ONLINE: "The server can be reached.",
    OFFLINE: "The server cannot be reached. You can keep working; changes are sent later.",
    SYNCING: "Exchanging changes with the server.",
}


def format_last_sync(at: datetime | None, now: datetime | None = None) -> str:
    if at is None:
        return "Never synced"
    today = venue_time.local(now or datetime.now(UTC)).date()
    if venue_time.local(at).date() == today:
        return f"Last sync {venue_time.text(at, venue_time.CLOCK)}"
    return f"Last sync {venue_time.text(at, venue_time.SHORT)}"


def format_pending(count: int) -> str:
    if count == 0:
        return "All changes sent"
    return f"{count} change{'s' if count != 1 else ''} not sent yet"


def format_issues(count: int) -> str:
    return f"{count} change{'s' if count != 1 else ''} need{'s' if count == 1 else ''} a decision"


class SyncStatusWidget(QFrame):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAccessibleName("Connection and sync status")
        self.state_label = QLabel(objectName="syncStateLabel")
        self.progress = QProgressBar(objectName="syncProgress")
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Sync progress")
        self.progress.hide()
        self.last_sync_label = QLabel(objectName="syncLastGood")
        self.pending_label = QLabel(objectName="syncPending")
        self.issues_label = QLabel(objectName="syncIssues")
        self.issues_label.hide()
        # the wire formats do not meet: sync stopped until an update (the why on hover,
        # and in the window's banner)
        self.refusal_label = QLabel("Sync stopped: update needed", objectName="syncRefusal")
        self.refusal_label.setProperty("error", True)
        self.refusal_label.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.setSpacing(16)
        for widget in (
            self.state_label,
            self.progress,
            self.last_sync_label,
            self.pending_label,
            self.issues_label,
            self.refusal_label,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)

        controller.stateChanged.connect(self.show_state)
        controller.progressChanged.connect(self.show_progress)
        controller.lastSyncChanged.connect(self.show_last_sync)
        controller.pendingChanged.connect(self.show_pending)
        controller.issuesChanged.connect(self.show_issues)
        controller.messageChanged.connect(self.show_message)
        controller.refusalChanged.connect(self.show_refusal)
        self.show_state(controller.state)
        self.show_progress(*controller.progress)
        self.show_last_sync(controller.last_sync)
        self.show_pending(controller.pending)
        self.show_issues(controller.issues)
        self.show_message(controller.message)
        self.show_refusal(controller.refusal)

    @property
    def state(self) -> str:
        return self.property("state") or CHECKING

    def show_state(self, state: str) -> None:
        self.setProperty("state", state)
        self.state_label.setText(f"● {STATE_TEXT.get(state, state)}")
        self.state_label.setToolTip(STATE_HELP.get(state, ""))
        self.state_label.setAccessibleName(f"Connection: {STATE_TEXT.get(state, state)}")
        restyle(self.state_label, state=state)  # the colour depends on `state`

    def show_progress(self, done: int, total: int) -> None:
        """`total` 0: nothing to show; -1: unknown (receiving the feed): a busy bar."""
        if total == 0:
            self.progress.hide()
            return
        if total < 0:
            self.progress.setRange(0, 0)
            self.progress.setToolTip(f"{done} changes received")
        else:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(f"{done} / {total}")
            self.progress.setToolTip(f"{done} of {total} changes sent")
        self.progress.show()

    def show_last_sync(self, at: datetime | None) -> None:
        self.last_sync_label.setText(format_last_sync(at))

    def show_pending(self, count: int) -> None:
        self.pending_label.setText(format_pending(count))

    def show_issues(self, count: int) -> None:
        self.issues_label.setText(format_issues(count))
        self.issues_label.setVisible(count > 0)

    def show_refusal(self, refusal: str) -> None:
        self.refusal_label.setToolTip(refusal)
        self.refusal_label.setAccessibleDescription(refusal)
        self.refusal_label.setVisible(bool(refusal))

    def show_message(self, message: str) -> None:
        """Why the last sync failed, on the state label's tooltip (and for screen readers)."""
        state = self.state
        help_text = STATE_HELP.get(state, "")
        self.state_label.setToolTip(f"{help_text}\n{message}".strip() if message else help_text)
        self.last_sync_label.setToolTip(message)
