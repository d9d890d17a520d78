"""MapView: the canvas and what it shows of the editor's document.

It turns the document into the canvas's layout (only the changed sections' parts anew,
:mod:`canvas_layout`), shows the selection (selected seats in the cashier's cart look;
selected areas and decorations in a dashed box), the decorations and standing areas'
shapes, and the checks' problems as rings.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from enturf_core.seatmap_editing.checks import ERROR, Problem
from enturf_core.seatmap_editing.document import SeatMapDocument, bbox_of
from enturf_core.seatmap_editing.edits import Selection
from enturf_pos.ui.seat_map_editor.canvas import EditorCanvas
from enturf_pos.ui.seat_map_editor.canvas_layout import LayoutAssembler
from enturf_pos.ui.seat_map_editor.overlays import (
    ProblemMarks,
    clear_items,
    decoration_item,
    selection_item,
)


class MapView:
    def __init__(self, canvas: EditorCanvas) -> None:
        self.canvas = canvas
        self.document: SeatMapDocument | None = None
        self.assembler = LayoutAssembler()
        self.marks = ProblemMarks()
        canvas.map_scene.addItem(self.marks)
        self._parts: list[QGraphicsItem] = []  # decorations and area shapes
        self._boxes: list[QGraphicsItem] = []  # selected areas and decorations
        self._parts_key: tuple = ()
        canvas.part_at = self.part_at

    # -- the document --------------------------------------------------------------------

    def open(self, document: SeatMapDocument) -> None:
        """Show another document, fitted to the view."""
        self.document = document
        self.assembler = LayoutAssembler()
        self.assembler.seed_categories([c.name for c in document.categories])
        layout, grid, _kept = self.assembler.assemble(document)
        self._parts_key = ()
        self.canvas.state.category_colours = self._colours(layout)
        self.canvas.state.set_layout(layout, grid=grid)  # rebuilds the scene and fits
        self.marks.set_marks([], QRectF())
        self._show_parts()

    def close(self) -> None:
        self.document = None
        clear_items(self.canvas.map_scene, self._parts)
        clear_items(self.canvas.map_scene, self._boxes)
        self.marks.set_marks([], QRectF())

    def changed(self, selection: Selection) -> None:
        """The document changed: redraw what changed, show ``selection``."""
        document = self.document
        assert document is not None
        layout, grid, kept = self.assembler.assemble(document)
        index_of = layout.index_of
        selected = [index_of[u] for u in selection.seat_uids(document) if u in index_of]
        colours = self._colours(layout)
        recoloured = colours != self.canvas.state.category_colours
        self.canvas.state.category_colours = colours
        self.canvas.state.replace_layout(layout, grid, kept, selected)
        if recoloured:
            self.canvas.map_scene.colours_changed()
        self._show_parts()
        self.show_selection(selection)

    def _colours(self, layout) -> tuple[str, ...]:
        """The listed categories' own colours by the canvas's category numbers ("" for an
        unlisted one: the palette's colour for its number)."""
        document = self.document
        assert document is not None
        listed = {c.name: c.colour for c in document.categories}
        return tuple(listed.get(name, "") for name in layout.categories)

    def show_selection(self, selection: Selection) -> None:
        document = self.document
        if document is None:
            return
        self.canvas.state.set_selection(selection.seat_uids(document), emit=False)
        scene = self.canvas.map_scene
        clear_items(scene, self._boxes)
        for uid in selection.areas:
            if uid in document.areas:
                self._box(document.areas[uid].points)
        for uid in selection.decorations:
            if uid in document.decorations:
                self._box(document.decorations[uid].points)

    def _box(self, points) -> None:
        left, top, right, bottom = bbox_of(points)
        pad = self.canvas.state.layout.pitch if self.canvas.state.layout else 5.0
        item = selection_item(
            QRectF(left - pad, top - pad, right - left + 2 * pad, bottom - top + 2 * pad)
        )
        self.canvas.map_scene.addItem(item)
        self._boxes.append(item)

    def _show_parts(self) -> None:
        document = self.document
        assert document is not None
        for item in self.canvas.map_scene.areas:  # the cashier's boxes, rebuilt by each edit
            area = document.areas.get(item.area.id)
            if area is not None and not area.is_rectangle:
                item.set_polygon(QPolygonF([QPointF(x, y) for x, y in area.points]))
        key = tuple(document.decorations.values())
        if key == self._parts_key and self._parts:
            return
        self._parts_key = key
        scene = self.canvas.map_scene
        clear_items(scene, self._parts)
        for decoration in document.decorations.values():
            if decoration.points:
                self._parts.append(decoration_item(decoration))
        for item in self._parts:
            scene.addItem(item)

    def part_at(self, point: QPointF) -> int | None:
        """The area or decoration under a map point (decorations first: drawn on top)."""
        document = self.document
        if document is None:
            return None
        pad = self.canvas.state.layout.pitch if self.canvas.state.layout else 5.0
        for decoration in reversed(document.decorations.values()):
            left, top, right, bottom = bbox_of(decoration.points)
            if QRectF(
                left - pad, top - pad, right - left + 2 * pad, bottom - top + 2 * pad
            ).contains(point):
                return decoration.uid
        for area in reversed(document.areas.values()):
            polygon = QPolygonF([QPointF(x, y) for x, y in area.points])
            if polygon.containsPoint(point, Qt.FillRule.OddEvenFill):
                return area.uid
        return None

    # -- problems ------------------------------------------------------------------------

    def show_problems(self, problems: Sequence[Problem]) -> None:
        document = self.document
        if document is None:
            return
        marks: list[tuple[float, float, bool]] = []
        for problem in problems:
            point = self.where(problem)
            if point is not None:
                marks.append((point[0], point[1], problem.severity == ERROR))
        self.marks.set_current(None)
        self.marks.set_marks(marks, self.canvas.map_scene.sceneRect())

    def where(self, problem: Problem) -> tuple[float, float] | None:
        if problem.at is not None:
            return problem.at
        document = self.document
        if document is not None and problem.seat_uids:
            uid = problem.seat_uids[0]
            if document.has_seat(uid):
                seat = document.seat(uid)
                return (seat.x, seat.y)
        return None

    def zoom_to(self, problem: Problem) -> None:
        """Centre the problem's seats (or place) on screen, zoomed in enough to see it."""
        layout = self.canvas.state.layout
        if layout is None:
            return
        indices = [layout.index_of[u] for u in problem.seat_uids if u in layout.index_of]
        px = max(24.0, self.canvas.seat_px())  # zoomed in enough, never out
        if indices:
            self.canvas.zoom_to_seats(indices[:50], seat_px=px)
        else:
            point = self.where(problem)
            if point is None:
                return
            self.canvas.zoom_to_point(*point, seat_px=px)
        point = self.where(problem)
        self.marks.set_current(point)
