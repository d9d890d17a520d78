"""'Set unlock PIN…' (objectName ``pinDialog``): the signed-in user types a 4 to 8 digit
PIN twice (``pinEdit``, ``pinAgainEdit``). The caller stores its hash on this counter
(`services/session/unlock_pin.py`) and answers with `show_result`."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from enturf_pos.services.session import unlock_pin
from enturf_pos.services.session.auth_service import LoginResult
from enturf_pos.ui import form_widgets as fw


class PinDialog(QDialog):
    pinChosen = Signal(str, str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, objectName="pinDialog")
        self.setWindowTitle("Set unlock PIN")
        self.setModal(True)
        self.setMinimumWidth(460)  # the intro wraps at a readable width
        digits = QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self)
        self.pin = fw.field("pinEdit", "4 to 8 digits", "New PIN", password=True)
        self.again = fw.field("pinAgainEdit", "the same again", "New PIN again", password=True)
        for edit in (self.pin, self.again):
            edit.setValidator(digits)
            edit.setMinimumWidth(220)
        intro = QLabel(
            "Your PIN unlocks this counter's lock screen for you, also offline. It is kept "
            "on this counter only, and a new one replaces the old. After "
            f"{unlock_pin.MAX_FAILURES} wrong PINs in a row your password is needed again.",
            objectName="pinIntro",
        )
        intro.setWordWrap(True)
        self.message = fw.message_label("pinMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("Set PIN", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("pinSetButton")
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("New PIN", self.pin)
        form.addRow("Again", self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.pin.setFocus()

    def accept(self) -> None:
        """Checked here first (what to fix, at once); stored by the caller."""
        pin, again = self.pin.text(), self.again.text()
        problem = (
            unlock_pin.BAD_FORMAT
            if not unlock_pin.valid_pin(pin)
            else unlock_pin.NOT_SAME
            if pin != again
            else None
        )
        if problem is not None:
            self.show_result(LoginResult(False, problem))
            return
        self.ok.setEnabled(False)
        self.pinChosen.emit(pin, again)

    def show_result(self, result: LoginResult) -> None:
        self.ok.setEnabled(True)
        if result.ok:
            parent = self.parentWidget()
            if parent is not None and hasattr(parent, "statusBar"):
                parent.statusBar().showMessage(result.message, 8000)
            super().accept()
            return
        fw.show_message(self.message, result.message)
        self.pin.clear()
        self.again.clear()
        self.pin.setFocus()
