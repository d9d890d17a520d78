"""DraftSaver: a big map's draft written on a thread.

Writing 100,000 seats (the file dict, its JSON, SQLite) takes about a third of a second;
on the UI thread that is a stop after every pause in drawing. The parts of the document
are immutable, so a ``snapshot()`` is written while the manager goes on. One save at a
time; ``wait()`` (publishing, closing, opening another draft) lets the running one end
first, so saves land in the order they were made.
"""

from __future__ import annotations

import contextlib
import threading
import uuid

from PySide6.QtCore import QObject, Signal

from enturf_core.seatmap_editing.document import SeatMapDocument
from enturf_pos.services.catalog import seatmap_drafts
from enturf_pos.services.session.pos_context import PosContext

Result = tuple[uuid.UUID, int, str]  # draft, change number, why not saved ("" : saved)


class DraftSaver(QObject):
    finished = Signal(object, int, str)  # draft id, change number, error ("" : saved)
    _done = Signal()

    def __init__(self, ctx: PosContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._thread: threading.Thread | None = None
        self._result: Result | None = None
        self._done.connect(self._deliver)  # queued: emitted on the worker thread

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, draft_id: uuid.UUID, document: SeatMapDocument, number: int) -> None:
        """Write ``document`` (a snapshot) to the draft; call when not ``running``."""
        snapshot = document.snapshot()

        def work() -> None:
            try:
                seatmap_drafts.save_draft(
                    ctx=self.ctx, draft_id=draft_id, document=snapshot.to_file_dict()
                )
                error = ""
            except (ValueError, seatmap_drafts.DraftMissing) as problem:
                error = str(problem)
            except Exception as problem:
                error = f"the draft could not be written ({problem})"
            self._result = (draft_id, number, error)
            with contextlib.suppress(RuntimeError):  # the editor was closed meanwhile
                self._done.emit()

        self._thread = threading.Thread(target=work, name="seat-map draft save", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Let a running save end, and report it now."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._deliver()

    def _deliver(self) -> None:
        result, self._result = self._result, None
        if result is not None:
            self.finished.emit(*result)
