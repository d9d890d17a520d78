"""Online or offline (objectName ``doorModeStatus``), never switched by hand: the last
scan's answer says which, and so does the sync controller in between (offline when its
ping finds the server away; when it answers, the door service says whether the next scan
will ask it: `DoorScans.check_mode`)."""

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
