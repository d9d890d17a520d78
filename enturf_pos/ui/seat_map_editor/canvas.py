"""EditorCanvas (objectName ``editorCanvas``): the cashier's seat map view, with the
editor's mouse and keys.

Mouse: click a seat to select it (Shift: add it or take it out), drag a selected seat to
move the selection (an outline follows the pointer; one undo step), double-click to select
its row, drag a rectangle to select the seats in it (Shift: add them); click empty space
to clear the selection; a standing area or a decoration is selected by a click too.
While a tool waits for a point (the stage point, a label, a shape), the next click gives
it; while it waits for a polygon, clicks add corners and Enter or a double click ends it. Wheel zoom, middle or Alt+drag pan, as on the counter.

Keys: with nothing selected (and always with Ctrl), arrows walk a cursor from seat to
seat; Space selects the seat under it (Shift+Space adds it), Enter its row (Shift+Enter
adds it). With a selection, arrows move it (Shift: ten times as far; the editor makes a
run of presses one undo step), R / Shift+R rotate it,
Ctrl+D duplicates, M mirrors, Delete deletes, Ctrl+A selects every seat, Escape clears
the selection or stops waiting for a point; + - F zoom as on the counter. The canvas
only emits; the editor turns each request into an undoable edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem, QWidget

from enturf_core.seating.layout import AISLE, describe_flags
from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.items import Z_CURSOR
from enturf_pos.ui.seat_map.map_state import SeatMapState
from enturf_pos.ui.seat_map.view import SeatMapView

FIT_SEATS = 20_000  # maps up to this size are fitted again after each step
ROTATE_STEP = 15.0  # degrees per R
BIG_STEP = 10  # Shift+arrow moves this many steps

PointTaker = Callable[[float, float], None]
CornersTaker = Callable[[list[tuple[float, float]]], None]
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


class EditorMapState(SeatMapState):
    """The editor's map state: a seat's tooltip says where it is, its category and
    flags, not a sale state (every seat is "available" in a drawing)."""

    def describe(self, index: int) -> str:
        assert self.layout is not None
        seat = self.layout.seat(index)
        flags = self.layout.flags[index]
        notes = describe_flags(flags) + (["aisle"] if flags & AISLE else [])
        lines = [f"{seat.section} · Row {seat.row} · Seat {seat.label}", seat.category]
        if notes:
            lines.append(", ".join(notes).capitalize())
        return "\n".join(lines)


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
    dragged = Signal(float, float)  # the selection dragged by (dx, dy) on the map

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(EditorMapState(), parent=parent)
        self.state.setParent(self)
        self.setObjectName("editorCanvas")
        self.setAccessibleName("Seat map being edited")
        self.placing: PointTaker | None = None  # a tool waiting for a point
        # edits change the scene's extent: scroll bars that come and go would resize the
        # viewport and refit the map after every step
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.part_at: Callable[[QPointF], int | None] = lambda _p: None
        self.has_selection: Callable[[], bool] = lambda: False
        self._drag_from: QPointF | None = None
        self._corners: list[QPointF] | None = None  # a polygon being drawn
        self._corners_taker: CornersTaker | None = None
        self._outline: QGraphicsPathItem | None = None
        self._ghost: QGraphicsRectItem | None = None

    # -- mouse -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            event.accept()  # no focal point in the editor
            return
        if self._corners is not None and event.button() == Qt.MouseButton.LeftButton:
            self._add_corner(self.mapToScene(event.position().toPoint()))
            event.accept()
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
        pos = event.position().toPoint()
        index = self.seat_at(pos)
        if (
            event.button() == Qt.MouseButton.LeftButton
            and not event.modifiers()
            and index is not None
            and index in self.state.selected
        ):
            self._drag_from = self.mapToScene(pos)  # dragging the selection
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            super().mouseMoveEvent(event)
            return
        delta = self.mapToScene(event.position().toPoint()) - self._drag_from
        if self._ghost is None:
            box = self.selection_box()
            if box.isEmpty() or delta.manhattanLength() * self.scale_factor() < 3:
                return
            self._ghost = QGraphicsRectItem(box)
            pen = QPen(palette.CURSOR, 2)
            pen.setCosmetic(True)
            pen.setStyle(Qt.PenStyle.DashLine)
            self._ghost.setPen(pen)
            self._ghost.setZValue(Z_CURSOR)
            self.map_scene.addItem(self._ghost)
        self._ghost.setPos(delta)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            super().mouseReleaseEvent(event)
            return
        start, self._drag_from = self._drag_from, None
        ghost, self._ghost = self._ghost, None
        if ghost is None:  # no drag after all: a click on a selected seat
            self._press, self._press_modifiers = event.position().toPoint(), event.modifiers()
            super().mouseReleaseEvent(event)
            return
        self.map_scene.removeItem(ghost)
        delta = self.mapToScene(event.position().toPoint()) - start
        self.dragged.emit(delta.x(), delta.y())
        event.accept()

    def selection_box(self) -> QRectF:
        """The selected seats' box (for the outline that follows a drag)."""
        layout = self.state.layout
        if layout is None or not self.state.selected:
            return QRectF()
        xs = [layout.xs[i] for i in self.state.selected]
        ys = [layout.ys[i] for i in self.state.selected]
        pad = layout.pitch / 2
        return QRectF(
            min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
        )

    def show_rect(self, rect: QRectF, *, refit_under: int = FIT_SEATS) -> None:
        """After an edit: the whole map again while it is small (fitting redraws every
        seat), else scrolled so that ``rect`` is in view."""
        layout = self.state.layout
        if layout is not None and len(layout) <= refit_under and not self._user_zoomed:
            self.fit()
        elif not rect.isEmpty():
            self.ensureVisible(rect, 30, 30)

    def wait_for_point(self, taker: PointTaker | None) -> None:
        self.placing = taker
        if taker is None:
            self.viewport().unsetCursor()
        else:
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def wait_for_polygon(self, taker: CornersTaker | None) -> None:
        """Clicks add corners (drawn as they come); Enter or a double click ends the
        polygon (3 corners or more), Backspace takes the last corner back, Escape stops."""
        if self._outline is not None:
            self.map_scene.removeItem(self._outline)
            self._outline = None
        self._corners = None if taker is None else []
        self._corners_taker = taker
        if taker is None:
            self.viewport().unsetCursor()
            return
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self._outline = QGraphicsPathItem()
        pen = QPen(palette.CURSOR, 2)
        pen.setCosmetic(True)
        self._outline.setPen(pen)
        self._outline.setZValue(Z_CURSOR)
        self.map_scene.addItem(self._outline)

    def _add_corner(self, point: QPointF) -> None:
        assert self._corners is not None
        self._corners.append(point)
        self._draw_corners()

    def _draw_corners(self) -> None:
        if self._outline is None or self._corners is None:
            return
        path = QPainterPath()
        if self._corners:
            path.addPolygon(QPolygonF(self._corners))
        self._outline.setPath(path)

    def _finish_polygon(self) -> None:
        corners, taker = self._corners or [], self._corners_taker
        if len(corners) < 3 or taker is None:
            return
        self.wait_for_polygon(None)
        taker([(p.x(), p.y()) for p in corners])

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
        if self._corners is not None:
            self._finish_polygon()  # its second click added the last corner
            event.accept()
            return
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
        layout = self.state.layout
        if self._corners is not None and key in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Backspace,
            Qt.Key.Key_Escape,
        ):
            if key == Qt.Key.Key_Escape:
                self.wait_for_polygon(None)
            elif key == Qt.Key.Key_Backspace:
                self._corners = self._corners[:-1]
                self._draw_corners()
            else:
                self._finish_polygon()
            event.accept()
            return
        if key in arrows and (control or not self.has_selection()):
            self.move_cursor(*arrows[key])  # nothing to move: walk from seat to seat
        elif key in arrows:
            dx, dy = arrows[key]
            step = BIG_STEP if shift else 1
            self.moveRequested.emit(dx * step, dy * step)
        elif key == Qt.Key.Key_Space and self.cursor_index is not None and layout is not None:
            self.clicked.emit(layout.ids[self.cursor_index], shift)
        elif (
            key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.placing is None
            and self.cursor_index is not None
            and layout is not None
        ):
            self.rowRequested.emit(layout.ids[self.cursor_index], shift)
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
