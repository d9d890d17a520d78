#!/usr/bin/env python
"""The door window while a sync runs: the longest stall of its event loop, and the scans it
takes meanwhile (issue 15: "the window never blocks while a sync runs").

    .venv/bin/python bench/door_sync_stall_bench.py [--seats 10000] [--scan-every 0.1]

Setup (not timed): the real server (`tests/support/server_process.py`, SQLite,
`runserver`), an event of ``--seats`` seats all sold in paid bookings whose lines carry
server-signed codes (made in `enturf-server shell`), a door device registered with it and
set to door duty, the cashier logged in. The door window (offscreen, 1366 x 768) with its
own sync controller, as the app makes them.

1. **first sync**: the door's first pull (the snapshot: settings, keys, the event, its
   list and one admission per seat) runs on the sync worker; the window is idle.
2. **a sync of N changes while scanning**: the server publishes every line's admission
   again, each booking's version one higher (N changes in the feed, each applied), the door syncs (*Sync now*), and every ``--scan-every``
   seconds a code is scanned into ``scanInput`` (set, then Enter, as a scanner ends its
   code) until the sync has finished: online, so the server (also serving the pull)
   decides each. One scan at a time: scans faster than the server answers them queue up
   (the door runs them in order), which is no stall of the window.

For both: the sync's duration; the event loop's longest stall and its 99th percentile (a
2 ms timer notes how late each tick comes); for 2, the scans answered during the sync and
their time from Enter to the verdict on screen. The load average before and after (the
machine is shared: wall times move with it; the stall is what a person at the door feels).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

import keyring  # noqa: E402
from load_tools import percentile  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from support.door_live import set_door_duty  # noqa: E402
from support.memory_keyring import MemoryKeyring  # noqa: E402
from support.server_process import USERS, running_server  # noqa: E402
from support.sync_support import AdminApi, open_counter, register  # noqa: E402

from enturf_pos.services.session import auth_service  # noqa: E402
from enturf_pos.services.sync.sync_session import SessionCredentials  # noqa: E402
from enturf_pos.ui.app import create_application  # noqa: E402
from enturf_pos.ui.door.window import DoorWindow  # noqa: E402
from enturf_pos.ui.sync_controller import SyncController  # noqa: E402
from enturf_pos.ui.task_runner import TaskRunner  # noqa: E402
from enturf_pos.ui.window_flow import settle_heap  # noqa: E402

SOLD_HALL = """
import sys, json
sys.path[:0] = [{root!r}, {tests!r}, {bench!r}]
from checkin_bench import sold_hall
from enturf_server.checkins.models import CheckinList
list_id, codes = sold_hall({seats})
event = CheckinList.objects.get(pk=list_id).event_id
print(json.dumps({{"event": event, "list": list_id, "codes": codes[:2000]}}))
"""

REPUBLISH = """
from django.db.models import F
from enturf_server.checkins import feed
from enturf_server.sales.models import Booking
from enturf_server.sync import changes
with changes.atomic():
    Booking.objects.update(version=F("version") + 1)  # as if each changed: a new admission
    for booking in Booking.objects.prefetch_related("lines").iterator(chunk_size=500):
        feed.emit_line_admissions(booking, list(booking.lines.all()))
print("republished")
"""


class GcPauses:
    """The garbage collector's pauses (any thread's: a collection stops them all)."""

    def __init__(self) -> None:
        self.pauses: list[tuple[float, int]] = []  # (ms, generation)
        self._began = 0.0
        gc.callbacks.append(self._note)

    def _note(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.pauses.append(((time.perf_counter() - self._began) * 1000, info["generation"]))

    def take(self) -> str:
        pauses, self.pauses = self.pauses, []
        if not pauses:
            return "no garbage collection"
        worst = max(pauses)
        return (
            f"garbage collections {len(pauses)}, longest {worst[0]:.0f} ms (generation {worst[1]})"
        )


class StallMeter:
    """A 2 ms timer: how late each of its ticks comes is how long the loop was busy."""

    TICK_MS = 2

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(self.TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._last = 0

    def start(self) -> None:
        self.gaps = []
        self.clock.start()
        self._last = 0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.gaps.append(max(0, now - self._last - self.TICK_MS))
        self._last = now

    def __str__(self) -> str:
        if not self.gaps:
            return "no ticks"
        return (
            f"event loop: longest stall {max(self.gaps):.0f} ms, "
            f"p99 {percentile(self.gaps, 99):.0f} ms over {len(self.gaps)} ticks"
        )


def wait_until(condition, timeout: float) -> None:
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if condition() else None)
    poll.start(10)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(int(timeout * 1000))
    loop.exec()
    poll.stop()
    if not condition():
        raise SystemExit(f"timed out waiting for {condition.__code__.co_firstlineno}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seats", type=int, default=10_000)
    parser.add_argument("--scan-every", type=float, default=0.5, help="seconds")
    parser.add_argument(
        "--no-settle", action="store_true", help="without window_flow.settle_heap (gc.freeze)"
    )
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    tmp = Path(tempfile.mkdtemp(prefix="enturf-door-stall-"))
    import json

    with running_server(tmp / "server") as server:
        load0 = os.getloadavg()[0]
        print(f"setting up {args.seats:,} sold seats ...", flush=True)
        sold = json.loads(
            server.shell(
                SOLD_HALL.format(
                    root=str(ROOT),
                    tests=str(ROOT / "tests"),
                    bench=str(ROOT / "bench"),
                    seats=args.seats,
                )
            )
            .strip()
            .splitlines()[-1]
        )
        ctx = register(open_counter(tmp / "door"), server, server.base_url, "Door 1")
        set_door_duty(AdminApi(server), ctx)
        password = USERS["cashier"][1]
        logged = auth_service.login(ctx=ctx, username="cashier", password=password)
        assert logged.ok and logged.user is not None, logged.message

        create_application()
        runner = TaskRunner()
        sync = SyncController(ctx, runner, ping_seconds=5, interval_seconds=3600)
        window = DoorWindow(ctx=ctx, user=logged.user, sync=sync)
        sync.dataChanged.connect(window.refresh)  # as the app's window flow wires it
        window.resize(1366, 768)
        window.show()
        if not args.no_settle:
            settle_heap()  # as the app's window flow does once a main window is up
        meter = StallMeter()
        collections = GcPauses()

        collections.take()
        meter.start()
        started = time.perf_counter()
        sync.start()
        sync.set_session(SessionCredentials("cashier", password))
        wait_until(lambda: sync.worker.running, 30)
        wait_until(lambda: not sync.worker.running, 900)
        first = time.perf_counter() - started
        meter.stop()
        print(
            f"1. first sync (snapshot with {args.seats:,} admissions): {first:.1f} s; {meter}; "
            f"{collections.take()}",
            flush=True,
        )

        combo = window.picker.event_combo
        wait_until(lambda: combo.findData(sold["event"]) >= 0, 30)
        window.picker.choose(event_id=sold["event"], list_id=sold["list"], gate="Main")
        wait_until(lambda: window.picker.list_id == sold["list"], 30)
        server.shell(REPUBLISH)
        codes = iter(sold["codes"])
        asked: dict[int, float] = {}
        answered: list[float] = []

        def scan_one() -> None:
            if not sync.worker.running:
                return
            code = next(codes, None)
            if code is None:
                return
            asked[len(asked)] = time.perf_counter()
            window.scan_input.setText(code)
            QTest.keyClick(window.scan_input, Qt.Key.Key_Return)

        def shown(_result) -> None:
            if len(answered) < len(asked):
                answered.append(time.perf_counter() - asked[len(answered)])

        window.scans.answered.connect(shown)
        scanner = QTimer()
        scanner.timeout.connect(scan_one)
        collections.take()
        meter.start()
        started = time.perf_counter()
        sync.sync_now()
        scanner.start(int(args.scan_every * 1000))
        wait_until(lambda: sync.worker.running, 30)
        wait_until(lambda: not sync.worker.running, 900)
        second = time.perf_counter() - started
        scanner.stop()
        meter.stop()
        wait_until(lambda: window.scans.pending == 0, 60)
        ms = [a * 1000 for a in answered]
        print(
            f"2. sync of {args.seats:,} changes while scanning: {second:.1f} s; {meter}; "
            f"{collections.take()}\n"
            f"   {len(asked)} scans during it, {len(answered)} verdicts shown"
            + (
                f"; Enter to verdict p50 {percentile(ms, 50):.0f} ms, "
                f"p95 {percentile(ms, 95):.0f} ms, max {max(ms):.0f} ms"
                if ms
                else ""
            )
        )
        print(f"   load {load0:.2f} -> {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
        window.runner.shutdown()
        window.close()
        sync.shutdown()
        runner.shutdown()
        ctx.close()


if __name__ == "__main__":
    main()
