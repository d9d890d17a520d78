"""PrintStatus (objectName ``printStatus``): what the printers are doing, in the window.

Shows "Printing…" while jobs run, what printed where, and, when a job failed, why and a
`reprintButton` that prints the failed documents again (marked COPY)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from enturf_pos.services.printing.print_log import PrintKind, PrintOutcome
from enturf_pos.ui.form_widgets import restyle
from enturf_pos.ui.printing.controller import PrintController, PrintJob, PrintResult


class PrintStatus(QFrame):
    def __init__(self, controller: PrintController, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("printStatus")
        self.controller = controller
        self.label = QLabel("", objectName="printMessage")
        self.label.setWordWrap(True)
        self.reprint = QPushButton("Print again (COPY)", objectName="reprintButton")
        self.reprint.setToolTip("Print the documents that failed again, marked COPY")
        self.reprint.hide()
        self.note = ""  # shown once the jobs running now have finished
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reprint)
        self.hide()
        controller.jobStarted.connect(self._started)
        controller.jobFinished.connect(self._finished)
        self.reprint.clicked.connect(self._reprint)

    def _show(self, text: str, *, error: bool) -> None:
        self.label.setText(text)
        restyle(self.label, error=error)
        self.reprint.setVisible(bool(self.controller.failed))
        self.setVisible(bool(text) or bool(self.controller.failed))

    def _started(self, job: PrintJob) -> None:
        if not self.controller.failed:
            doing = "Opening" if job.kind == PrintKind.DRAWER else "Printing"
            self._show(f"{doing} the {job.label}…", error=False)

    def _finished(self, result: PrintResult) -> None:
        failed = self.controller.failed
        if result.job.kind == PrintKind.DRAWER:
            if result.ok:
                self._show(f"{result.title}: opened · {result.printer}", error=False)
            else:
                self._show(f"The cash drawer did not open: {result.message}", error=True)
            return
        if result.outcome is PrintOutcome.FAILED or failed:
            last = next((r for r in reversed(self.controller.results) if r.job in failed), result)
            more = f" ({len(failed)} documents not printed)" if len(failed) > 1 else ""
            self._show(f"{last.title} not printed: {last.message}{more}", error=True)
        elif result.outcome is PrintOutcome.CANCELLED:
            self._show(f"{result.title} not printed (cancelled).", error=False)
        else:
            pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
            text = f"{result.title} printed · {result.printer} · {pages}"
            if result.message:  # e.g. the paper is running low
                text = f"{text}. {result.message}"
            if self.note and not self.controller.busy:
                text, self.note = f"{text}. {self.note}", ""
            self._show(text, error=False)

    def _reprint(self) -> None:
        self.reprint.hide()
        self.controller.retry_failed()

    def show_note(self, text: str) -> None:
        """Information that is not a failure (e.g. no printer set for automatic prints);
        while jobs run, it follows their outcome."""
        if self.controller.busy:
            self.note = text
        else:
            self._show(text, error=False)
