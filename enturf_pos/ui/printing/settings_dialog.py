"""PrinterSettingsDialog (objectName ``printerSettingsDialog``): this counter's receipt,
ticket and report printers, the ticket layout and what prints by itself after a sale.

Each document picks: the print dialog every time, the print preview, an installed
printer (`QPrinterInfo.availablePrinterNames()`), or "save as PDF" into a folder."""

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

from enturf_pos.services.printing.ticket_pdf import TicketLayout
from enturf_pos.ui.printing.settings import PrinterSettings, PrintTarget, TargetKind

PRINTER_PREFIX = "printer:"  # combo data: "ask", "preview", "pdf" or "printer:<name>"
CHOICES = [
    ("Ask each time (print dialog)", TargetKind.ASK),
    ("Preview, then print", TargetKind.PREVIEW),
    ("Save as PDF in a folder", TargetKind.PDF),
]


class TargetPicker(QWidget):
    """One document's printer: a combo (`<name>PrinterCombo`) and, for PDFs, a folder
    (`<name>PdfFolder`, `<name>BrowseButton`)."""

    def __init__(self, name: str, target: PrintTarget, printers: list[str]) -> None:
        super().__init__()
        self.combo = QComboBox(objectName=f"{name}PrinterCombo")
        for text, kind in CHOICES:
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
        self._kind_changed()

    def _kind_changed(self) -> None:
        pdf = self.kind() is TargetKind.PDF
        self.folder.setVisible(pdf)
        self.browse.setVisible(pdf)

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
        return PrintTarget(self.kind(), printer, self.folder.text().strip())


class PrinterSettingsDialog(QDialog):
    def __init__(self, settings: PrinterSettings, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("printerSettingsDialog")
        self.setWindowTitle("Printers of this counter")
        printers = QPrinterInfo.availablePrinterNames()
        self.receipt = TargetPicker("receipt", settings.receipt, printers)
        self.tickets = TargetPicker("ticket", settings.tickets, printers)
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
            "After a sale, documents print by themselves only to a printer or a PDF "
            "folder (never through a dialog)."
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
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def settings(self) -> PrinterSettings:
        return PrinterSettings(
            receipt=self.receipt.target(),
            tickets=self.tickets.target(),
            report=self.report.target(),
            ticket_layout=TicketLayout(self.layout_combo.currentData()),
            auto_receipt=self.auto_receipt.isChecked(),
            auto_tickets=self.auto_tickets.isChecked(),
        )

    def accept(self) -> None:
        for name, picker in (
            ("receipts", self.receipt),
            ("tickets", self.tickets),
            ("reports", self.report),
        ):
            target = picker.target()
            if target.kind is TargetKind.PDF and not target.folder:
                self.error.setText(f"Choose the folder where the {name} are saved as PDF.")
                self.error.show()
                picker.folder.setFocus()
                return
            if target.kind is TargetKind.PDF and Path(target.folder).expanduser().is_file():
                self.error.setText(f"{target.folder} is a file, not a folder.")
                self.error.show()
                picker.folder.setFocus()
                return
        super().accept()
