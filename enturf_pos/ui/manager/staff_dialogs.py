"""The Staff tab's dialogs: add a staff member (``staffAddDialog``), change a role
(``staffRoleDialog``), reset a password (``staffPasswordDialog``).

Each checks what it can at once (empty fields, the two passwords) and then hands the
values to the tab (`submitted`), which asks the server; the server's refusal comes back
with `show_error` and the dialog stays open with what was typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from enturf_core.staff_rights import ROLE_LABELS, StaffRole
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager.dialog_parts import buttons, message


def role_combo(name: str, current: str = StaffRole.CASHIER.value) -> QComboBox:
    combo = QComboBox(objectName=name)
    for role in StaffRole:
        combo.addItem(ROLE_LABELS[role], role.value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class StaffDialog(QDialog):
    """The shared frame: a form, the message line, Cancel and the dialog's button."""

    submitted = Signal(dict)

    def __init__(self, parent: QWidget, name: str, title: str, ok_text: str, intro: str) -> None:
        super().__init__(parent, objectName=name)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.message = message("staffDialogMessage")
        box, self.ok = buttons(self, "staffDialogOk", ok_text, self._submit)
        layout = QVBoxLayout(self)
        if intro:
            text = QLabel(intro, objectName="staffDialogIntro")
            text.setWordWrap(True)
            layout.addWidget(text)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(box)

    def values(self) -> dict[str, Any] | str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _submit(self) -> None:
        values = self.values()
        if isinstance(values, str):
            self.show_error(values)
            return
        fw.show_message(self.message, None)
        self.ok.setEnabled(False)  # until the server answers
        self.submitted.emit(values)

    def show_error(self, text: str) -> None:
        self.ok.setEnabled(True)
        fw.show_message(self.message, text)

    def done_ok(self) -> None:
        self.accept()


def _passwords(dialog: QDialog) -> tuple[QWidget, QWidget]:
    first = fw.field("staffPassword", "at least 8 characters", "Password", password=True)
    again = fw.field("staffPasswordAgain", "the same again", "Password again", password=True)
    return first, again


def _password_problem(first: str, again: str) -> str | None:
    if not first:
        return "Enter the password."
    if first != again:
        return "The two passwords differ: type the same password twice."
    return None


class StaffAddDialog(StaffDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(
            parent,
            "staffAddDialog",
            "Add staff",
            "Add",
            "The new member logs in with this username and password; give them the password "
            "in person. Their role decides what they may do.",
        )
        self.username = fw.field("staffUsername", "e.g. anna", "Username")
        self.first_name = fw.field("staffFirstName", "", "First name")
        self.last_name = fw.field("staffLastName", "", "Last name")
        self.role = role_combo("staffRole")
        self.password, self.again = _passwords(self)
        for label, widget in (
            ("Username", self.username),
            ("First name", self.first_name),
            ("Last name", self.last_name),
            ("Role", self.role),
            ("Password", self.password),
            ("Again", self.again),
        ):
            self.form.addRow(label, widget)
        self.username.setFocus()

    def values(self) -> dict[str, Any] | str:
        username = self.username.text().strip()
        if not username:
            return "Enter a username."
        problem = _password_problem(self.password.text(), self.again.text())
        if problem:
            return problem
        return {
            "username": username,
            "first_name": self.first_name.text(),
            "last_name": self.last_name.text(),
            "role": StaffRole(self.role.currentData()),
            "password": self.password.text(),
        }


class StaffRoleDialog(StaffDialog):
    def __init__(self, parent: QWidget, *, name: str, role: str) -> None:
        super().__init__(
            parent,
            "staffRoleDialog",
            "Change role",
            "Change role",
            f"{name}'s role decides what they may do, on the server and at every counter.",
        )
        self.role = role_combo("staffRole", role)
        self.form.addRow("Role", self.role)
        self._was = role

    def values(self) -> dict[str, Any] | str:
        role = StaffRole(self.role.currentData())
        if role == self._was:
            return "Choose another role (this is their role already)."
        return {"role": role}


class StaffPasswordDialog(StaffDialog):
    def __init__(self, parent: QWidget, *, name: str) -> None:
        super().__init__(
            parent,
            "staffPasswordDialog",
            "Reset password",
            "Reset password",
            f"{name} logs in with the new password from now on; their open sessions end.",
        )
        self.password, self.again = _passwords(self)
        self.form.addRow("New password", self.password)
        self.form.addRow("Again", self.again)
        self.password.setFocus()

    def values(self) -> dict[str, Any] | str:
        problem = _password_problem(self.password.text(), self.again.text())
        return problem or {"password": self.password.text()}
