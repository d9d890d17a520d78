"""Where this device scans, at the top of the door window: the event
(``doorEventCombo``), its check-in list (``doorListCombo``), the gate (``doorGateCombo``:
the list's gates, or any name when the list names none) and, when the list scans exits,
entry or exit (``scanEntryButton`` / ``scanExitButton``, F6 switches). The choice is
remembered in the device's data folder (QSettings), so a restart opens at the same gate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

SETTINGS_FILE = "door.ini"  # in the device's data folder
DEFAULT_GATE = "Main"
ENTRY, EXIT = "entry", "exit"


def _combo(name: str, accessible: str) -> QComboBox:
    combo = QComboBox(objectName=name)
    combo.setAccessibleName(accessible)
    combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner's field keeps the keyboard
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo


def _captioned(caption: str, widget: QWidget) -> QWidget:
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    label = QLabel(caption, objectName="doorBarCaption")
    label.setBuddy(widget)
    box.addWidget(label)
    box.addWidget(widget)
    return holder


class DoorPicker(QFrame):
    changed = Signal()  # the list, the gate or entry / exit changed
    done = Signal()  # a choice was made: the scanner's field takes the keyboard back

    def __init__(
        self,
        *,
        settings_path: str,
        events: Callable[[], Sequence[Any]],
        lists: Callable[[int], Sequence[Any]],
    ) -> None:
        super().__init__(objectName="doorBar")
        self._settings = QSettings(settings_path, QSettings.Format.IniFormat)
        self._events, self._lists = events, lists
        self._loading = False
        self._gate_edit: QWidget | None = None  # the gate's field, when names are free
        self.event_combo = _combo("doorEventCombo", "Event")
        self.list_combo = _combo("doorListCombo", "Check-in list")
        self.gate_combo = _combo("doorGateCombo", "Gate")
        self.entry_button = QPushButton("Entry", objectName="scanEntryButton")
        self.exit_button = QPushButton("Exit", objectName="scanExitButton")
        self.kind_group = QButtonGroup(self)
        for button in (self.entry_button, self.exit_button):
            button.setCheckable(True)
            button.setProperty("kind", True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip("Scanning entries or exits (F6 switches)")
            self.kind_group.addButton(button)
        self.entry_button.setChecked(True)
        self.kind_box = QWidget()
        kinds = QHBoxLayout(self.kind_box)
        kinds.setContentsMargins(0, 0, 0, 0)
        kinds.setSpacing(0)
        kinds.addWidget(self.entry_button)
        kinds.addWidget(self.exit_button)

        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(12, 6, 12, 8)
        self.kind_field = _captioned("Scanning", self.kind_box)  # only for lists with exits
        self.layout_.addWidget(_captioned("Event", self.event_combo), 3)
        self.layout_.addWidget(_captioned("Check-in list", self.list_combo), 2)
        self.layout_.addWidget(_captioned("Gate", self.gate_combo), 1)
        self.layout_.addWidget(self.kind_field, 0)

        self.event_combo.activated.connect(self._event_chosen)
        self.list_combo.activated.connect(self._list_chosen)
        self.gate_combo.activated.connect(self._gate_chosen)
        self.kind_group.buttonClicked.connect(self._kind_chosen)
        self.toggle_shortcut = QShortcut(QKeySequence("F6"), self)
        self.toggle_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.toggle_shortcut.activated.connect(self.toggle_kind)

    # -- what is chosen ------------------------------------------------------------------

    @property
    def event_id(self) -> int | None:
        return self.event_combo.currentData()

    @property
    def checkin_list(self) -> Any | None:
        return self.list_combo.currentData()

    @property
    def list_id(self) -> int | None:
        row = self.checkin_list
        return row.id if row is not None else None

    @property
    def gate(self) -> str:
        return self.gate_combo.currentText().strip() or DEFAULT_GATE

    @property
    def kind(self) -> str:
        return EXIT if self.exit_button.isChecked() and self.exits else ENTRY

    @property
    def exits(self) -> bool:
        row = self.checkin_list
        return bool(row is not None and row.exits)

    # -- filling ---------------------------------------------------------------------------

    def reload(self) -> None:
        """The events and lists from the local database (after a sync), keeping the choice."""
        self._loading = True
        try:
            wanted = self.event_id or self._remembered("event")
            self.event_combo.clear()
            for row in self._events():
                self.event_combo.addItem(row.name, row.id)
            self._select(self.event_combo, wanted)
            self._fill_lists()
        finally:
            self._loading = False
        self.changed.emit()

    def _fill_lists(self) -> None:
        wanted = self.list_id or self._remembered("list")
        self.list_combo.clear()
        event_id = self.event_id
        for row in self._lists(event_id) if event_id is not None else ():
            self.list_combo.addItem(row.name, row)
        index = next(
            (i for i in range(self.list_combo.count()) if self.list_combo.itemData(i).id == wanted),
            0,
        )
        self.list_combo.setCurrentIndex(index if self.list_combo.count() else -1)
        self._fill_gates()

    def _fill_gates(self) -> None:
        wanted = self.gate_combo.currentText() or str(self._settings.value("door/gate", ""))
        row = self.checkin_list
        gates = list(row.gates) if row is not None else []
        self.gate_combo.clear()
        self.gate_combo.setEditable(not gates)  # a list naming no gates admits at any
        self.gate_combo.setFocusPolicy(
            Qt.FocusPolicy.ClickFocus if not gates else Qt.FocusPolicy.NoFocus
        )
        edit = self.gate_combo.lineEdit()
        if edit is not None and edit is not self._gate_edit:
            edit.editingFinished.connect(self._gate_chosen)
            self._gate_edit = edit
        self.gate_combo.addItems(gates or [wanted or DEFAULT_GATE])
        if wanted in gates:
            self.gate_combo.setCurrentText(wanted)
        self.kind_field.setVisible(self.exits)
        if not self.exits:
            self.entry_button.setChecked(True)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else (0 if combo.count() else -1))

    def _remembered(self, key: str) -> int | None:
        value = self._settings.value(f"door/{key}", None)
        try:
            return int(str(value)) if value is not None else None
        except ValueError:
            return None

    def _save(self) -> None:
        if self.event_id is not None:
            self._settings.setValue("door/event", self.event_id)
        if self.list_id is not None:
            self._settings.setValue("door/list", self.list_id)
        self._settings.setValue("door/gate", self.gate)
        self._settings.sync()

    # -- choosing --------------------------------------------------------------------------

    def _event_chosen(self, _index: int = 0) -> None:
        self._loading = True
        try:
            self.list_combo.clear()
            self._fill_lists()
        finally:
            self._loading = False
        self._chosen()

    def _list_chosen(self, _index: int = 0) -> None:
        self._fill_gates()
        self._chosen()

    def _gate_chosen(self, _index: int = 0) -> None:
        self._chosen()

    def _kind_chosen(self, _button: object = None) -> None:
        self.changed.emit()
        self.done.emit()

    def _chosen(self) -> None:
        if self._loading:
            return
        self._save()
        self.changed.emit()
        self.done.emit()

    def toggle_kind(self) -> None:
        if self.exits:
            (self.entry_button if self.kind == EXIT else self.exit_button).setChecked(True)
            self._kind_chosen()

    def choose(
        self, *, event_id: int | None = None, list_id: int | None = None, gate: str = ""
    ) -> None:
        """As a user choosing in the combos (tests and scripts)."""
        if event_id is not None:
            self._select(self.event_combo, event_id)
            self._event_chosen()
        if list_id is not None:
            index = next(
                (
                    i
                    for i in range(self.list_combo.count())
                    if self.list_combo.itemData(i).id == list_id
                ),
                -1,
            )
            self.list_combo.setCurrentIndex(index)
            self._list_chosen()
        if gate:
            self.gate_combo.setCurrentText(gate)
            self._gate_chosen()
