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


def test_missing_xcb_cursor_library_is_named_before_qt_starts(tmp_path, monkeypatch, capsys):
    """Qt 6's X11 plugin needs libxcb-cursor; without it Qt aborts with its own message.
    The POS probes for the library first (the probe is replaced here by a missing one)."""
    from enturf_pos import __main__ as pos_main
    from enturf_pos import qt_platform
    from enturf_pos.ui import app

    def qt_must_not_start(*args, **kwargs):
        raise AssertionError("the QApplication was started")

    probed: list[str] = []
    monkeypatch.setattr(app, "run", qt_must_not_start)
    monkeypatch.setattr(qt_platform, "library_loads", lambda name: probed.append(name) or False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("ENTURF_POS_DATA_DIR", str(tmp_path / "pos-data"))

    assert pos_main.main([]) == 2

    message = capsys.readouterr().err
    assert probed == ["libxcb-cursor.so.0"]
    assert "sudo apt install libxcb-cursor0" in message
    assert "QT_QPA_PLATFORM=offscreen" in message


def test_the_xcb_check_applies_only_where_qt_uses_xcb():
    from enturf_pos.qt_platform import display_problem

    def missing(name: str) -> bool:
        return False

    x11 = {"DISPLAY": ":0"}
    assert "libxcb-cursor0" in display_problem(x11, loads=missing)
    assert "libxcb-cursor0" in display_problem({**x11, "QT_QPA_PLATFORM": "xcb"}, loads=missing)
    assert display_problem(x11, loads=lambda name: True) is None
    assert display_problem({**x11, "QT_QPA_PLATFORM": "offscreen"}, loads=missing) is None
    wayland = {**x11, "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert display_problem(wayland, loads=missing) is None
    assert "needs a display" in display_problem({}, loads=missing)


def test_the_library_probe_loads_real_libraries():
    from enturf_pos.qt_platform import library_loads

    assert library_loads("libc.so.6")
    assert not library_loads("libenturf-no-such-library.so.0")
