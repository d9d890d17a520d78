"""The lock screen: the counter's windows are hidden until the same user's password
(`session_lock`). It sits in the middle of its screen's free area, sized to its content."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStyle, QWidget

from enturf_pos.ui import form_widgets as fw


class LockWindow(QWidget):
    unlockRequested = Signal(str)
    logoutRequested = Signal()

    def __init__(self, *, display_name: str, username: str) -> None:
        super().__init__()
        self.setObjectName("lockScreen")
        self.setWindowTitle("Enturf — locked")
        self.password = fw.field("lockPassword", "Password", "Password", password=True)
        self.error = fw.message_label("lockError")
        self.button = fw.button("unlockButton", "Unlock", primary=True)
        self.logout_button = fw.button("lockLogoutButton", "Log out (switch user)")

        card = fw.centred_card(self, width=480)
        card.addWidget(fw.title("Counter locked"))
        card.addWidget(fw.subtitle(f"In use by {display_name} ({username})"))
        card.addWidget(fw.caption("&Password", self.password))
        card.addWidget(self.password)
        card.addWidget(self.error)
        card.addWidget(self.button)
        card.addWidget(self.logout_button)

        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.logout_button.clicked.connect(self.logoutRequested)
        self.password.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit()

    def fit(self) -> None:
        """Sized to the card (an error message makes it taller), centred on the screen."""
        self.adjustSize()
        frame = self.frameGeometry().size()  # with the window manager's frame, once shown
        area = self.screen().availableGeometry()
        self.move(
            QStyle.alignedRect(
                Qt.LayoutDirection.LeftToRight, Qt.AlignmentFlag.AlignCenter, frame, area
            ).topLeft()
        )

    def _submit(self) -> None:
        if self.button.isEnabled():
            self.button.setEnabled(False)
            fw.show_message(self.error, None)
            self.unlockRequested.emit(self.password.text())

    def show_error(self, message: str) -> None:
        self.button.setEnabled(True)
        fw.show_message(self.error, message)
        self.password.clear()
        self.password.setFocus()
        self.fit()
