"""Tickets in Boca's FGL (Friendly Ghost Language), for Boca and other FGL ticket printers
on 2 x 5.5 in stock, sent raw over the network (TCP 9100), USB or a serial port through the
same connection code as the ESC/POS printers (`escpos_device.open_printer`).

An FGL ticket is ASCII: commands in angle brackets, text after them. Used here (FGL46
programming guide): ``<RCr,c>`` row and column in dots (row across the 2 in head, column
along the ticket), ``<F2>`` / ``<F3>`` / ``<F6>`` resident fonts, ``<HWh,w>`` their
magnification, ``<QRs,0,0,0>{data}`` a QR code (point size ``s`` dots a module, byte mode,
error correction M like the PDF's), ``<p>`` print and cut. One ticket, one ``<p>``.

The layout follows the PDF ticket (`enturf_core.ticket_pdf`): a stub on the left (admit
one, event, date, place, booking code, price), the main part (event, date and time, venue,
place, ticket and price, booking, holder and issuer) and the signed code's QR on the right.
It is drawn for 200 dpi and scaled to the head's width in dots (`EscposDevice.width_dots`:
400 at 200 dpi, 600 at 300 dpi). Text is made ASCII (accents dropped, `·` as `-`), and
``<`` / ``>`` become ``(`` / ``)`` so that no text reads as a command.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from escpos.escpos import Escpos
from reportlab.graphics.barcode.qrencoder import QR8bitByte, QRCode, QRErrorCorrectLevel

from enturf_core.local_time import date_text, time_text
from enturf_core.ticket_pdf import TicketDocument
from enturf_pos.services.printing.escpos_device import (
    EscposDevice,
    PrinterStatus,
    Writer,
    ask_printer,
    status_timeout,
)

BASE_ROWS = 400  # 2 in across the head at 200 dpi: the layout's unit
STOCK_RATIO = 5.5 / 2  # the ticket's length over its width
CUT = "<p>"  # print the ticket and cut
# resident fonts: (command, character cell width in dots at 200 dpi, height in dots)
SMALL = ("<F2>", 9, 12)  # 7 x 10 dots
MEDIUM = ("<F3>", 20, 33)  # OCR-B 17 x 31
LARGE = ("<F6>", 32, 54)  # large OCR-B
QR_MIN, QR_MAX = 3, 16  # the point sizes FGL accepts
STATUS_REQUEST = b"<S1>"  # answered X-On when ready; a printer not ready stays silent
XON, XOFF = 0x11, 0x13  # ready / not ready (also what it says when switched on)
NOT_READY = "is not ready (out of tickets, a ticket jam or its head open): check it"
_ASCII = {"\u00b7": "-", "\u2013": "-", "\u2014": "-", "€": "EUR", "£": "GBP", "<": "(", ">": ")"}


def fgl_text(text: str) -> str:
    """`text` as FGL can print it: ASCII, no command brackets, one line."""
    out = []
    for char in " ".join(str(text).split()):
        if char in _ASCII:
            out.append(_ASCII[char])
            continue
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(plain if plain else ("?" if ord(char) > 127 else char))
    return "".join(out)


def qr_point_size(modules: int, room_dots: int) -> int:
    """The largest module size (dots) at which a QR of `modules` fits `room_dots` square."""
    return max(QR_MIN, min(QR_MAX, room_dots // modules))


@dataclass(frozen=True)
class _Ticket:
    """Builds one ticket's FGL at `scale` times the 200 dpi layout."""

    scale: float
    parts: list[str]

    def at(self, row: int, column: int, font: tuple[str, int, int], text: str, room: int) -> None:
        """`text` at (row, column) of the 200 dpi layout, cut to `room` dots wide."""
        fitted = fgl_text(text)[: max(1, room // font[1])]
        if fitted:
            r, c = round(row * self.scale), round(column * self.scale)
            self.parts.append(f"<RC{r},{c}>{font[0]}<HW1,1>{fitted}")

    def right(self, row: int, right: int, font: tuple[str, int, int], text: str) -> int:
        """`text` ending at column `right`; its left column."""
        width = len(fgl_text(text)) * font[1]
        self.at(row, right - width, font, text, width)
        return right - width


def _lines(text: str, font: tuple[str, int, int], room: int, most: int) -> list[str]:
    """Word-wrapped to `room` dots, at most `most` lines (the last one cut)."""
    per_line = max(1, room // font[1])
    lines: list[str] = []
    for word in fgl_text(text).split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:most]


def fgl_ticket(ticket: TicketDocument, head_dots: int = BASE_ROWS) -> str:
    """One ticket in FGL, ending in its cut."""
    scale = head_dots / BASE_ROWS
    t = _Ticket(scale, [])
    stub_left, stub_room = 15, 240
    main_left, main_right = 290, 780
    main_room = main_right - main_left
    length = round(BASE_ROWS * STOCK_RATIO)

    # the stub, torn off at the door
    t.at(15, stub_left, SMALL, "COPY" if ticket.copy else "ADMIT ONE", stub_room)
    for i, line in enumerate(_lines(ticket.event_name, MEDIUM, stub_room, 2)):
        t.at(40 + i * 36, stub_left, MEDIUM, line, stub_room)
    t.at(120, stub_left, SMALL, date_text(ticket.starts_at), stub_room)
    t.at(138, stub_left, SMALL, time_text(ticket.starts_at), stub_room)
    for i, (label, value) in enumerate(ticket.place.parts()):
        t.at(166 + i * 20, stub_left, SMALL, f"{label.upper()} {value}", stub_room)
    t.at(300, stub_left, MEDIUM, ticket.booking_code, stub_room)
    t.at(345, stub_left, SMALL, ticket.reference or ticket.booking_code, stub_room)
    t.at(365, stub_left, SMALL, str(ticket.price), stub_room)

    # the main part
    if len(fgl_text(ticket.event_name)) * LARGE[1] <= main_room:
        t.at(15, main_left, LARGE, ticket.event_name, main_room)
    else:
        for i, line in enumerate(_lines(ticket.event_name, MEDIUM, main_room, 2)):
            t.at(15 + i * 36, main_left, MEDIUM, line, main_room)
    when = f"{date_text(ticket.starts_at)} - {time_text(ticket.starts_at)}"
    t.at(100, main_left, MEDIUM, when, main_room)
    if ticket.venue_name:
        t.at(142, main_left, SMALL, ticket.venue_name, main_room)
    column = main_left  # the place as the PDF's boxes: a small label over each value
    for label, value in ticket.place.parts():
        room = main_right - column
        width = min(room, max(len(label) * SMALL[1], len(fgl_text(value)) * MEDIUM[1]))
        t.at(165, column, SMALL, label.upper(), room)
        t.at(182, column, MEDIUM, value, room)
        column += width + 30
        if column >= main_right - MEDIUM[1]:
            break
    price_left = t.right(235, main_right, MEDIUM, str(ticket.price))
    t.at(235, main_left, MEDIUM, ticket.ticket_name, price_left - main_left - MEDIUM[1])
    if ticket.copy:
        t.at(290, main_left, MEDIUM, "COPY - REPRINTED TICKET", main_room)
    foot = " - ".join(
        bit for bit in (f"Booking {ticket.booking_code}", ticket.holder, ticket.issuer) if bit
    )
    t.at(365, main_left, SMALL, foot, main_room)

    # the QR of the signed code, centred in the room right of the main part
    room = min(BASE_ROWS - 40, length - main_right - 30)
    modules = _modules(ticket.code)
    size = qr_point_size(modules, round(room * scale))
    side = size * modules / scale
    row = round((BASE_ROWS - side) / 2 * scale)
    column = round((main_right + 15 + (room - side) / 2) * scale)
    t.parts.append(f"<RC{row},{column}><QR{size},0,0,0>{{{ticket.code}}}")
    return "".join(t.parts) + CUT


def _modules(code: str) -> int:
    """The side of the code's QR in modules (error correction M, as the printer makes it)."""
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(QR8bitByte(code))  # byte mode, as <QRs,0,0,0> asks
    return 17 + 4 * qr.calculate_version()


def fgl_tickets(tickets: Sequence[TicketDocument], head_dots: int = BASE_ROWS) -> bytes:
    """The tickets, each printed and cut, as the bytes sent to the printer."""
    if not tickets:
        raise ValueError("no tickets to print")
    return "".join(fgl_ticket(t, head_dots) for t in tickets).encode("ascii")


def tickets_writer(tickets: Sequence[TicketDocument], device: EscposDevice) -> Writer:
    """A job's writer (`escpos_device.run_job`): the tickets, raw, on the open connection."""
    return _raw_writer(fgl_tickets(tickets, device.width_dots))


def fgl_test_page(lines: Sequence[str], device: EscposDevice, qr_payload: str) -> Writer:
    """A test ticket: the lines given, a QR code and a cut."""
    scale = device.width_dots / BASE_ROWS
    t = _Ticket(scale, [])
    t.at(15, 15, MEDIUM, "Enturf printer test", 700)
    for i, line in enumerate(lines):
        t.at(70 + i * 28, 15, SMALL, line, 700)
    size = qr_point_size(_modules(qr_payload), round(300 * scale))
    t.parts.append(f"<RC{round(40 * scale)},{round(760 * scale)}><QR{size},0,0,0>{{{qr_payload}}}")
    return _raw_writer(("".join(t.parts) + CUT).encode("ascii"))


def _raw_writer(data: bytes) -> Writer:
    def write(printer: Escpos) -> None:
        printer._raw(data)  # FGL is no ESC/POS: the library's transport only

    return write


def read_fgl_status(printer: Escpos, device: EscposDevice) -> PrinterStatus:
    """Ask a Boca whether it is ready (`<S1>`): X-On is ready; X-Off (or silence after
    it said X-Off before) is not ready. A printer with status reporting off says nothing:
    unknown, it prints as before."""
    with status_timeout(printer, device):
        answer = ask_printer(printer, STATUS_REQUEST)
    said = [byte for byte in answer or b"" if byte in (XON, XOFF)]
    if not said:
        return PrinterStatus()
    return PrinterStatus(online=said[-1] == XON, not_ready=NOT_READY)
