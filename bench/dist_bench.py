"""The packaged counter (`make dist`) against the source install: size and cold start.

What it measures, for each of the source install (`python -m enturf_pos`) and the build
(`dist/enturf-pos/enturf-pos`), offscreen, each a new process timed from spawn to exit:

* `--check` on an empty data folder (creates the database, runs every migration), once;
* `--check` on a migrated folder, the median of N runs;
* up to the login window shown (a registered counter, as bench/pos_cold_start.py: the
  app prints `first-window loginWindow <s since main()>` and quits), the median of N.

One start of each kind is made first and not counted (the OS file cache warm, as on a
counter used every day); the very first start after unpacking is slower. Also the size
of the built folder and archive. Run `make dist` first.

    .venv/bin/python bench/dist_bench.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from pos_cold_start import prepare_registered  # noqa: E402

BUILT = (
    ROOT / "dist" / "enturf-pos" / ("enturf-pos.exe" if sys.platform == "win32" else "enturf-pos")
)


def keyring_config(config_home: Path) -> None:
    """Name bench_keyring.BenchKeyring in keyring's config file: the build ignores
    PYTHONPATH and PYTHON_KEYRING_BACKEND's module would not be found."""
    folder = config_home / "python_keyring"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "keyringrc.cfg").write_text(
        f"[backend]\ndefault-keyring = bench_keyring.BenchKeyring\nkeyring-path = {BENCH_DIR}\n",
        encoding="utf-8",
    )


def child_env(config_home: Path, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND",)}
    return {
        **env,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(config_home),
        "ENTURF_POS_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    }


def timed(command: list[str], env: dict[str, str], expect: str) -> tuple[float, str]:
    """Wall seconds from spawn to exit, and stdout; stops the bench if `expect` is missing."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    wall = time.perf_counter() - started
    if done.returncode != 0 or expect not in done.stdout:
        raise SystemExit(f"{command} did not report {expect!r}:\n{done.stdout}\n{done.stderr}")
    return wall, done.stdout


def median_of(runs: int, once: Callable[[], float]) -> tuple[float, float, float]:
    once()  # warm the file cache: not counted
    values = [once() for _ in range(runs)]
    return statistics.median(values), min(values), max(values)


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    )


def bench(name: str, program: list[str], runs: int, tmp: Path) -> None:
    config_home = tmp / f"{name}-config"
    keyring_config(config_home)
    fresh = tmp / f"{name}-fresh"
    wall, _ = timed([*program, "--check"], child_env(config_home, fresh), '"problems": []')
    print(f"{name:6} --check, empty folder (all migrations): {wall:.3f} s (one run)")

    check_median = median_of(
        runs,
        lambda: timed([*program, "--check"], child_env(config_home, fresh), '"problems": []')[0],
    )
    print(
        f"{name:6} --check, migrated folder: median {check_median[0]:.3f} s "
        f"(min {check_median[1]:.3f}, max {check_median[2]:.3f}) over {runs} runs"
    )

    registered = tmp / f"{name}-registered"
    prepare_registered(registered)
    env = {**child_env(config_home, registered), "ENTURF_POS_EXIT_WHEN_SHOWN": "1"}
    inner: list[float] = []

    def login_once() -> float:
        wall, out = timed(program, env, "first-window loginWindow")
        inner.append(float(out.split("first-window loginWindow", 1)[1].split()[0]))
        return wall

    login = median_of(runs, login_once)
    print(
        f"{name:6} -> loginWindow: median {login[0]:.3f} s wall (min {login[1]:.3f}, "
        f"max {login[2]:.3f}); in main(): median {statistics.median(inner[1:]):.3f} s"
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if not BUILT.is_file():
        raise SystemExit(f"{BUILT} is not built: run `make dist` first")
    version = metadata.version("enturf")
    archives = sorted((ROOT / "dist").glob(f"enturf-pos-{version}-*"))
    print(f"built folder {BUILT.parent}: {size_mb(BUILT.parent):.0f} MB")
    for archive in archives:
        print(f"archive {archive.name}: {size_mb(archive):.0f} MB")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        bench("source", [sys.executable, "-m", "enturf_pos"], runs, Path(tmp))
        bench("built", [str(BUILT)], runs, Path(tmp))
    print(
        f"machine: {os.cpu_count()} CPUs, load {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after"
    )


if __name__ == "__main__":
    main()
