"""The door's work, off the UI thread: scans, overrides and the figures go through a task
runner of one thread, so that scans are answered in the order they were made and the
window never waits for the network (an online scan) or for a sync holding the local
database. The window only lays out and shows what this object's signals carry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from enturf_pos.services.door import door_service
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.door.recent_scans import RECENT_LIMIT
from enturf_pos.ui.task_runner import TaskRunner

UNEXPECTED = "This scan could not be checked; it was logged. Scan it again."


class DoorScans(QObject):
    answered = Signal(object)  # door_service.ScanResult of a scan or an override
    failed = Signal(str)  # a bug, in plain words (the details are logged)
    recentChanged = Signal(list)  # the last scans, newest first
    countsChanged = Signal(object)  # (in, out, inside) or None
    pendingChanged = Signal(int)  # scans asked for and not answered yet
    overrideRefused = Signal(str)  # what to fix (a wrong password, no reason...)
    modeChecked = Signal(str)  # "online" / "offline": what the next scan will be

    def __init__(self, ctx: PosContext, runner: TaskRunner, parent: QObject | None = None) -> None:
        """`runner`: the window's, of one thread (`max_threads=1`)."""
        super().__init__(parent)
        self._ctx = ctx
        self.runner = runner
        self.pending = 0
        self.last: Any = None  # the last ScanResult shown

    def _begin(self) -> None:
        self.pending += 1
        self.pendingChanged.emit(self.pending)

    def _end(self) -> None:
        self.pending = max(0, self.pending - 1)
        self.pendingChanged.emit(self.pending)

    def scan(
        self, *, code: str, list_id: int, gate: str, kind: str, online: bool | None, user: str
    ) -> None:
        ctx = self._ctx
        self._begin()
        self.runner.run(
            lambda: door_service.scan(
                ctx=ctx, code=code, list_id=list_id, gate=gate, kind=kind, online=online, user=user
            ),
            lambda result: self._answered(result, list_id),
            self._crashed,
        )

    def override(
        self, *, scan_id: Any, reason: str, supervisor: str, password: str, list_id: int | None
    ) -> None:
        ctx = self._ctx

        def work() -> Any:
            try:
                return door_service.override(
                    ctx=ctx,
                    scan_id=scan_id,
                    reason=reason,
                    supervisor=supervisor,
                    password=password,
                )
            except door_service.OverrideRefused as refused:  # an answer, not a bug
                return refused

        def done(answer: Any) -> None:
            if isinstance(answer, door_service.OverrideRefused):
                self._end()
                self.overrideRefused.emit(answer.message)
            else:
                self._answered(answer, list_id)

        self._begin()
        self.runner.run(work, done, self._crashed)

    def check_mode(self, *, server_back: bool = False) -> None:
        """Whether the next scan asks the server (a user session, no recent failure);
        `server_back`: the sync's ping saw the server answer again, try it at once."""
        ctx = self._ctx

        def work() -> str:
            if server_back:
                door_service.server_is_back(ctx=ctx)
            return door_service.current_mode(ctx=ctx)

        self.runner.run(work, self.modeChecked.emit)

    def refresh(self, list_id: int | None) -> None:
        """The last scans and the list's figures, from the local database."""
        ctx = self._ctx

        def read() -> tuple[list[Any], tuple[int, int, int] | None]:
            recent = list(door_service.recent_scans(ctx=ctx, limit=RECENT_LIMIT))
            counts = door_service.door_counts(ctx=ctx, list_id=list_id) if list_id else None
            return recent, counts

        self.runner.run(read, self._refreshed)

    def _answered(self, result: Any, list_id: int | None) -> None:
        self._end()
        self.last = result
        self.answered.emit(result)
        self.refresh(list_id)

    def _crashed(self, _exc: Exception) -> None:
        self._end()
        self.failed.emit(UNEXPECTED)

    def _refreshed(self, answer: tuple[list[Any], tuple[int, int, int] | None]) -> None:
        recent, counts = answer
        self.recentChanged.emit(recent)
        self.countsChanged.emit(tuple(counts) if counts is not None else None)
