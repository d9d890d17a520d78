"""Cold start of the desktop POS: process start until the login window is on screen.

What it measures: a new `python -m enturf_pos` process (offscreen Qt) on a registered
counter's data folder, from spawning the process until the app reports that the login
window was shown (the app prints `first-window <name> <seconds since main()>` and quits
when ENTURF_POS_EXIT_WHEN_SHOWN is set). Also the very first start on an empty folder
(schema migrations included) to the setup window. Target: login window < 1.5 s.

    .venv/bin/python bench/pos_cold_start.py [runs]

The counter's device token comes from `BenchKeyring` (bench/bench_keyring.py, the
child's keyring backend via PYTHON_KEYRING_BACKEND): the bench needs no server, and the
app only checks that the token exists before it shows the login window. The packaged
build against this source install: bench/dist_bench.py.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 1.5
BENCH_DIR = Path(__file__).resolve().parent


def prepare_registered(data_dir: Path) -> None:
    from datetime import UTC, datetime

    from enturf_pos.config import PosConfig
    from enturf_pos.models import Device
    from enturf_pos.services.session.pos_context import open_context

    ctx = open_context(PosConfig(data_dir=data_dir))
    with ctx.db.transaction() as session:
        session.add(
            Device(
                id=1,
                server_url="http://127.0.0.1:9",  # nothing listens: the app starts offline
                device_id="1",
                name="Bench counter",
                registered_at=datetime.now(UTC),
            )
        )
    ctx.close()


def start_once(data_dir: Path) -> tuple[float, float, str]:
    """(wall seconds from spawn, seconds the app measured from main(), window name)."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ENTURF_POS_EXIT_WHEN_SHOWN": "1",
        "ENTURF_POS_DATA_DIR": str(data_dir),
        "PYTHON_KEYRING_BACKEND": "bench_keyring.BenchKeyring",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH_DIR), os.environ.get("PYTHONPATH")])),
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "enturf_pos"], env=env, capture_output=True, text=True, timeout=120
    )
    wall = time.perf_counter() - started
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("first-window ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"the app did not report a window:\n{done.stdout}\n{done.stderr}")
    _, window, inner = line.split()
    return wall, float(inner), window


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh"
        wall, inner, window = start_once(fresh)
        print(
            f"first start, empty folder (migrations) -> {window}: {wall:.3f} s wall, {inner:.3f} s in main()"
        )

        registered = Path(tmp) / "registered"
        prepare_registered(registered)
        start_once(registered)  # warm the OS file cache once; not counted
        walls, inners = [], []
        for _ in range(runs):
            wall, inner, window = start_once(registered)
            assert window == "loginWindow", window
            walls.append(wall)
            inners.append(inner)
        median = statistics.median(walls)
        print(
            f"cold start -> loginWindow over {runs} runs: median {median:.3f} s wall "
            f"(min {min(walls):.3f}, max {max(walls):.3f}); in main(): median "
            f"{statistics.median(inners):.3f} s"
        )
        print(
            f"target {TARGET_SECONDS:.1f} s: median is {median / TARGET_SECONDS:.2f} x the target "
            f"({'met' if median < TARGET_SECONDS else 'NOT met'}); machine load {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
