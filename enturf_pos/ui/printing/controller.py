"""PrintController: every window prints through it.

    printing = PrintController(ctx=ctx, user=user.username, parent=window)
    printing.print_sale(sale_id)                                  # receipt + tickets
    printing.print_sale(sale_id, {"tickets"}, reprint=True)       # marked COPY
    printing.print_pdf("report", "Z report 12", lambda: render_z_report(...))

A job renders its PDF on the controller's worker thread (a TaskRunner with one thread:
jobs reach the printers in the order they were asked for), then prints it to the
counter's target for that kind of document (`settings.PrinterSettings`): straight to an
installed printer, a PDF folder or an ESC/POS printer on the same thread, or through the
print dialog / preview on the UI thread and then spooled on the worker. An ESC/POS
printer gets the receipt and the shift reports in its own commands (text, its QR code, a
cut), anything else as raster images of the PDF's pages; `open_drawer` sends the cash
drawer's kick pulse through it, as a job of the same queue. A Boca ticket printer (target
`fgl`) gets tickets and test pages in its FGL, on the same connections, and refuses any
other document with a message. Every job ends in one
`jobFinished(PrintResult)` and one print log row (`services.print_log`), whatever
happened; failed jobs stay in `failed` until `retry_failed()` prints them again as COPY.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from enturf_pos.services.printing import drawer_log, print_log
from enturf_pos.services.printing.documents import receipt_for_sale, tickets_for_sale
from enturf_pos.services.printing.drawer_log import DrawerReason
from enturf_pos.services.printing.escpos_device import (
    EscposDevice,
    PrinterProblem,
    PrinterUnavailable,
    Writer,
    kick_drawer,
    run_job,
)
from enturf_pos.services.printing.escpos_raster import pages_writer
from enturf_pos.services.printing.escpos_receipt import receipt_writer
from enturf_pos.services.printing.fgl_tickets import read_fgl_status
from enturf_pos.services.printing.fgl_tickets import tickets_writer as fgl_tickets_writer
from enturf_pos.services.printing.print_log import PrintKind, PrintOutcome
from enturf_pos.services.printing.receipt_pdf import render_receipt
from enturf_pos.services.printing.ticket_pdf import render_tickets
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.printing.settings import (
    FGL_NAME,
    PrinterSettings,
    PrintTarget,
    TargetKind,
    load_settings,
    save_settings,
)
from enturf_pos.ui.printing.spool import (
    PrintFailed,
    paint_pdf,
    pdf_images,
    printer_for,
    printer_name,
    saves_pdf,
    spool,
)
from enturf_pos.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

SALE_DOCUMENTS = frozenset({PrintKind.RECEIPT.value, PrintKind.TICKETS.value})
PRINTER_NAMES = {
    PrintKind.RECEIPT.value: "receipt printer",
    PrintKind.TICKETS.value: "ticket printer",
    PrintKind.DRAWER.value: "receipt printer (cash drawer)",
}
DRAWER_TITLES = {
    DrawerReason.SALE: "cash sale",
    DrawerReason.REFUND: "cash refund",
    DrawerReason.NO_SALE: "no sale",
    DrawerReason.TEST: "test",
}


@dataclass(frozen=True)
class Rendered:
    pdf: bytes  # b"" when the document is in the printer's own commands only
    title: str
    copy: bool
    escpos: Writer | None = None  # the document in the printer's own commands, when it has them
    pages: int = 1  # pages (tickets) the printer's own commands print


@dataclass(frozen=True)
class PrintJob:
    id: int
    kind: str  # receipt, tickets, report (or any other name a window gives)
    label: str  # what the job prints, before it is rendered ("receipt", "Z report 12")
    make: Callable[[bool | None], Rendered]  # runs on the worker; gets `copy`
    copy: bool | None  # None: COPY if the log says this sale's document printed before
    sale_id: uuid.UUID | None = None
    target: PrintTarget | None = None  # None: the counter's setting for `kind`
    # in an ESC/POS printer's own commands (receipts, reports, the drawer); None: the
    # PDF's pages as raster images
    native: Callable[[bool | None, EscposDevice], Rendered] | None = None
    after: Callable[[PrintResult], None] | None = None  # on the worker, once logged
    # in a Boca ticket printer's FGL (tickets, test pages); None: it cannot print there
    fgl: Callable[[bool | None, EscposDevice], Rendered] | None = None


@dataclass(frozen=True)
class PrintResult:
    job: PrintJob
    outcome: PrintOutcome
    title: str
    copy: bool
    printer: str = ""
    pages: int = 0
    message: str = ""  # why it failed, for the cashier (or a printed job's warning)
    output: Path | None = None  # the file written, when the target saved a PDF

    @property
    def ok(self) -> bool:
        return self.outcome is PrintOutcome.PRINTED


class PrintController(QObject):
    jobStarted = Signal(object)  # PrintJob
    jobFinished = Signal(object)  # PrintResult
    settingsChanged = Signal(object)  # PrinterSettings

    def __init__(self, *, ctx: PosContext, user: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._user = user
        self._window = parent
        self._runner = TaskRunner(self, max_threads=1)
        self._ids = itertools.count(1)
        self.settings: PrinterSettings = load_settings(ctx.config.data_dir)
        self.failed: list[PrintJob] = []
        self.results: list[PrintResult] = []  # this session's jobs, latest last
        self.pending = 0
        self._asks: list[tuple[PrintJob, PrintTarget, Rendered]] = []
        self._asking = False

    # -- settings ------------------------------------------------------------------------

    def set_settings(self, settings: PrinterSettings) -> None:
        save_settings(self._ctx.config.data_dir, settings)
        self.settings = settings
        self.settingsChanged.emit(settings)

    # -- the API -------------------------------------------------------------------------

    def print_sale(
        self,
        sale_id: uuid.UUID,
        what: Iterable[str] = SALE_DOCUMENTS,
        reprint: bool | None = False,
    ) -> list[PrintJob]:
        """Print a local sale's receipt and/or tickets (in that order). `reprint=True`
        marks them COPY; None decides per document from the print log."""
        wanted = {str(w) for w in what}
        unknown = wanted - SALE_DOCUMENTS
        if unknown:
            raise ValueError(f"a sale prints a receipt and tickets, not {sorted(unknown)}")
        jobs = []
        if PrintKind.RECEIPT in wanted:
            jobs.append(self._sale_job(PrintKind.RECEIPT, sale_id, reprint))
        if PrintKind.TICKETS in wanted:
            jobs.append(self._sale_job(PrintKind.TICKETS, sale_id, reprint))
        for job in jobs:
            self._start(job)
        return jobs

    def print_pdf(
        self,
        kind: str,
        title: str,
        render: Callable[[], bytes],
        *,
        sale_id: uuid.UUID | None = None,
        copy: bool = False,
        target: PrintTarget | None = None,
        escpos: Callable[[EscposDevice], Writer] | None = None,
        fgl: Callable[[EscposDevice], Writer] | None = None,
    ) -> PrintJob:
        """Print any document: `render` runs off the UI thread and returns PDF bytes
        (mark it COPY yourself when `copy`; the log records it). `escpos`, when given,
        makes the document in an ESC/POS printer's own commands (also off the UI
        thread); without it an ESC/POS printer gets the PDF's pages as raster images.
        `fgl` makes it in a Boca ticket printer's FGL; without it such a printer refuses it."""

        def label(is_copy: bool | None) -> str:
            return f"{title} (COPY)" if is_copy else title

        def make(is_copy: bool | None) -> Rendered:
            return Rendered(render(), label(is_copy), bool(is_copy))

        native = None
        if escpos is not None:
            make_native = escpos

            def native(is_copy: bool | None, device: EscposDevice) -> Rendered:
                return Rendered(b"", label(is_copy), bool(is_copy), make_native(device))

        in_fgl = None
        if fgl is not None:
            make_fgl = fgl

            def in_fgl(is_copy: bool | None, device: EscposDevice) -> Rendered:
                return Rendered(b"", label(is_copy), bool(is_copy), make_fgl(device))

        job = PrintJob(
            next(self._ids), str(kind), title, make, copy, sale_id, target, native, fgl=in_fgl
        )
        self._start(job)
        return job

    def open_drawer(
        self,
        reason: DrawerReason,
        *,
        note: str = "",
        approved_by: str = "",
        sale_id: uuid.UUID | None = None,
        target: PrintTarget | None = None,
    ) -> PrintJob | None:
        """The cash drawer's kick pulse through the receipt printer (or `target`), in the
        print queue, the print log (kind "drawer") and the drawer's own log
        (`drawer_log`: why, who asked, who approved). None when that printer is no
        ESC/POS printer: no drawer hangs off it."""
        target = target or self.settings.receipt
        if not target.has_drawer:
            return None
        ctx, user = self._ctx, self._user
        title = f"Cash drawer ({DRAWER_TITLES[reason]})"

        def make(_copy: bool | None) -> Rendered:
            raise ValueError("a cash drawer opens on an ESC/POS printer only")

        def native(_copy: bool | None, device: EscposDevice) -> Rendered:
            return Rendered(b"", title, False, lambda printer: kick_drawer(printer, device))

        def audit(result: PrintResult) -> None:
            drawer_log.record(
                ctx=ctx,
                reason=reason,
                user=user,
                outcome=result.outcome,
                note=note,
                approved_by=approved_by,
                sale_id=sale_id,
                printer=result.printer,
                message=result.message,
            )

        job = PrintJob(
            next(self._ids),
            PrintKind.DRAWER.value,
            "cash drawer",
            make,
            False,
            sale_id,
            target,
            native,
            audit,
        )
        self._start(job)
        return job

    def reprint(self, job: PrintJob) -> PrintJob:
        """The same document again, marked COPY, to the printer set now."""
        again = replace(job, id=next(self._ids), copy=True)
        self._start(again)
        return again

    def retry_failed(self) -> list[PrintJob]:
        jobs, self.failed = self.failed, []
        return [self.reprint(job) for job in jobs]

    @property
    def busy(self) -> bool:
        return self.pending > 0

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        self._runner.shutdown(timeout_ms)

    # -- jobs ----------------------------------------------------------------------------

    def _sale_job(self, kind: PrintKind, sale_id: uuid.UUID, reprint: bool | None) -> PrintJob:
        ctx = self._ctx

        def make(copy: bool | None) -> Rendered:
            if copy is None:
                copy = print_log.was_printed(ctx=ctx, sale_id=sale_id, kind=kind)
            if kind is PrintKind.RECEIPT:
                receipt = receipt_for_sale(ctx, sale_id, copy=copy)
                pdf, code = render_receipt(receipt), receipt.booking_code
                title = f"Receipt {code}"
            else:
                tickets = tickets_for_sale(ctx, sale_id, copy=copy)
                code = tickets[0].booking_code if tickets else ""
                pdf = render_tickets(tickets, self.settings.ticket_layout)
                title = f"Tickets {code}"
            return Rendered(pdf, f"{title} (COPY)" if copy else title, copy)

        def native(copy: bool | None, device: EscposDevice) -> Rendered:
            if copy is None:
                copy = print_log.was_printed(ctx=ctx, sale_id=sale_id, kind=kind)
            receipt = receipt_for_sale(ctx, sale_id, copy=copy)
            title = f"Receipt {receipt.booking_code}"
            writer = receipt_writer(receipt, width_dots=device.width_dots)
            return Rendered(b"", f"{title} (COPY)" if copy else title, copy, writer)

        def in_fgl(copy: bool | None, device: EscposDevice) -> Rendered:
            if copy is None:
                copy = print_log.was_printed(ctx=ctx, sale_id=sale_id, kind=kind)
            tickets = tickets_for_sale(ctx, sale_id, copy=copy)
            if not tickets:
                raise ValueError("this sale has no tickets to print")
            title = f"Tickets {tickets[0].booking_code}"
            writer = fgl_tickets_writer(tickets, device)
            return Rendered(b"", f"{title} (COPY)" if copy else title, copy, writer, len(tickets))

        return PrintJob(
            next(self._ids),
            kind.value,
            kind.value,
            make,
            reprint,
            sale_id,
            native=native if kind is PrintKind.RECEIPT else None,
            fgl=in_fgl if kind is PrintKind.TICKETS else None,
        )

    def _start(self, job: PrintJob) -> None:
        target = job.target or self.settings.target(job.kind)
        self.pending += 1
        self.jobStarted.emit(job)
        if target.direct:
            self._runner.run(
                lambda: self._print_direct(job, target),
                self._finished,
                lambda exc: self._finished(self._unexpected(job, exc)),
            )
        else:
            self._runner.run(
                lambda: self._render(job),
                lambda rendered: self._ask(job, target, rendered),
                lambda exc: self._finished(self._unexpected(job, exc)),
            )

    # worker thread ---------------------------------------------------------------------

    def _render(
        self, job: PrintJob, device: EscposDevice | None = None, *, fgl: bool = False
    ) -> Rendered | PrintResult:
        if fgl and (device is None or job.fgl is None):
            return self._log(
                job,
                None,
                PrintOutcome.FAILED,
                printer=device.describe(FGL_NAME) if device else "",
                message=f"A Boca ticket printer prints tickets only: choose another printer "
                f"for the {job.label} in Printers….",
            )
        try:
            if fgl and device is not None and job.fgl is not None:
                return job.fgl(job.copy, device)
            if device is not None and job.native is not None:
                return job.native(job.copy, device)
            return job.make(job.copy)
        except Exception as exc:
            log.exception("rendering %s failed", job.label)
            return self._log(
                job,
                None,
                PrintOutcome.FAILED,
                message=f"The {job.label} could not be prepared: {exc}",
            )

    def _print_direct(self, job: PrintJob, target: PrintTarget) -> PrintResult:
        if target.raw:
            return self._print_escpos(job, target.device, fgl=target.kind is TargetKind.FGL)
        rendered = self._render(job)
        if isinstance(rendered, PrintResult):
            return rendered
        try:
            printer = printer_for(target, title=rendered.title, copy=rendered.copy)
        except PrintFailed as exc:
            return self._log(
                job, rendered, PrintOutcome.FAILED, printer=target.describe(), message=str(exc)
            )
        return self._spool(job, rendered, printer)

    def _print_escpos(self, job: PrintJob, device: EscposDevice, *, fgl: bool) -> PrintResult:
        """On a printer driven directly: ESC/POS, or a Boca's FGL (`fgl`, no status)."""
        rendered = self._render(job, device, fgl=fgl)
        if isinstance(rendered, PrintResult):
            return rendered
        name = device.describe(FGL_NAME) if fgl else device.describe()
        writer, pages = rendered.escpos, rendered.pages
        if writer is None:
            try:
                images = pdf_images(rendered.pdf, width_dots=device.width_dots, dpi=device.dpi)
            except PrintFailed as exc:
                return self._log(job, rendered, PrintOutcome.FAILED, printer=name, message=str(exc))
            writer, pages = pages_writer(images), len(images)
        drawer = job.kind == PrintKind.DRAWER
        what = PRINTER_NAMES.get(job.kind, "report printer")
        try:
            status = run_job(
                device,
                writer,
                what=what,
                check_status=not drawer,  # the drawer opens whatever the paper says
                status=read_fgl_status if fgl else None,
            )
        except (PrinterUnavailable, PrinterProblem) as exc:
            return self._log(job, rendered, PrintOutcome.FAILED, printer=name, message=str(exc))
        except Exception as exc:
            log.exception("printing %s on %s failed", rendered.title, name)
            return self._log(
                job,
                rendered,
                PrintOutcome.FAILED,
                printer=name,
                message=f"The printer {name} failed: {exc}",
            )
        low = status.paper == 1  # printed; the cashier gets a new roll ready
        return self._log(
            job,
            rendered,
            PrintOutcome.PRINTED,
            printer=name,
            pages=0 if drawer else pages,
            message=f"The {what}'s paper is running low: have a new roll ready." if low else "",
        )

    def _spool(self, job: PrintJob, rendered: Rendered, printer: QPrinter) -> PrintResult:
        name = printer_name(printer)
        output = Path(printer.outputFileName()) if saves_pdf(printer) else None
        printer.setDocName(rendered.title)
        try:
            pages = spool(rendered.pdf, printer)
        except PrintFailed as exc:
            return self._log(job, rendered, PrintOutcome.FAILED, printer=name, message=str(exc))
        except Exception as exc:
            log.exception("printing %s failed", rendered.title)
            return self._log(
                job,
                rendered,
                PrintOutcome.FAILED,
                printer=name,
                message=f"The printer “{name}” failed: {exc}",
            )
        return self._log(
            job, rendered, PrintOutcome.PRINTED, printer=name, pages=pages, output=output
        )

    def _log(
        self,
        job: PrintJob,
        rendered: Rendered | None,
        outcome: PrintOutcome,
        *,
        printer: str = "",
        pages: int = 0,
        message: str = "",
        output: Path | None = None,
    ) -> PrintResult:
        title = rendered.title if rendered else job.label.capitalize()
        copy = rendered.copy if rendered else bool(job.copy)
        result = PrintResult(job, outcome, title, copy, printer, pages, message, output)
        try:
            print_log.record(
                ctx=self._ctx,
                kind=job.kind,
                title=title,
                sale_id=job.sale_id,
                copy=copy,
                user=self._user,
                printer=printer,
                outcome=outcome,
                pages=pages,
                message=message,
            )
        except Exception:  # the paper matters more than the log line
            log.exception("writing the print log failed")
        if job.after is not None:
            try:
                job.after(result)
            except Exception:
                log.exception("after %s", title)
        return result

    # UI thread -------------------------------------------------------------------------

    def _ask(self, job: PrintJob, target: PrintTarget, rendered: Rendered | PrintResult) -> None:
        if isinstance(rendered, PrintResult):
            self._finished(rendered)
            return
        # one dialog at a time: a job rendered while a dialog is open waits for it
        self._asks.append((job, target, rendered))
        if self._asking:
            return
        self._asking = True
        try:
            while self._asks:
                self._ask_one(*self._asks.pop(0))
        finally:
            self._asking = False

    def _ask_one(self, job: PrintJob, target: PrintTarget, rendered: Rendered) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(rendered.title)
        if target.printer:
            printer.setPrinterName(target.printer)
        if target.kind is TargetKind.PREVIEW:
            self._preview(job, rendered, printer)
            return
        dialog = QPrintDialog(printer, self._window)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle(f"Print {rendered.title}")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self._runner.run(
                lambda: self._log(job, rendered, PrintOutcome.CANCELLED, message="Not printed."),
                self._finished,
            )
            return
        self._runner.run(
            lambda: self._spool(job, rendered, printer),
            self._finished,
            lambda exc: self._finished(self._unexpected(job, exc)),
        )

    def _preview(self, job: PrintJob, rendered: Rendered, printer: QPrinter) -> None:
        errors: list[str] = []
        pages: list[int] = []

        def paint(device: QPrinter) -> None:
            try:
                pages.append(paint_pdf(rendered.pdf, device))
            except PrintFailed as exc:
                errors.append(str(exc))

        dialog = QPrintPreviewDialog(printer, self._window)
        dialog.setObjectName("printPreviewDialog")
        dialog.setWindowTitle(f"Preview {rendered.title}")
        dialog.paintRequested.connect(paint)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        name = printer_name(printer)
        if errors:
            outcome, message = PrintOutcome.FAILED, errors[-1]
        elif accepted:
            outcome, message = PrintOutcome.PRINTED, ""
        else:
            outcome, message = PrintOutcome.CANCELLED, "Not printed."
        count = pages[-1] if pages else 0
        self._runner.run(
            lambda: self._log(job, rendered, outcome, printer=name, pages=count, message=message),
            self._finished,
        )

    def _unexpected(self, job: PrintJob, exc: Exception) -> PrintResult:
        return PrintResult(
            job,
            PrintOutcome.FAILED,
            job.label.capitalize(),
            bool(job.copy),
            message=f"Printing failed on this counter ({exc}); it was logged.",
        )

    def _finished(self, result: PrintResult) -> None:
        self.pending = max(0, self.pending - 1)
        self.results.append(result)
        if (
            result.outcome is PrintOutcome.FAILED
            and result.job not in self.failed
            and result.job.kind != PrintKind.DRAWER  # never opened "again" by a reprint
        ):
            self.failed.append(result.job)
        self.jobFinished.emit(result)
