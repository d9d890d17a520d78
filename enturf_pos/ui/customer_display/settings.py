"""Which screen the customer display goes on: kept per counter (installation) with
QSettings in an INI file of the counter's data folder (`counter.ini`), beside its printers.
Screens are known by name (`QScreen.name()`), which stays the same across restarts; a
chosen screen that is not connected shows the display nowhere until it is back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication, QScreen

SETTINGS_FILE = "counter.ini"
SCREEN_KEY = "customer_display/screen"
OFF = ""


def _store(data_dir: Path) -> QSettings:
    return QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def load_screen(data_dir: Path) -> str:
    """The chosen screen's name ("" = off)."""
    return str(_store(data_dir).value(SCREEN_KEY, OFF) or OFF)


def save_screen(data_dir: Path, name: str) -> None:
    store = _store(data_dir)
    store.setValue(SCREEN_KEY, name)
    store.sync()


def describe(screen: QScreen) -> str:
    size = screen.geometry().size()
    return f"{screen.name()} ({size.width()}x{size.height()})"


def screen_choices(current: str = OFF) -> list[tuple[str, str]]:
    """(text, screen name) for a combo: Off, each connected screen, and the chosen one
    when it is not connected now (kept, said so)."""
    choices = [("Off", OFF)]
    names = set()
    for screen in QGuiApplication.screens():
        names.add(screen.name())
        choices.append((describe(screen), screen.name()))
    if current and current not in names:
        choices.append((f"{current} (not connected)", current))
    return choices


def find_screen(name: str) -> QScreen | None:
    if not name:
        return None
    return next((s for s in QGuiApplication.screens() if s.name() == name), None)
