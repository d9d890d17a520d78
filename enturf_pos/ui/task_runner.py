"""Runs service calls off the UI thread and hands results back on it (Qt signal).

    runner.run(lambda: auth_service.login(ctx=ctx, ...), on_done=window.show_result)

`on_done` runs on the UI thread with the function's return value. Services answer
result objects; an unexpected exception is logged and given to `on_error`, which by
default shows nothing (the caller's `on_done` is not called).
"""

from __future__ import annotations

import atexit
import itertools
import logging
import time
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


# Pools of runners that Qt deleted with their window. Qt destroys a pool by waiting for its
# tasks, on the UI thread, holding the GIL that a finishing task needs to hand its result
# over: the counter froze at logout when a task was still running. So a pool is no Qt
# child: it outlives its runner here until its last task ended (idle ones are let go).
_retired: list[QThreadPool] = []
_live: weakref.WeakSet[QThreadPool] = weakref.WeakSet()  # the pools of runners not deleted
_exiting = False


def _retire(pool: QThreadPool) -> None:
    if _exiting:
        # PySide's exit clean-up deletes every Qt object Python owns, pools included, in no
        # order: a retired pool may be gone already ("Internal C++ object already deleted").
        return
    _retired[:] = [p for p in _retired if p.activeThreadCount()]
    _retired.append(pool)


def wait_for_all_tasks(timeout_ms: int = 15_000) -> None:
    """Wait for the tasks of every runner, those of deleted windows too, then let go of the
    retired pools. Before the app's objects go (the tasks use its database)."""
    deadline = time.monotonic() + timeout_ms / 1000
    for pool in [*_live, *_retired]:
        if shiboken6.isValid(pool):
            pool.waitForDone(max(0, int((deadline - time.monotonic()) * 1000)))
    _retired.clear()


@atexit.register
def _quiet_exit() -> None:
    """Python's exit hooks run last registered first: this one (registered after PySide's
    import) before PySide deletes the Qt objects."""
    global _exiting
    _exiting = True
    wait_for_all_tasks(
        3_000
    )  # `app.run` waited already; a task stuck on the network must not hold the exit


class _Relay(QObject):
    """Carries a task's result from its worker thread to the runner. A task emits on its
    relay, which the task itself keeps alive, never on the runner: Qt may delete the runner
    with its window on the UI thread while a worker emits, and emitting on an object being
    deleted crashes the process. Qt drops a queued result whose receiver is gone."""

    finished = Signal(int, bool, object)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool()  # not a Qt child: see _retired
        self._pool.setMaxThreadCount(max_threads)
        pool = self._pool
        _live.add(pool)
        self.destroyed.connect(lambda *_: _retire(pool))
        self._ids = itertools.count(1)
        self._callbacks: dict[
            int, tuple[Callable[[Any], None], Callable[[Exception], None] | None]
        ] = {}
        self._closed = False
        self._relay = _Relay()  # no Qt parent: the tasks hold it (see _Relay)
        self._relay.finished.connect(self._deliver)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        if self._closed:
            return
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error)
        relay = self._relay

        def work() -> None:
            try:
                result, ok = fn(), True
            except Exception as exc:  # a bug: log it, never crash the counter
                log.exception("background task failed")
                result, ok = exc, False
            try:
                relay.finished.emit(task_id, ok, result)
            except RuntimeError:  # the relay's wrapper outlived it: nobody waits
                log.debug("result of task %s dropped: its runner is gone", task_id)

        self._pool.start(work)

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, result: Any) -> None:
        on_done, on_error = self._callbacks.pop(task_id, (None, None))
        if self._closed or on_done is None:
            return
        if ok:
            on_done(result)
        elif on_error is not None:
            on_error(result)

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def shutdown(self, timeout_ms: int = 15_000) -> None:
        """Stop delivering results and wait for running tasks (network timeouts are short)."""
        self._closed = True
        self._pool.waitForDone(timeout_ms)
