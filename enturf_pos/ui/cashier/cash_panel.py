"""Cash payment: amount tendered (typed, quick-cash buttons or exact cash), change due,
complete. Enter in the amount, or F12, completes once the amount covers the total."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton

from enturf_core.money import Money
from enturf_pos.services.sales.cart_service import quick_cash
from enturf_pos.services.sales.sale_service import change_due, parse_tendered
from enturf_pos.ui.form_widgets import restyle

QUICK_KEYS = ("Ctrl+1", "Ctrl+2", "Ctrl+3")


class CashPanel(QFrame):
    completeRequested = Signal()
    cancelled = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cashPanel")
        self.total = Money.zero("EUR")
        self.tendered = QLineEdit(objectName="cashTendered")
        self.tendered.setPlaceholderText("Amount received")
        self.tendered.setAccessibleName("Cash received")
        self.tendered.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.exact = QPushButton("Exact  F10", objectName="exactCashButton")
        self.exact.setToolTip("The customer pays the total exactly (F10)")
        self.quick = [QPushButton("", objectName=f"quickCash{i + 1}") for i in range(3)]
        for button, key in zip(self.quick, QUICK_KEYS, strict=True):
            button.setShortcut(QKeySequence(key))
            button.clicked.connect(lambda _c=False, b=button: self._quick(b))
        self.change = QLabel("", objectName="changeDue")
        self.change.setAccessibleName("Change due")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.complete = QPushButton("Complete sale  ⏎", objectName="completeSaleButton")
        self.complete.setToolTip("Complete the sale (Enter or F12)")
        self.complete.setProperty("primary", True)
        self.complete.setProperty("big", True)
        self.cancel = QPushButton("Back  Esc", objectName="cancelPaymentButton")

        grid = QGridLayout(self)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setVerticalSpacing(8)
        title = QLabel("Cash", objectName="sectionTitle")
        grid.addWidget(title, 0, 0)
        grid.addWidget(self.tendered, 0, 1, 1, 2)
        quick = QHBoxLayout()
        quick.addWidget(self.exact, 2)
        for button in self.quick:
            quick.addWidget(button, 1)
        grid.addLayout(quick, 1, 0, 1, 3)
        change_caption = QLabel("Change due", objectName="changeCaption")
        grid.addWidget(change_caption, 2, 0)
        grid.addWidget(self.change, 2, 1, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel, 1)
        buttons.addWidget(self.complete, 3)
        grid.addLayout(buttons, 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)

        self.exact.clicked.connect(self.exact_cash)
        self.tendered.textChanged.connect(self._update)
        self.tendered.returnPressed.connect(self._enter)
        self.complete.clicked.connect(self.completeRequested)
        self.cancel.clicked.connect(self.cancelled)

    def start(self, total: Money) -> None:
        self.total = total
        self.tendered.clear()
        amounts = quick_cash(total)
        for button, key, amount in zip(
            self.quick, QUICK_KEYS, [*amounts, None, None, None], strict=False
        ):
            button.setVisible(amount is not None)
            if amount is not None:
                button.setText(amount.format())
                button.setProperty("amount", amount.amount_text())
                button.setToolTip(f"Customer gives {amount.format()} ({key})")
        self._update()
        self.tendered.setFocus()

    def amount(self) -> Money | None:
        return parse_tendered(self.tendered.text(), self.total.currency)

    def covered(self) -> bool:
        return change_due(self.total, self.amount()) is not None

    def exact_cash(self) -> None:
        self.tendered.setText(self.total.amount_text())
        self.tendered.setFocus()

    def _quick(self, button: QPushButton) -> None:
        self.tendered.setText(str(button.property("amount")))
        self.tendered.setFocus()

    def _update(self) -> None:
        amount = self.amount()
        change = change_due(self.total, amount)
        if change is not None:
            self.change.setText(change.format())
            self.change.setProperty("state", "ok")
        elif amount is None and self.tendered.text().strip():
            self.change.setText("Not an amount")
            self.change.setProperty("state", "short")
        elif amount is not None:
            self.change.setText(f"{(self.total - amount).format()} still to pay")
            self.change.setProperty("state", "short")
        else:
            self.change.setText(f"To pay {self.total.format()}")
            self.change.setProperty("state", "")
        restyle(self.change)
        self.complete.setEnabled(change is not None)

    def _enter(self) -> None:
        if self.covered():
            self.completeRequested.emit()
