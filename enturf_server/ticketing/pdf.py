"""Print-at-home tickets: A4 pages with three tickets each, every one with a QR code of its
signed ticket code.

Plain data in, PDF bytes out; nothing here knows Django. The pieces are reusable:
`draw_ticket` (one ticket into a rectangle of any canvas, e.g. ticket stock) and
`render_tickets` (the A4 sheet); QR codes and text fitting come from
`enturf_core.pdf_drawing`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from enturf_core.money import Money
from enturf_core.pdf_drawing import cut_line, draw_qr, fit, fitting_size

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#cbd2d9")
PANEL = colors.HexColor("#f0f4f8")

QR_SIZE = 46 * mm  # with the 4-module quiet zone; the code itself is ~40 mm wide
TICKETS_PER_PAGE = 3
PAGE_MARGIN = 12 * mm
GAP = 8 * mm


@dataclass(frozen=True)
class TicketCard:
    """What one printed ticket shows."""

    event_name: str
    date_text: str  # e.g. "Saturday 14 March 2026"
    time_text: str  # e.g. "19:30"
    venue_name: str
    place: list[tuple[str, str]]  # [("Section", "Stalls"), ("Row", "B"), ("Seat", "12")]
    ticket_name: str
    price: Money
    booking_code: str
    code: str  # the signed ticket code, drawn as the QR
    holder: str = ""
    reference: str = ""  # short line reference printed under the QR
    issuer: str = ""  # the seller


def draw_ticket(
    canvas: Canvas, x: float, y: float, width: float, height: float, card: TicketCard
) -> None:
    """One ticket in the rectangle (x, y, width, height), origin bottom left."""
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.roundRect(x, y, width, height, 3 * mm, stroke=1, fill=0)

    # header band: event name
    band = 16 * mm
    canvas.setFillColor(ACCENT)
    path = canvas.beginPath()
    r = 3 * mm
    top = y + height
    path.moveTo(x, top - band)
    path.lineTo(x, top - r)
    path.arcTo(x, top - 2 * r, x + 2 * r, top, startAng=180, extent=-90)
    path.lineTo(x + width - r, top)
    path.arcTo(x + width - 2 * r, top - 2 * r, x + width, top, startAng=90, extent=-90)
    path.lineTo(x + width, top - band)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    pad = 6 * mm
    qr_area = QR_SIZE + 2 * pad
    text_width = width - qr_area - 2 * pad
    title_size = fitting_size(card.event_name, "Helvetica-Bold", 17, 11, width - 2 * pad)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica-Bold", title_size)
    canvas.drawString(
        x + pad,
        top - band / 2 - title_size * 0.35,
        fit(card.event_name, "Helvetica-Bold", title_size, width - 2 * pad),
    )

    # left column: when, where, place, ticket
    cursor = top - band - 7 * mm
    left = x + pad

    def label_value(label: str, value: str, size: float = 11, font: str = "Helvetica-Bold") -> None:
        nonlocal cursor
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(left, cursor, label.upper())
        canvas.setFont(font, size)
        canvas.setFillColor(INK)
        canvas.drawString(left, cursor - size - 1.5, fit(value, font, size, text_width))
        cursor -= size + 6 * mm

    label_value("Date and time", f"{card.date_text}, {card.time_text}", size=12)
    label_value("Venue", card.venue_name, size=10, font="Helvetica")

    # the place, in boxes: Section | Row | Seat, or the GA area
    box_h = 13 * mm
    box_y = cursor - box_h + 3 * mm
    n = max(1, len(card.place))
    box_w = min(32 * mm, (text_width - (n - 1) * 2 * mm) / n)
    for i, (label, value) in enumerate(card.place):
        bx = left + i * (box_w + 2 * mm)
        canvas.setFillColor(PANEL)
        canvas.roundRect(bx, box_y, box_w, box_h, 1.5 * mm, stroke=0, fill=1)
        canvas.setFont("Helvetica", 6.5)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(bx + box_w / 2, box_y + box_h - 4 * mm, label.upper())
        size = fitting_size(value, "Helvetica-Bold", 14, 8, box_w - 2 * mm)
        canvas.setFont("Helvetica-Bold", size)
        canvas.setFillColor(INK)
        canvas.drawCentredString(
            bx + box_w / 2, box_y + 3 * mm, fit(value, "Helvetica-Bold", size, box_w - 2 * mm)
        )
    cursor = box_y - 8 * mm

    canvas.setFont("Helvetica-Bold", 12)
    canvas.setFillColor(INK)
    canvas.drawString(
        left, cursor, fit(card.ticket_name, "Helvetica-Bold", 12, text_width - 30 * mm)
    )
    canvas.drawRightString(left + text_width, cursor, card.price.format())
    cursor -= 6 * mm
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillColor(MUTED)
    who = f"Booking {card.booking_code}" + (f" · {card.holder}" if card.holder else "")
    canvas.drawString(left, cursor, fit(who, "Helvetica", 8.5, text_width))

    # right column: the QR code on white, with its reference below
    qr_x = x + width - pad - QR_SIZE
    qr_y = y + (height - band - QR_SIZE) / 2 + 2 * mm
    canvas.setStrokeColor(RULE)
    canvas.setDash(2, 2)
    canvas.line(qr_x - pad, y + 4 * mm, qr_x - pad, top - band - 4 * mm)
    canvas.setDash()
    draw_qr(canvas, card.code, qr_x, qr_y, QR_SIZE)
    canvas.setFont("Helvetica", 6.5)
    canvas.setFillColor(MUTED)
    under = card.reference or card.booking_code
    canvas.drawCentredString(qr_x + QR_SIZE / 2, qr_y - 2.5 * mm, under)

    # footer line: the issuer and a note for the door
    canvas.setFont("Helvetica", 6.5)
    note = "Valid once. Show this code at the entrance, printed or on screen."
    if card.issuer:
        note = f"{card.issuer} · {note}"
    canvas.drawString(left, y + 4 * mm, fit(note, "Helvetica", 6.5, text_width))
    canvas.restoreState()


def render_tickets(
    cards: Sequence[TicketCard], *, title: str = "Tickets", author: str = ""
) -> bytes:
    """All `cards` on A4 pages, `TICKETS_PER_PAGE` per page, cut lines between them."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Enturf")
    page_w, page_h = A4
    slot_h = (page_h - 2 * PAGE_MARGIN - (TICKETS_PER_PAGE - 1) * GAP) / TICKETS_PER_PAGE
    width = page_w - 2 * PAGE_MARGIN
    for start in range(0, len(cards), TICKETS_PER_PAGE):
        page = cards[start : start + TICKETS_PER_PAGE]
        for i, card in enumerate(page):
            y = page_h - PAGE_MARGIN - (i + 1) * slot_h - i * GAP
            draw_ticket(canvas, PAGE_MARGIN, y, width, slot_h, card)
            if i < len(page) - 1:
                cut_line(canvas, y - GAP / 2, A4[0], PAGE_MARGIN / 2, RULE)
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(MUTED)
        number = start // TICKETS_PER_PAGE + 1
        pages = (len(cards) + TICKETS_PER_PAGE - 1) // TICKETS_PER_PAGE
        canvas.drawRightString(page_w - PAGE_MARGIN, PAGE_MARGIN / 2, f"page {number} of {pages}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
