"""PrinterSettingsDialog (objectName ``printerSettingsDialog``): this counter's receipt,
ticket and report printers, the ticket layout and what prints by itself after a sale.

Each document picks: the print dialog every time, the print preview, an installed
printer (`QPrinterInfo.availablePrinterNames()`), "save as PDF" into a folder, or an
ESC/POS printer driven directly (network address and port, USB vendor:product id, or a
serial port and its speed; the cash drawer hangs off it).

With the window's print controller, the dialog tries a printer before saving: pick which
document's printer in `printerTestTarget`, then `printerTestButton` prints a test page
and `openDrawerButton` opens the cash drawer (ESC/POS only; audited as a test); the
outcome shows in `printerTestResult`.

From the cashier window it also picks the customer display's screen
(`customerDisplayScreen`: Off, or a connected screen by name and size)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.services.printing.drawer_log import DrawerReason
from enturf_pos.services.printing.fgl_tickets import fgl_test_page
from enturf_pos.services.printing.print_log import PrintKind
from enturf_pos.services.printing.printer_test_page import (
    QR_PAYLOAD,
    escpos_test_page,
    render_test_page,
)
from enturf_pos.services.printing.ticket_pdf import TicketLayout
from enturf_pos.ui.customer_display.settings import screen_choices
from enturf_pos.ui.form_widgets import restyle
from enturf_pos.ui.printing.controller import PrintController, PrintResult
from enturf_pos.ui.printing.escpos_fields import EscposFields
from enturf_pos.ui.printing.settings import PrinterSettings, PrintTarget, TargetKind

PRINTER_PREFIX = "printer:"  # combo data: "ask", "preview", "pdf" or "printer:<name>"
CHOICES = [
    ("Ask each time (print dialog)", TargetKind.ASK),
    ("Preview, then print", TargetKind.PREVIEW),
    ("Save as PDF in a folder", TargetKind.PDF),
    ("ESC/POS printer (receipt or ticket printer, cash drawer)", TargetKind.ESCPOS),
]
FGL_CHOICE = ("Boca ticket printer (FGL)", TargetKind.FGL)  # tickets only


class TargetPicker(QWidget):
    """One document's printer: a combo (`<name>PrinterCombo`) and, for PDFs, a folder
    (`<name>PdfFolder`, `<name>BrowseButton`)."""

    def __init__(
        self, name: str, target: PrintTarget, printers: list[str], *, fgl: bool = False
    ) -> None:
        """`fgl`: offer a Boca (FGL) ticket printer too (the tickets' picker)."""
        super().__init__()
        self.combo = QComboBox(objectName=f"{name}PrinterCombo")
        for text, kind in [*CHOICES, FGL_CHOICE] if fgl else CHOICES:
            self.combo.addItem(text, kind.value)
        names = list(printers)
        if target.kind is TargetKind.PRINTER and target.printer not in names:
            names.append(target.printer)  # keep showing it; printing to it says why not
        for printer in names:
            missing = "" if printer in printers else " (not installed)"
            self.combo.addItem(f"Printer: {printer}{missing}", f"{PRINTER_PREFIX}{printer}")
        self.folder = QLineEdit(target.folder, objectName=f"{name}PdfFolder")
        self.folder.setPlaceholderText("Folder for the PDF files")
        self.browse = QPushButton("Choose…", objectName=f"{name}BrowseButton")
        self.browse.clicked.connect(self._browse)
        self.escpos = EscposFields(name, target.device)
        current = (
            f"{PRINTER_PREFIX}{target.printer}"
            if target.kind is TargetKind.PRINTER
            else target.kind.value
        )
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.currentIndexChanged.connect(self._kind_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        layout.addLayout(row)
        layout.addWidget(self.escpos)
        self._kind_changed()

    def _kind_changed(self) -> None:
        pdf = self.kind() is TargetKind.PDF
        self.folder.setVisible(pdf)
        self.browse.setVisible(pdf)
        self.escpos.setVisible(self.kind() in (TargetKind.ESCPOS, TargetKind.FGL))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save PDFs in", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def kind(self) -> TargetKind:
        data = str(self.combo.currentData())
        return TargetKind.PRINTER if data.startswith(PRINTER_PREFIX) else TargetKind(data)

    def target(self) -> PrintTarget:
        data = str(self.combo.currentData())
        printer = data.removeprefix(PRINTER_PREFIX) if data.startswith(PRINTER_PREFIX) else ""
        return PrintTarget(self.kind(), printer, self.folder.text().strip(), self.escpos.device())

    def problem(self, name: str) -> str:
        """Why this choice cannot print yet ("" when it can)."""
        target = self.target()
        if target.kind is TargetKind.PDF and not target.folder:
            return f"Choose the folder where the {name} are saved as PDF."
        if target.kind is TargetKind.PDF and Path(target.folder).expanduser().is_file():
            return f"{target.folder} is a file, not a folder."
        if target.raw:
            return self.escpos.problem()
        return ""


class PrinterSettingsDialog(QDialog):
    def __init__(
        self,
        settings: PrinterSettings,
        parent=None,
        *,
        controller: PrintController | None = None,
        display_screen: str | None = None,
        may_open_drawer: bool = True,
    ) -> None:
        """`display_screen`: the customer display's screen ("" off); None: no display
        choice here (a window without one). `may_open_drawer`: the user's role may take
        cash out (else the drawer test is off)."""
        super().__init__(parent)
        self.controller = controller
        self._may_open_drawer = may_open_drawer
        self._tests: set[int] = set()  # the jobs this dialog started
        self.setObjectName("printerSettingsDialog")
        self.setWindowTitle("Printers of this counter")
        printers = QPrinterInfo.availablePrinterNames()
        self.receipt = TargetPicker("receipt", settings.receipt, printers)
        self.tickets = TargetPicker("ticket", settings.tickets, printers, fgl=True)
        self.report = TargetPicker("report", settings.report, printers)
        self.layout_combo = QComboBox(objectName="ticketLayoutCombo")
        self.layout_combo.addItem("Ticket stock 2 x 5.5 in, one per page", TicketLayout.STOCK.value)
        self.layout_combo.addItem("A4, three per page", TicketLayout.A4.value)
        self.layout_combo.setCurrentIndex(self.layout_combo.findData(settings.ticket_layout.value))
        self.auto_receipt = QCheckBox(
            "Print the receipt after each sale", objectName="autoPrintReceipt"
        )
        self.auto_receipt.setChecked(settings.auto_receipt)
        self.auto_tickets = QCheckBox(
            "Print the tickets after each sale", objectName="autoPrintTickets"
        )
        self.auto_tickets.setChecked(settings.auto_tickets)
        note = QLabel(
            "After a sale, documents print by themselves only to a printer, a PDF folder, "
            "an ESC/POS printer or a Boca ticket printer (never through a dialog)."
        )
        note.setWordWrap(True)
        self.error = QLabel("", objectName="printerSettingsError")
        self.error.setProperty("error", True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("printerSettingsButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Receipts", self.receipt)
        form.addRow("Tickets", self.tickets)
        form.addRow("Ticket layout", self.layout_combo)
        form.addRow("Reports", self.report)
        form.addRow("", self.auto_receipt)
        form.addRow("", self.auto_tickets)
        self.display_combo: QComboBox | None = None
        if display_screen is not None:
            self.display_combo = QComboBox(objectName="customerDisplayScreen")
            self.display_combo.setAccessibleName("Customer display screen")
            self.display_combo.setToolTip(
                "A second screen facing the customer: the cart, the total, the payment"
            )
            for text, name in screen_choices(display_screen):
                self.display_combo.addItem(text, name)
            self.display_combo.setCurrentIndex(max(0, self.display_combo.findData(display_screen)))
            form.addRow("Customer display", self.display_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addLayout(self._test_row())
        layout.addWidget(self.test_result)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if controller is not None:
            controller.jobFinished.connect(self._tested)

    def _test_row(self) -> QHBoxLayout:
        self.test_target = QComboBox(objectName="printerTestTarget")
        for text, kind in (
            ("Receipt printer", PrintKind.RECEIPT),
            ("Ticket printer", PrintKind.TICKETS),
            ("Report printer", PrintKind.REPORT),
        ):
            self.test_target.addItem(text, kind.value)
        self.test_button = QPushButton("Print test page", objectName="printerTestButton")
        self.test_button.setToolTip("Print a test page on the printer chosen here (not saved yet)")
        self.drawer_button = QPushButton("Open drawer", objectName="openDrawerButton")
        self.drawer_button.setToolTip(
            "Open the cash drawer hung off this ESC/POS printer (recorded in the drawer log)"
        )
        self.test_result = QLabel("", objectName="printerTestResult")
        self.test_result.setWordWrap(True)
        self.test_result.hide()
        self.test_button.clicked.connect(self.print_test_page)
        self.drawer_button.clicked.connect(self.open_drawer)
        self.test_target.currentIndexChanged.connect(self._test_buttons)
        for picker in self._pickers().values():
            picker.combo.currentIndexChanged.connect(self._test_buttons)
        row = QHBoxLayout()
        row.addWidget(QLabel("Try"))
        row.addWidget(self.test_target, 1)
        row.addWidget(self.test_button)
        row.addWidget(self.drawer_button)
        self._test_buttons()
        return row

    def _pickers(self) -> dict[str, TargetPicker]:
        return {
            PrintKind.RECEIPT.value: self.receipt,
            PrintKind.TICKETS.value: self.tickets,
            PrintKind.REPORT.value: self.report,
        }

    def _test_buttons(self) -> None:
        picker = self._pickers()[str(self.test_target.currentData())]
        available = self.controller is not None
        self.test_button.setEnabled(available)
        self.drawer_button.setEnabled(
            available and picker.kind() is TargetKind.ESCPOS and self._may_open_drawer
        )
        if not self._may_open_drawer:
            self.drawer_button.setToolTip("Your role may not open the drawer (take cash out).")

    def _say(self, text: str, *, error: bool) -> None:
        self.test_result.setText(text)
        restyle(self.test_result, error=error)
        self.test_result.setVisible(bool(text))

    def _chosen(self) -> tuple[str, PrintTarget] | None:
        kind = str(self.test_target.currentData())
        picker = self._pickers()[kind]
        if problem := picker.problem(f"{kind} documents"):
            self._say(problem, error=True)
            return None
        return kind, picker.target()

    def print_test_page(self) -> None:
        chosen = self._chosen()
        if chosen is None or self.controller is None:
            return
        kind, target = chosen
        lines = [
            f"Printer for: {self.test_target.currentText().lower()}s",
            f"Target: {target.describe()}",
            f"Printed {venue_time.text(venue_time.now(), venue_time.ISO_MINUTES)}",
        ]
        job = self.controller.print_pdf(
            kind,
            "Test page",
            lambda: render_test_page(lines),
            target=target,
            escpos=lambda device: escpos_test_page(lines, device),
            fgl=lambda device: fgl_test_page(lines, device, QR_PAYLOAD),
        )
        self._tests.add(job.id)
        self._say(f"Printing a test page on {target.describe()}…", error=False)

    def open_drawer(self) -> None:
        chosen = self._chosen()
        if chosen is None or self.controller is None:
            return
        _kind, target = chosen
        job = self.controller.open_drawer(DrawerReason.TEST, note="Printers… dialog", target=target)
        if job is None:
            self._say("Only an ESC/POS printer opens a cash drawer.", error=True)
            return
        self._tests.add(job.id)
        self._say(f"Opening the cash drawer on {target.describe()}…", error=False)

    def _tested(self, result: PrintResult) -> None:
        if result.job.id not in self._tests:
            return
        self._tests.discard(result.job.id)
        if result.ok:
            done = "Drawer opened" if result.job.kind == PrintKind.DRAWER else "Test page printed"
            self._say(f"{done} · {result.printer}", error=False)
        else:
            self._say(result.message or "Not printed.", error=True)

    def settings(self) -> PrinterSettings:
        return PrinterSettings(
            receipt=self.receipt.target(),
            tickets=self.tickets.target(),
            report=self.report.target(),
            ticket_layout=TicketLayout(self.layout_combo.currentData()),
            auto_receipt=self.auto_receipt.isChecked(),
            auto_tickets=self.auto_tickets.isChecked(),
        )

    def display_screen(self) -> str | None:
        """The customer display's screen chosen ("" off); None without the choice."""
        if self.display_combo is None:
            return None
        return str(self.display_combo.currentData() or "")

    def accept(self) -> None:
        for name, picker in (
            ("receipts", self.receipt),
            ("tickets", self.tickets),
            ("reports", self.report),
        ):
            if problem := picker.problem(name):
                self.error.setText(problem)
                self.error.show()
                field = picker.folder if picker.kind() is TargetKind.PDF else picker.escpos
                field.setFocus()
                return
        super().accept()

    def done(self, result: int) -> None:
        if self.controller is not None:
            self.controller.jobFinished.disconnect(self._tested)
            self.controller = None
        super().done(result)
