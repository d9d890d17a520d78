"""The printer settings' test page ("print test page"): what was set and when, a QR code
and the characters a receipt needs, as a PDF on the 80 mm roll layout (for the print
dialog, an installed printer or a PDF folder) or in an ESC/POS printer's own commands."""

from __future__ import annotations

from reportlab.lib.units import mm

from enturf_pos.services.printing.escpos_device import EscposDevice, Writer
from enturf_pos.services.printing.escpos_receipt import RollText
from enturf_pos.services.printing.pdf_parts import draw_qr
from enturf_pos.services.printing.receipt_pdf import BOLD, QR_SIZE, ROLL_WIDTH, RollLayout

TITLE = "Enturf test page"
QR_PAYLOAD = "ENTURF-TEST"
CHARACTERS = "Characters: é ü ß € £ ·"


def render_test_page(lines: list[str]) -> bytes:
    layout = RollLayout()
    layout.space(4 * mm)
    layout.text(TITLE, size=12, font=BOLD, align="center")
    layout.rule()
    for line in [*lines, CHARACTERS]:
        layout.text(line, size=8)
    layout.rule()
    layout.add(
        QR_SIZE,
        lambda c, top: draw_qr(c, QR_PAYLOAD, (ROLL_WIDTH - QR_SIZE) / 2, top - QR_SIZE, QR_SIZE),
    )
    layout.space(6 * mm)
    return layout.render(title=TITLE)


def escpos_test_page(lines: list[str], device: EscposDevice) -> Writer:
    def write(printer) -> None:
        roll = RollText(printer, device.width_dots)
        roll.start()
        roll.line(TITLE, align="center", bold=True, big=True)
        roll.rule()
        for line in [*lines, device.describe(), f"{roll.columns} columns", CHARACTERS]:
            roll.line(line)
        roll.rule()
        roll.qr(QR_PAYLOAD)
        roll.end()

    return write
