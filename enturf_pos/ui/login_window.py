"""The login screen of a registered counter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from enturf_pos.ui import form_widgets as fw


class LoginWindow(QWidget):
    loginRequested = Signal(str, str)
    offlineLoginRequested = Signal(str, str)

    def __init__(
        self,
        *,
        counter_name: str,
        server_url: str,
        notice: str | None = None,
        keyring_warning: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("loginWindow")
        self.setWindowTitle(f"Enturf — {counter_name}")
        self.username = fw.field("loginUsername", "Username", "Username")
        self.password = fw.field("loginPassword", "Password", "Password", password=True)
        self.error = fw.message_label("loginError")
        self.notice = fw.message_label("loginNotice")
        self.keyring_warning = fw.message_label("keyringWarning")
        self.button = fw.button("loginButton", "Log in", primary=True)
        self.offline_button = fw.button("loginOfflineButton", "Log in offline")
        self.offline_button.hide()

        card = fw.centred_card(self, width=480)
        card.addWidget(fw.title("Enturf box office"))
        card.addWidget(fw.subtitle(f"{counter_name} · {server_url}"))
        card.addWidget(self.notice)
        card.addWidget(fw.caption("&Username", self.username))
        card.addWidget(self.username)
        card.addWidget(fw.caption("&Password", self.password))
        card.addWidget(self.password)
        card.addWidget(self.error)
        card.addWidget(self.button)
        card.addWidget(self.offline_button)
        card.addWidget(self.keyring_warning)
        fw.show_message(self.notice, notice)
        fw.show_message(self.keyring_warning, keyring_warning)

        self.button.clicked.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.offline_button.clicked.connect(self._submit_offline)
        self.username.setFocus()

    def _credentials(self) -> tuple[str, str]:
        return self.username.text(), self.password.text()

    def _submit(self) -> None:
        if self.button.isEnabled():
            self.set_busy(True)
            self.loginRequested.emit(*self._credentials())

    def _submit_offline(self) -> None:
        if self.offline_button.isEnabled():
            self.set_busy(True)
            self.offlineLoginRequested.emit(*self._credentials())

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.offline_button.setEnabled(not busy)
        self.button.setText("Logging in…" if busy else "Log in")
        if busy:
            fw.show_message(self.error, None)

    def show_error(self, message: str, *, offline_possible: bool = False) -> None:
        self.set_busy(False)
        fw.show_message(self.notice, None)
        fw.show_message(self.error, message)
        self.offline_button.setVisible(offline_possible)
        if offline_possible:
            self.offline_button.setFocus()
        else:
            self.password.setFocus()
            self.password.selectAll()
