"""A fake ESC/POS printer: a TCP server on 127.0.0.1 (port 0, the test reads `port`)
that reads what a receipt printer on port 9100 would, parses the ESC/POS commands and
keeps what it understood, per connection (`jobs`, latest last):

* `lines`: the text lines, decoded with the code page the job selected (ESC t);
* `qr`: the payloads of QR codes stored and printed (GS ( k, fn 80 and 81);
* `cuts`: how many cuts (GS V); `pulses`: drawer kicks (ESC p) as (pin, on, off);
* `images`: raster images (GS v 0), the fragments between two cuts joined into one
  Pillow image (white paper, black dots), so a test can decode their QR codes.

It answers real-time status requests (DLE EOT 1, 2, 4) from `paper` ("ok", "near_end",
"out") and `cover_open`, unless `silent`. `close_after=n` closes the connection once n
bytes of a job have arrived (the printer went away mid-job). An unknown command fails
the test (`errors`)."""

from __future__ import annotations

import codecs
import socket
import struct
import threading
from dataclasses import dataclass, field

from escpos.capabilities import get_profile
from PIL import Image

ESC, GS, DLE, LF = 0x1B, 0x1D, 0x10, 0x0A
ESC_ONE_ARG = set(b"!{EG-MaJ3")  # ESC x n
GS_ONE_ARG = set(b"!BbHfhwL|")  # GS x n
CODE_PAGES = {int(k): v for k, v in get_profile(None).profile_data["codePages"].items()}


@dataclass
class Job:
    lines: list[str] = field(default_factory=list)
    qr: list[str] = field(default_factory=list)
    cuts: int = 0
    pulses: list[tuple[int, int, int]] = field(default_factory=list)
    images: list[Image.Image] = field(default_factory=list)
    status_requests: list[int] = field(default_factory=list)
    received: int = 0
    closed_mid_job: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class Parser:
    """Parses a byte stream command by command; `feed` answers status requests."""

    def __init__(self, job: Job, answer) -> None:
        self.job = job
        self.answer = answer
        self.buffer = bytearray()
        self.line = ""  # decoded so far (the code page may change within a line)
        self.raw = bytearray()  # bytes in the current code page
        self.codec = "cp437"
        self.qr_data = ""
        self.strips: list[Image.Image] = []
        self.errors: list[str] = []

    def feed(self, data: bytes) -> None:
        self.buffer += data
        while self.buffer:
            used = self._one(self.buffer)
            if used == 0:
                return  # wait for the rest of the command
            del self.buffer[:used]

    def finish(self) -> None:
        self._end_line()
        self._flush_image()

    def _decode(self) -> None:
        self.line += bytes(self.raw).decode(self.codec, "replace")
        self.raw.clear()

    def _end_line(self, always: bool = False) -> None:
        self._decode()
        if self.line or always:
            self.job.lines.append(self.line)
            self.line = ""

    def _text(self, byte: int) -> None:
        if byte == LF:
            self._end_line(always=True)
        else:
            self.raw.append(byte)

    def _flush_image(self) -> None:
        if not self.strips:
            return
        width = max(s.width for s in self.strips)
        image = Image.new("1", (width, sum(s.height for s in self.strips)), 1)
        top = 0
        for strip in self.strips:
            image.paste(strip, (0, top))
            top += strip.height
        self.job.images.append(image)
        self.strips = []

    def _one(self, b: bytearray) -> int:
        first = b[0]
        if first not in (ESC, GS, DLE):
            if first == LF or first >= 0x20:
                self._text(first)
            return 1
        if len(b) < 2:
            return 0
        cmd = b[1]
        if first == DLE:
            if cmd != 0x04:
                self.errors.append(f"DLE {cmd:#x}")
                return 2
            if len(b) < 3:
                return 0
            self.job.status_requests.append(b[2])
            self.answer(b[2])
            return 3
        if first == ESC:
            if cmd == ord("@"):
                return 2
            if cmd == ord("t"):
                if len(b) < 3:
                    return 0
                self._decode()
                name = CODE_PAGES.get(b[2], "CP437").lower().replace("iso_", "iso")
                try:
                    self.codec = codecs.lookup(name).name
                except LookupError:
                    self.errors.append(f"code page {b[2]} ({name})")
                return 3
            if cmd == ord("p"):
                if len(b) < 5:
                    return 0
                self.job.pulses.append((2 if b[2] in (0, 48) else 5, b[3], b[4]))
                return 5
            if cmd == ord("d"):
                if len(b) < 3:
                    return 0
                self._end_line()
                self.job.lines.extend([""] * max(b[2] - 1, 0))
                return 3
            if cmd in (ord("2"),):
                return 2
            if cmd in ESC_ONE_ARG:
                return 3 if len(b) >= 3 else 0
            self.errors.append(f"ESC {cmd:#x}")
            return 2
        # GS
        if cmd == ord("V"):
            if len(b) < 3:
                return 0
            size = 4 if b[2] in (65, 66) else 3
            if len(b) < size:
                return 0
            self._end_line()
            self._flush_image()
            self.job.cuts += 1
            return size
        if cmd == ord("("):
            if len(b) < 5:
                return 0
            length = b[3] + 256 * b[4]
            if len(b) < 5 + length:
                return 0
            body = bytes(b[5 : 5 + length])
            if b[2] == ord("k") and body[:1] == b"1":  # QR code (cn 49)
                if body[1] == 80:  # store
                    self.qr_data = body[3:].decode("utf-8")
                elif body[1] == 81:  # print
                    self.job.qr.append(self.qr_data)
            elif b[2] != ord("L"):
                self.errors.append(f"GS ( {chr(b[2])}")
            return 5 + length
        if cmd == ord("v"):
            if len(b) < 8:
                return 0
            width_bytes, height = b[4] + 256 * b[5], b[6] + 256 * b[7]
            size = 8 + width_bytes * height
            if len(b) < size:
                return 0
            data = bytes(b[8:size])
            strip = Image.frombytes("1", (width_bytes * 8, height), data)
            # ESC/POS: a set bit prints a dot; shown as black on white paper
            self.strips.append(Image.eval(strip.convert("L"), lambda v: 255 - v).convert("1"))
            return size
        if cmd in GS_ONE_ARG:
            return 3 if len(b) >= 3 else 0
        self.errors.append(f"GS {cmd:#x}")
        return 2


class FakeEscposPrinter:
    """Start with `start()` (or as a context manager), point an `EscposDevice` at
    `host`/`port`, read `jobs` once `wait_jobs(n)` says they are in."""

    def __init__(self) -> None:
        self.paper = "ok"
        self.cover_open = False
        self.silent = False
        self.close_after: int | None = None
        self.jobs: list[Job] = []
        self.errors: list[str] = []
        self._done = threading.Condition()
        self._finished = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.host, self.port = self._server.getsockname()[:2]
        self._running = False
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> FakeEscposPrinter:
        self._running = True
        self._thread.start()
        return self

    def stop(self) -> None:
        self._running = False
        self._thread.join(5)
        self._server.close()

    def __enter__(self) -> FakeEscposPrinter:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    def wait_jobs(self, count: int, timeout: float = 15) -> list[Job]:
        """The first `count` jobs once their connections closed."""
        with self._done:
            self._done.wait_for(lambda: self._finished >= count, timeout)
        assert self._finished >= count, f"{self._finished} jobs arrived, not {count}"
        return self.jobs[:count]

    @property
    def finished(self) -> int:
        return self._finished

    def _status(self, request: int) -> int:
        byte = 0x12
        if request == 1 and (self.paper == "out" or self.cover_open):
            byte |= 0x08  # offline
        if request == 2:
            byte |= 0x04 if self.cover_open else 0
            byte |= 0x20 if self.paper == "out" else 0
        if request == 4:
            byte |= {"ok": 0, "near_end": 0x0C, "out": 0x6C}[self.paper]
        return byte

    def _serve(self) -> None:
        while self._running:
            try:
                conn, _addr = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._handle(conn)

    def _parser(self, answer):
        """A new job and the parser of its bytes (a printer of another language overrides)."""
        job = Job()
        return job, Parser(job, answer)

    def _handle(self, conn: socket.socket) -> None:
        def answer(request: int) -> None:
            if not self.silent:
                conn.sendall(bytes([self._status(request)]))

        job, parser = self._parser(answer)
        self.jobs.append(job)
        conn.settimeout(10)
        try:
            with conn:
                while True:
                    data = conn.recv(65536)
                    if not data:
                        break
                    if self.close_after is not None and job.received + len(data) >= (
                        self.close_after
                    ):
                        data = data[: self.close_after - job.received]
                        job.received += len(data)
                        parser.feed(data)
                        job.closed_mid_job = True
                        conn.setsockopt(  # close with a reset, as a printer switched off
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                        break
                    job.received += len(data)
                    parser.feed(data)
        except OSError:
            job.closed_mid_job = True
        finally:
            parser.finish()
            self.errors.extend(parser.errors)
            with self._done:
                self._finished += 1
                self._done.notify_all()
