"""Pieces the manager's dialogs share: an optional date and time, the message line,
and the standard buttons with objectNames."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager.delegates import aware, time_edit


def in_zone(edit: QDateTimeEdit, zone_name: str) -> None:
    """Show `edit` in another zone, keeping the wall-clock time typed."""
    shown = edit.dateTime()
    zone = QTimeZone(zone_name.encode())
    edit.setTimeZone(zone)
    edit.setDateTime(QDateTime(shown.date(), shown.time(), zone))


class OptionalTime(QWidget):
    """A date and time that may be left out: a check box turns the editor on."""

    def __init__(self, name: str, text: str, zone_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox(text, objectName=f"{name}Check")
        self.edit = time_edit(zone_name, self, name)
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)

    def value(self) -> datetime | None:
        return aware(self.edit.dateTime()) if self.check.isChecked() else None

    def set_value(self, moment: QDateTime) -> None:
        self.edit.setDateTime(moment)


def message(name: str) -> QLabel:
    label = fw.message_label(name)
    label.setProperty("error", True)
    return label


def buttons(
    dialog: QDialog, ok_name: str, ok_text: str, save: Callable[[], None]
) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel and the dialog's own button, which runs `save` (the dialog accepts itself
    once saved, so a refused value keeps it open)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setObjectName(ok_name)
    ok.setProperty("primary", True)
    ok.setDefault(True)
    box.button(QDialogButtonBox.StandardButton.Cancel).setObjectName(f"{dialog.objectName()}Cancel")
    box.accepted.connect(save)
    box.rejected.connect(dialog.reject)
    return box, ok
