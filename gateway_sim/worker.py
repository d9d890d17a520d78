"""The simulator's background thread: webhook deliveries and auto-approving readers."""

from __future__ import annotations

import logging
import threading
import time

from . import webhooks
from .api.terminal import approve_due
from .config import SimConfig
from .context import Context
from .store import Store

log = logging.getLogger("gateway_sim.worker")

IDLE_WAIT = 5.0


class BackgroundWorker:
    def __init__(self, store: Store, config: SimConfig) -> None:
        self.store = store
        self.config = config
        self._wake = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="gateway-sim-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        self._thread.join(timeout=15)

    def notify(self) -> None:
        with self._wake:
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    return
                due = [
                    d
                    for d in (self.store.next_approval_due(), self.store.next_delivery_due())
                    if d is not None
                ]
                wait = min(due) - time.time() if due else IDLE_WAIT
                if wait > 0:
                    self._wake.wait(timeout=min(wait, IDLE_WAIT))
                if self._stopping:
                    return
            try:
                self._work()
            except Exception:  # keep the worker alive; the next round retries
                log.exception("background work failed")
                time.sleep(0.5)

    def _work(self) -> None:
        now = time.time()
        for reader_id in self.store.due_approvals(now):
            with self.store.transaction():
                approve_due(Context(self.store, self.config, now=time.time()), reader_id)
        for delivery in self.store.due_deliveries(time.time()):
            if self._stopping:
                return
            webhooks.deliver(self.store, self.config, delivery)
