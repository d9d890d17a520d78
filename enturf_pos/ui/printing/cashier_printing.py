"""The cashier window's printing: after "complete" the receipt and the tickets print by
themselves to this counter's printers; `printReceiptButton` / `printTicketsButton` print
the last sale's documents again (COPY when they already printed); the toolbar has
`printerSettingsAction` (Printers…) and `printLogAction` (Print log)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QMainWindow, QPushButton, QVBoxLayout, QWidget

from enturf_pos.services.printing.print_log import PrintKind
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.printing.controller import PrintController
from enturf_pos.ui.printing.log_dialog import PrintLogDialog
from enturf_pos.ui.printing.settings_dialog import PrinterSettingsDialog
from enturf_pos.ui.printing.status_panel import PrintStatus


class CashierPrinting(QWidget):
    """A panel (objectName ``printPanel``): the print status and the two print buttons."""

    def __init__(
        self,
        window: QMainWindow,
        *,
        ctx: PosContext,
        user: str,
        last_sale: Callable[[], uuid.UUID | None],
    ) -> None:
        super().__init__(window)
        self.setObjectName("printPanel")
        self._ctx = ctx
        self._window = window
        self._last_sale = last_sale
        self.controller = PrintController(ctx=ctx, user=user, parent=window)
        self.status = PrintStatus(self.controller)
        self.receipt_button = QPushButton("Print receipt", objectName="printReceiptButton")
        self.receipt_button.setToolTip("Print the last sale's receipt (COPY if it printed)")
        self.tickets_button = QPushButton("Print tickets", objectName="printTicketsButton")
        self.tickets_button.setToolTip("Print the last sale's tickets (COPY if they printed)")
        self.receipt_button.clicked.connect(lambda: self.print_last(PrintKind.RECEIPT))
        self.tickets_button.clicked.connect(lambda: self.print_last(PrintKind.TICKETS))
        self.log_dialog: PrintLogDialog | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addWidget(self.receipt_button)
        row.addWidget(self.tickets_button)
        layout.addLayout(row)

        self.settings_action = QAction("Printers…", window, objectName="printerSettingsAction")
        self.settings_action.setToolTip("Choose this counter's receipt and ticket printers")
        self.settings_action.triggered.connect(self.open_settings)
        self.log_action = QAction("Print log", window, objectName="printLogAction")
        self.log_action.setToolTip("What this counter printed, and reprints")
        self.log_action.triggered.connect(self.open_log)
        self.update_buttons()

    def update_buttons(self) -> None:
        has_sale = self._last_sale() is not None
        self.receipt_button.setEnabled(has_sale)
        self.tickets_button.setEnabled(has_sale)

    def sale_completed(self, sale_id: uuid.UUID) -> None:
        """Print what the counter prints by itself after a sale (direct printers only)."""
        self.update_buttons()
        settings = self.controller.settings
        auto = {
            PrintKind.RECEIPT: settings.auto_receipt and settings.receipt.direct,
            PrintKind.TICKETS: settings.auto_tickets and settings.tickets.direct,
        }
        what = [kind for kind, on in auto.items() if on]
        if what:
            self.controller.print_sale(sale_id, what, reprint=False)
        unset = [
            kind.value
            for kind, wanted in (
                (PrintKind.RECEIPT, settings.auto_receipt),
                (PrintKind.TICKETS, settings.auto_tickets),
            )
            if wanted and not auto[kind]
        ]
        if unset:
            self.status.show_note(
                f"No printer set for the {' and '.join(unset)}: use Print receipt / Print "
                "tickets, or set this counter's printers (Printers…) to print after each sale."
            )

    def print_last(self, kind: PrintKind) -> None:
        sale_id = self._last_sale()
        if sale_id is not None:
            self.controller.print_sale(sale_id, {kind.value}, reprint=None)

    def open_settings(self) -> None:
        dialog = PrinterSettingsDialog(self.controller.settings, self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.controller.set_settings(dialog.settings())

    def open_log(self) -> None:
        if self.log_dialog is None or not self.log_dialog.isVisible():
            self.log_dialog = PrintLogDialog(
                ctx=self._ctx, controller=self.controller, parent=self._window
            )
        self.log_dialog.show()
        self.log_dialog.raise_()

    def shutdown(self) -> None:
        self.controller.shutdown()
