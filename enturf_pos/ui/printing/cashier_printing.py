"""The cashier window's printing: after "complete" the receipt and the tickets print by
themselves to this counter's printers; `printReceiptButton` / `printTicketsButton` print
the last sale's documents again (COPY when they already printed); the toolbar has
`printerSettingsAction` (Printers…), `printLogAction` (Print log) and
`openDrawerAction` (Open drawer, Ctrl+Shift+D: an administrator approves in place, the
opening is recorded in the drawer log). A sale with cash taken opens the cash drawer
hung off an ESC/POS receipt printer (`cash_taken`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QMainWindow, QPushButton, QVBoxLayout, QWidget

from enturf_core.staff_rights import Right
from enturf_pos.services.printing.drawer_log import DrawerReason
from enturf_pos.services.printing.print_log import PrintKind
from enturf_pos.services.session import approvals
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.cashier.supervisor_dialog import SupervisorDialog
from enturf_pos.ui.printing.controller import PrintController
from enturf_pos.ui.printing.log_dialog import PrintLogDialog
from enturf_pos.ui.printing.settings_dialog import PrinterSettingsDialog
from enturf_pos.ui.printing.status_panel import PrintStatus
from enturf_pos.ui.task_runner import TaskRunner

NO_DRAWER = (
    "No cash drawer on this counter: the drawer opens through an ESC/POS receipt printer "
    "(Printers…)."
)


class CashierPrinting(QWidget):
    """A panel (objectName ``printPanel``): the print status and the two print buttons."""

    # the customer display's screen chosen in Printers… ("" = off); offered there while
    # `display_screen` is not None (the customer display sets it: `ui/customer_display`)
    displayScreenChosen = Signal(str)

    def __init__(
        self,
        window: QMainWindow,
        *,
        ctx: PosContext,
        user: str,
        last_sale: Callable[[], uuid.UUID | None],
        admin: bool = False,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("printPanel")
        self._ctx = ctx
        self._user = user
        self.may_open_drawer = admin  # the user may take cash out (rights change live)
        self._runner = runner or TaskRunner(self)  # the approval's password check
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
        self.display_screen: str | None = None

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
        self.drawer_action = QAction("Open drawer", window, objectName="openDrawerAction")
        self.drawer_action.setShortcut("Ctrl+Shift+D")
        self.drawer_action.setToolTip(
            "Open the cash drawer without a sale (an administrator approves; recorded)"
        )
        self.drawer_action.triggered.connect(self.ask_open_drawer)
        window.addAction(self.drawer_action)
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

    def cash_taken(self, sale_id: uuid.UUID) -> None:
        """A sale took cash (`CounterSale.cash_taken`): the drawer opens, when there is one."""
        self.controller.open_drawer(DrawerReason.SALE, sale_id=sale_id)

    def ask_open_drawer(self) -> None:
        """A manager's "open drawer" (no sale): an administrator approves in place."""
        if not self.controller.settings.receipt.has_drawer:
            self.status.show_note(NO_DRAWER)
            return
        dialog = SupervisorDialog(
            self._window,
            title="Open the cash drawer",
            text="Open the cash drawer without a sale. Someone who may take cash out enters "
            "their username and password; the opening is recorded.",
            action="Open drawer",
            username=self._user if self.may_open_drawer else "",
        )
        dialog.approved.connect(self._approve_drawer)
        dialog.finished.connect(dialog.deleteLater)
        self.drawer_dialog = dialog
        dialog.open()

    def _approve_drawer(self, username: str, password: str) -> None:
        ctx = self._ctx
        self._runner.run(
            lambda: approvals.approve(
                ctx=ctx, username=username, password=password, right=Right.CASH_OUT
            ),
            self._drawer_approved,
            lambda _exc: self.status.show_note("The approval could not be checked; try again."),
        )

    def _drawer_approved(self, result: approvals.ApprovalResult) -> None:
        if not result.ok:
            self.status.show_note(f"The drawer stays closed: {result.message}")
            return
        self.controller.open_drawer(DrawerReason.NO_SALE, approved_by=result.username)

    def print_last(self, kind: PrintKind) -> None:
        sale_id = self._last_sale()
        if sale_id is not None:
            self.controller.print_sale(sale_id, {kind.value}, reprint=None)

    def open_settings(self) -> None:
        dialog = PrinterSettingsDialog(
            self.controller.settings,
            self._window,
            controller=self.controller,
            display_screen=self.display_screen,
            may_open_drawer=self.may_open_drawer,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.controller.set_settings(dialog.settings())
            screen = dialog.display_screen()
            if screen is not None and screen != self.display_screen:
                self.displayScreenChosen.emit(screen)

    def open_log(self) -> None:
        if self.log_dialog is None or not self.log_dialog.isVisible():
            self.log_dialog = PrintLogDialog(
                ctx=self._ctx, controller=self.controller, parent=self._window
            )
        self.log_dialog.show()
        self.log_dialog.raise_()

    def shutdown(self) -> None:
        self.controller.shutdown()
