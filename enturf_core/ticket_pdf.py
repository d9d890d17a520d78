"""Tickets, one renderer for the counter and the server: ticket stock (2 x 5.5 in,
landscape, one ticket per page) and A4 print-at-home sheets (three tickets per page with
cut lines), the one the server e-mails and a counter prints alike.

Plain data in (`TicketDocument`: each side maps its own rows to it), PDF bytes out; no
Django, no Qt. Both layouts use one drawing, `draw_ticket`, scaled to its rectangle: a
tear-off stub on the left (admit one, event, date, place, price, booking code, line
reference), the main part in the middle (event band, date and time, venue, place boxes,
ticket and price, booking code, holder and issuer) and the QR of the signed ticket code on
the right (error correction M; on stock about 38 mm of code, at least 30 mm even for the
longest codes). A reprint says COPY on the stub and across the main part (never over the
QR). Colours come from `enturf_core.palette`.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from enturf_core.local_time import date_text, time_text
from enturf_core.money import Money
from enturf_core.pdf_drawing import (
    ACCENT,
    COPY_RED,
    INK,
    MUTED,
    PANEL,
    RULE,
    cut_line,
    draw_qr,
    fit,
    fitting_size,
)

STOCK_SIZE = (5.5 * inch, 2 * inch)  # landscape
STOCK_QR = 44 * mm  # with its quiet zone
A4_PER_PAGE = 3
A4_MARGIN = 12 * mm
A4_GAP = 8 * mm
REGULAR, BOLD = "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True, slots=True)
class Place:
    """A seat (section, row, seat) or a general-admission area."""

    section: str = ""
    row: str = ""
    seat: str = ""
    area: str = ""

    @property
    def is_seat(self) -> bool:
        return not self.area

    def parts(self) -> list[tuple[str, str]]:
        """Label and value boxes: Section / Row / Seat, or the standing area."""
        if not self.is_seat:
            return [("Standing", self.area)]
        parts = [("Section", self.section), ("Row", self.row), ("Seat", self.seat)]
        return [(label, value) for label, value in parts if value]

    def text(self) -> str:
        """One line: "Stalls · Row B · Seat 12", or "Standing · Floor"."""
        if not self.is_seat:
            return f"Standing · {self.area}"
        bits = [self.section, f"Row {self.row}" if self.row else "", f"Seat {self.seat}"]
        return " · ".join(bit for bit in bits if bit)


@dataclass(frozen=True, slots=True)
class TicketDocument:
    """What one printed ticket shows."""

    event_name: str
    starts_at: datetime  # in the venue's time zone
    venue_name: str
    place: Place
    ticket_name: str
    price: Money
    booking_code: str
    code: str  # the signed ticket code, printed as the QR
    issuer: str = ""  # the seller's name
    holder: str = ""  # the buyer's name, when the booking has one
    reference: str = ""  # short line reference printed on the stub (`line_reference`)
    copy: bool = False  # a reprint: marked COPY


def line_reference(booking_code: str, line_id: uuid.UUID | str) -> str:
    """A ticket's short reference, the same wherever it is printed: the booking code and
    the first eight digits of its line's id ("K7QX2M-1F2E3D4C")."""
    return f"{booking_code}-{str(line_id)[:8].upper()}"


def _stub(c: Canvas, x: float, y: float, w: float, h: float, t: TicketDocument, k: float) -> None:
    pad = 3 * mm * k
    left, right = x + pad, x + w - pad
    width = right - left
    top = y + h - pad

    c.setFont(BOLD, 6.5 * k)
    c.setFillColor(COPY_RED if t.copy else ACCENT)
    c.drawString(left, top - 6.5 * k, "COPY" if t.copy else "ADMIT ONE")
    cursor = top - 6.5 * k - 3.2 * mm * k

    c.setFillColor(INK)
    size = 7.5 * k
    c.setFont(BOLD, size)
    for line in simpleSplit(t.event_name, BOLD, size, width)[:2]:
        c.drawString(left, cursor, fit(line, BOLD, size, width))
        cursor -= size * 1.2
    c.setFont(REGULAR, 7 * k)
    c.drawString(left, cursor, fit(f"{date_text(t.starts_at)}", REGULAR, 7 * k, width))
    cursor -= 7 * k * 1.25
    c.drawString(left, cursor, time_text(t.starts_at))
    cursor -= 7 * k * 1.6

    for label, value in t.place.parts():
        c.setFont(REGULAR, 6 * k)
        c.setFillColor(MUTED)
        c.drawString(left, cursor, label.upper())
        c.setFont(BOLD, 7.5 * k)
        c.setFillColor(INK)
        label_w = stringWidth(label.upper() + "  ", REGULAR, 6 * k)
        if stringWidth(value, BOLD, 7.5 * k) <= width - label_w:
            c.drawRightString(right, cursor, value)
            cursor -= 7.5 * k * 1.3
            continue
        # too long beside its label ("Floor Standing"): whole, on the lines below it
        cursor -= 6 * k * 1.3
        for line in simpleSplit(value, BOLD, 7.5 * k, width)[:2]:
            c.drawString(left, cursor, fit(line, BOLD, 7.5 * k, width))
            cursor -= 7.5 * k * 1.2

    bottom = y + pad
    c.setFont(REGULAR, 6 * k)
    c.setFillColor(MUTED)
    c.drawString(left, bottom, fit(t.reference or t.booking_code, REGULAR, 6 * k, width))
    c.setFont(BOLD, 8 * k)
    c.setFillColor(INK)
    c.drawString(left, bottom + 6 * k * 1.4, t.booking_code)
    c.drawRightString(right, bottom + 6 * k * 1.4, t.price.format())


def _place_boxes(
    c: Canvas, left: float, top: float, width: float, t: TicketDocument, k: float
) -> float:
    """The place in boxes (Section | Row | Seat, or the standing area); the boxes' bottom."""
    parts = t.place.parts()
    box_h = 10 * mm * k
    gap = 1.5 * mm * k
    n = max(1, len(parts))
    weights = [2.0 if label in ("Section", "Standing") else 1.0 for label, _ in parts]
    unit = (width - (n - 1) * gap) / sum(weights)
    bx = left
    for (label, value), weight in zip(parts, weights, strict=True):
        box_w = unit * weight
        c.setFillColor(PANEL)
        c.roundRect(bx, top - box_h, box_w, box_h, 1.2 * mm, stroke=0, fill=1)
        c.setFont(REGULAR, 5.5 * k)
        c.setFillColor(MUTED)
        c.drawCentredString(bx + box_w / 2, top - 3 * mm * k, label.upper())
        size = fitting_size(value, BOLD, 12 * k, 6, box_w - 2 * mm)
        c.setFont(BOLD, size)
        c.setFillColor(INK)
        c.drawCentredString(
            bx + box_w / 2, top - box_h + 2.2 * mm * k, fit(value, BOLD, size, box_w - 2 * mm)
        )
        bx += box_w + gap
    return top - box_h


def _copy_watermark(c: Canvas, left: float, bottom: float, width: float, height: float) -> None:
    c.saveState()
    path = c.beginPath()
    path.rect(left, bottom, width, height)
    c.clipPath(path, stroke=0, fill=0)
    c.setFillColor(COPY_RED)
    c.setFillAlpha(0.16)
    c.translate(left + width / 2, bottom + height / 2)
    c.rotate(18)
    size = fitting_size("COPY", BOLD, height * 0.75, 10, width * 0.95)
    c.setFont(BOLD, size)
    c.drawCentredString(0, -size * 0.35, "COPY")
    c.restoreState()


def draw_ticket(
    canvas: Canvas,
    x: float,
    y: float,
    width: float,
    height: float,
    ticket: TicketDocument,
    *,
    border: bool = True,
) -> None:
    """One ticket into the rectangle (x, y, width, height), origin bottom left; sizes scale
    with the height (ticket stock's 2 in is the unit)."""
    k = max(1.0, min(1.6, height / STOCK_SIZE[1]))
    pad = 3 * mm * k
    c = canvas
    c.saveState()
    if border:
        c.setStrokeColor(RULE)
        c.setLineWidth(0.8)
        c.roundRect(x, y, width, height, 2.5 * mm, stroke=1, fill=0)

    stub_w = width * 0.25
    _stub(c, x, y, stub_w, height, ticket, k)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.setDash(2, 2)
    c.line(x + stub_w, y + 1.5 * mm, x + stub_w, y + height - 1.5 * mm)
    c.setDash()

    qr = min(STOCK_QR * min(k, 1.2), height - 2 * pad - (4 * mm if k > 1.2 else 0))
    qr_x = x + width - pad - qr
    qr_y = y + (height - qr) / 2 + (2 * mm if k > 1.2 else 0)
    left = x + stub_w + pad
    right = qr_x - pad
    text_w = right - left
    top = y + height

    # event band
    band = 9 * mm * k
    c.setFillColor(ACCENT)
    c.rect(x + stub_w + 0.6, top - band - (pad if border else 0), right - x - stub_w, band, 0, 1)
    band_top = top - (pad if border else 0)
    size = fitting_size(ticket.event_name, BOLD, 13 * k, 8, text_w)
    c.setFillColor(colors.white)
    c.setFont(BOLD, size)
    c.drawString(
        left, band_top - band / 2 - size * 0.35, fit(ticket.event_name, BOLD, size, text_w)
    )

    cursor = band_top - band - 2.5 * mm * k
    when = f"{date_text(ticket.starts_at)} · {time_text(ticket.starts_at)}"
    size = fitting_size(when, BOLD, 10.5 * k, 7, text_w)
    c.setFillColor(INK)
    c.setFont(BOLD, size)
    cursor -= size
    c.drawString(left, cursor, when)
    if ticket.venue_name:
        c.setFont(REGULAR, 7.5 * k)
        c.setFillColor(MUTED)
        cursor -= 7.5 * k * 1.35
        c.drawString(left, cursor, fit(ticket.venue_name, REGULAR, 7.5 * k, text_w))
    cursor = _place_boxes(c, left, cursor - 2 * mm * k, text_w, ticket, k)

    cursor -= 2.2 * mm * k + 8.5 * k
    c.setFont(BOLD, 8.5 * k)
    c.setFillColor(INK)
    price = ticket.price.format()
    name_w = text_w - stringWidth(price, BOLD, 8.5 * k) - 3 * mm
    c.drawString(left, cursor, fit(ticket.ticket_name, BOLD, 8.5 * k, name_w))
    c.drawRightString(right, cursor, price)

    foot = " · ".join(
        bit for bit in (f"Booking {ticket.booking_code}", ticket.holder, ticket.issuer) if bit
    )
    size = fitting_size(foot, REGULAR, 5.8 * k, 5.5, text_w)
    c.setFont(REGULAR, size)
    c.setFillColor(MUTED)
    c.drawString(left, y + pad * 0.9, fit(foot, REGULAR, size, text_w))

    if ticket.copy:
        body_top = band_top - band
        _copy_watermark(c, left - pad / 2, y + 1 * mm, text_w + pad, body_top - y - 1 * mm)

    draw_qr(c, ticket.code, qr_x, qr_y, qr)
    if k > 1.2:  # room under the QR on A4
        c.setFont(REGULAR, 6.5)
        c.setFillColor(MUTED)
        c.drawCentredString(qr_x + qr / 2, qr_y - 2 * mm, "Scan at the entrance · valid once")
    c.restoreState()


def _start(out: io.BytesIO, size: tuple[float, float], tickets: Sequence[TicketDocument]) -> Canvas:
    canvas = Canvas(out, pagesize=size, pageCompression=1)
    first = tickets[0] if tickets else None
    title = f"Tickets {first.booking_code}" if first else "Tickets"
    canvas.setTitle(title + (" (copy)" if first and first.copy else ""))
    canvas.setAuthor(first.issuer if first else "")
    canvas.setCreator("Enturf")
    return canvas


def render_ticket_stock(tickets: Sequence[TicketDocument]) -> bytes:
    """One ticket per 5.5 x 2 in landscape page."""
    if not tickets:
        raise ValueError("no tickets to print")
    out = io.BytesIO()
    canvas = _start(out, STOCK_SIZE, tickets)
    for ticket in tickets:
        draw_ticket(canvas, 0, 0, *STOCK_SIZE, ticket, border=False)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def render_tickets_a4(tickets: Sequence[TicketDocument], *, per_page: int = A4_PER_PAGE) -> bytes:
    """Print-at-home: `per_page` tickets on each A4 page, cut lines between them."""
    if not tickets:
        raise ValueError("no tickets to print")
    if not 1 <= per_page <= 4:
        raise ValueError("1 to 4 tickets fit on an A4 page")
    out = io.BytesIO()
    canvas = _start(out, A4, tickets)
    page_w, page_h = A4
    slot_h = (page_h - 2 * A4_MARGIN - (per_page - 1) * A4_GAP) / per_page
    width = page_w - 2 * A4_MARGIN
    pages = (len(tickets) + per_page - 1) // per_page
    for number, start in enumerate(range(0, len(tickets), per_page), 1):
        page = tickets[start : start + per_page]
        for i, ticket in enumerate(page):
            y = page_h - A4_MARGIN - (i + 1) * slot_h - i * A4_GAP
            draw_ticket(canvas, A4_MARGIN, y, width, slot_h, ticket)
            if i < len(page) - 1:
                cut_line(canvas, y - A4_GAP / 2, A4[0], A4_MARGIN / 2, RULE)
        canvas.setFont(REGULAR, 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            A4_MARGIN, A4_MARGIN / 2, "Each code is valid once: keep your tickets to yourself."
        )
        canvas.drawRightString(page_w - A4_MARGIN, A4_MARGIN / 2, f"page {number} of {pages}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
