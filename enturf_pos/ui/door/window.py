"""DoorWindow (objectName ``doorWindow``): scan tickets at a gate.

At the top where this device scans (event, check-in list, gate, entry or exit) and whether
it is online or offline (``doorModeStatus``, automatic). Below, the scanner's field
(``scanInput``), which keeps the keyboard: a USB or Bluetooth scanner types the code and
Enter. The verdict (``scanVerdict``) fills most of the window, green, amber or red with a
sound of its own; on the right the list's figures (``checkinCounts``) and the last 10
scans (``recentScansTable``). A supervisor (a role with the right ``door_override``: an
administrator, manager or door supervisor by default) may let a refused ticket in
(``overrideButton``, Ctrl+O); a steward never sees that button. With a camera, the camera
toggle (``cameraButton``, F8) reads QR codes too.

Opened after login on a device on door duty, and by the *Door* action
(``openDoorAction``) of the counter and manager windows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from enturf_core.staff_rights import Right
from enturf_pos.services.door import door_service
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import sync_controller
from enturf_pos.ui.door.camera_scanner import CameraScanner, camera_devices
from enturf_pos.ui.door.counts_panel import CheckinCounts
from enturf_pos.ui.door.door_mode import OFFLINE, DoorModeStatus
from enturf_pos.ui.door.door_picker import SETTINGS_FILE, DoorPicker
from enturf_pos.ui.door.door_scans import DoorScans
from enturf_pos.ui.door.override_dialog import OverrideDialog
from enturf_pos.ui.door.recent_scans import RecentScansModel
from enturf_pos.ui.door.scan_input import ScanInput
from enturf_pos.ui.door.style import DOOR_STYLE
from enturf_pos.ui.door.verdict_panel import VerdictPanel
from enturf_pos.ui.door.verdict_sounds import VerdictSounds
from enturf_pos.ui.main_window_base import MainWindowBase, table_view
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.task_runner import TaskRunner

NO_LIST = "Choose the event and its check-in list at the top first."
NO_LISTS = "No check-in list on this device yet: a manager sets them up in the back office."


class DoorWindow(MainWindowBase):
    offers_door = False  # this is the door

    def __init__(self, *, ctx: PosContext, user: CurrentUser, sync: SyncController) -> None:
        super().__init__(user=user, sync=sync, title="Door")
        self.setObjectName("doorWindow")
        self.setStyleSheet(DOOR_STYLE)
        self.resize(1280, 760)
        self._ctx = ctx
        self._sync = sync
        self.runner = TaskRunner(self, max_threads=1)  # one scan after the other, in order
        self.scans = DoorScans(ctx, self.runner, self)
        self.sounds = VerdictSounds(self)
        self.dialog: OverrideDialog | None = None  # the override dialog open now
        self._build(ctx, sync)
        self._connect()
        self.finish_toolbar()
        self.scans.check_mode()
        self.refresh()

    # -- layout ------------------------------------------------------------------------

    def _build(self, ctx: PosContext, sync: SyncController) -> None:
        self.picker = DoorPicker(
            settings_path=str(ctx.config.data_dir / SETTINGS_FILE),
            events=lambda: door_service.door_events(ctx=ctx),
            lists=lambda event_id: door_service.checkin_lists(ctx=ctx, event_id=event_id),
        )
        self.mode = DoorModeStatus(sync)
        self.scan_input = ScanInput()
        self.camera = CameraScanner(self.runner, self)
        self.camera_button = QPushButton("Camera  F8", objectName="cameraButton")
        self.camera_button.setCheckable(True)
        self.camera_button.setShortcut(QKeySequence("F8"))
        self.camera_button.setToolTip("Read QR codes with the camera (F8)")
        self.camera_button.setVisible(bool(camera_devices()))  # no camera: no button
        self.override_button = QPushButton("Let in anyway  Ctrl+O", objectName="overrideButton")
        self.override_button.setShortcut(QKeySequence("Ctrl+O"))
        self.override_button.setToolTip("A supervisor lets a refused ticket in, with a reason")
        # a steward never overrides: only who holds the right sees the button
        self.override_button.setVisible(self.user.can(Right.DOOR_OVERRIDE))
        self.override_button.setEnabled(False)
        for button in (self.camera_button, self.override_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = QLabel("", objectName="doorMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.verdict = VerdictPanel()
        self.counts = CheckinCounts()
        self.recent = RecentScansModel(parent=self)
        self.recent_table = table_view(
            "recentScansTable", self.recent, "Last 10 scans", stretch_column=2
        )
        self.recent_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent_table.setSortingEnabled(False)
        self.recent_table.verticalHeader().setDefaultSectionSize(30)

        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(self.mode, 0, Qt.AlignmentFlag.AlignVCenter)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_input, 1)
        scan_row.addWidget(self.camera_button)
        scan_row.addWidget(self.override_button)
        left = QVBoxLayout()
        left.addLayout(scan_row)
        left.addWidget(self.message)
        left.addWidget(self.verdict, 1)
        right = QVBoxLayout()
        right.addWidget(self.counts)
        recent_title = QLabel("Last 10 scans", objectName="sectionTitle")
        right.addWidget(recent_title)
        right.addWidget(self.recent_table, 1)
        right.addWidget(self.camera.preview)
        side = QWidget(objectName="doorSide")
        side.setLayout(right)
        side.setFixedWidth(450)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(side)
        central = QWidget(objectName="doorPane")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        self.scan_input.scanned.connect(self.scan)
        self.camera.scanned.connect(self.scan)
        self.camera.failed.connect(self._camera_failed)
        self.camera_button.toggled.connect(self._camera_toggled)
        self.override_button.clicked.connect(self.ask_override)
        self.picker.changed.connect(self._picked)
        self.picker.done.connect(self.focus_scan)
        self.scans.answered.connect(self.show_result)
        self.scans.failed.connect(self._failed)
        self.scans.overrideRefused.connect(self._override_refused)
        self.scans.modeChecked.connect(self.mode.set_mode)
        self._sync.stateChanged.connect(self._sync_state)
        self.scans.recentChanged.connect(self.recent.set_rows)
        self.scans.countsChanged.connect(self.counts.show_counts)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    # -- scanning ------------------------------------------------------------------------

    def scan(self, code: str) -> None:
        list_id = self.picker.list_id
        self._show_message("")
        if list_id is None:
            self._show_message(NO_LIST if self.picker.event_combo.count() else NO_LISTS)
            self.focus_scan()
            return
        # the ping says the server is away: decide here at once, no network wait; else the
        # service tries the server (and backs off by itself after a failure)
        online = False if self._sync.reachable is False else None
        if online is None and not self.scans.pending:
            self.verdict.show_waiting("Checking…")
        self.override_button.setEnabled(False)
        self.scans.scan(
            code=code,
            list_id=list_id,
            gate=self.picker.gate,
            kind=self.picker.kind,
            online=online,
            user=self.user.username,
        )
        self.focus_scan()

    def show_result(self, result: Any) -> None:
        if self.dialog is not None and result.overridden:
            self.dialog.done_ok()
        if self.scans.pending:  # a later scan is on its way: it will show
            return
        self.verdict.show_result(result)
        self.sounds.play(str(result.colour))
        self.mode.set_mode(result.mode)
        self.override_button.setEnabled(
            self.user.can(Right.DOOR_OVERRIDE)
            and str(result.colour) == "red"
            and result.scan_id is not None
            and not result.overridden
        )
        self.focus_scan()

    def _failed(self, text: str) -> None:
        self.verdict.show_waiting("Scan again", text)
        self.focus_scan()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _sync_state(self, state: str) -> None:
        if state == sync_controller.OFFLINE:
            self.mode.set_mode(OFFLINE)
        elif state == sync_controller.ONLINE:
            self.scans.check_mode(server_back=True)

    # -- override ------------------------------------------------------------------------

    def ask_override(self) -> None:
        last = self.scans.last
        if not self.override_button.isEnabled() or last is None or self.dialog is not None:
            return
        dialog = OverrideDialog(self, refused=last.words, username=self.user.username)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.approved.connect(
            lambda reason, name, password: self.scans.override(
                scan_id=last.scan_id,
                reason=reason,
                supervisor=name,
                password=password,
                list_id=self.picker.list_id,
            )
        )
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()

    def _override_refused(self, message: str) -> None:
        if self.dialog is not None:
            self.dialog.refused(message)

    def _dialog_closed(self) -> None:
        self.dialog = None
        self.activateWindow()  # the scanner types here again, not into the closed dialog
        QTimer.singleShot(0, self.focus_scan)

    # -- camera --------------------------------------------------------------------------

    def _camera_toggled(self, on: bool) -> None:
        if on and not self.camera.start():
            self.camera_button.setChecked(False)
        elif not on:
            self.camera.stop()
        self.focus_scan()

    def _camera_failed(self, text: str) -> None:
        self.camera_button.setChecked(False)
        self._show_message(f"The camera stopped: {text}")

    # -- focus: the scanner types into scanInput whatever was clicked last ---------------

    def focus_scan(self) -> None:
        if self.isVisible() and self.dialog is None and self.isEnabled():
            self.scan_input.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if not isValid(self) or now is None or now is self.scan_input:
            return
        if now.window() is self and not isinstance(now, QLineEdit):  # the gate's name types
            QTimer.singleShot(0, self.focus_scan)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            QTimer.singleShot(0, self.focus_scan)  # back from the lock screen, a dialog

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.focus_scan)

    def closeEvent(self, event) -> None:
        self.camera.stop()
        super().closeEvent(event)

    # -- data ------------------------------------------------------------------------------

    def _picked(self) -> None:
        self.scans.refresh(self.picker.list_id)

    def apply_rights(self) -> None:
        """The user's grant changed on the server: *Let in anyway* follows at once."""
        super().apply_rights()
        may_override = self.user.can(Right.DOOR_OVERRIDE)
        self.override_button.setVisible(may_override)
        if not may_override:
            self.override_button.setEnabled(False)

    def refresh(self) -> None:
        self.picker.reload()  # emits changed: the figures and the last scans follow
