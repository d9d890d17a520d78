"""A different sound for each verdict colour (resources/sounds/{green,amber,red}.wav,
made by docs/make_door_sounds.py), played with QtMultimedia's QSoundEffect.

Silent, and no error, where there is nothing to play on: no audio output, or a Qt
Multimedia that does not load (its backend needs the system's sound libraries)."""

from __future__ import annotations

import logging
from importlib.resources import as_file, files
from typing import Any

from PySide6.QtCore import QObject, QUrl

log = logging.getLogger(__name__)

COLOURS = ("green", "amber", "red")


def _multimedia() -> Any | None:
    try:
        from PySide6 import QtMultimedia
    except ImportError as exc:  # e.g. libpulse missing: no sound, the door works on
        log.info("no sounds at the door: %s", exc)
        return None
    return QtMultimedia


class VerdictSounds(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[str, Any] = {}
        multimedia = _multimedia()
        if multimedia is None or not multimedia.QMediaDevices.audioOutputs():
            return
        for colour in COLOURS:
            resource = files("resources").joinpath("sounds", f"{colour}.wav")
            with as_file(resource) as path:  # a real file in a checkout or an unpacked wheel
                effect = multimedia.QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(0.9)
                self._effects[colour] = effect

    @property
    def available(self) -> bool:
        return bool(self._effects)

    def play(self, colour: str) -> None:
        effect = self._effects.get(colour)
        if effect is None:
            return
        for other in self._effects.values():
            other.stop()  # a new verdict cuts the last one's sound
        effect.play()
