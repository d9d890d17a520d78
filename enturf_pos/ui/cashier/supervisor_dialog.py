"""A supervisor's override in place: someone whose role holds the right types their
username and password at the counter (a refund above the cashier's limit, a price override). The caller checks and signs the
approval through services/session/approvals.py; this dialog only collects what was typed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.ui.form_widgets import field


class SupervisorDialog(QDialog):
    """Modal over its parent; `approved(username, password)` when the admin confirms."""

    approved = Signal(str, str)

    def __init__(
        self, parent: QWidget, *, title: str, text: str, action: str, username: str = ""
    ) -> None:
        super().__init__(parent, objectName="supervisorDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.text = QLabel(text, objectName="supervisorText")
        self.text.setWordWrap(True)
        self.username = field("supervisorUserEdit", "username", "Approver's username")
        self.password = field(
            "supervisorPasswordEdit", "password", "Approver's password", password=True
        )
        self.message = QLabel("", objectName="supervisorMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("supervisorApproveButton")
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        # Enter approves (also from the password field): the approve button is the dialog's
        # default once it is in the dialog, and Cancel never takes Enter over
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.ok.setDefault(True)
        self.username.setText(username)  # an administrator at the counter: their own
        (self.password if username else self.username).setFocus()

    def accept(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.message.setText("The approver enters their username and password.")
            (self.password if username else self.username).setFocus()
            return
        self.password.clear()
        super().accept()
        self.approved.emit(username, password)
