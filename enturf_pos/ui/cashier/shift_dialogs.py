"""The shift dialogs of the cashier window: open (float), cash in / out, X / Z report,
close (a blind count: counted amounts first, then expected and difference; administrator
approval above the threshold).

Every dialog is window-modal and non-blocking (`open()`), keeps its bad-input message in
itself (`…Message` labels) and calls the shift service only through the callables the
panel gives it, so it never touches the database itself.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from enturf_core.money import Money
from enturf_core.wording import plural
from enturf_pos.services import venue_time
from enturf_pos.services.printing.shift_report_pdf import ReportPaper
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.shift_records import (
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
QLabel#expectedCashLabel, QLabel#expectedCardLabel { font-weight: 700; }
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

    def __init__(
        self,
        parent: QWidget | None,
        submit: Callable[[str], ShiftResult],
        *,
        asked_by_sale: bool = False,
    ) -> None:
        super().__init__(parent, "openShiftDialog", "Open a shift")
        self._submit = submit
        self.amount = _money_edit("shiftFloatEdit", "Float counted in the drawer")
        self.message = _message("openShiftMessage")
        box, self.ok = _buttons(self, "confirmOpenShiftButton", "Open shift")
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
        self.amount.setFocus()  # type the float at once, Enter opens
        self.result_: ShiftResult | None = None

    def confirm(self) -> None:
        result = self._submit(self.amount.text(), self.reason.text())
        if not result.ok:
            show_message(self.message, result.message)
            return
        self.result_ = result
        self.accept()


def _row(name: str, value: Money, *, bold: bool = False, note: str = "") -> str:
    cell = f"<b>{value.format()}</b>" if bold else value.format()
    name = f"<b>{name}</b>" if bold else name
    note = f"<td><small style='color:#52606d'>{note}</small></td>" if note else "<td></td>"
    return f"<tr><td>{name}</td><td align='right'>{cell}</td>{note}</tr>"


def report_html(
    report: ShiftReport, counted: dict[str, Money] | None = None, *, details: bool = True
) -> str:
    """The figures of an X or Z report as rich text for a QLabel (`details`: with sales,
    refunds and movements). Refunds have their own lines per method; card refunds went
    back to the card through the server, never through the terminal, so they are shown
    but do not lower the card expected."""
    f = report.figures

    def counted_rows(method: str) -> str:
        if counted is None:
            return ""
        diff = counted[method] - report.expected[method]
        return _row(f"{method.title()} counted", counted[method]) + _row(
            f"{method.title()} difference", diff
        )

    parts = [
        "<table cellpadding='3'>",
        "<tr><td colspan='3'><b>Cash drawer</b></td></tr>",
        _row("Float", f.opening_float),
        _row("Cash in", f.cash_in),
        _row("Cash out", -f.cash_out),
        _row("Cash sales", f.cash_sales),
        _row("Refunds cash", -f.cash_refunds, note="given back from the drawer"),
        _row("Cash expected", report.expected[CASH], bold=True),
        counted_rows(CASH),
        "<tr><td colspan='3'><b>Card terminal</b></td></tr>",
        _row("Card sales", f.card_sales),
        _row("Card expected", report.expected[CARD], bold=True, note="the terminal's total"),
        counted_rows(CARD),
        _row("Refunds card", f.card_refunds, note="back to the card by the server"),
    ]
    if counted is not None:
        parts.append(_row("Difference", report.difference(counted), bold=True))
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
    """objectName ``closeShiftDialog``: a blind count. The cashier enters the counted cash
    and the terminal's card total first (``countedCashEdit``, ``countedCardEdit``, then
    ``showExpectedButton`` or Enter); only then the expected amounts, the breakdown and
    the difference show (``closeShiftReveal``) and the count is locked. Above the
    threshold an administrator's username and password are asked (``approvalBox``)."""

    closeRequested = Signal(object)  # CloseRequest

    def __init__(self, parent: QWidget | None, report: ShiftReport) -> None:
        super().__init__(parent, "closeShiftDialog", "Close the shift (Z report)")
        self.setMinimumWidth(520)
        self.report = report
        cur = report.currency
        self.revealed = False
        self.cash = _money_edit("countedCashEdit", "Cash counted in the drawer")
        self.card = _money_edit("countedCardEdit", "Card total of the terminal report")
        self.count_button = QPushButton("Show expected  ⏎", objectName="showExpectedButton")
        self.count_button.clicked.connect(self.reveal)
        self.expected_cash = QLabel(objectName="expectedCashLabel")
        self.expected_card = QLabel(objectName="expectedCardLabel")
        self.difference = QLabel("", objectName="shiftDifferenceLabel")
        self.difference.setAccessibleName("Difference")
        self.figures = QWidget(objectName="closeShiftFigures")  # the compact breakdown
        self._grid = QGridLayout(self.figures)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(18)
        self._grid.setVerticalSpacing(4)
        self.reveal_box = QWidget(objectName="closeShiftReveal")
        reveal_layout = QVBoxLayout(self.reveal_box)
        reveal_layout.setContentsMargins(0, 0, 0, 0)
        reveal_layout.addWidget(self.figures)
        total = QHBoxLayout()
        total.addWidget(QLabel(f"Difference ({cur})"))
        total.addStretch(1)
        total.addWidget(self.difference)
        reveal_layout.addLayout(total)
        self.reveal_box.hide()

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
        for button in (*box.buttons(), self.count_button):  # Enter is the edits' own until
            button.setAutoDefault(False)  # the count is shown (see reveal)
            button.setDefault(False)
        self.ok.hide()
        self.ok.clicked.connect(self.confirm)
        self.cash.returnPressed.connect(self.card.setFocus)
        # after the key event: Enter on the card field must not also press the button
        # that the reveal makes the default
        self.card.returnPressed.connect(lambda: QTimer.singleShot(0, self.reveal))
        self.password.returnPressed.connect(self.confirm)

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Count the cash in the drawer and read the card total of the terminal's "
            "end-of-day report (0 if none), then enter both. The expected amounts show "
            "after the count.",
            objectName="closeShiftIntro",
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow("Cash counted", self.cash)
        form.addRow("Card counted", self.card)
        layout.addLayout(form)
        layout.addWidget(self.count_button)
        layout.addWidget(self.reveal_box)
        layout.addWidget(self.approval)
        layout.addWidget(self.message)
        layout.addWidget(box)
        self.cash.setFocus()

    def counted(self) -> tuple[dict[str, Money] | None, str]:
        return shift_service.parse_counted(
            cash=self.cash.text(), card=self.card.text(), currency_code=self.report.currency
        )

    def reveal(self) -> None:
        """The count is entered: lock it and show expected, breakdown and difference."""
        if self.revealed:
            self.confirm()
            return
        counted, why = self.counted()
        if counted is None:
            show_message(self.message, why)
            (self.card if self.cash.text().strip() and "card" in why else self.cash).setFocus()
            return
        self.revealed = True
        show_message(self.message, "")
        for edit in (self.cash, self.card):
            edit.setText(counted[CASH if edit is self.cash else CARD].amount_text())
            edit.setReadOnly(True)
        report = self.report
        self._fill_figures(counted)
        over = report.needs_approval(counted)
        self.difference.setText(report.difference(counted).format())
        restyle(self.difference, state="over" if over else "ok")
        self.count_button.hide()
        self.reveal_box.show()
        self.approval.setVisible(over)
        self.ok.show()
        self.ok.setDefault(True)
        (self.approver if over else self.ok).setFocus()
        self._grow()

    def _grow(self) -> None:
        """Give the revealed figures and the approval box the room they need (the dialog
        grows; nothing is squeezed over anything else)."""
        layout = self.layout()
        layout.activate()
        width = max(self.width(), self.minimumWidth())
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else 0
        needed = QSize(width, max(height, layout.totalMinimumSize().height()))
        self.setMinimumHeight(needed.height())
        self.resize(needed.expandedTo(self.size()))

    def _fill_figures(self, counted: dict[str, Money]) -> None:
        """Cash and card side by side: where the expected amounts come from, then the
        count's difference per method. A card refund is shown but not subtracted: it went
        back to the card through the server, not through the terminal."""
        report, f = self.report, self.report.figures
        drawer = f.opening_float + f.cash_in - f.cash_out
        rows: list[tuple[str, str, str]] = [
            ("Float, cash in / out", drawer.format(), ""),
            ("Sales", f.cash_sales.format(), f.card_sales.format()),
            ("Refunds", (-f.cash_refunds).format(), f"{f.card_refunds.format()} *"),
            ("Expected", "", ""),
            ("Counted", counted[CASH].format(), counted[CARD].format()),
            (
                "Difference",
                (counted[CASH] - report.expected[CASH]).format(),
                (counted[CARD] - report.expected[CARD]).format(),
            ),
        ]
        grid = self._grid
        for column, title in enumerate(("", "Cash", "Card")):
            head = QLabel(f"<b>{title}</b>")
            grid.addWidget(
                head,
                0,
                column,
                Qt.AlignmentFlag.AlignRight if column else Qt.AlignmentFlag.AlignLeft,
            )
        self.expected_cash.setText(report.expected[CASH].format())
        self.expected_card.setText(report.expected[CARD].format())
        right = Qt.AlignmentFlag.AlignRight
        for row, (name, cash, card) in enumerate(rows, start=1):
            grid.addWidget(QLabel(f"<b>{name}</b>" if name == "Expected" else name), row, 0)
            if name == "Expected":
                grid.addWidget(self.expected_cash, row, 1, right)
                grid.addWidget(self.expected_card, row, 2, right)
                continue
            grid.addWidget(QLabel(cash), row, 1, right)
            grid.addWidget(QLabel(card), row, 2, right)
        note = QLabel(
            "* Card refunds go back to the card through the server, not through the "
            "terminal: they are not in the card expected.",
            objectName="cardRefundNote",
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #52606d; font-size: 12px;")
        grid.addWidget(note, len(rows) + 1, 0, 1, 3)
        grid.setColumnStretch(0, 1)

    def confirm(self) -> None:
        if not self.revealed:
            self.reveal()
            return
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
