"""BackgroundChecks: the checks of a document, run on a thread so that drawing a
100,000-seat map does not stop for the second they take there.

The document's parts are immutable and an edit only replaces them, so the thread checks
``document.snapshot()`` (its dicts copied, the parts shared) while the manager edits.
Each run has a number; an answer that a newer run or change overtook is dropped.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from enturf_core.seatmap_editing.checks import Problem, check_document
from enturf_core.seatmap_editing.document import SeatMapDocument


class BackgroundChecks(QObject):
    checked = Signal(int, object)  # run number, list[Problem]
    _done = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run_number = 0
        self.running = False
        self._done.connect(self._finished)  # queued: emitted on the worker thread

    def newer(self) -> int:
        """A new run number: answers of earlier runs are dropped."""
        self.run_number += 1
        return self.run_number

    def start(self, document: SeatMapDocument, pitch: float | None) -> None:
        number = self.newer()
        copied = document.snapshot()
        self.running = True

        def work() -> None:
            self._done.emit(number, check_document(copied, pitch=pitch))

        threading.Thread(target=work, name="seat-map checks", daemon=True).start()

    def _finished(self, number: int, problems: list[Problem]) -> None:
        if number == self.run_number:
            self.running = False
            self.checked.emit(number, problems)
