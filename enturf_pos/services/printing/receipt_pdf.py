"""The counter receipt: an 80 mm roll, as long as its content.

The layout is a list of blocks, each knowing its height and how to draw itself from a
top edge; the page height is their sum, so the roll is cut right after the last line.
A reprint (``ReceiptData.copy``) starts with a large COPY banner.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from enturf_core.money import Money
from enturf_pos.services.printing.documents import CARD, CASH, PaymentInfo, ReceiptData
from enturf_pos.services.printing.pdf_parts import (
    COPY_RED,
    INK,
    MUTED,
    RULE,
    date_text,
    draw_qr,
    fit,
    rate_text,
    time_text,
)

ROLL_WIDTH = 80 * mm
MARGIN = 4 * mm  # thermal heads print about 72 mm of an 80 mm roll
CONTENT = ROLL_WIDTH - 2 * MARGIN
QR_SIZE = 30 * mm
REGULAR, BOLD = "Helvetica", "Helvetica-Bold"

Draw = Callable[[Canvas, float], None]  # canvas, top edge of the block


@dataclass(frozen=True, slots=True)
class RollBlock:
    height: float
    draw: Draw


class RollLayout:
    """A document on the 80 mm roll: blocks measured first, then drawn top down on one
    page as tall as they are (the roll is cut right after the last line)."""

    def __init__(self) -> None:
        self.blocks: list[RollBlock] = []

    @property
    def height(self) -> float:
        return sum(block.height for block in self.blocks)

    def render(self, *, title: str, author: str = "") -> bytes:
        """The blocks as a one-page PDF, 80 mm wide and as tall as its content."""
        height = self.height
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(ROLL_WIDTH, height), pageCompression=1)
        canvas.setTitle(title)
        if author:
            canvas.setAuthor(author)
        canvas.setCreator("Enturf POS")
        top = height
        for block in self.blocks:
            block.draw(canvas, top)
            top -= block.height
        canvas.showPage()
        canvas.save()
        return out.getvalue()

    def add(self, height: float, draw: Draw | None = None) -> None:
        self.blocks.append(RollBlock(height, draw or (lambda _c, _y: None)))

    def space(self, height: float) -> None:
        self.add(height)

    def text(
        self,
        text: str,
        *,
        size: float = 8,
        font: str = REGULAR,
        align: str = "left",
        color: colors.Color = INK,
        leading: float | None = None,
    ) -> None:
        """Wrapped text, one block per line."""
        leading = leading or size * 1.25
        for line in simpleSplit(text, font, size, CONTENT) or [""]:

            def draw(c: Canvas, top: float, line: str = line) -> None:
                c.setFont(font, size)
                c.setFillColor(color)
                base = top - size * 0.95
                if align == "center":
                    c.drawCentredString(ROLL_WIDTH / 2, base, line)
                elif align == "right":
                    c.drawRightString(ROLL_WIDTH - MARGIN, base, line)
                else:
                    c.drawString(MARGIN, base, line)

            self.add(leading, draw)

    def pair(
        self,
        left: str,
        right: str,
        *,
        size: float = 8,
        font: str = REGULAR,
        color: colors.Color = INK,
        right_font: str | None = None,
    ) -> None:
        """A label on the left and an amount on the right of one line."""
        right_font = right_font or font

        def draw(c: Canvas, top: float) -> None:
            base = top - size * 0.95
            c.setFillColor(color)
            c.setFont(right_font, size)
            c.drawRightString(ROLL_WIDTH - MARGIN, base, right)
            room = CONTENT - stringWidth(right, right_font, size) - 3 * mm
            c.setFont(font, size)
            c.drawString(MARGIN, base, fit(left, font, size, room))

        self.add(size * 1.3, draw)

    def rule(self, *, dashed: bool = False, gap: float = 2.2 * mm) -> None:
        def draw(c: Canvas, top: float) -> None:
            c.saveState()
            c.setStrokeColor(RULE if dashed else INK)
            c.setLineWidth(0.5)
            if dashed:
                c.setDash(1.5, 1.5)
            c.line(MARGIN, top - gap / 2, ROLL_WIDTH - MARGIN, top - gap / 2)
            c.restoreState()

        self.add(gap, draw)

    def columns(self, cells: list[str], *, size: float = 7, font: str = REGULAR) -> None:
        """A tax-table row: the first cell left, the others right-aligned in equal columns."""
        widths = [CONTENT * 0.22] + [CONTENT * 0.26] * 3

        def draw(c: Canvas, top: float) -> None:
            c.setFont(font, size)
            c.setFillColor(INK)
            base = top - size * 0.95
            c.drawString(MARGIN, base, cells[0])
            right = MARGIN + widths[0]
            for cell, width in zip(cells[1:], widths[1:], strict=True):
                right += width
                c.drawRightString(right, base, cell)

        self.add(size * 1.35, draw)


def _copy_banner(layout: RollLayout, receipt: ReceiptData) -> None:
    height = 17 * mm

    def draw(c: Canvas, top: float) -> None:
        c.saveState()
        c.setStrokeColor(COPY_RED)
        c.setLineWidth(2)
        c.rect(MARGIN, top - height, CONTENT, height, stroke=1, fill=0)
        c.setFillColor(COPY_RED)
        c.setFont(BOLD, 30)
        c.drawCentredString(ROLL_WIDTH / 2, top - 11 * mm, "COPY")
        c.setFont(REGULAR, 7)
        when = receipt.printed_at
        note = "Reprint — not valid as a second receipt"
        if when is not None:
            note = f"Reprint {date_text(when)} {time_text(when)} — not a second receipt"
        c.drawCentredString(ROLL_WIDTH / 2, top - 15 * mm, note)
        c.restoreState()

    layout.add(height, draw)
    layout.space(3 * mm)


def _payment(layout: RollLayout, payment: PaymentInfo) -> None:
    if payment.method == CASH:
        layout.pair("Paid in cash", payment.amount.format(), size=8.5, font=BOLD)
        if payment.tendered is not None:
            layout.pair("Cash tendered", payment.tendered.format())
        if payment.change is not None:
            layout.pair("Change given", payment.change.format())
    elif payment.method == CARD:
        layout.pair("Paid by card", payment.amount.format(), size=8.5, font=BOLD)
        card = " ".join(
            bit
            for bit in (
                payment.card_brand,
                f"ending {payment.card_last4}" if payment.card_last4 else "",
            )
            if bit
        )
        if card:
            layout.pair(card, "")
    else:
        layout.pair(f"Paid ({payment.method})", payment.amount.format(), size=8.5, font=BOLD)


def _qr_block(layout: RollLayout, code: str) -> None:
    def draw(c: Canvas, top: float) -> None:
        draw_qr(c, code, (ROLL_WIDTH - QR_SIZE) / 2, top - QR_SIZE, QR_SIZE)

    layout.add(QR_SIZE, draw)


def sign_off(layout: RollLayout, note: str, when: datetime, counter: str, cashier: str) -> None:
    """The roll's last lines: the fine print, when, at which counter, by whom."""
    layout.text(note, size=6.5, align="center", color=MUTED)
    layout.space(1.5 * mm)
    layout.text(f"{date_text(when)} {time_text(when)} · {counter}", size=7, align="center")
    layout.text(f"Cashier: {cashier}", size=7, align="center")


def _layout(receipt: ReceiptData) -> RollLayout:
    layout = RollLayout()
    layout.space(4 * mm)
    if receipt.copy:
        _copy_banner(layout, receipt)

    seller = receipt.seller
    layout.text(seller.name, size=12, font=BOLD, align="center")
    for line in seller.address.splitlines():
        if line.strip():
            layout.text(line.strip(), size=7.5, align="center", color=MUTED)
    if seller.vat_id:
        layout.text(f"VAT ID {seller.vat_id}", size=7.5, align="center", color=MUTED)
    layout.space(1.5 * mm)
    layout.rule()

    layout.pair("RECEIPT", f"Booking {receipt.booking_code}", size=9, font=BOLD)
    layout.space(1 * mm)
    layout.text(receipt.event_name, size=10, font=BOLD)
    starts = receipt.starts_at
    layout.text(f"{date_text(starts)}, {time_text(starts)}", size=8)
    if receipt.venue_name:
        layout.text(receipt.venue_name, size=8, color=MUTED)
    layout.rule(dashed=True)

    for line in receipt.lines:
        layout.pair(line.ticket_name, line.price.format(), size=8.5, font=BOLD)
        layout.text(line.place.text(), size=7.5, color=MUTED)
        if line.listed is not None:
            layout.text(
                f"Price changed from {line.listed.format()}: {line.override_reason}",
                size=7,
                color=MUTED,
            )
        elif not line.discount.is_zero():
            layout.text(f"includes a discount of {line.discount.format()}", size=7, color=MUTED)
        layout.space(0.8 * mm)
    layout.rule(dashed=True)

    count = len(receipt.lines)
    layout.pair(f"{count} ticket{'s' if count != 1 else ''}", "", size=8)
    if not receipt.discount.is_zero():
        label = f"Voucher {receipt.voucher_code}" if receipt.voucher_code else "Discount"
        layout.pair(f"{label} (included)", f"-{receipt.discount.format()}", size=8)
    layout.pair("TOTAL", receipt.total.format(), size=13, font=BOLD)
    layout.space(1.5 * mm)

    layout.columns(["VAT rate", "Net", "VAT", "Gross"], font=BOLD)
    for tax in receipt.taxes:
        layout.columns(
            [rate_text(tax.rate), tax.net.format(), tax.tax.format(), tax.gross.format()]
        )
    if len(receipt.taxes) > 1:
        currency = receipt.total.currency
        net = Money.total((t.net for t in receipt.taxes), currency)
        vat = Money.total((t.tax for t in receipt.taxes), currency)
        layout.columns(["Total", net.format(), vat.format(), receipt.total.format()], font=BOLD)
    layout.rule()

    for payment in receipt.payments:
        _payment(layout, payment)
    layout.rule(dashed=True)

    layout.space(1 * mm)
    _qr_block(layout, receipt.booking_code)
    layout.text(receipt.booking_code, size=11, font=BOLD, align="center")
    layout.space(1.5 * mm)
    layout.text("Receipt — not an invoice", size=8, font=BOLD, align="center")
    sign_off(
        layout,
        "Your tickets are valid with their own QR codes. Ask for an invoice at the box office.",
        receipt.sold_at,
        receipt.counter_name,
        receipt.cashier_name,
    )
    layout.space(1 * mm)
    layout.text("Thank you and enjoy the show!", size=8, align="center")
    layout.space(6 * mm)
    return layout


def render_receipt(receipt: ReceiptData) -> bytes:
    """The receipt as a one-page PDF, 80 mm wide and as tall as its content."""
    title = f"Receipt {receipt.booking_code}" + (" (copy)" if receipt.copy else "")
    return _layout(receipt).render(title=title, author=receipt.seller.name)
