"""The counter receipt in the printer's own commands (ESC/POS): the same content as the
PDF receipt (`receipt_pdf`), from the same `ReceiptData`, as text lines in the printer's
font, the booking code as the printer's own QR code (GS ( k), then a cut.

    run_job(device, receipt_writer(receipt_for_sale(ctx, sale_id)))

`RollText` (lines, label-and-amount pairs, rules, in the roll's columns) is shared with
the shift reports (`escpos_reports`) and the test page (`printer_test_page`)."""

from __future__ import annotations

import textwrap
from datetime import datetime

from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos

from enturf_pos.services.printing.documents import CARD, CASH, PaymentInfo, ReceiptData
from enturf_pos.services.printing.escpos_device import Writer
from enturf_pos.services.printing.pdf_parts import date_text, rate_text, time_text

DOTS_PER_COLUMN = 12  # font A is 12 dots wide: 48 columns on 576 dots (80 mm roll)
QR_MODULE_DOTS = 6  # about 0.75 mm a module at 203 dpi: a booking code's QR is ~19 mm


class RollText:
    """Text on the roll in `columns` characters of font A."""

    def __init__(self, printer: Escpos, width_dots: int = 576) -> None:
        self.p = printer
        self.columns = max(24, width_dots // DOTS_PER_COLUMN)

    def start(self) -> None:
        self.p.hw("INIT")
        self.p.set_with_default()

    def line(self, text: str, *, align: str = "left", bold: bool = False, big: bool = False):
        """Wrapped text; `big` is double width and height (half the columns)."""
        self.p.set(
            align=align,
            bold=bold,
            double_width=big,
            double_height=big,
            normal_textsize=not big,
        )
        width = self.columns // 2 if big else self.columns
        for part in textwrap.wrap(text, width) or [""]:
            self.p.textln(part)
        self.p.set(align="left", bold=False, normal_textsize=True)

    def pair(self, left: str, right: str, *, bold: bool = False) -> None:
        """A label on the left and an amount on the right of one line."""
        room = self.columns - len(right) - 1
        left = left[: max(room, 0)]
        self.p.set(bold=bold)
        self.p.textln(f"{left}{' ' * (self.columns - len(left) - len(right))}{right}")
        self.p.set(bold=False)

    def columns_row(self, cells: list[str], *, bold: bool = False) -> None:
        """A tax-table row: the first cell left, the others right-aligned."""
        first = self.columns - 3 * (self.columns // 4)
        rest = self.columns // 4
        text = cells[0][:first].ljust(first) + "".join(c[-rest:].rjust(rest) for c in cells[1:])
        self.p.set(bold=bold)
        self.p.textln(text)
        self.p.set(bold=False)

    def rule(self, char: str = "-") -> None:
        self.p.textln(char * self.columns)

    def feed(self, lines: int = 1) -> None:
        self.p.ln(lines)

    def qr(self, payload: str) -> None:
        """The printer's own QR code (GS ( k), centred."""
        self.p.set(align="center")
        self.p.qr(payload, ec=QR_ECLEVEL_M, size=QR_MODULE_DOTS, native=True)
        self.p.set(align="left")

    def sign_off(self, note: str, when: datetime, counter: str, cashier: str) -> None:
        self.line(note, align="center")
        self.line(f"{date_text(when)} {time_text(when)} · {counter}", align="center")
        self.line(f"Cashier: {cashier}", align="center")

    def end(self) -> None:
        """Feed past the cutter and cut."""
        self.p.cut()


def _payment(roll: RollText, payment: PaymentInfo) -> None:
    if payment.method == CASH:
        roll.pair("Paid in cash", payment.amount.format(), bold=True)
        if payment.tendered is not None:
            roll.pair("Cash tendered", payment.tendered.format())
        if payment.change is not None:
            roll.pair("Change given", payment.change.format())
    elif payment.method == CARD:
        roll.pair("Paid by card", payment.amount.format(), bold=True)
        ending = f"ending {payment.card_last4}" if payment.card_last4 else ""
        card = " ".join(bit for bit in (payment.card_brand, ending) if bit)
        if card:
            roll.line(card)
    else:
        roll.pair(f"Paid ({payment.method})", payment.amount.format(), bold=True)


def write_receipt(printer: Escpos, receipt: ReceiptData, *, width_dots: int = 576) -> None:
    roll = RollText(printer, width_dots)
    roll.start()
    if receipt.copy:
        roll.line("COPY", align="center", bold=True, big=True)
        when = receipt.printed_at
        note = "Reprint - not valid as a second receipt"
        if when is not None:
            note = f"Reprint {date_text(when)} {time_text(when)} - not a second receipt"
        roll.line(note, align="center")
        roll.rule("=")
    seller = receipt.seller
    roll.line(seller.name, align="center", bold=True, big=True)
    for line in seller.address.splitlines():
        if line.strip():
            roll.line(line.strip(), align="center")
    if seller.vat_id:
        roll.line(f"VAT ID {seller.vat_id}", align="center")
    roll.rule()
    roll.pair("RECEIPT", f"Booking {receipt.booking_code}", bold=True)
    roll.line(receipt.event_name, bold=True)
    roll.line(f"{date_text(receipt.starts_at)}, {time_text(receipt.starts_at)}")
    if receipt.venue_name:
        roll.line(receipt.venue_name)
    roll.rule()
    for line in receipt.lines:
        roll.pair(line.ticket_name, line.price.format(), bold=True)
        roll.line(f"  {line.place.text()}")
        if line.listed is not None:
            roll.line(f"  Price changed from {line.listed.format()}: {line.override_reason}")
        elif not line.discount.is_zero():
            roll.line(f"  includes a discount of {line.discount.format()}")
    roll.rule()
    count = len(receipt.lines)
    roll.line(f"{count} ticket{'s' if count != 1 else ''}")
    if not receipt.discount.is_zero():
        label = f"Voucher {receipt.voucher_code}" if receipt.voucher_code else "Discount"
        roll.pair(f"{label} (included)", f"-{receipt.discount.format()}")
    roll.pair("TOTAL", receipt.total.format(), bold=True)
    roll.feed()
    roll.columns_row(["VAT rate", "Net", "VAT", "Gross"], bold=True)
    for tax in receipt.taxes:
        roll.columns_row(
            [rate_text(tax.rate), tax.net.format(), tax.tax.format(), tax.gross.format()]
        )
    roll.rule()
    for payment in receipt.payments:
        _payment(roll, payment)
    roll.rule()
    roll.qr(receipt.booking_code)
    roll.line(receipt.booking_code, align="center", bold=True, big=True)
    roll.line("Receipt - not an invoice", align="center", bold=True)
    roll.sign_off(
        "Your tickets are valid with their own QR codes. Ask for an invoice at the box office.",
        receipt.sold_at,
        receipt.counter_name,
        receipt.cashier_name,
    )
    roll.line("Thank you and enjoy the show!", align="center")
    roll.end()


def receipt_writer(receipt: ReceiptData, *, width_dots: int = 576) -> Writer:
    return lambda printer: write_receipt(printer, receipt, width_dots=width_dots)
