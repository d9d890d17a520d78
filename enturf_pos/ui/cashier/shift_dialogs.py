"""The shift dialogs of the cashier window: open (float), cash in / out, and what they
share; the X / Z report is `shift_report_dialog`, the close (a blind count: counted
amounts first, then expected and difference; administrator approval above the
threshold) `close_shift_dialog`.

Every dialog is window-modal and non-blocking (`open()`), keeps its bad-input message in
itself (`…Message` labels) and calls the shift service only through the callables the
panel gives it, so it never touches the database itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.shift_records import (
    CASH_IN,
    ShiftResult,
)
from enturf_pos.ui.form_widgets import message_label, show_message
from enturf_pos.ui.theme import themed

DIALOG_STYLE = themed("""
QLabel[role="message"] {
    border-radius: 6px; padding: 8px 10px; color: ${ERROR_TEXT}; background: ${ERROR_BACK};
    border: 1px solid ${ERROR_EDGE};
}
QLineEdit { font-size: 20px; min-height: 40px; }
QLabel#shiftDifferenceLabel { font-size: 22px; font-weight: 700; }
QLabel#expectedCashLabel, QLabel#expectedCardLabel { font-weight: 700; }
QLabel#shiftDifferenceLabel[state="ok"] { color: ${SUCCESS}; }
QLabel#shiftDifferenceLabel[state="over"] { color: ${DANGER}; }
""")


def money_edit(name: str, accessible: str) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText("0.00")
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


def dialog_message(name: str) -> QLabel:
    label = message_label(name)
    label.setProperty("role", "message")
    return label


def dialog_buttons(
    dialog: QDialog, ok_name: str, ok_text: str
) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setObjectName(ok_name)
    ok.setDefault(True)
    box.button(QDialogButtonBox.StandardButton.Cancel).setObjectName(f"{ok_name}Cancel")
    box.rejected.connect(dialog.reject)
    return box, ok


class ShiftDialog(QDialog):
    def __init__(self, parent: QWidget | None, name: str, title: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setStyleSheet(DIALOG_STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


class OpenShiftDialog(ShiftDialog):
    """objectName ``openShiftDialog``: the float counted in the drawer."""

    def __init__(
        self,
        parent: QWidget | None,
        submit: Callable[[str], ShiftResult],
        *,
        asked_by_sale: bool = False,
    ) -> None:
        super().__init__(parent, "openShiftDialog", "Open a shift")
        self._submit = submit
        self.amount = money_edit("shiftFloatEdit", "Float counted in the drawer")
        self.message = dialog_message("openShiftMessage")
        box, self.ok = dialog_buttons(self, "confirmOpenShiftButton", "Open shift")
        self.ok.clicked.connect(self.confirm)
        self.amount.returnPressed.connect(self.confirm)
        layout = QVBoxLayout(self)
        text = "Count the cash in the drawer and enter it: it is the shift's float."
        if asked_by_sale:
            text = (
                "No shift is open: the counter sells only inside a shift. " + text + " The "
                "sale goes on once the shift is open (Enter)."
            )
        intro = QLabel(text, objectName="openShiftIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow("Float", self.amount)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(box)
        self.amount.setFocus()  # type the float at once, Enter opens
        self.result_: ShiftResult | None = None

    def confirm(self) -> None:
        result = self._submit(self.amount.text())
        if not result.ok:
            show_message(self.message, result.message)
            self.amount.setFocus()
            self.amount.selectAll()
            return
        self.result_ = result
        self.accept()


class CashMovementDialog(ShiftDialog):
    """objectName ``cashMovementDialog``: cash in or out, amount and reason."""

    def __init__(
        self, parent: QWidget | None, kind: str, submit: Callable[[str, str], ShiftResult]
    ) -> None:
        title = "Cash in" if kind == CASH_IN else "Cash out"
        super().__init__(parent, "cashMovementDialog", title)
        self.kind = kind
        self._submit = submit
        self.amount = money_edit("movementAmountEdit", f"{title}: amount")
        self.reason = QLineEdit(objectName="movementReasonEdit")
        self.reason.setAccessibleName(f"{title}: reason")
        self.reason.setMaxLength(shift_service.REASON_MAX)
        self.reason.setPlaceholderText(
            "e.g. change from the safe" if kind == CASH_IN else "e.g. to the safe"
        )
        self.message = dialog_message("movementMessage")
        box, self.ok = dialog_buttons(self, "confirmMovementButton", title)
        self.ok.clicked.connect(self.confirm)
        self.reason.returnPressed.connect(self.confirm)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("Amount", self.amount)
        form.addRow("Reason", self.reason)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(box)
        self.amount.setFocus()  # type the float at once, Enter opens
        self.result_: ShiftResult | None = None

    def confirm(self) -> None:
        result = self._submit(self.amount.text(), self.reason.text())
        if not result.ok:
            show_message(self.message, result.message)
            return
        self.result_ = result
        self.accept()
