"""A supervisor lets a refused ticket in (objectName ``overrideDialog``): the reason in
plain words (``overrideReason``), the supervisor's username (``overrideUser``, their own
filled in) and password (``overridePassword``); ``overrideApproveButton`` (Enter) sends
it. `approved(reason, username, password)`: the dialog stays open, waiting, until the
window calls `refused(message)` (a wrong password: say what to fix) or `done_ok()`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from enturf_pos.ui.form_widgets import field


class OverrideDialog(QDialog):
    approved = Signal(str, str, str)

    def __init__(self, parent: QWidget, *, refused: str, username: str) -> None:
        super().__init__(parent, objectName="overrideDialog")
        self.setWindowTitle("Let this ticket in")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.text = QLabel(
            f"Refused: {refused}. Say why it may come in; the override is recorded with your name.",
            objectName="overrideText",
        )
        self.text.setWordWrap(True)
        self.reason = field("overrideReason", "e.g. printed copy damaged, guest list", "Reason")
        self.username = field("overrideUser", "username", "Supervisor username")
        self.password = field("overridePassword", "password", "Supervisor password", password=True)
        self.message = QLabel("", objectName="overrideMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("Let in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("overrideApproveButton")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Reason", self.reason)
        form.addRow("Supervisor", self.username)
        form.addRow("Password", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.username.setText(username)
        self.reason.setFocus()
        self.resize(520, self.sizeHint().height())

    def _missing(self, text: str, widget: QWidget) -> None:
        self.message.setText(text)
        self.message.show()
        widget.setFocus()

    def accept(self) -> None:
        reason = self.reason.text().strip()
        username, password = self.username.text().strip(), self.password.text()
        if not reason:
            return self._missing("Say why this ticket may come in.", self.reason)
        if not username or not password:
            return self._missing("A supervisor enters their username and password.", self.password)
        self.message.hide()
        self.password.clear()
        self.ok.setEnabled(False)  # until the answer
        self.approved.emit(reason, username, password)

    def refused(self, message: str) -> None:
        self.ok.setEnabled(True)
        self._missing(message, self.password)

    def done_ok(self) -> None:
        super().accept()
