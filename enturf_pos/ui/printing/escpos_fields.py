"""EscposFields: how the printer settings dialog reaches an ESC/POS or Boca FGL printer (network
address and port, USB vendor:product id, or serial port and speed) and the paper's width
in dots; objectNames `<name>Escpos…` (docs/ui-automation.md)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from enturf_pos.services.printing.escpos_device import Connection, EscposDevice

CONNECTIONS = [
    ("Network (TCP)", Connection.NETWORK),
    ("USB", Connection.USB),
    ("Serial port", Connection.SERIAL),
]
BAUD_RATES = [9600, 19200, 38400, 57600, 115200]


def _usb_id(text: str) -> tuple[int, int] | None:
    """Hexadecimal vendor:product ("04b8:0202") -> (0x04b8, 0x0202); None if it is not."""
    vendor, _, product = text.strip().lower().replace("0x", "").partition(":")
    try:
        return int(vendor, 16), int(product, 16)
    except ValueError:
        return None


class EscposFields(QWidget):
    """How to reach an ESC/POS printer (`<name>Escpos…`): the connection, then the
    network address and port, the USB id, or the serial port and its speed; the paper's
    printable width in dots."""

    def __init__(self, name: str, device: EscposDevice) -> None:
        super().__init__()
        self.connection = QComboBox(objectName=f"{name}EscposConnection")
        for text, connection in CONNECTIONS:
            self.connection.addItem(text, connection.value)
        self.connection.setCurrentIndex(self.connection.findData(device.connection.value))
        self.host = QLineEdit(device.host, objectName=f"{name}EscposHost")
        self.host.setPlaceholderText("IP address or host name, e.g. 192.168.1.50")
        self.port = QSpinBox(objectName=f"{name}EscposPort")
        self.port.setRange(1, 65535)
        self.port.setValue(device.port)
        usb = f"{device.vendor_id:04x}:{device.product_id:04x}" if device.vendor_id else ""
        self.usb = QLineEdit(usb, objectName=f"{name}EscposUsbId")
        self.usb.setPlaceholderText("vendor:product in hexadecimal, e.g. 04b8:0202")
        self.serial = QLineEdit(device.serial_port, objectName=f"{name}EscposSerialPort")
        self.serial.setPlaceholderText("/dev/ttyUSB0 or COM3")
        self.baud = QComboBox(objectName=f"{name}EscposBaud")
        for rate in BAUD_RATES:
            self.baud.addItem(str(rate), rate)
        self.baud.setCurrentIndex(max(0, self.baud.findData(device.baudrate)))
        self.width = QSpinBox(objectName=f"{name}EscposWidth")
        self.width.setRange(200, 2400)
        self.width.setSuffix(" dots")
        self.width.setValue(device.width_dots)
        self.width.setToolTip(
            "The printable width: 576 dots for an 80 mm roll, 384 for 58 mm, 406 for "
            "2 in ticket stock (203 dpi); a Boca (FGL) printer: 400 at 200 dpi, 600 at 300 dpi"
        )
        self._device = device
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("Connection", self.connection)
        self.form.addRow("Address", self.host)
        self.form.addRow("Port", self.port)
        self.form.addRow("USB id", self.usb)
        self.form.addRow("Serial port", self.serial)
        self.form.addRow("Speed (baud)", self.baud)
        self.form.addRow("Paper width", self.width)
        self.connection.currentIndexChanged.connect(self._connection_changed)
        self._connection_changed()

    def _connection_changed(self) -> None:
        kind = Connection(self.connection.currentData())
        for widget, shown in (
            (self.host, kind is Connection.NETWORK),
            (self.port, kind is Connection.NETWORK),
            (self.usb, kind is Connection.USB),
            (self.serial, kind is Connection.SERIAL),
            (self.baud, kind is Connection.SERIAL),
        ):
            self.form.setRowVisible(widget, shown)

    def device(self) -> EscposDevice:
        vendor, product = _usb_id(self.usb.text()) or (0, 0)
        return replace(
            self._device,
            connection=Connection(self.connection.currentData()),
            host=self.host.text().strip(),
            port=self.port.value(),
            vendor_id=vendor,
            product_id=product,
            serial_port=self.serial.text().strip(),
            baudrate=int(self.baud.currentData()),
            width_dots=self.width.value(),
        )

    def problem(self) -> str:
        if Connection(self.connection.currentData()) is Connection.USB and (
            self.usb.text().strip() and _usb_id(self.usb.text()) is None
        ):
            return "The USB id is vendor:product in hexadecimal, e.g. 04b8:0202."
        return self.device().problem()
