"""The counter's two programs (packaging/enturf-pos.spec): `enturf-pos`, windowed on Windows
and macOS (no console window beside the counter), and `enturf-pos-cli`, its console twin
in the same folder for what prints (`--check`); on macOS the `Enturf POS.app` bundle.
The Windows and macOS tests run in .github/workflows/pos-build.yml only."""

from __future__ import annotations

import plistlib
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from support.packaged import DIST, check_report, outside_env

APP = DIST / "Enturf POS.app"


def check(binary: Path, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(binary), "--check", "--data-dir", str(data_dir)],
        env=outside_env(QT_QPA_PLATFORM="offscreen", ENTURF_POS_DATA_DIR=None),
        cwd=tempfile.gettempdir(),  # not the checkout
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_console_program_checks_the_installation(pos_cli_binary, package_version, tmp_path):
    done = check(pos_cli_binary, tmp_path / "pos-data")

    assert done.returncode == 0, done.stdout + done.stderr
    report = check_report(done.stdout)
    assert report["version"] == package_version
    assert report["frozen"] is True and report["problems"] == []
    assert "Traceback" not in done.stderr


def test_both_programs_share_one_folder(pos_binary, pos_cli_binary):
    assert pos_binary.parent == pos_cli_binary.parent
    assert [p.name for p in pos_binary.parent.iterdir() if p.is_dir()] == ["_internal"]


@pytest.mark.skipif(sys.platform != "win32", reason="a Windows program's subsystem")
def test_on_windows_the_counter_opens_no_console_window(pos_binary, pos_cli_binary):
    pefile = pytest.importorskip("pefile")  # PyInstaller's own dependency on Windows

    def subsystem(exe: Path) -> int:
        return pefile.PE(str(exe), fast_load=True).OPTIONAL_HEADER.Subsystem

    assert subsystem(pos_binary) == pefile.SUBSYSTEM_TYPE["IMAGE_SUBSYSTEM_WINDOWS_GUI"]
    assert subsystem(pos_cli_binary) == pefile.SUBSYSTEM_TYPE["IMAGE_SUBSYSTEM_WINDOWS_CUI"]


@pytest.mark.skipif(sys.platform != "darwin", reason="the macOS app bundle")
def test_on_macos_the_counter_is_an_app(package_version, tmp_path):
    contents = APP / "Contents"
    info = plistlib.loads((contents / "Info.plist").read_bytes())
    assert info["CFBundleExecutable"] == "enturf-pos"
    assert info["CFBundleShortVersionString"] == package_version
    assert info.get("LSBackgroundOnly") is not True  # a Dock icon and a menu bar
    assert (contents / "Resources" / info["CFBundleIconFile"]).is_file()
    assert (contents / "MacOS" / "enturf-pos").is_file()

    done = check(contents / "MacOS" / "enturf-pos-cli", tmp_path / "pos-data")

    assert done.returncode == 0, done.stdout + done.stderr
    assert check_report(done.stdout)["frozen"] is True
