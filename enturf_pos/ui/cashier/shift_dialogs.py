"""The shift dialogs of the cashier window: open (float), cash in / out, X / Z report,
close (counted amounts, live difference, administrator approval above the threshold).

Every dialog is window-modal and non-blocking (`open()`), keeps its bad-input message in
itself (`…Message` labels) and calls the shift service only through the callables the
panel gives it, so it never touches the database itself.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from enturf_core.money import Money
from enturf_core.wording import plural
from enturf_pos.services import shift_service, venue_time
from enturf_pos.services.shift_report_pdf import ReportPaper
from enturf_pos.services.shift_service import (
    CARD,
    CASH,
    CASH_IN,
    CloseRequest,
    ShiftReport,
    ShiftResult,
)
from enturf_pos.ui.form_widgets import message_label, restyle, show_message

DIALOG_STYLE = """
QLabel[role="message"] {
    border-radius: 6px; padding: 8px 10px; color: #8a1414; background: #fdecec;
    border: 1px solid #e3a5a5;
}
QLineEdit { font-size: 20px; min-height: 40px; }
QLabel#shiftDifferenceLabel { font-size: 22px; font-weight: 700; }
QLabel#shiftDifferenceLabel[state="ok"] { color: #1a7f37; }
QLabel#shiftDifferenceLabel[state="over"] { color: #b42318; }
"""


def _money_edit(name: str, accessible: str) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText("0.00")
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


def _message(name: str) -> QLabel:
    label = message_label(name)
    label.setProperty("role", "message")
    return label


def _buttons(dialog: QDialog, ok_name: str, ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setObjectName(ok_name)
    ok.setDefault(True)
    box.button(QDialogButtonBox.StandardButton.Cancel).setObjectName(f"{ok_name}Cancel")
    box.rejected.connect(dialog.reject)
    return box, ok


class _ShiftDialog(QDialog):
    def __init__(self, parent: QWidget | None, name: str, title: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setStyleSheet(DIALOG_STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


class OpenShiftDialog(_ShiftDialog):
    """objectName ``openShiftDialog``: the float counted in the drawer."""

    def __init__(self, parent: QWidget | None, submit: Callable[[str], ShiftResult]) -> None:
        super().__init__(parent, "openShiftDialog", "Open a shift")
        self._submit = submit
        self.amount = _money_edit("shiftFloatEdit", "Float counted in the drawer")
        self.message = _message("openShiftMessage")
        box, self.ok = _buttons(self, "confirmOpenShiftButton", "Open shift")
        self.ok.clicked.connect(self.confirm)
        self.amount.returnPressed.connect(self.confirm)
        layout = QVBoxLayout(self)
        intro = QLabel("Count the cash in the drawer and enter it: it is the shift's float.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow("Float", self.amount)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(box)
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


class CashMovementDialog(_ShiftDialog):
    """objectName ``cashMovementDialog``: cash in or out, amount and reason."""

    def __init__(
        self, parent: QWidget | None, kind: str, submit: Callable[[str, str], ShiftResult]
    ) -> None:
        title = "Cash in" if kind == CASH_IN else "Cash out"
        super().__init__(parent, "cashMovementDialog", title)
        self.kind = kind
        self._submit = submit
        self.amount = _money_edit("movementAmountEdit", f"{title}: amount")
        self.reason = QLineEdit(objectName="movementReasonEdit")
        self.reason.setAccessibleName(f"{title}: reason")
        self.reason.setMaxLength(shift_service.REASON_MAX)
        self.reason.setPlaceholderText(
            "e.g. change from the safe" if kind == CASH_IN else "e.g. to the safe"
        )
        self.message = _message("movementMessage")
        box, self.ok = _buttons(self, "confirmMovementButton", title)
        self.ok.clicked.connect(self.confirm)
        self.reason.returnPressed.connect(self.confirm)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("Amount", self.amount)
        form.addRow("Reason", self.reason)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(box)
        self.result_: ShiftResult | None = None

    def confirm(self) -> None:
        result = self._submit(self.amount.text(), self.reason.text())
        if not result.ok:
            show_message(self.message, result.message)
            return
        self.result_ = result
        self.accept()


def report_html(
    report: ShiftReport, counted: dict[str, Money] | None = None, *, details: bool = True
) -> str:
    """The figures of an X or Z report as rich text for a QLabel (`details`: with sales,
    refunds and movements)."""
    f = report.figures
    rows = [
        ("Float", f.opening_float),
        ("Cash in", f.cash_in),
        ("Cash out", -f.cash_out),
        ("Cash sales", f.cash_sales),
        ("Cash refunds", -f.cash_refunds),
    ]
    cash = "".join(f"<tr><td>{n}</td><td align='right'>{v.format()}</td></tr>" for n, v in rows)
    parts = [
        "<table cellpadding='3'>",
        cash,
        f"<tr><td><b>Cash expected</b></td><td align='right'><b>"
        f"{report.expected[CASH].format()}</b></td></tr>",
        f"<tr><td>Card sales</td><td align='right'>{f.card_sales.format()}</td></tr>",
        f"<tr><td>Card refunds</td><td align='right'>{(-f.card_refunds).format()}</td></tr>",
        f"<tr><td><b>Card expected</b></td><td align='right'><b>"
        f"{report.expected[CARD].format()}</b></td></tr>",
    ]
    if counted is not None:
        for method in (CASH, CARD):
            parts.append(
                f"<tr><td>{method.title()} counted</td><td align='right'>"
                f"{counted[method].format()}</td></tr>"
            )
        parts.append(
            f"<tr><td><b>Difference</b></td><td align='right'><b>"
            f"{report.difference(counted).format()}</b></td></tr>"
        )
    parts.append("</table>")
    counts = f"{plural(report.sales_count, 'sale')}, {plural(report.refunds_count, 'refund')}"
    parts.append(f"<p>{counts}</p>")
    if not details:
        return "".join(parts)
    for title, items in (("Sales", report.sales), ("Refunds", report.refunds)):
        parts.append(f"<p><b>{title} by event and ticket</b></p><table cellpadding='2'>")
        for r in items:
            parts.append(
                f"<tr><td>{escape(r.event)}</td><td>{escape(r.ticket)}</td>"
                f"<td align='right'>{r.count}</td><td align='right'>{r.amount.format()}</td></tr>"
            )
        if not items:
            parts.append("<tr><td>none</td></tr>")
        parts.append("</table>")
    if report.movements:
        parts.append("<p><b>Drawer movements</b></p><table cellpadding='2'>")
        for m in report.movements:
            parts.append(
                f"<tr><td>{venue_time.text(m.at, venue_time.CLOCK)}</td><td>{m.label}</td>"
                f"<td align='right'>{m.amount.format()}</td><td>{escape(m.reason)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


class ShiftReportDialog(_ShiftDialog):
    """objectName ``shiftReportDialog``: the X report (open shift) or Z report (closed),
    with Print (the counter's report printer), Save as PDF, and the paper (A4 or roll)."""

    printRequested = Signal()
    saveRequested = Signal()
    paperChanged = Signal(str)  # a ReportPaper value

    def __init__(self, parent: QWidget | None, report: ShiftReport, *, paper: str) -> None:
        closed = not report.shift.is_open
        super().__init__(parent, "shiftReportDialog", "Z report" if closed else "X report")
        self.report = report
        shift = report.shift
        head = QLabel(objectName="shiftReportTitle")
        when = venue_time.text(shift.opened_at, venue_time.DATE_CLOCK)
        head.setText(
            f"<b>{'Z report' if closed else 'X report (shift still open)'}</b><br>"
            f"Cashier {escape(shift.cashier_name or shift.cashier)} · opened {when}"
            + (
                f" · closed {venue_time.text(shift.closed_at, venue_time.CLOCK)}"
                if shift.closed_at
                else ""
            )
            + (
                f"<br>Difference approved by {escape(shift.approved_by)}"
                if shift.approved_by
                else ""
            )
        )
        self.text = QLabel(
            report_html(report, report.counted or None), objectName="shiftReportText"
        )
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidget(self.text)
        scroll.setWidgetResizable(True)
        self.resize(560, 640)
        self.message = message_label("shiftReportMessage")
        self.print_button = QPushButton("Print", objectName="printReportButton")
        self.paper = QComboBox(objectName="reportPaperCombo")
        self.paper.setAccessibleName("Report paper")
        self.paper.addItem("A4", ReportPaper.A4.value)
        self.paper.addItem("80 mm roll", ReportPaper.ROLL.value)
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self.paper.currentIndexChanged.connect(
            lambda _i: self.paperChanged.emit(self.paper.currentData())
        )
        self.save_button = QPushButton("Save as PDF…", objectName="saveReportPdfButton")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setObjectName("closeReportButton")
        box.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.printRequested)
        self.save_button.clicked.connect(self.saveRequested)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        paper_row = QFormLayout()
        paper_row.addRow("Paper", self.paper)
        layout.addLayout(paper_row)
        layout.addWidget(box)

    def notify(self, text: str) -> None:
        show_message(self.message, text)


class CloseShiftDialog(_ShiftDialog):
    """objectName ``closeShiftDialog``: counted cash and card, the live difference, and
    an administrator's username and password when it is above the threshold."""

    closeRequested = Signal(object)  # CloseRequest

    def __init__(self, parent: QWidget | None, report: ShiftReport) -> None:
        super().__init__(parent, "closeShiftDialog", "Close the shift (Z report)")
        self.setMinimumWidth(460)
        self.report = report
        cur = report.currency
        self.expected_cash = QLabel(report.expected[CASH].format(), objectName="expectedCashLabel")
        self.expected_card = QLabel(report.expected[CARD].format(), objectName="expectedCardLabel")
        self.cash = _money_edit("countedCashEdit", "Cash counted in the drawer")
        self.card = _money_edit("countedCardEdit", "Card total of the terminal report")
        self.difference = QLabel("", objectName="shiftDifferenceLabel")
        self.difference.setAccessibleName("Difference")
        self.approval = QGroupBox("Administrator approval", objectName="approvalBox")
        self.approval_note = QLabel(
            f"The difference is more than {report.threshold.format()}: an administrator "
            "enters their username and password to approve it.",
        )
        self.approval_note.setWordWrap(True)
        self.approver = QLineEdit(objectName="approverUserEdit")
        self.approver.setAccessibleName("Administrator username")
        self.password = QLineEdit(objectName="approverPasswordEdit")
        self.password.setAccessibleName("Administrator password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        approval_form = QFormLayout(self.approval)
        approval_form.addRow(self.approval_note)
        approval_form.addRow("Username", self.approver)
        approval_form.addRow("Password", self.password)
        self.approval.hide()
        self.message = _message("closeShiftMessage")
        box, self.ok = _buttons(self, "confirmCloseShiftButton", "Close shift and print Z")
        self.ok.clicked.connect(self.confirm)
        for edit in (self.cash, self.card):
            edit.textChanged.connect(self._update)
        self.password.returnPressed.connect(self.confirm)

        layout = QVBoxLayout(self)
        details = QLabel(report_html(report, details=False), objectName="closeShiftFigures")
        layout.addWidget(details)
        form = QFormLayout()
        form.addRow("Cash expected", self.expected_cash)
        form.addRow("Cash counted", self.cash)
        form.addRow("Card expected", self.expected_card)
        form.addRow("Card counted", self.card)
        form.addRow(f"Difference ({cur})", self.difference)
        layout.addLayout(form)
        layout.addWidget(self.approval)
        layout.addWidget(self.message)
        layout.addWidget(box)
        self._update()

    def counted(self) -> tuple[dict[str, Money] | None, str]:
        return shift_service.parse_counted(
            cash=self.cash.text(), card=self.card.text(), currency_code=self.report.currency
        )

    def _update(self) -> None:
        counted, _why = self.counted()
        if counted is None:
            self.difference.setText("—")
            self.difference.setProperty("state", "")
            over = False
        else:
            over = self.report.needs_approval(counted)
            self.difference.setText(self.report.difference(counted).format())
            self.difference.setProperty("state", "over" if over else "ok")
        restyle(self.difference)
        self.approval.setVisible(over)
        show_message(self.message, "")

    def confirm(self) -> None:
        counted, why = self.counted()
        if counted is None:
            show_message(self.message, why)
            return
        needs = self.report.needs_approval(counted)
        if needs and not (self.approver.text().strip() and self.password.text()):
            show_message(
                self.message,
                f"The difference of {self.report.difference(counted).format()} is more than "
                f"{self.report.threshold.format()}: an administrator must enter their "
                "username and password.",
            )
            (self.password if self.approver.text().strip() else self.approver).setFocus()
            return
        self.ok.setEnabled(False)
        show_message(self.message, "")
        self.closeRequested.emit(
            CloseRequest(
                counted,
                approver=self.approver.text().strip() if needs else "",
                approver_password=self.password.text() if needs else "",
            )
        )

    def refused(self, result: ShiftResult) -> None:
        self.ok.setEnabled(True)
        show_message(self.message, result.message)
        if result.code == "approval_refused":
            self.password.clear()
            self.password.setFocus()
