"""Driving the seat-map editor (`enturf_pos.ui.seat_map_editor`) like a manager: widgets
found by objectName, typed into, clicked and keyed; seats clicked on the canvas where
they are drawn. Files go through a fake of the editor's file-dialog seam."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QSpinBox, QWidget

from enturf_core.seatmap_editing.document import SeatMapDocument


class FakeDialogs:
    """The editor's file dialogs, answering with the paths a test set."""

    def __init__(self) -> None:
        self.open: str | Path | None = None
        self.save: str | Path | None = None
        self.asked: list[tuple[str, str]] = []  # (kind of file, suggested name) of saves

    def open_path(self, _parent, _title) -> str | None:
        return None if self.open is None else str(self.open)

    def save_path(self, _parent, _title, kind: str, suggested: str) -> str | None:
        self.asked.append((kind, suggested))
        return None if self.save is None else str(self.save)


def child(editor: QWidget, cls, name: str):
    found = editor.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} {name}"
    return found


def click(qtbot, editor: QWidget, name: str) -> None:
    qtbot.mouseClick(child(editor, QPushButton, name), Qt.MouseButton.LeftButton)


def trigger(editor: QWidget, name: str) -> None:
    action = child(editor, QAction, name)
    assert action.isEnabled(), f"{name} is disabled"
    action.trigger()


def type_into(qtbot, editor: QWidget, name: str, text: str) -> None:
    """Type into a line edit, or an editable combo box, replacing its text."""
    found = editor.findChild(QWidget, name)
    field = found.lineEdit() if isinstance(found, QComboBox) else child(editor, QLineEdit, name)
    field.selectAll()
    qtbot.keyClicks(field, text)


def set_spin(qtbot, editor: QWidget, name: str, value: int) -> None:
    box = child(editor, QSpinBox, name)
    box.selectAll()
    qtbot.keyClicks(box, str(value))
    assert box.value() == value


def choose(editor: QWidget, name: str, text: str) -> None:
    box = child(editor, QComboBox, name)
    index = box.findText(text)
    assert index >= 0, f"{text!r} not in {name}"
    box.setCurrentIndex(index)


def new_draft(qtbot, editor, name: str) -> None:
    type_into(qtbot, editor, "editorDraftName", name)
    click(qtbot, editor, "editorNewDraft")
    assert editor.document is not None, editor.message.text()


def add_section(
    qtbot,
    editor,
    name: str,
    rows: int,
    seats: int,
    *,
    shape: str = "Straight rows",
    curve: float | None = None,
    curve_kind: str = "Radius",
) -> None:
    type_into(qtbot, editor, "editorSectionName", name)
    set_spin(qtbot, editor, "editorRows", rows)
    set_spin(qtbot, editor, "editorSeatsPerRow", seats)
    choose(editor, "editorShape", shape)
    if curve is not None:
        choose(editor, "editorCurveKind", curve_kind)
        box = editor.section_panel.curve
        box.selectAll()
        qtbot.keyClicks(box, f"{curve:g}")
    click(qtbot, editor, "editorAddSection")


def seat_point(editor, uid: int) -> QPoint:
    """Where a seat is drawn in the canvas's viewport."""
    seat = editor.document.seat(uid)
    return editor.canvas.mapFromScene(QPointF(seat.x, seat.y))


def click_seat(qtbot, editor, uid: int, *, shift: bool = False, double: bool = False) -> None:
    mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    where = seat_point(editor, uid)
    viewport = editor.canvas.viewport()
    if double:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, mods, where)
    else:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, mods, where)


def key(qtbot, editor, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    editor.canvas.setFocus()
    qtbot.keyClick(editor.canvas, key, mods)


def build_theatre(qtbot, editor) -> None:
    new_draft(qtbot, editor, "Theatre Royal")
    add_section(qtbot, editor, "Stalls", 12, 28, shape="Curved rows", curve=320)
    add_section(
        qtbot, editor, "Circle", 6, 32, shape="Curved rows", curve=70, curve_kind="Arc angle (°)"
    )
    add_section(qtbot, editor, "Balcony", 4, 36)
    # row A of the stalls: wheelchair spaces
    front = editor.document.section_named("Stalls").rows[0]
    click_seat(qtbot, editor, front.seats[3].uid, double=True)
    click(qtbot, editor, "editorFlagAccessible")
    # the middle of rows B and C: premium
    stalls = editor.document.section_named("Stalls")
    click_seat(qtbot, editor, stalls.rows[1].seats[10].uid)
    for row in stalls.rows[1:3]:
        for seat in row.seats[10:18]:
            click_seat(qtbot, editor, seat.uid, shift=True)
    click_seat(qtbot, editor, stalls.rows[1].seats[10].uid, shift=True)  # it was already in
    type_into(qtbot, editor, "editorCategory", "premium")
    click(qtbot, editor, "editorPaint")
    # a standing area behind everything, and the stage
    type_into(qtbot, editor, "editorAreaName", "Promenade")
    set_spin(qtbot, editor, "editorAreaCapacity", 300)
    choose(editor, "editorAreaShape", "Polygon (trapezium)")
    click(qtbot, editor, "editorAddArea")
    click(qtbot, editor, "editorStageShape")


def seats_by_place(document: SeatMapDocument) -> dict[tuple[str, str, str], tuple]:
    """Every seat as (section, row, label) -> (x, y, category, flags)."""
    return {
        (section.name, row.label, seat.label): (
            round(seat.x, 3),
            round(seat.y, 3),
            seat.category,
            seat.flags,
        )
        for section in document.sections.values()
        for row in section.rows
        for seat in row.seats
    }
