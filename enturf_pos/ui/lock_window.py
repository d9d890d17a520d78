"""The lock screen: the counter's windows are hidden until the same user's password
(`session_lock`), or their unlock PIN on this counter (``pinUnlock``: offered only when
they set one and have not typed it wrong too often, `services/session/unlock_pin.py`).
It sits in the middle of its screen's free area, sized to its content."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLabel, QStyle, QWidget

from enturf_pos.ui import form_widgets as fw


class LockWindow(QWidget):
    unlockRequested = Signal(str)
    pinUnlockRequested = Signal(str)
    logoutRequested = Signal()

    def __init__(self, *, display_name: str, username: str, pin_refusal: str | None = "") -> None:
        """`pin_refusal`: why the PIN cannot unlock ("" : it can; None: no PIN field)."""
        super().__init__()
        self.setObjectName("lockScreen")
        self.setWindowTitle("Enturf — locked")
        self.password = fw.field("lockPassword", "Password", "Password", password=True)
        self.error = fw.message_label("lockError")
        self.button = fw.button("unlockButton", "Unlock", primary=True)
        self.logout_button = fw.button("lockLogoutButton", "Log out (switch user)")
        self.pin = fw.field("pinUnlock", "Your unlock PIN", "Unlock PIN", password=True)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self.pin))
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        # why the PIN is off, in sight (a tooltip cannot be read on a touch screen)
        self.pin_note = QLabel(objectName="pinUnlockNote")
        self.pin_note.setWordWrap(True)
        self.pin_note.hide()

        card = fw.centred_card(self, width=480)
        card.addWidget(fw.title("Counter locked"))
        card.addWidget(fw.subtitle(f"In use by {display_name} ({username})"))
        if pin_refusal is not None:
            card.addWidget(fw.caption("P&IN", self.pin))
            card.addWidget(self.pin)
            card.addWidget(self.pin_note)
            self.pin.returnPressed.connect(self._submit_pin)
        else:
            self.pin.hide()
        card.addWidget(
            fw.caption("&Password" if pin_refusal is None else "Or your &password", self.password)
        )
        card.addWidget(self.password)
        card.addWidget(self.error)
        card.addWidget(self.button)
        card.addWidget(self.logout_button)

        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.logout_button.clicked.connect(self.logoutRequested)
        if pin_refusal:
            self.refuse_pin(pin_refusal)
        (self.pin if self.pin.isEnabled() and pin_refusal is not None else self.password).setFocus()

    def refuse_pin(self, reason: str) -> None:
        """PIN unlock is not possible (no PIN here, too many wrong ones, or no counter key
        in the keyring): say why."""
        self.pin.clear()
        self.pin.setEnabled(False)
        self.pin.setPlaceholderText("Use your password")
        self.pin.setToolTip(reason)
        self.pin_note.setText(reason)
        self.pin_note.setVisible(not self.pin.isHidden())
        self.password.setFocus()

    def _submit_pin(self) -> None:
        if self.button.isEnabled() and self.pin.isEnabled() and self.pin.text():
            self._checking()
            self.pinUnlockRequested.emit(self.pin.text())

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
        if not self.password.text() and self.pin.isVisibleTo(self) and self.pin.text():
            self._submit_pin()  # a PIN typed, then Unlock pressed
            return
        if self.button.isEnabled():
            self._checking()
            self.unlockRequested.emit(self.password.text())

    def _checking(self) -> None:
        """Until the answer (a hash takes a moment on a busy counter): the button says so."""
        self.button.setEnabled(False)
        self.button.setText("Checking…")
        fw.show_message(self.error, None)

    def show_error(self, message: str, *, pin: bool = False) -> None:
        """A refused password or (`pin`) PIN: the field is cleared for the next try."""
        self.button.setEnabled(True)
        self.button.setText("Unlock")
        fw.show_message(self.error, message)
        self.password.clear()
        self.pin.clear()
        (self.pin if pin and self.pin.isEnabled() else self.password).setFocus()
        self.fit()
