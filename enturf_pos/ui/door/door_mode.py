"""Online or offline (objectName ``doorModeStatus``), never switched by hand: the last
scan's answer says which, and so does the sync controller's ping and sync in between
(offline when the server stops answering, online as soon as it answers again)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel

from enturf_pos.ui import sync_controller
from enturf_pos.ui.form_widgets import restyle

ONLINE, OFFLINE = "online", "offline"
MIN_WIDTH = 310
TEXTS = {
    ONLINE: "● Online: the server decides",
    OFFLINE: "● Offline: checked on this device",
}
TIPS = {
    ONLINE: "Scans are checked by the server: a ticket in at another gate shows as already in.",
    OFFLINE: "The server does not answer: tickets are checked with the keys and the list of "
    "revoked tickets on this device, and the scans are sent when the link is back.",
}


class DoorModeStatus(QLabel):
    modeChanged = Signal(str)

    def __init__(self, sync: sync_controller.SyncController) -> None:
        super().__init__("", objectName="doorModeStatus")
        self.mode = ""
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(MIN_WIDTH)  # the bar beside it does not jump when it changes
        self.set_mode(OFFLINE if sync.reachable is False else ONLINE)
        sync.stateChanged.connect(self._sync_state)

    def _sync_state(self, state: str) -> None:
        if state == sync_controller.ONLINE:
            self.set_mode(ONLINE)
        elif state == sync_controller.OFFLINE:
            self.set_mode(OFFLINE)

    def set_mode(self, mode: str) -> None:
        mode = ONLINE if mode == ONLINE else OFFLINE
        if mode == self.mode:
            return
        self.mode = mode
        self.setText(TEXTS[mode])
        self.setToolTip(TIPS[mode])
        self.setAccessibleName(f"Mode: {mode}")
        restyle(self, state=mode)
        self.modeChanged.emit(mode)

    @property
    def online(self) -> bool:
        return self.mode == ONLINE
