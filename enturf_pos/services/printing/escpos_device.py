"""An ESC/POS printer (receipt printer, thermal ticket printer) driven directly with
python-escpos, without the OS driver: over the network (raw TCP, port 9100), USB or a
serial port. The cash drawer hangs off it (its drawer-kick pulse, ESC p).

`run_job(device, write)` opens the connection, asks the printer for its status where it
answers (DLE EOT: paper out, cover open, offline), lets `write` put the document on the
printer with the library's commands (`text`, `qr`, `image`, `cut`, `cashdraw`), asks
again, and closes. Every way it can go wrong ends in `PrinterUnavailable` (no answer,
gone mid-job) or `PrinterProblem` (the printer says why), with a message for the cashier.
No Qt here: the print controller (`enturf_pos.ui.printing`) runs it on its worker thread.
"""

from __future__ import annotations

import copy
import logging
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposLibraryError
from escpos.printer import Network, Serial, Usb

log = logging.getLogger(__name__)

RT_STATUS_OFFLINE_CAUSE = b"\x10\x04\x02"  # DLE EOT 2: why the printer is offline
COVER_OPEN = 0x04  # DLE EOT 2, bit 2
PAPER_STOP = 0x20  # DLE EOT 2, bit 5: printing stopped for want of paper
OFFLINE = 0x08  # DLE EOT 1, bit 3
PAPER_NEAR_END = 0x0C  # DLE EOT 4, bits 2 and 3
PAPER_END = 0x60  # DLE EOT 4, bits 5 and 6
FIXED_BITS = 0x93  # bits 0, 1, 4 and 7 of a status byte: 0, 1, 1, 0 (0x12)

Writer = Callable[[Escpos], None]  # puts a document on an open printer


class Connection(StrEnum):
    NETWORK = "network"  # raw TCP, usually port 9100
    USB = "usb"  # vendor and product id
    SERIAL = "serial"  # a serial port and its baud rate


@dataclass(frozen=True)
class EscposDevice:
    connection: Connection = Connection.NETWORK
    host: str = ""
    port: int = 9100
    vendor_id: int = 0  # USB
    product_id: int = 0  # USB
    serial_port: str = ""  # e.g. /dev/ttyUSB0 or COM3
    baudrate: int = 9600
    width_dots: int = 576  # the head's printable width: 72 mm at 203 dpi (80 mm roll)
    dpi: int = 203
    drawer_pin: int = 2  # the drawer's kick connector pin: 2 (usual) or 5
    timeout: float = 5.0  # seconds to connect and for each write
    status_timeout: float = 1.0  # seconds to wait for a status answer

    def describe(self, language: str = "ESC/POS") -> str:
        """ "ESC/POS 10.0.0.7:9100"; `language` names another printer language on the
        same connection ("Boca FGL")."""
        if self.connection is Connection.USB:
            return f"{language} USB {self.vendor_id:04x}:{self.product_id:04x}"
        if self.connection is Connection.SERIAL:
            return f"{language} {self.serial_port} ({self.baudrate} baud)"
        return f"{language} {self.host}:{self.port}"

    def problem(self) -> str:
        """What is missing for a connection, "" when nothing is."""
        if self.connection is Connection.NETWORK and not self.host.strip():
            return "Enter the printer's network address (host name or IP)."
        if self.connection is Connection.NETWORK and not 0 < self.port < 65536:
            return "The printer's port is a number from 1 to 65535 (usually 9100)."
        if self.connection is Connection.USB and not (self.vendor_id and self.product_id):
            return "Enter the USB printer's vendor and product id (hexadecimal, e.g. 04b8:0202)."
        if self.connection is Connection.SERIAL and not self.serial_port.strip():
            return "Enter the printer's serial port (e.g. /dev/ttyUSB0 or COM3)."
        return ""


class PrinterUnavailable(Exception):
    """The printer did not answer, or went away during the job."""


class PrinterProblem(Exception):
    """The printer answered and says it cannot print (no paper, cover open, offline)."""


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer told about itself; None: it did not say (not every printer or
    connection answers status requests)."""

    online: bool | None = None
    cover_open: bool | None = None
    paper: int | None = None  # 2 plenty, 1 near its end, 0 out (escpos' paper_status)
    not_ready: str = ""  # what a printer that only says "not ready" may have (FGL)

    @property
    def answered(self) -> bool:
        return self.online is not None or self.paper is not None

    def problem(self) -> str:
        if self.paper == 0:
            return "is out of paper: load a new roll and close the cover"
        if self.cover_open:
            return "has its cover open: close it"
        if self.online is False:
            return self.not_ready or "is offline (error or feed button held): check the printer"
        return ""


def open_printer(device: EscposDevice) -> Escpos:
    """The python-escpos printer for `device`, connected (raises PrinterUnavailable)."""
    if problem := device.problem():
        raise PrinterUnavailable(problem)
    try:
        if device.connection is Connection.USB:
            printer: Escpos = Usb(
                device.vendor_id, device.product_id, timeout=int(device.timeout * 1000)
            )
        elif device.connection is Connection.SERIAL:
            printer = Serial(
                devfile=device.serial_port, baudrate=device.baudrate, timeout=device.timeout
            )
        else:
            printer = Network(device.host.strip(), device.port, timeout=device.timeout)
        _fit_profile(printer, device)
        if isinstance(printer, Network):
            # connected here: the library's open() leaks the socket when connect fails
            printer.device = socket.create_connection(
                (device.host.strip(), device.port), timeout=device.timeout
            )
        else:
            printer.open()
    except (EscposLibraryError, OSError, ValueError) as exc:
        raise PrinterUnavailable(
            f"The printer {device.describe()} does not answer: check that it is on and "
            f"connected ({_why(exc)})."
        ) from exc
    return printer


def _fit_profile(printer: Escpos, device: EscposDevice) -> None:
    """The generic profile knows no paper width; this printer's own copy gets it (images
    are checked and centred against it)."""
    data = copy.deepcopy(printer.profile.profile_data)
    data["media"] = {"dpi": device.dpi, "width": {"pixels": device.width_dots}}
    printer.profile.profile_data = data


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def ask_printer(printer: Escpos, request: bytes) -> bytes | None:
    """The printer's answer to `request`, None when it said nothing in time; a network
    printer that closed the connection raises (it went away)."""
    try:
        answer = printer.query_status(request)
    except (TimeoutError, NotImplementedError):
        return None
    except (EscposLibraryError, OSError) as exc:
        if "timeout" in str(exc).lower() or "timed out" in str(exc).lower():
            return None
        raise
    except Exception as exc:  # pyusb's timeouts are not OSErrors
        if "timeout" in type(exc).__name__.lower():
            return None
        raise
    if not answer:
        if isinstance(getattr(printer, "_device", None), socket.socket):
            raise ConnectionAbortedError("the printer closed the connection")
        return None  # serial and USB say nothing when the printer does not answer
    return bytes(answer)


@contextmanager
def status_timeout(printer: Escpos, device: EscposDevice) -> Iterator[None]:
    """A network printer's reads wait `device.status_timeout` inside, `timeout` after."""
    sock = getattr(printer, "_device", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(device.status_timeout)
    try:
        yield
    finally:
        if isinstance(sock, socket.socket):
            sock.settimeout(device.timeout)


def _query(printer: Escpos, request: bytes) -> int | None:
    """One ESC/POS status byte, or None when the printer said nothing (sensible) in time."""
    answer = ask_printer(printer, request)
    if not answer:
        return None
    byte = answer[-1]
    return byte if byte & FIXED_BITS == 0x12 else None


def read_status(printer: Escpos, device: EscposDevice) -> PrinterStatus:
    """Ask the printer (DLE EOT 1, 2 and 4) with a short timeout; a printer that does not
    answer the first question is not asked the others."""
    with status_timeout(printer, device):
        online = _query(printer, RT_STATUS_ONLINE)
        if online is None:
            return PrinterStatus()
        cause = _query(printer, RT_STATUS_OFFLINE_CAUSE)
        paper = _query(printer, RT_STATUS_PAPER)
    paper_level = None
    if paper is not None:
        paper_level = 0 if paper & PAPER_END else 1 if paper & PAPER_NEAR_END else 2
    if cause is not None and cause & PAPER_STOP:
        paper_level = 0
    return PrinterStatus(
        online=not online & OFFLINE,
        cover_open=None if cause is None else bool(cause & COVER_OPEN),
        paper=paper_level,
    )


StatusReader = Callable[[Escpos, EscposDevice], PrinterStatus]


def run_job(
    device: EscposDevice,
    write: Writer,
    *,
    what: str = "printer",
    check_status: bool = True,
    status: StatusReader | None = None,
) -> PrinterStatus:
    """Put one document (or a drawer pulse) on the printer; returns its last status.

    `what` names the printer for the messages ("receipt printer"). With `check_status`,
    a printer that answers status requests and says it cannot print refuses the job
    before anything is sent (`PrinterProblem`), and is asked again afterwards (paper run
    out during the job). `status` asks in another printer language (default: ESC/POS)."""
    ask = status or read_status
    name = f"The {what} ({device.describe()})"
    printer = open_printer(device)
    try:
        said = PrinterStatus()
        try:
            if check_status:
                said = ask(printer, device)
                if problem := said.problem():
                    raise PrinterProblem(f"{name} {problem}.")
            write(printer)
            if check_status and said.answered:
                after = ask(printer, device)
                if problem := after.problem():
                    raise PrinterProblem(f"{name} {problem}; the job may be incomplete.")
                said = after if after.answered else said
        except OSError as exc:
            raise PrinterUnavailable(
                f"{name} went away during the job ({_why(exc)}): check that it is on and connected."
            ) from exc
        except EscposLibraryError as exc:  # e.g. an image wider than the paper
            raise PrinterProblem(
                f"{name} cannot print this document ({_why(exc)}): check its paper width in "
                "Printers…"
            ) from exc
        return said
    finally:
        try:
            printer.close()
        except OSError:
            log.info("closing %s failed", device.describe(), exc_info=True)


def kick_drawer(printer: Escpos, device: EscposDevice) -> None:
    """The drawer-kick pulse (ESC p) on the drawer's pin."""
    printer.cashdraw(5 if device.drawer_pin == 5 else 2)
