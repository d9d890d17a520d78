"""Closing the cashier's shift (objectName ``closeShiftDialog``): a blind count, then
expected amounts and difference, an administrator's approval above the threshold."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from enturf_core import palette
from enturf_core.money import Money
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.shift_records import (
    CARD,
    CASH,
    CloseRequest,
    ShiftError,
    ShiftReport,
    ShiftResult,
)
from enturf_pos.ui.cashier.shift_dialogs import (
    ShiftDialog,
    dialog_buttons,
    dialog_message,
    money_edit,
)
from enturf_pos.ui.form_widgets import restyle, show_message


class CloseShiftDialog(ShiftDialog):
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
        self.cash = money_edit("countedCashEdit", "Cash counted in the drawer")
        self.card = money_edit("countedCardEdit", "Card total of the terminal report")
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

        self.approval = QGroupBox("Approval", objectName="approvalBox")
        self.approval_note = QLabel(
            f"The difference is more than {report.threshold.format()}: someone who may close "
            "a shift with a difference enters their username and password to approve it.",
        )
        self.approval_note.setWordWrap(True)
        self.approver = QLineEdit(objectName="approverUserEdit")
        self.approver.setAccessibleName("Approver username")
        self.password = QLineEdit(objectName="approverPasswordEdit")
        self.password.setAccessibleName("Approver password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        approval_form = QFormLayout(self.approval)
        approval_form.addRow(self.approval_note)
        approval_form.addRow("Username", self.approver)
        approval_form.addRow("Password", self.password)
        self.approval.hide()
        self.message = dialog_message("closeShiftMessage")
        box, self.ok = dialog_buttons(self, "confirmCloseShiftButton", "Close shift and print Z")
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
        note.setStyleSheet(f"color: {palette.TEXT_HINT}; font-size: 12px;")
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
        if result.code == ShiftError.APPROVAL_REFUSED:
            self.password.clear()
            self.password.setFocus()
