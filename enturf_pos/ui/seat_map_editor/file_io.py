"""Import and export of seat-map files: Enturf's JSON and pretix's seating plan.

Reading a file gives a document dict in Enturf's file format or the list of what is
wrong with it (``FileProblem(path, message)``); nothing is imported from a file with
problems. The file dialogs sit behind :class:`FileDialogs`, which tests replace.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from enturf_core.seatmap_editing import file_format, pretix_format
from enturf_core.seatmap_editing.file_format import SeatMapFileError

ENTURF = "enturf"
PRETIX = "pretix"
FILTERS = {
    ENTURF: "Enturf seat map (*.enturf.json *.json)",
    PRETIX: "pretix seating plan (*.json)",
}


class FileDialogs:
    """Where the user picks files (Qt's dialogs); a test gives paths instead."""

    def open_path(self, parent: QWidget, title: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", ";;".join(FILTERS.values()))
        return path or None

    def save_path(self, parent: QWidget, title: str, kind: str, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, FILTERS[kind])
        return path or None


@dataclass(frozen=True)
class ReadResult:
    document: dict[str, Any] | None
    kind: str  # ENTURF or PRETIX
    problems: list[str]  # "where: what", for the manager
    notes: tuple[str, ...] = ()  # what a pretix plan had that Enturf does not keep


def is_pretix(data: Any) -> bool:
    return isinstance(data, dict) and "zones" in data and "sections" not in data


def read_file(path: str | Path) -> ReadResult:
    """The file as an Enturf document, or why not."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return ReadResult(None, ENTURF, [f"The file cannot be read: {error}"])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return ReadResult(
            None, ENTURF, [f"line {error.lineno}, column {error.colno}: not JSON ({error.msg})"]
        )
    kind = PRETIX if is_pretix(data) else ENTURF
    notes: list[str] = []
    if kind == PRETIX:
        try:
            data, notes = pretix_format.from_pretix(data)
        except SeatMapFileError as error:
            return ReadResult(None, kind, [_where(p.path, p.message) for p in error.problems])
    found = file_format.problems(data)
    if found:
        return ReadResult(None, kind, [_where(p.path, p.message) for p in found])
    return ReadResult(data, kind, [], tuple(notes))


def _where(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


def write_file(path: str | Path, document: dict[str, Any], kind: str) -> list[str]:
    """Write the document; returns what the format could not hold (pretix)."""
    notes: list[str] = []
    data = pretix_format.to_pretix(document, warnings=notes) if kind == PRETIX else document
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return notes
