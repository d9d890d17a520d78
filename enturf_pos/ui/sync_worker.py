"""Runs `sync_engine.run_sync` off the UI thread, one run at a time.

A QThreadPool of one thread; progress and the final report come back to the UI thread
through queued signals (the worker object lives in the UI thread; signals emitted from
the pool thread are queued to it).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_engine
from enturf_pos.services.sync.sync_session import SessionCredentials

log = logging.getLogger(__name__)


class _Run(QRunnable):
    def __init__(self, worker: SyncWorker, credentials: SessionCredentials | None) -> None:
        super().__init__()
        self._worker = worker
        self._credentials = credentials

    def run(self) -> None:
        worker = self._worker
        try:
            report = sync_engine.run_sync(
                ctx=worker.ctx,
                credentials=self._credentials,
                progress=lambda done, total: worker.progress.emit(done, total),
            )
        except Exception as exc:  # a bug: log it, keep the counter running
            log.exception("sync crashed")
            report = sync_engine.SyncReport(
                False, True, f"Sync failed because of an error on this counter ({exc})."
            )
        worker.finished.emit(report)


class SyncWorker(QObject):
    progress = Signal(int, int)
    finished = Signal(object)  # SyncReport

    def __init__(self, ctx: PosContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.running = False
        self.finished.connect(self._done)

    def start(self, credentials: SessionCredentials | None) -> bool:
        if self.running:
            return False
        self.running = True
        self._pool.start(_Run(self, credentials))
        return True

    def _done(self, _report: object) -> None:
        self.running = False

    def wait(self, timeout_ms: int = 30_000) -> bool:
        return self._pool.waitForDone(timeout_ms)
