"""Change the price of a cart row: a new price, a percentage off or an amount off, with
a reason. It only collects what was typed (checked and previewed by
`services.price_override.new_prices`); the window asks an administrator to approve it
(`SupervisorDialog`) before the cart changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from enturf_core.money import Money
from enturf_pos.services.sales.cart_service import CartRow
from enturf_pos.services.sales.price_override import MODES, PRICE, PriceChange
from enturf_pos.ui.form_widgets import field

Preview = Callable[[PriceChange], "list[tuple[Money, Money]] | str"]


class PriceDialog(QDialog):
    """Modal over the cashier window; `requested(change)` when the cashier confirms a
    valid change, `resetRequested(key)` to go back to the listed price."""

    requested = Signal(object)  # PriceChange
    resetRequested = Signal(str)

    def __init__(self, parent: QWidget, *, row: CartRow, preview: Preview) -> None:
        super().__init__(parent, objectName="priceDialog")
        self.setWindowTitle("Change price")
        self.setModal(True)
        self._row, self._preview = row, preview
        each = " each" if row.quantity > 1 else ""
        self.title = QLabel(
            f"<b>{row.label}</b> · {row.ticket_name} x {row.quantity}<br>"
            f"Now {row.amount.format()} ({row.unit_price.format()}{each} listed)",
            objectName="priceRowLabel",
        )
        self.mode = QComboBox(objectName="priceModeCombo")
        self.mode.setAccessibleName("How the price changes")
        for mode, text in MODES.items():
            self.mode.addItem(text, mode)
        self.value = field("priceValueEdit", "e.g. 20.00, or 50 for 50 %", "New price or discount")
        self.reason = field("priceReasonEdit", "Why, e.g. companion ticket (required)", "Reason")
        self.reason.setMaxLength(200)
        self.preview = QLabel("", objectName="pricePreview")
        self.message = QLabel("", objectName="priceMessage")
        self.message.setWordWrap(True)
        note = QLabel(
            "An administrator approves the change with their password.",
            objectName="priceApprovalNote",
        )
        note.setProperty("hint", True)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("Ask approval", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("priceApplyButton")
        self.ok.setDefault(True)
        self.reset = buttons.addButton("Listed price", QDialogButtonBox.ButtonRole.ResetRole)
        self.reset.setObjectName("priceResetButton")
        self.reset.setToolTip("Back to the listed price (no approval needed)")
        self.reset.setVisible(row.override is not None)
        self.reset.clicked.connect(self._reset)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Change", self.mode)
        form.addRow("Value", self.value)
        form.addRow("Reason", self.reason)
        form.addRow("New price", self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.mode.currentIndexChanged.connect(self._update)
        self.value.textChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self.mode.setCurrentIndex(self.mode.findData(PRICE))
        self.value.setFocus()
        self._update()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.activateWindow()  # the typing goes here, also without a window manager
        self.value.setFocus()

    def change(self) -> PriceChange:
        return PriceChange(
            key=self._row.key,
            mode=str(self.mode.currentData()),
            value=self.value.text(),
            reason=self.reason.text(),
        )

    def _update(self) -> None:
        self.message.setText("")
        if not self.value.text().strip():
            self.preview.setText("")
            return
        planned = self._preview(self.change())
        if isinstance(planned, str):
            # the reason comes last: no need to nag about it while the price is typed
            self.preview.setText("" if "reason" in planned else planned)
            return
        old = sum((o for o, _n in planned[1:]), planned[0][0])
        new = sum((n for _o, n in planned[1:]), planned[0][1])
        self.preview.setText(f"<s>{old.format()}</s> → <b>{new.format()}</b>")

    def accept(self) -> None:
        planned = self._preview(self.change())
        if isinstance(planned, str):
            self.message.setText(planned)
            (self.reason if "reason" in planned else self.value).setFocus()
            return
        super().accept()
        self.requested.emit(self.change())

    def _reset(self) -> None:
        super().accept()
        self.resetRequested.emit(self._row.key)
