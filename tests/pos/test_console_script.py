"""`enturf-pos` as a real process: no display, non-interactive registration, first window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ENTURF_POS = str(Path(sys.executable).with_name("enturf-pos"))


def run_pos(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [ENTURF_POS, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def base_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["ENTURF_POS_DATA_DIR"] = str(tmp_path / "pos-data")
    return env


def test_without_a_display_it_says_what_to_do_instead_of_crashing(tmp_path):
    done = run_pos(env=base_env(tmp_path))
    assert done.returncode == 2
    assert "needs a display" in done.stderr and "QT_QPA_PLATFORM=offscreen" in done.stderr
    assert "Traceback" not in done.stderr


def test_registers_from_the_command_line_then_shows_the_login_window(tmp_path, server, proxy):
    _id, code = server.new_setup_code("Scripted counter")
    env = {**base_env(tmp_path), "QT_QPA_PLATFORM": "offscreen", "ENTURF_POS_EXIT_WHEN_SHOWN": "1"}
    done = run_pos(
        "--server", proxy.base_url, "--setup-code", code, "--name", "Scripted counter", env=env
    )
    assert done.returncode == 0, done.stderr
    assert "registered as “Scripted counter”" in done.stdout
    assert "first-window loginWindow" in done.stdout
    assert "No system keyring" in done.stderr  # this process has none: it says so

    again = run_pos("--server", proxy.base_url, "--setup-code", code, env=env)
    assert again.returncode == 2 and "already used" in again.stderr


def test_arguments_are_checked(tmp_path):
    done = run_pos("--server", "http://127.0.0.1:1", env=base_env(tmp_path))
    assert done.returncode == 2 and "go together" in done.stderr
