"""Can Qt open a window here? Asked before Qt starts, so a missing display or a missing
system library gets a sentence saying what to do instead of Qt's own abort.

Qt 6's X11 plugin (xcb) needs libxcb-cursor, which PySide6 does not ship and minimal
Debian/Ubuntu installs lack; without it Qt prints "Could not load the Qt platform plugin
"xcb"" and aborts. The POS loads the library itself first and names the package.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

NO_DISPLAY = (
    "enturf-pos needs a display: run it in a desktop session, or without one set "
    "QT_QPA_PLATFORM=offscreen (tests, benchmarks)."
)
XCB_CURSOR_LIBRARY = "libxcb-cursor.so.0"
MISSING_XCB_CURSOR = (
    f"enturf-pos cannot open its window: Qt's X11 platform (xcb) needs {XCB_CURSOR_LIBRARY}, "
    "which is not installed.\n"
    "  Debian/Ubuntu: sudo apt install libxcb-cursor0\n"
    "  Fedora: sudo dnf install xcb-util-cursor\n"
    "Or run without a window on screen: QT_QPA_PLATFORM=offscreen enturf-pos"
)


def has_display(environ: Mapping[str, str]) -> bool:
    if environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def uses_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt will start on its X11 plugin (the first of a `wayland;xcb` list counts;
    with none named, Qt 6 takes Wayland in a Wayland session and X11 elsewhere)."""
    if not sys.platform.startswith("linux"):
        return False
    if platform := environ.get("QT_QPA_PLATFORM", "").strip():
        return platform.split(";")[0].split(":")[0].strip() == "xcb"
    wayland = environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY")
    return not wayland


def library_loads(name: str) -> bool:
    """Whether the dynamic loader finds ``name`` (or PySide6 ships it beside Qt's own)."""
    try:
        ctypes.CDLL(name)
        return True
    except OSError:
        pass
    spec = importlib.util.find_spec("PySide6")
    return bool(spec and spec.origin and (Path(spec.origin).parent / "Qt" / "lib" / name).is_file())


def display_problem(
    environ: Mapping[str, str] | None = None, loads: Callable[[str], bool] | None = None
) -> str | None:
    """What stops Qt from opening a window here, in words for the person at the counter."""
    environ = os.environ if environ is None else environ
    loads = loads or library_loads
    if not has_display(environ):
        return NO_DISPLAY
    if uses_xcb(environ) and not loads(XCB_CURSOR_LIBRARY):
        return MISSING_XCB_CURSOR
    return None
