"""The shift bar of the cashier window (objectName ``shiftBar``): whether a shift is open,
and open / cash in / cash out / X report / close.

The bar shows clearly when no shift is open; a counter sells and refunds only inside an
open shift, so starting a payment without one brings up the open-shift dialog in place
(`open_shift(then=...)`: the payment goes on once the float is entered). After a close the Z report goes to the counter's report printer
(`ui.printing.PrintController`, kind ``report``) and shows in a dialog that can also save
it as a PDF. Service calls that may wait on the network (the close with an approval) run
through the window's TaskRunner.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from enturf_core.staff_rights import Right
from enturf_pos.services import venue_time
from enturf_pos.services.printing.escpos_device import EscposDevice, Writer
from enturf_pos.services.printing.escpos_reports import shift_report_writer
from enturf_pos.services.printing.shift_report_pdf import ReportPaper, render_shift_report
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.shift_records import (
    CASH_IN,
    CASH_OUT,
    ShiftInfo,
    ShiftReport,
    ShiftResult,
)
from enturf_pos.ui.cashier import rights_gate
from enturf_pos.ui.cashier.close_shift_dialog import CloseShiftDialog
from enturf_pos.ui.cashier.shift_dialogs import CashMovementDialog, OpenShiftDialog
from enturf_pos.ui.cashier.shift_report_dialog import ShiftReportDialog
from enturf_pos.ui.form_widgets import restyle
from enturf_pos.ui.printing.controller import PrintController, PrintResult
from enturf_pos.ui.task_runner import TaskRunner
from enturf_pos.ui.theme import themed

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong on this counter; it was logged. Please try again."
REPORT_KIND = "report"
SETTINGS_FILE = "shifts.ini"  # in the counter's data folder
PAPER_KEY = "report/paper"

BAR_STYLE = themed("""
QFrame#shiftBar { border-radius: 8px; padding: 2px 6px; }
QFrame#shiftBar[state="none"] { background: ${NO_SHIFT_BACK}; border: 1px solid ${NO_SHIFT_EDGE}; }
QFrame#shiftBar[state="open"] { background: ${SUCCESS_BACK}; border: 1px solid ${SUCCESS_EDGE}; }
QLabel#shiftStatusLabel { font-size: 15px; font-weight: 600; }
QFrame#shiftBar[state="none"] QLabel#shiftStatusLabel { color: ${OFFLINE_TEXT}; }
QFrame#shiftBar[state="open"] QLabel#shiftStatusLabel { color: ${SUCCESS_TEXT}; }
QLabel#shiftMessage { color: ${NAVY}; }
QLabel#shiftMessage[error="true"] { color: ${ERROR_TEXT}; }
""")


class ShiftPanel(QFrame):
    syncWanted = Signal()  # a shift op was queued: push it when online
    shiftChanged = Signal(object)  # ShiftInfo | None

    def __init__(
        self, *, ctx: PosContext, user: CurrentUser, runner: TaskRunner, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shiftBar")
        self.setStyleSheet(BAR_STYLE)
        self._ctx = ctx
        self._user = user
        self._runner = runner
        self._printing: PrintController | None = None
        self.shared_printing: PrintController | None = None  # the window's, once it has one
        self._listening: PrintController | None = None
        self._jobs: dict[int, str] = {}
        self._changes = 0  # shift changes made in this bar (stale refreshes are dropped)
        self.shift: ShiftInfo | None = None
        self.dialog: QWidget | None = None  # the dialog open now (tests drive it)
        self.last_pdf: Path | None = None
        self._settings = QSettings(
            str(ctx.config.data_dir / SETTINGS_FILE), QSettings.Format.IniFormat
        )
        self.paper = self._paper(self._settings.value(PAPER_KEY, ReportPaper.A4.value))

        self.status = QLabel("", objectName="shiftStatusLabel")
        self.message = QLabel("", objectName="shiftMessage")
        self.message.setWordWrap(True)
        self.open_button = QPushButton("Open shift", objectName="openShiftButton")
        self.cash_in_button = QPushButton("Cash in", objectName="cashInButton")
        self.cash_out_button = QPushButton("Cash out", objectName="cashOutButton")
        self.x_button = QPushButton("X report", objectName="xReportButton")
        self.close_button = QPushButton("Close shift (Z)", objectName="closeShiftButton")
        self.open_button.setToolTip("Open a shift with the cash float counted in the drawer")
        self.x_button.setToolTip("The shift's figures so far (nothing is closed)")
        self.close_button.setToolTip("Count the drawer, close the shift and print the Z report")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.status)
        layout.addWidget(self.message, 1)
        for button in (
            self.open_button,
            self.cash_in_button,
            self.cash_out_button,
            self.x_button,
            self.close_button,
        ):
            layout.addWidget(button)

        self.open_button.clicked.connect(lambda: self.open_shift())
        self.cash_in_button.clicked.connect(lambda: self.move_cash(CASH_IN))
        self.cash_out_button.clicked.connect(lambda: self.move_cash(CASH_OUT))
        self.x_button.clicked.connect(self.show_x_report)
        self.close_button.clicked.connect(self.close_shift)
        self._show(None)

    # -- state ---------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, asked = self._ctx, self._changes

        def loaded(shifts: tuple[ShiftInfo | None, ShiftInfo | None]) -> None:
            if asked != self._changes:  # this answer predates a change made here
                return
            current, last = shifts
            self._show(current)
            if last is not None and last.sync_problem:
                when = venue_time.text(last.opened_at, venue_time.SHORT)
                self.notify(
                    f"The server refused the shift opened {when} "
                    f"({last.sync_problem}). Ask an administrator to check it.",
                    error=True,
                )

        self._runner.run(
            lambda: (shift_service.current_shift(ctx=ctx), shift_service.last_shift(ctx=ctx)),
            loaded,
            lambda _e: self.notify(UNEXPECTED, error=True),
        )

    def _show(self, shift: ShiftInfo | None) -> None:
        self.shift = shift
        if shift is None:
            self.status.setText("No shift open")
            self.status.setToolTip(
                "The counter sells only inside a shift: open one with the cash float "
                "(a payment started now offers it)."
            )
            self.setProperty("state", "none")
        else:
            since = venue_time.text(shift.opened_at, venue_time.CLOCK)
            whose = "" if shift.cashier == self._user.username else f" by {shift.cashier_name}"
            self.status.setText(
                f"Shift open{whose} since {since} · float {shift.opening_float.format()}"
            )
            self.status.setToolTip("Every sale and refund at this counter counts in this shift.")
            self.setProperty("state", "open")
        for widget in (self, self.status):  # the label's colour follows the bar's state
            restyle(widget)
        is_open = shift is not None
        self.open_button.setEnabled(not is_open)
        for button in (self.cash_in_button, self.cash_out_button, self.x_button):
            button.setEnabled(is_open)
        self.close_button.setEnabled(is_open)
        self.shiftChanged.emit(shift)

    def notify(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        restyle(self.message, error=error)

    def _done(self, result: ShiftResult) -> None:
        self._changes += 1
        self.notify(result.message, error=not result.ok)
        self._show(shift_service.current_shift(ctx=self._ctx))
        if result.ok:
            self.syncWanted.emit()

    def _keep(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _code, d=dialog: self._forget(d))

    def _forget(self, dialog: QWidget) -> None:
        if self.dialog is dialog:  # a dialog opened since (the Z report after the close) stays
            self.dialog = None

    @staticmethod
    def _paper(value: object) -> ReportPaper:
        try:
            return ReportPaper(str(value))
        except ValueError:
            return ReportPaper.A4

    def set_paper(self, value: str) -> None:
        """A4 or the 80 mm roll for this counter's reports (kept in `shifts.ini`)."""
        self.paper = self._paper(value)
        self._settings.setValue(PAPER_KEY, self.paper.value)
        self._settings.sync()

    # -- open, cash in / out -------------------------------------------------------------

    def open_shift(self, then: Callable[[], object] | None = None) -> None:
        """The open-shift dialog; `then` runs once the shift is open (the payment that
        asked for it goes on)."""
        ctx, user = self._ctx, self._user.username

        def submit(text: str) -> ShiftResult:
            result = shift_service.open_shift(ctx=ctx, cashier=user, opening_float=text)
            if result.ok:
                self._done(result)
            return result

        dialog = OpenShiftDialog(self.window(), submit, asked_by_sale=then is not None)
        self._keep(dialog)
        if then is not None:
            dialog.accepted.connect(lambda: QTimer.singleShot(0, then))
        dialog.open()

    def move_cash(self, kind: str) -> None:
        ctx, user = self._ctx, self._user.username

        def submit(amount: str, reason: str) -> ShiftResult:
            if kind == CASH_OUT and (
                why := rights_gate.refusal(ctx, self._user, Right.CASH_OUT, "take cash out")
            ):
                return ShiftResult(False, why)  # taken away while the dialog was open
            result = shift_service.record_movement(
                ctx=ctx, kind=kind, amount=amount, reason=reason, user=user
            )
            if result.ok:
                self._done(result)
            return result

        dialog = CashMovementDialog(self.window(), kind, submit)
        self._keep(dialog)
        dialog.open()

    # -- reports ---------------------------------------------------------------------------

    def _with_report(self, then: Callable[[ShiftReport], object]) -> None:
        """The open shift's figures, read off the UI thread (a long shift has many sales)."""
        ctx = self._ctx
        self.notify("Counting the shift's figures…")

        def loaded(report: ShiftReport | None) -> None:
            if report is None:
                self.notify(shift_service.NO_OPEN_SHIFT, error=True)
                self._show(None)
                return
            self.notify("")
            then(report)

        self._runner.run(
            lambda: shift_service.shift_report(ctx=ctx),
            loaded,
            lambda _e: self.notify(UNEXPECTED, error=True),
        )

    def show_x_report(self) -> None:
        self._with_report(self._report_dialog)

    def _report_dialog(self, report: ShiftReport) -> ShiftReportDialog:
        dialog = ShiftReportDialog(self.window(), report, paper=self.paper.value)
        dialog.paperChanged.connect(self.set_paper)
        shift = report.shift
        dialog.printRequested.connect(lambda: self.print_report(shift, dialog))
        dialog.saveRequested.connect(lambda: self.save_report(shift, dialog))
        self._keep(dialog)
        dialog.open()
        return dialog

    @staticmethod
    def _name(shift: ShiftInfo) -> str:
        return "X report" if shift.is_open else "Z report"

    def _title(self, shift: ShiftInfo) -> str:
        when = venue_time.text(shift.opened_at, "%Y-%m-%d %H%M")
        return f"{self._name(shift)} {when} {shift.cashier_name or shift.cashier}"

    def printing(self) -> PrintController:
        """The window's print controller when it has one, else this bar's own."""
        if self.shared_printing is not None:
            controller = self.shared_printing
        else:
            if self._printing is None:
                self._printing = PrintController(
                    ctx=self._ctx, user=self._user.username, parent=self.window()
                )
            controller = self._printing
        if controller is not self._listening:
            controller.jobFinished.connect(self._printed)
            self._listening = controller
        return controller

    def _report_pdf(self, shift_id: uuid.UUID) -> Callable[[], bytes]:
        """The report's PDF on this counter's paper, for the task runner to render."""
        ctx, paper = self._ctx, self.paper

        def render() -> bytes:
            pdf = render_shift_report(ctx=ctx, shift_id=shift_id, paper=paper)
            if pdf is None:
                raise LookupError(f"shift {shift_id} is not on this counter")
            return pdf

        return render

    def _report_escpos(self, shift_id: uuid.UUID) -> Callable[[EscposDevice], Writer]:
        """The report on an ESC/POS printer's roll, in its own text (off the UI thread)."""
        ctx = self._ctx

        def writer(device: EscposDevice) -> Writer:
            made = shift_report_writer(ctx=ctx, shift_id=shift_id, width_dots=device.width_dots)
            if made is None:
                raise LookupError(f"shift {shift_id} is not on this counter")
            return made

        return writer

    def print_report(self, shift: ShiftInfo, dialog: ShiftReportDialog | None = None) -> None:
        render = self._report_pdf(shift.id)
        job = self.printing().print_pdf(
            REPORT_KIND, self._title(shift), render, escpos=self._report_escpos(shift.id)
        )
        self._jobs[job.id] = self._name(shift)
        text = f"Printing the {self._name(shift)}…"
        self.notify(text)
        if dialog is not None:
            dialog.notify(text)

    def _printed(self, result: PrintResult) -> None:
        name = self._jobs.pop(result.job.id, None)
        if name is None:
            return
        if result.ok:
            self.last_pdf = result.output
            where = f" ({result.printer})" if result.printer else ""
            self.notify(f"{name} printed{where}.")
        else:
            self.notify(result.message or f"The {name} was not printed.", error=True)
        if isinstance(self.dialog, ShiftReportDialog):
            self.dialog.notify(self.message.text())

    def save_report(self, shift: ShiftInfo, parent: QWidget) -> None:
        shift_id, title = shift.id, self._title(shift)
        chooser = QFileDialog(parent, "Save the report as PDF")
        chooser.setObjectName("saveReportDialog")
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilter("PDF files (*.pdf)")
        chooser.setDefaultSuffix("pdf")
        chooser.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        chooser.selectFile(f"{title.replace(' ', '-')}.pdf")
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        chooser.fileSelected.connect(lambda path: self._save(shift_id, Path(path), parent))
        chooser.open()

    def _save(self, shift_id: uuid.UUID, path: Path, dialog: QWidget) -> None:
        render = self._report_pdf(shift_id)

        def work() -> Path:
            path.write_bytes(render())
            return path

        def saved(written: Path) -> None:
            self.last_pdf = written
            self._tell(dialog, f"Saved {written}.")

        def failed(exc: Exception) -> None:
            text = (
                f"The PDF could not be written to {path}: {exc.strerror or exc}."
                if isinstance(exc, OSError)
                else UNEXPECTED
            )
            self._tell(dialog, text, error=True)

        self._runner.run(work, saved, failed)

    def _tell(self, dialog: QWidget, text: str, *, error: bool = False) -> None:
        self.notify(text, error=error)
        if isinstance(dialog, ShiftReportDialog):
            with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
                dialog.notify(text)

    # -- close -----------------------------------------------------------------------------

    def close_shift(self) -> None:
        self._with_report(self._close_dialog)

    def _close_dialog(self, report: ShiftReport) -> None:
        dialog = CloseShiftDialog(self.window(), report)
        dialog.closeRequested.connect(lambda request: self._close(dialog, request))
        self._keep(dialog)
        dialog.open()

    def _close(self, dialog: CloseShiftDialog, request) -> None:
        ctx = self._ctx
        self._runner.run(
            lambda: shift_service.close_shift(ctx=ctx, request=request),
            lambda result: self._closed(dialog, result),
            lambda _e: dialog.refused(ShiftResult(False, UNEXPECTED)),
        )

    def _closed(self, dialog: CloseShiftDialog, result: ShiftResult) -> None:
        if not result.ok:
            dialog.refused(result)
            return
        dialog.accept()
        self._done(result)
        ctx, shift_id = self._ctx, result.shift_id
        self._runner.run(
            lambda: shift_service.shift_report(ctx=ctx, shift_id=shift_id),
            self._print_z,
            lambda _e: self.notify(UNEXPECTED, error=True),
        )

    def _print_z(self, report: ShiftReport | None) -> None:
        if report is None:
            return
        shown = self._report_dialog(report)
        self.print_report(report.shift, shown)
