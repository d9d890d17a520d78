"""SeatMapView (objectName ``seatMap``): the interactive seat map.

Mouse: click a seat to put it in the cart or take it out; drag to add every pickable
seat in a rectangle; wheel to zoom at the pointer; middle button or Alt+drag to pan;
right click or Ctrl+click to set the focal point for best-available seats.
Keyboard: arrows move a cursor from seat to seat (Shift+arrows pan), Space or Enter
toggles the seat under it, + and - zoom, F fits the map, Escape drops the focal point.

The view only shows and emits: the cashier window holds seats on the server when
``selectionChanged`` fires, and applies sync updates with :meth:`set_statuses`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPixmapCache, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsView, QRubberBand, QToolTip, QWidget

from enturf_core.seating.best_available import BestSeats, Tier
from enturf_core.seating.layout import SeatMapLayout
from enturf_core.seating.states import SeatState
from enturf_core.wire.feed import Ticket
from enturf_pos.ui.seat_map.map_state import Pickable, SeatMapState
from enturf_pos.ui.seat_map.scene import SeatMapScene

ZOOM_STEP = 1.25
MAX_SEAT_PX = 90.0  # zoom in no further than a seat this big on screen
# Item caches live in QPixmapCache (10 MB by default: two full-HD screens of tiles). A
# big arena's tiles and section plates need several screens' worth to pan smoothly.
PIXMAP_CACHE_KB = 160 * 1024


class SeatMapView(QGraphicsView):
    selectionChanged = Signal(list)  # seat ids in the cart
    seatActivated = Signal(int)  # a seat was clicked or toggled from the keyboard
    focalPointChosen = Signal(float, float)  # map coordinates
    seatsRequested = Signal(object)  # BestSeats: the outcome of request_best_seats
    areaActivated = Signal(int)  # a standing area on sale was clicked
    pickRefused = Signal(str)  # a seat or area was clicked that cannot be sold: why
    zoomChanged = Signal(float)  # on-screen size of a seat, in pixels

    def __init__(self, state: SeatMapState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatMap")
        self.setAccessibleName("Seat map")
        self.state = state or SeatMapState(self)
        self.map_scene = SeatMapScene(self.state, self)
        self.setScene(self.map_scene)
        self.focal: tuple[float, float] | None = None
        self.cursor_index: int | None = None
        self._user_zoomed = False
        self._press: QPoint | None = None
        self._press_modifiers = Qt.KeyboardModifier.NoModifier
        self._panning = False
        self._band: QRubberBand | None = None
        self._last_pan = QPoint()

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setMinimumSize(320, 240)
        if QPixmapCache.cacheLimit() < PIXMAP_CACHE_KB:
            QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)
        self.state.selectionChanged.connect(self._selection_changed)
        self.state.layoutChanged.connect(self._layout_changed)

    def sizeHint(self) -> QSize:
        return QSize(960, 720)

    # -- data (pass-through to the state) ----------------------------------------------

    def set_layout(
        self,
        layout: SeatMapLayout,
        *,
        tickets: Sequence[Ticket] | None = None,
        statuses: Mapping[int, str | SeatState] | None = None,
    ) -> None:
        self.state.set_layout(layout, tickets=tickets, statuses=statuses)

    def set_statuses(self, statuses: Mapping[int, str | SeatState]) -> list[int]:
        """Apply sync updates ``{seat id: status}``; repaints only what changed."""
        return self.state.set_statuses(statuses)

    def set_allocation(self, seat_ids: Iterable[int]) -> None:
        self.state.set_allocation(seat_ids)

    def set_pickable(self, pickable: Pickable) -> None:
        self.state.set_pickable(pickable)

    def set_tickets(self, tickets: Sequence[Ticket] | None) -> None:
        self.state.set_tickets(tickets)

    def selection(self) -> list[int]:
        return self.state.selection()

    def set_selection(self, seat_ids: Iterable[int], *, emit: bool = False) -> None:
        self.state.set_selection(seat_ids, emit=emit)

    # -- hit-testing -------------------------------------------------------------------

    def seat_at(self, pos: QPoint | QPointF) -> int | None:
        """Seat index under a viewport position, or None."""
        point = self.mapToScene(pos.toPoint() if isinstance(pos, QPointF) else pos)
        return self.seat_at_scene(point.x(), point.y())

    def seat_at_scene(self, x: float, y: float) -> int | None:
        grid = self.state.grid
        if grid is None:
            return None
        # a little more than the seat itself when seats are tiny on screen
        layout = self.state.layout
        assert layout is not None
        radius = max(layout.pitch * 0.6, 3.0 / max(self.scale_factor(), 1e-6))
        return grid.seat_at(x, y, min(radius, layout.pitch * 1.5))

    def area_at(self, pos: QPoint) -> int | None:
        point = self.mapToScene(pos)
        for item in self.map_scene.areas:
            if item.boundingRect().contains(point):
                return item.area.id
        return None

    # -- zoom --------------------------------------------------------------------------

    def scale_factor(self) -> float:
        return self.transform().m11()

    def seat_px(self) -> float:
        layout = self.state.layout
        return 0.0 if layout is None else self.scale_factor() * layout.seat_size

    def fit(self) -> None:
        """The whole map in view."""
        rect = self.map_scene.sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._user_zoomed = False
        self._zoom_applied()

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        layout = self.state.layout
        if layout is None:
            return
        current = self.scale_factor()
        fit = self._fit_scale()
        target = min(max(current * factor, fit * 0.5), MAX_SEAT_PX / layout.seat_size)
        if abs(target - current) < 1e-9:
            return
        if anchor is not None:
            before = self.mapToScene(anchor)
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
            self.scale(target / current, target / current)
            after = self.mapToScene(anchor)
            delta = after - before
            self.translate(delta.x(), delta.y())
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        else:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            self.scale(target / current, target / current)
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._user_zoomed = True
        self._zoom_applied()

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def zoom_to_seats(self, indices: Sequence[int], *, seat_px: float = 24.0) -> None:
        """Centre on these seats, zoomed so that a seat is about ``seat_px`` wide."""
        layout = self.state.layout
        if layout is None or not indices:
            return
        xs = [layout.xs[i] for i in indices]
        ys = [layout.ys[i] for i in indices]
        current = self.scale_factor()
        target = seat_px / layout.seat_size
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(target / current, target / current)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.centerOn(QPointF((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2))
        self._user_zoomed = True
        self._zoom_applied()

    def zoom_to_point(self, x: float, y: float, *, seat_px: float = 24.0) -> None:
        """Centre on a map point, zoomed so that a seat is about ``seat_px`` wide."""
        layout = self.state.layout
        if layout is None:
            return
        current = self.scale_factor()
        target = seat_px / layout.seat_size
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(target / current, target / current)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.centerOn(QPointF(x, y))
        self._user_zoomed = True
        self._zoom_applied()

    def _fit_scale(self) -> float:
        rect = self.map_scene.sceneRect()
        view = self.viewport().rect()
        if rect.isEmpty() or view.isEmpty():
            return 1.0
        return min(view.width() / rect.width(), view.height() / rect.height())

    def _zoom_applied(self) -> None:
        px = self.seat_px()
        self.map_scene.set_seat_px(px)
        self.zoomChanged.emit(px)

    def _layout_changed(self) -> None:
        self.focal = None
        self.cursor_index = None
        self.fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._user_zoomed:
            self.fit()

    # -- focal point and best seats ------------------------------------------------------

    def set_focal_point(self, point: tuple[float, float] | None) -> None:
        self.focal = point
        self.map_scene.show_focal(point)
        if point is not None:
            self.focalPointChosen.emit(point[0], point[1])

    def request_best_seats(self, n: int, *, accessible: bool = False) -> BestSeats:
        """Replace the cart with the best ``n`` seats near the focal point (or the
        stage); emits ``selectionChanged`` when the cart changes and ``seatsRequested``
        with the outcome (its tier says how far the search relaxed)."""
        if self.state.layout is None:
            return BestSeats((), Tier.NONE)
        result = self.state.best(n, focal=self.focal, accessible=accessible)
        if result.seat_ids:
            self.state.set_selection(result.seat_ids)
            indices = [self.state.layout.index(i) for i in result.seat_ids]
            self.cursor_index = indices[0]
            self.map_scene.show_cursor(self.cursor_index)
            self._ensure_visible(indices)
        self.seatsRequested.emit(result)
        return result

    def _ensure_visible(self, indices: Sequence[int]) -> None:
        layout = self.state.layout
        assert layout is not None
        xs = [layout.xs[i] for i in indices]
        ys = [layout.ys[i] for i in indices]
        p = layout.pitch
        self.ensureVisible(
            QRectF(min(xs) - p, min(ys) - p, max(xs) - min(xs) + 2 * p, max(ys) - min(ys) + 2 * p),
            40,
            40,
        )

    # -- mouse -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        mods = event.modifiers()
        if event.button() == Qt.MouseButton.RightButton or (
            event.button() == Qt.MouseButton.LeftButton
            and mods & Qt.KeyboardModifier.ControlModifier
        ):
            point = self.mapToScene(pos)
            self.set_focal_point((point.x(), point.y()))
            event.accept()
            return
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and mods & Qt.KeyboardModifier.AltModifier
        ):
            self._panning = True
            self._last_pan = pos
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = pos
            self._press_modifiers = mods
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._panning:
            delta = pos - self._last_pan
            self._last_pan = pos
            self.pan_by(-delta.x(), -delta.y())
            event.accept()
            return
        if self._press is not None:
            if self._band is None and (
                (pos - self._press).manhattanLength() >= QApplication.startDragDistance()
            ):
                self._band = QRubberBand(QRubberBand.Shape.Rectangle, self.viewport())
                self._band.show()
            if self._band is not None:
                self._band.setGeometry(QRect(self._press, pos).normalized())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._panning and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._panning = False
            self.viewport().unsetCursor()
            event.accept()
            return
        if self._press is not None and event.button() == Qt.MouseButton.LeftButton:
            press, self._press = self._press, None
            if self._band is not None:
                self._band.hide()
                self._band.deleteLater()
                self._band = None
                self.select_in_rect(self.mapToScene(QRect(press, pos).normalized()).boundingRect())
            else:
                self.click_at(pos)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def click_at(self, pos: QPoint) -> None:
        index = self.seat_at(pos)
        if index is not None:
            self.cursor_index = index
            self.map_scene.show_cursor(index)
            self._toggle(index)
            return
        area = self.area_at(pos)
        if area is None:
            return
        if self.state.area_on_sale(area):
            self.areaActivated.emit(area)
        else:
            name = next(i.area.name for i in self.map_scene.areas if i.area.id == area)
            self.pickRefused.emit(f"{name} is not on sale: no ticket of this event sells it.")

    def _toggle(self, index: int) -> bool:
        """Toggle a seat in the cart; say why when it cannot be picked."""
        toggled = self.state.toggle(index)
        if not toggled:
            self.pickRefused.emit(self.state.why_not(index))
        assert self.state.layout is not None
        self.seatActivated.emit(self.state.layout.ids[index])
        return toggled

    def select_in_rect(self, rect: QRectF) -> list[int]:
        """Add the pickable seats in a map rectangle to the cart; returns their ids."""
        grid, layout = self.state.grid, self.state.layout
        if grid is None or layout is None:
            return []
        added = self.state.add_to_selection(
            grid.in_rect(rect.left(), rect.top(), rect.right(), rect.bottom())
        )
        return [layout.ids[i] for i in added]

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP**steps, event.position().toPoint())
        event.accept()

    def pan_by(self, dx: int, dy: int) -> None:
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + dx)
        v.setValue(v.value() + dy)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()
            index = self.seat_at(pos)
            if index is not None:
                QToolTip.showText(event.globalPos(), self.state.describe(index), self.viewport())
            else:
                area = self.area_at(pos)
                text = ""
                for item in self.map_scene.areas:
                    if item.area.id == area:
                        text = item.text()
                if text:
                    QToolTip.showText(event.globalPos(), text, self.viewport())
                else:
                    QToolTip.hideText()
                    event.ignore()
            return True
        return super().viewportEvent(event)

    # -- keyboard ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        arrows = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in arrows:
            dx, dy = arrows[key]
            if mods & Qt.KeyboardModifier.ShiftModifier:
                step = self.viewport().width() // 8
                self.pan_by(dx * step, dy * step)
            else:
                self.move_cursor(dx, dy)
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.toggle_cursor_seat()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_F:
            self.fit()
        elif key == Qt.Key.Key_Escape and self.focal is not None:
            self.set_focal_point(None)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def move_cursor(self, dx: int, dy: int) -> int | None:
        """Move the keyboard cursor to the nearest seat in a screen direction."""
        grid, layout = self.state.grid, self.state.layout
        if grid is None or layout is None or not len(layout):
            return None
        if self.cursor_index is None:
            centre = self.mapToScene(self.viewport().rect().center())
            index = grid.seat_at(centre.x(), centre.y(), radius=1e12)
        else:
            index = grid.nearest_in_direction(self.cursor_index, dx, dy, exclude_row=False)
            if index is None:
                return self.cursor_index
        self.cursor_index = index
        self.map_scene.show_cursor(index)
        if index is not None:
            self._ensure_visible([index])
            self.setAccessibleDescription(self.state.describe(index))
        return index

    def toggle_cursor_seat(self) -> bool:
        if self.cursor_index is None:
            self.move_cursor(0, 0)
            return False
        toggled = self._toggle(self.cursor_index)
        self.setAccessibleDescription(self.state.describe(self.cursor_index))
        return toggled

    def _selection_changed(self, seat_ids: list[int]) -> None:
        self.selectionChanged.emit(seat_ids)
