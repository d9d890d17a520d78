"""Build the packaged counter: `make dist` (or `python packaging/build_dist.py` on Windows).

Runs PyInstaller on packaging/enturf-pos.spec into dist/enturf-pos/ (a folder: the
counter `enturf-pos`, its console twin `enturf-pos-cli` (`.exe` on Windows) and their
`_internal/`; on macOS also dist/Enturf POS.app), then archives what a counter PC
installs as dist/enturf-pos-<version>-<platform>.tar.gz (Linux: the folder; macOS: the
.app) or .zip (Windows: the folder). Prints the archive's path last, with the build time
and sizes before it.

    python packaging/build_dist.py [--full] [--dist DIR]

--full builds without the spec's exclusions (ENTURF_DIST_FULL=1), to measure them;
--dist puts the folder and archive elsewhere than dist/ (e.g. for that measurement).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "enturf-pos.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_NAME = "enturf-pos"
APP_BUNDLE = "Enturf POS.app"  # macOS: the spec's BUNDLE, beside the folder


def platform_tag() -> str:
    """linux-x86_64, windows-amd64, macos-arm64, ..."""
    system = {"win32": "windows", "darwin": "macos"}.get(
        sys.platform, sys.platform.rstrip("0123456789")
    )
    return f"{system}-{platform.machine().lower()}"


def archive_name(version: str) -> str:
    return f"{APP_NAME}-{version}-{platform_tag()}"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def make_archive(folder: Path, base: Path) -> Path:
    """zip on Windows, else tar.gz at gzip level 6 (shutil's is 9: much slower on these
    libraries for a barely smaller archive). tar keeps the symbolic links of a macOS .app."""
    if sys.platform == "win32":
        return Path(
            shutil.make_archive(str(base), "zip", root_dir=folder.parent, base_dir=folder.name)
        )
    archive = Path(f"{base}.tar.gz")
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name)
    return archive


def build(*, full: bool = False, dist: Path = DIST, work: Path = WORK) -> Path:
    """Build the folder and the archive; the archive's path."""
    # A checkout's enturf.egg-info (left by a wheel build) would shadow the installed
    # metadata the spec copies, with the version of whenever it was made.
    shutil.rmtree(ROOT / "enturf.egg-info", ignore_errors=True)
    version = metadata.version("enturf")  # what the spec copies into the build
    env = {**os.environ, "ENTURF_DIST_FULL": "1" if full else "0"}
    # The checkout first on the path, so its code (not another install's) is frozen.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    built = time.perf_counter() - started
    folder = dist / (APP_BUNDLE if sys.platform == "darwin" else APP_NAME)
    base = dist / archive_name(version)
    for old in (base.with_suffix(".zip"), Path(f"{base}.tar.gz")):
        old.unlink(missing_ok=True)
    archive = make_archive(folder, base)
    total = time.perf_counter() - started
    print(
        f"built {folder} ({folder_size(folder) / 1e6:.0f} MB) in {built:.0f} s; "
        f"archive {archive.stat().st_size / 1e6:.0f} MB after {total:.0f} s in all "
        f"({os.cpu_count()} CPUs, load {load()})"
    )
    print(archive)
    return archive


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="without the spec's exclusions")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (default dist/)")
    args = parser.parse_args()
    work = WORK if args.dist == DIST else args.dist / "build"
    build(full=args.full, dist=args.dist.resolve(), work=work.resolve())


if __name__ == "__main__":
    main()
