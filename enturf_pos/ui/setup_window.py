"""First run: register this counter with the server using an administrator's setup code."""

from __future__ import annotations

import socket

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from enturf_pos.ui import form_widgets as fw


class SetupWindow(QWidget):
    registerRequested = Signal(str, str, str)  # server URL, setup code, counter name

    def __init__(
        self,
        *,
        server_url: str = "",
        name: str = "",
        notice: str | None = None,
        keyring_warning: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("setupWindow")
        self.setWindowTitle("Enturf — set up this counter")
        self.server_url = fw.field(
            "setupServerUrl", "e.g. http://192.168.1.10:8000", "Server address"
        )
        self.server_url.setText(server_url)
        self.code = fw.field("setupCode", "e.g. 7KQ2M-XH9TB", "Setup code")
        self.name = fw.field("setupName", "e.g. Box office 1", "Counter name")
        self.name.setText(name or socket.gethostname()[:100])
        self.error = fw.message_label("setupError")
        self.notice = fw.message_label("keyringWarning")
        self.button = fw.button("setupButton", "Register this counter", primary=True)

        card = fw.centred_card(self)
        card.addWidget(fw.title("Set up this counter"))
        card.addWidget(
            fw.subtitle(
                "An administrator creates the counter on the server and gives you a "
                "one-time setup code."
            )
        )
        notice_label = fw.message_label("setupNotice")
        fw.show_message(notice_label, notice)
        card.addWidget(notice_label)
        for text, edit in (
            ("&Server address", self.server_url),
            ("Setup &code", self.code),
            ("Counter &name", self.name),
        ):
            card.addWidget(fw.caption(text, edit))
            card.addWidget(edit)
        card.addWidget(self.error)
        card.addWidget(self.button)
        card.addWidget(self.notice)
        fw.show_message(self.notice, keyring_warning)

        self.button.clicked.connect(self._submit)
        for edit in (self.server_url, self.code, self.name):
            edit.returnPressed.connect(self._submit)
        (self.code if server_url else self.server_url).setFocus()

    def _submit(self) -> None:
        if not self.button.isEnabled():
            return
        self.set_busy(True)
        fw.show_message(self.error, None)
        self.registerRequested.emit(self.server_url.text(), self.code.text(), self.name.text())

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText("Registering…" if busy else "Register this counter")

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        fw.show_message(self.error, message)
        self.code.setFocus()
        self.code.selectAll()
