"""EditorCanvas (objectName ``editorCanvas``): the cashier's seat map view, with the
editor's mouse and keys.

Mouse: click a seat to select it (Shift: add it or take it out), double-click to select
its row, drag a rectangle to select the seats in it (Shift: add them); click empty space
to clear the selection; a standing area or a decoration is selected by a click too.
While a tool waits for a point (the stage point, a label, a shape), the next click gives
it. Wheel zoom, middle or Alt+drag pan, as on the counter.

Keys: arrows move the selection (Shift: ten times as far), R / Shift+R rotate it,
Ctrl+D duplicates, M mirrors, Delete deletes, Ctrl+A selects every seat, Escape clears
the selection or stops waiting for a point; + - F zoom as on the counter. The canvas
only emits; the editor turns each request into an undoable edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QGraphicsItem, QWidget

from enturf_pos.ui.seat_map.view import SeatMapView

ROTATE_STEP = 15.0  # degrees per R
BIG_STEP = 10  # Shift+arrow moves this many steps

PointTaker = Callable[[float, float], None]
# (key, needs Shift) -> what the canvas does; these keys are the canvas's, not the window's
_EDIT_KEYS = {
    Qt.Key.Key_R,
    Qt.Key.Key_M,
    Qt.Key.Key_Delete,
    Qt.Key.Key_Backspace,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Escape,
}


class EditorCanvas(SeatMapView):
    clicked = Signal(object, bool)  # seat uid or None, Shift held
    rowRequested = Signal(int, bool)  # double-clicked seat uid, Shift held
    rectSelected = Signal(object, bool)  # list of seat uids, Shift held
    partClicked = Signal(int, bool)  # an area's or decoration's uid, Shift held
    moveRequested = Signal(int, int)  # steps in x and y
    rotateRequested = Signal(float)  # degrees, clockwise on screen
    mirrorRequested = Signal()
    duplicateRequested = Signal()
    deleteRequested = Signal()
    selectAllRequested = Signal()
    escapePressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.setObjectName("editorCanvas")
        self.setAccessibleName("Seat map being edited")
        self.placing: PointTaker | None = None  # a tool waiting for a point
        self.part_at: Callable[[QPointF], int | None] = lambda _p: None

    # -- mouse -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            event.accept()  # no focal point in the editor
            return
        if self.placing is not None and event.button() == Qt.MouseButton.LeftButton:
            point = self.mapToScene(event.position().toPoint())
            taker, self.placing = self.placing, None
            self.viewport().unsetCursor()
            taker(point.x(), point.y())
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            event.setModifiers(event.modifiers() & ~Qt.KeyboardModifier.ControlModifier)
        super().mousePressEvent(event)

    def wait_for_point(self, taker: PointTaker | None) -> None:
        self.placing = taker
        if taker is None:
            self.viewport().unsetCursor()
        else:
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def _shift(self) -> bool:
        return bool(self._press_modifiers & Qt.KeyboardModifier.ShiftModifier)

    def click_at(self, pos: QPoint) -> None:
        index = self.seat_at(pos)
        layout = self.state.layout
        if index is not None and layout is not None:
            self.clicked.emit(layout.ids[index], self._shift())
            return
        part = self.part_at(self.mapToScene(pos))
        if part is not None:
            self.partClicked.emit(part, self._shift())
            return
        self.clicked.emit(None, self._shift())

    def select_in_rect(self, rect: QRectF) -> list[int]:
        grid, layout = self.state.grid, self.state.layout
        if grid is None or layout is None:
            return []
        ids = layout.ids
        uids = [ids[i] for i in grid.in_rect(rect.left(), rect.top(), rect.right(), rect.bottom())]
        self.rectSelected.emit(uids, self._shift())
        return uids

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        index = self.seat_at(event.position().toPoint())
        layout = self.state.layout
        if index is not None and layout is not None:
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.rowRequested.emit(layout.ids[index], shift)
        event.accept()

    # -- keys --------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # the canvas's own keys win over the window's shortcuts (Ctrl+D is "Decisions")
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() in _EDIT_KEYS or event.matches(QKeySequence.StandardKey.SelectAll):
                event.accept()
                return True
            if (
                event.key() == Qt.Key.Key_D
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            ):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        control = bool(mods & Qt.KeyboardModifier.ControlModifier)
        arrows = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in arrows:
            dx, dy = arrows[key]
            step = BIG_STEP if shift else 1
            self.moveRequested.emit(dx * step, dy * step)
        elif key == Qt.Key.Key_R and not control:
            self.rotateRequested.emit(-ROTATE_STEP if shift else ROTATE_STEP)
        elif key == Qt.Key.Key_M and not control:
            self.mirrorRequested.emit()
        elif key == Qt.Key.Key_D and control:
            self.duplicateRequested.emit()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.deleteRequested.emit()
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self.selectAllRequested.emit()
        elif self.placing is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            centre = self.mapToScene(self.viewport().rect().center())
            taker, self.placing = self.placing, None
            self.viewport().unsetCursor()
            taker(centre.x(), centre.y())
        elif key == Qt.Key.Key_Escape:
            if self.placing is not None:
                self.wait_for_point(None)
            else:
                self.escapePressed.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


def ignore_mouse(item: QGraphicsItem) -> QGraphicsItem:
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return item
