"""The sync controller: the one object windows listen to for online / offline / syncing.

Today it checks reachability on a timer (a ping through the API client on a worker
thread) and counts what is waiting in the outbox. The sync engine (next step) drives
`begin_sync` / `report_progress` / `end_sync`; the widgets need no change for that.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from enturf_pos.services import outbox_service
from enturf_pos.services.api_client import PING_TIMEOUT
from enturf_pos.services.pos_context import PosContext
from enturf_pos.ui.task_runner import TaskRunner

CHECKING = "checking"
ONLINE = "online"
OFFLINE = "offline"
SYNCING = "syncing"


def probe(ctx: PosContext) -> tuple[bool, outbox_service.OutboxSummary]:
    """Worker-thread half: is the server reachable, and what waits to be sent."""
    client = ctx.api_client(timeout=PING_TIMEOUT)
    try:
        reachable = client.ping() if client is not None else False
    finally:
        if client is not None:
            client.close()
    return reachable, outbox_service.summary(ctx=ctx)


class SyncController(QObject):
    stateChanged = Signal(str)
    progressChanged = Signal(int, int)  # done, total (total 0: no progress to show)
    lastSyncChanged = Signal(object)  # aware datetime or None
    pendingChanged = Signal(int)

    def __init__(
        self, ctx: PosContext, runner: TaskRunner, *, interval_seconds: float, parent=None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
        self.state = CHECKING
        self.reachable: bool | None = None
        self.pending = 0
        self.last_sync: datetime | None = None
        self.progress = (0, 0)
        self._syncing = False
        self._probing = False
        self._timer = QTimer(self)
        self._timer.setInterval(int(interval_seconds * 1000))
        self._timer.timeout.connect(self.check_now)

    def start(self) -> None:
        if not self._timer.isActive():
            self._timer.start()
        self.check_now()

    def stop(self) -> None:
        self._timer.stop()

    def check_now(self) -> None:
        if self._probing:
            return
        self._probing = True
        ctx = self._ctx
        self._runner.run(lambda: probe(ctx), self._probed, self._probe_failed)

    def _probed(self, answer: tuple[bool, outbox_service.OutboxSummary]) -> None:
        self._probing = False
        reachable, summary = answer
        self.reachable = reachable
        self._set_pending(summary.pending)
        self._set_last_sync(summary.last_good_sync)
        if not self._syncing:
            self._set_state(ONLINE if reachable else OFFLINE)

    def _probe_failed(self, _exc: Exception) -> None:
        self._probing = False
        self.reachable = False
        if not self._syncing:
            self._set_state(OFFLINE)

    # -- for the sync engine -------------------------------------------------------------

    def begin_sync(self, total: int = 0) -> None:
        self._syncing = True
        self._set_state(SYNCING)
        self.report_progress(0, total)

    def report_progress(self, done: int, total: int) -> None:
        self.progress = (done, total)
        self.progressChanged.emit(done, total)

    def end_sync(self, *, ok: bool, pending: int | None = None) -> None:
        self._syncing = False
        self.report_progress(0, 0)
        if ok:
            now = datetime.now(UTC)
            outbox_service.record_good_sync(ctx=self._ctx, at=now)
            self._set_last_sync(now)
        if pending is not None:
            self._set_pending(pending)
        self._set_state(ONLINE if ok else (ONLINE if self.reachable else OFFLINE))

    # -- state ---------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)

    def _set_pending(self, pending: int) -> None:
        if pending != self.pending:
            self.pending = pending
            self.pendingChanged.emit(pending)

    def _set_last_sync(self, at: datetime | None) -> None:
        if at != self.last_sync:
            self.last_sync = at
            self.lastSyncChanged.emit(at)
