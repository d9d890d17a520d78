"""This counter's printers: where receipts, tickets and reports go, and what prints by
itself after a sale. Stored with QSettings in an INI file in the counter's data folder
(`printers.ini`), so each counter (installation) keeps its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QSettings

from enturf_pos.services.printing.escpos_device import Connection, EscposDevice
from enturf_pos.services.printing.print_log import PrintKind
from enturf_pos.services.printing.ticket_pdf import TicketLayout

SETTINGS_FILE = "printers.ini"
FGL_NAME = "Boca FGL"


class TargetKind(StrEnum):
    ASK = "ask"  # the print dialog every time
    PREVIEW = "preview"  # the print preview (then print from it)
    PRINTER = "printer"  # straight to an installed printer, no dialog
    PDF = "pdf"  # save as PDF into a folder, no dialog
    ESCPOS = "escpos"  # an ESC/POS printer driven directly (network, USB, serial)
    FGL = "fgl"  # a Boca (FGL) ticket printer driven directly, on the same connections


@dataclass(frozen=True)
class PrintTarget:
    kind: TargetKind = TargetKind.ASK
    printer: str = ""  # PRINTER: its name as the system lists it
    folder: str = ""  # PDF: where the files go
    device: EscposDevice = field(default_factory=EscposDevice)  # ESCPOS, FGL: how to reach it

    @property
    def direct(self) -> bool:
        """Prints without asking anything (so it may print by itself after a sale)."""
        return self.kind in (TargetKind.PRINTER, TargetKind.PDF, TargetKind.ESCPOS, TargetKind.FGL)

    @property
    def raw(self) -> bool:
        """Driven directly in the printer's own language (the connection in `device`)."""
        return self.kind in (TargetKind.ESCPOS, TargetKind.FGL)

    @property
    def has_drawer(self) -> bool:
        """A cash drawer hangs off an ESC/POS printer (its kick pulse opens it)."""
        return self.kind is TargetKind.ESCPOS

    def describe(self) -> str:
        if self.kind is TargetKind.ESCPOS:
            return self.device.describe()
        if self.kind is TargetKind.FGL:
            return self.device.describe(FGL_NAME)
        if self.kind is TargetKind.PRINTER:
            return self.printer
        if self.kind is TargetKind.PDF:
            return f"PDF in {self.folder}"
        if self.kind is TargetKind.PREVIEW:
            return "print preview"
        return "print dialog"


@dataclass(frozen=True)
class PrinterSettings:
    receipt: PrintTarget = field(default_factory=PrintTarget)
    tickets: PrintTarget = field(default_factory=PrintTarget)
    report: PrintTarget = field(default_factory=PrintTarget)
    ticket_layout: TicketLayout = TicketLayout.STOCK
    auto_receipt: bool = True  # after "complete", when the receipt printer is direct
    auto_tickets: bool = True  # after "complete", when the ticket printer is direct

    def target(self, kind: str) -> PrintTarget:
        if kind == PrintKind.RECEIPT:
            return self.receipt
        if kind == PrintKind.TICKETS:
            return self.tickets
        return self.report


def _qsettings(data_dir: Path) -> QSettings:
    return QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def _target(store: QSettings, name: str) -> PrintTarget:
    try:
        kind = TargetKind(str(store.value(f"{name}/kind", TargetKind.ASK.value)))
    except ValueError:
        kind = TargetKind.ASK
    return PrintTarget(
        kind=kind,
        printer=str(store.value(f"{name}/printer", "")),
        folder=str(store.value(f"{name}/folder", "")),
        device=_device(store, name),
    )


def _int(store: QSettings, key: str, default: int) -> int:
    try:
        return int(str(store.value(key, default)), 0)
    except ValueError:
        return default


def _device(store: QSettings, name: str) -> EscposDevice:
    default = EscposDevice()
    try:
        connection = Connection(str(store.value(f"{name}/escpos_connection", "network")))
    except ValueError:
        connection = Connection.NETWORK
    return EscposDevice(
        connection=connection,
        host=str(store.value(f"{name}/escpos_host", "")),
        port=_int(store, f"{name}/escpos_port", default.port),
        vendor_id=_int(store, f"{name}/escpos_vendor", 0),
        product_id=_int(store, f"{name}/escpos_product", 0),
        serial_port=str(store.value(f"{name}/escpos_serial", "")),
        baudrate=_int(store, f"{name}/escpos_baudrate", default.baudrate),
        width_dots=_int(store, f"{name}/escpos_width_dots", default.width_dots),
        drawer_pin=_int(store, f"{name}/escpos_drawer_pin", default.drawer_pin),
    )


def _save_device(store: QSettings, name: str, device: EscposDevice) -> None:
    store.setValue(f"{name}/escpos_connection", device.connection.value)
    store.setValue(f"{name}/escpos_host", device.host)
    store.setValue(f"{name}/escpos_port", device.port)
    store.setValue(f"{name}/escpos_vendor", f"0x{device.vendor_id:04x}")
    store.setValue(f"{name}/escpos_product", f"0x{device.product_id:04x}")
    store.setValue(f"{name}/escpos_serial", device.serial_port)
    store.setValue(f"{name}/escpos_baudrate", device.baudrate)
    store.setValue(f"{name}/escpos_width_dots", device.width_dots)
    store.setValue(f"{name}/escpos_drawer_pin", device.drawer_pin)


def _flag(store: QSettings, key: str, default: bool) -> bool:
    value = store.value(key, default)
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")


def load_settings(data_dir: Path) -> PrinterSettings:
    store = _qsettings(data_dir)
    try:
        layout = TicketLayout(str(store.value("tickets/layout", TicketLayout.STOCK.value)))
    except ValueError:
        layout = TicketLayout.STOCK
    return PrinterSettings(
        receipt=_target(store, "receipt"),
        tickets=_target(store, "tickets"),
        report=_target(store, "report"),
        ticket_layout=layout,
        auto_receipt=_flag(store, "receipt/auto", True),
        auto_tickets=_flag(store, "tickets/auto", True),
    )


def save_settings(data_dir: Path, settings: PrinterSettings) -> None:
    store = _qsettings(data_dir)
    for name in ("receipt", "tickets", "report"):
        target: PrintTarget = getattr(settings, name)
        store.setValue(f"{name}/kind", target.kind.value)
        store.setValue(f"{name}/printer", target.printer)
        store.setValue(f"{name}/folder", target.folder)
        _save_device(store, name, target.device)
    store.setValue("tickets/layout", settings.ticket_layout.value)
    store.setValue("receipt/auto", settings.auto_receipt)
    store.setValue("tickets/auto", settings.auto_tickets)
    store.sync()
