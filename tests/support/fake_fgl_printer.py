"""A fake Boca ticket printer speaking FGL (Friendly Ghost Language): the fake ESC/POS
printer's TCP server on 127.0.0.1 with an FGL parser instead. Each connection is a job;
each `<p>` (print and cut) or `<q>` (print, no cut) ends one printed ticket:

* `Ticket.texts`: the text fields as (row, column, font, text), in the order sent;
* `Ticket.qr`: the QR codes as (row, column, point size, payload);
* `Job.tickets`, `Job.cuts`; text after the last print command is `Job.unprinted`.

It knows the FGL46 commands the counter sends (``<RCr,c>``, ``<F#>``, ``<HWh,w>``,
``<NR>``, ``<QR...>{data}``, ``<p>``, ``<q>``, ``<S1>`` answered X-On when ready and
X-Off when `paper` is "out" or `cover_open`, nothing when `silent`); anything else, a position or a QR outside
the 2 x 5.5 in stock at the head's resolution (`head_dots` across it), or a byte that is
not printable ASCII, goes to `errors` and fails the test."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportlab.graphics.barcode.qrencoder import QR8bitByte, QRCode, QRErrorCorrectLevel

from support.fake_escpos_printer import FakeEscposPrinter

COMMAND = re.compile(rb"<([^<>]*)>")
XON, XOFF = 0x11, 0x13
STOCK_RATIO = 5.5 / 2
FONTS = {f"F{n}" for n in (1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13)}


@dataclass
class Ticket:
    texts: list[tuple[int, int, str, str]] = field(default_factory=list)
    qr: list[tuple[int, int, int, str]] = field(default_factory=list)
    cut: bool = True

    @property
    def text(self) -> str:
        return "\n".join(t for *_pos, t in self.texts)


@dataclass
class FglJob:
    tickets: list[Ticket] = field(default_factory=list)
    unprinted: Ticket = field(default_factory=Ticket)
    received: int = 0
    closed_mid_job: bool = False
    status_requests: int = 0

    @property
    def cuts(self) -> int:
        return sum(t.cut for t in self.tickets)


class FglParser:
    def __init__(self, job: FglJob, head_dots: int, answer=None) -> None:
        self.job = job
        self.answer = answer or (lambda: None)
        self.rows, self.columns = head_dots, round(head_dots * STOCK_RATIO)
        self.buffer = bytearray()
        self.errors: list[str] = []
        self.row = self.column = 0
        self.font = "F1"

    def feed(self, data: bytes) -> None:
        self.buffer += data
        while self.buffer:
            if self.buffer[0] == ord("<"):
                match = COMMAND.match(self.buffer)
                if match is None:
                    if b">" in self.buffer:
                        self.errors.append(f"broken command {bytes(self.buffer[:20])!r}")
                        del self.buffer[:1]
                        continue
                    return  # the rest of the command has not arrived
                used = self._command(match.group(1).decode("ascii", "replace"), match.end())
                if used == 0:
                    return  # a QR's {data} has not arrived
                del self.buffer[:used]
                continue
            end = self.buffer.find(b"<")
            if end < 0:
                return  # text runs on until the next command
            self._text(bytes(self.buffer[:end]))
            del self.buffer[:end]

    def finish(self) -> None:
        if self.buffer:
            self._text(bytes(self.buffer))
            self.buffer.clear()

    def _text(self, raw: bytes) -> None:
        if any(b < 0x20 or b > 0x7E for b in raw):
            self.errors.append(f"not printable ASCII: {raw!r}")
        text = raw.decode("ascii", "replace")
        if text.strip():
            self.job.unprinted.texts.append((self.row, self.column, self.font, text))

    def _inside(self, what: str, row: int, column: int, side: int = 0) -> None:
        if row < 0 or row + side > self.rows:
            self.errors.append(f"{what} at row {row} outside the {self.rows}-dot head")
        if column < 0 or column + side > self.columns:
            self.errors.append(f"{what} at column {column} outside the {self.columns}-dot ticket")

    def _command(self, body: str, end: int) -> int:
        if body.startswith("RC"):
            row, _, column = body[2:].partition(",")
            self.row, self.column = int(row), int(column)
            self._inside("text", self.row, self.column)
        elif body in FONTS:
            self.font = body
        elif body.startswith("HW") or body in ("NR",):
            pass
        elif body == "S1":
            self.job.status_requests += 1
            self.answer()
        elif body in ("p", "q"):
            self.job.unprinted.cut = body == "p"
            self.job.tickets.append(self.job.unprinted)
            self.job.unprinted = Ticket()
        elif body.startswith("QR"):
            if end >= len(self.buffer):
                return 0
            if self.buffer[end] != ord("{"):
                self.errors.append("a QR code without its {data}")
                return end
            close = self.buffer.find(b"}", end)
            if close < 0:
                return 0
            size = int(body[2:].split(",")[0] or 6)
            if not 3 <= size <= 16:
                self.errors.append(f"QR point size {size}")
            payload = self.buffer[end + 1 : close].decode("ascii")
            self._inside("QR code", self.row, self.column, size * _modules(payload))
            self.job.unprinted.qr.append((self.row, self.column, size, payload))
            return close + 1
        else:
            self.errors.append(f"unknown FGL command <{body}>")
        return end


def _modules(payload: str) -> int:
    """The QR's side in modules, byte mode and error correction M (as `<QRs,0,0,0>` asks)."""
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(QR8bitByte(payload))  # byte mode, as <QRs,0,0,0> asks
    return 17 + 4 * qr.calculate_version()


class FakeFglPrinter(FakeEscposPrinter):
    """`FakeFglPrinter(head_dots=400)` (200 dpi; 600 at 300 dpi): start it (or use it as a
    context manager), point a device at `host`/`port`, read `wait_jobs(n)`."""

    def __init__(self, head_dots: int = 400) -> None:
        super().__init__()
        self.head_dots = head_dots

    def _parser(self, answer):
        job = FglJob()
        return job, FglParser(job, self.head_dots, lambda: answer(0))

    def _status(self, _request: int) -> int:
        """X-On when ready; X-Off out of tickets or with its head open (`paper`,
        `cover_open`)."""
        return XOFF if self.paper == "out" or self.cover_open else XON
