"""Editors of the manager's event table: a state from a list, a start in the venue's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, QModelIndex, Qt, QTimeZone
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QStyledItemDelegate,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.ui.table_models import EVENT_STATES, RowRole

EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)
TIME_FORMAT = "dd MMM yyyy HH:mm"


class FittingDelegate(QStyledItemDelegate):
    """An editor at least as wide as it needs: a column sized to its text ("On sale") is
    too narrow for the same text in a combo box or date editor with its arrow."""

    def updateEditorGeometry(self, editor: QWidget, option: Any, _index: QModelIndex) -> None:
        rect = option.rect
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)


def state_combo(parent: QWidget | None = None, name: str = "stateEditor") -> QComboBox:
    combo = QComboBox(parent, objectName=name)
    for key, text in EVENT_STATES.items():
        combo.addItem(text, key)
    return combo


class StateDelegate(FittingDelegate):
    """An event's state picked from a list."""

    def createEditor(self, parent: QWidget, _option: Any, _index: QModelIndex) -> QWidget:
        return state_combo(parent)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def time_edit(zone_name: str, parent: QWidget | None = None, name: str = "") -> QDateTimeEdit:
    """A date and time typed and shown in a venue's zone, whatever the machine's zone is."""
    editor = QDateTimeEdit(parent, objectName=name)
    editor.setTimeZone(QTimeZone(zone_name.encode()))
    editor.setCalendarPopup(True)
    editor.setDisplayFormat(TIME_FORMAT)
    return editor


class DateTimeDelegate(FittingDelegate):
    def createEditor(self, parent: QWidget, _option: Any, index: QModelIndex) -> QWidget:
        row = index.data(RowRole)
        zone = venue_time.zone_of(row.starts_at) if row else venue_time.current_zone()
        return time_edit(zone.key, parent, "startsAtEditor")


def aware(value: Any) -> datetime:
    """A time from an editor (QDateTime, in the venue's zone) as an aware UTC datetime."""
    if isinstance(value, QDateTime):
        return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
    if isinstance(value, datetime) and value.tzinfo:
        return value
    raise ValueError("not a date and time")


def qtime(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
