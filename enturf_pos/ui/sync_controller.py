"""The sync controller: the one object windows listen to for online / offline / syncing.

Two timers:

* the ping (every `ping_seconds`, always): is the server reachable? It drives the
  online / offline state between syncs, and when the link comes back while someone is
  logged in it starts a sync at once;
* the sync (once a session is set with `set_session`): every `interval_seconds` a full
  sync runs on the sync worker (push, then pull). While the server is unreachable the
  next try waits twice as long each time, up to `max_backoff_seconds`. `sync_now` (the
  *Sync now* action, F5) tries at once and resets the backoff.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from enturf_core.wire import feed
from enturf_pos.services.session.api_client import PING_TIMEOUT
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import counter_update, outbox_service, sync_engine
from enturf_pos.services.sync.sync_engine import SyncReport
from enturf_pos.services.sync.sync_session import SessionCredentials
from enturf_pos.ui.sync_worker import SyncWorker
from enturf_pos.ui.task_runner import TaskRunner

# What the signed-in user's rights are read from: the grants, and the site's settings (a
# cashier's refund limit)
GRANT_ENTITIES = (feed.ROLE_RIGHTS, feed.SETTINGS)

CHECKING = "checking"
ONLINE = "online"
OFFLINE = "offline"
SYNCING = "syncing"


def probe(ctx: PosContext) -> tuple[bool, outbox_service.OutboxSummary]:
    """Worker-thread half: is the server reachable, and what waits to be sent. A server
    whose wire format this counter cannot sync with counts as unreachable: the counter
    sells offline (from its allocation) until it is updated (`counter_update`)."""
    client = ctx.api_client(timeout=PING_TIMEOUT)
    try:
        reachable = client.ping() if client is not None else False
    finally:
        if client is not None:
            client.close()
    reachable = reachable and not counter_update.wire_refused(ctx)
    return reachable, outbox_service.summary(ctx=ctx)


class SyncController(QObject):
    stateChanged = Signal(str)
    progressChanged = Signal(int, int)  # done, total (0: nothing to show; -1: unknown)
    lastSyncChanged = Signal(object)  # aware datetime or None
    pendingChanged = Signal(int)
    issuesChanged = Signal(int)  # conflicts + refused edits waiting for the manager
    messageChanged = Signal(str)  # why the last sync did not succeed ("" when it did)
    dataChanged = Signal()  # a sync wrote to the local database: windows reload
    syncFinished = Signal(object)  # SyncReport
    refusalChanged = Signal(str)  # why sync is stopped until an update ("" when it is not)
    grantsChanged = Signal()  # a sync brought role grants (or what they depend on)
    accountDisabled = Signal()  # the server refuses the signed-in user's login: deactivated

    def __init__(
        self,
        ctx: PosContext,
        runner: TaskRunner,
        *,
        ping_seconds: float,
        interval_seconds: float = 15.0,
        max_backoff_seconds: float = 60.0,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
        self.state = CHECKING
        self.reachable: bool | None = None
        self.pending = 0
        self.issues = 0
        self.message = ""
        self.refusal = ""  # the wire formats do not meet (`counter_update`)
        self.last_sync: datetime | None = None
        self.progress = (0, 0)
        self.interval_ms = int(interval_seconds * 1000)
        self.max_backoff_ms = max(self.interval_ms, int(max_backoff_seconds * 1000))
        self.failures = 0
        self._credentials: SessionCredentials | None = None
        self._session = False
        self._syncing = False
        self._probing = False
        self._stopped = False
        self._again = False
        self.worker = SyncWorker(ctx, self)
        self.worker.progress.connect(self.report_progress)
        self.worker.finished.connect(self._synced)
        self._ping_timer = QTimer(self)
        self._ping_timer.setInterval(int(ping_seconds * 1000))
        self._ping_timer.timeout.connect(self.check_now)
        self._timer = QTimer(self)  # the next sync
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start_sync)

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        self._stopped = False
        if not self._ping_timer.isActive():
            self._ping_timer.start()
        self.check_now()
        if self._session and not self._timer.isActive():
            self._start_sync()

    def stop(self) -> None:
        self._stopped = True
        self._ping_timer.stop()
        self._timer.stop()

    def shutdown(self) -> None:
        self.stop()
        self.worker.wait()

    def set_session(self, credentials: SessionCredentials | None, *, active: bool = True) -> None:
        """Who is logged in (`active`): sync runs for them; None / inactive: ping only."""
        if self._credentials is not None and self._credentials is not credentials:
            self._credentials.forget()
        self._credentials = credentials
        self._session = active
        if active and not self._stopped:
            self.sync_now()
        elif not active:
            self._timer.stop()

    @property
    def next_delay_ms(self) -> int:
        return min(self.max_backoff_ms, self.interval_ms * (2**self.failures))

    def _schedule(self) -> None:
        if not self._stopped and self._session:
            self._timer.start(self.next_delay_ms)

    # -- ping ----------------------------------------------------------------------------

    def check_now(self) -> None:
        if self._probing:
            return
        self._probing = True
        ctx = self._ctx
        self._runner.run(lambda: probe(ctx), self._probed, self._probe_failed)

    def _probed(self, answer: tuple[bool, outbox_service.OutboxSummary]) -> None:
        self._probing = False
        reachable, summary = answer
        came_back = reachable and self.reachable is False
        self.reachable = reachable
        self._set_pending(summary.pending)
        self._set_last_sync(summary.last_good_sync)
        if not self._syncing:
            self._set_state(ONLINE if reachable else OFFLINE)
        if came_back and self._session:
            self.sync_now()  # the link is back: send what waits now, not after the backoff

    def _probe_failed(self, _exc: Exception) -> None:
        self._probing = False
        self.reachable = False
        if not self._syncing:
            self._set_state(OFFLINE)

    # -- sync ----------------------------------------------------------------------------

    def sync_now(self) -> None:
        """Sync at once (the *Sync now* action); resets the backoff. Without a session
        (nobody logged in) it checks reachability only."""
        self.failures = 0
        if self._session:
            self._start_sync()
        else:
            self.check_now()

    def send_now_if_online(self) -> None:
        """Something was queued locally (a manager's edit): while the server answers, send
        it now rather than at the next timer tick; offline, the link coming back sends it."""
        if self.reachable and not self._stopped:
            self.sync_now()

    def _start_sync(self) -> None:
        if self._stopped or not self._session:
            return
        if self.worker.running:
            self._again = True  # asked for during a run: one more right after it
            return
        self._timer.stop()
        if self.worker.start(self._credentials):
            self.begin_sync(0)

    def _synced(self, report: SyncReport) -> None:
        self.reachable = report.reachable and not report.wire_refused  # refused: sell offline
        changed = bool((report.pull and report.pull.entries) or (report.push and report.push.sent))
        self.end_sync(
            ok=report.ok, pending=report.pending, at=report.finished_at if report.ok else None
        )
        self._set_issues(report.conflicts + report.rejected)
        self._set_message("" if report.ok else report.message)
        if report.reachable:  # unreachable says nothing about the formats
            self._set_refusal(report.message if report.wire_refused else "")
        if report.reachable:
            self.failures = 0
        else:
            self.failures = min(self.failures + 1, 16)
        if changed:
            self.dataChanged.emit()
        if report.pull is not None and report.pull.brought(*GRANT_ENTITIES):
            self.grantsChanged.emit()
        self.syncFinished.emit(report)
        if report.account_disabled:
            self.accountDisabled.emit()
        if report.device_revoked:
            self.stop()
        elif self._again and report.reachable:
            self._again = False
            self._start_sync()
        else:
            self._again = False
            self._schedule()

    def refresh_counts(self) -> None:
        """After a local edit: how many ops wait, and how many issues are open (fast)."""
        pending, conflicts, rejected = sync_engine.counts(self._ctx)
        self._set_pending(pending)
        self._set_issues(conflicts + rejected)

    # -- for the sync engine (also usable directly) --------------------------------------

    def begin_sync(self, total: int = 0) -> None:
        self._syncing = True
        self._set_state(SYNCING)
        self.report_progress(0, total)

    def report_progress(self, done: int, total: int) -> None:
        self.progress = (done, total)
        self.progressChanged.emit(done, total)

    def end_sync(self, *, ok: bool, pending: int | None = None, at: datetime | None = None) -> None:
        """`at`: when the sync finished (the engine recorded it); None records now."""
        self._syncing = False
        self.report_progress(0, 0)
        if ok:
            if at is None:
                at = datetime.now(UTC)
                outbox_service.record_good_sync(ctx=self._ctx, at=at)
            self._set_last_sync(at)
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

    def _set_issues(self, issues: int) -> None:
        if issues != self.issues:
            self.issues = issues
            self.issuesChanged.emit(issues)

    def _set_message(self, message: str) -> None:
        if message != self.message:
            self.message = message
            self.messageChanged.emit(message)

    def _set_refusal(self, refusal: str) -> None:
        if refusal != self.refusal:
            self.refusal = refusal
            self.refusalChanged.emit(refusal)

    def _set_last_sync(self, at: datetime | None) -> None:
        if at != self.last_sync:
            self.last_sync = at
            self.lastSyncChanged.emit(at)
