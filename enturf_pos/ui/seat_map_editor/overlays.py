"""What the editor draws over the cashier's map: decorations (stage, labels, shapes),
standing areas' polygons, the selected areas and decorations, and the checks' problems.

Items are few (one per decoration or area, one for all problem marks) and cheap; the
seats themselves stay the cashier's tiles.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from enturf_core import palette as colours
from enturf_core.seatmap_editing.document import Decoration
from enturf_pos.ui.seat_map import palette

Z_DECORATION = 1.5
Z_PROBLEMS = 4.5
ERROR_RING = QColor(colours.DANGER)
WARNING_RING = QColor(colours.WARNING_EDGE)
SELECTED_EDGE = QColor(colours.BLUE)
MARK_PX = 14.0  # a problem's ring on screen


def _cosmetic(colour: QColor, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    pen.setStyle(style)
    return pen


def _polygon(points: Sequence[tuple[float, float]]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


def decoration_item(decoration: Decoration) -> QGraphicsItem:
    """One decoration as a standard graphics item, positioned and turned as stored."""
    points = decoration.points
    edge = _cosmetic(palette.SECTION_EDGE.darker(160), 1.5)
    item: QGraphicsItem
    if decoration.kind == "label" or len(points) == 1:
        text = QGraphicsSimpleTextItem(decoration.text or "Label")
        font = QFont()
        font.setPixelSize(14)
        font.setBold(True)
        text.setFont(font)
        text.setBrush(palette.LABEL_TEXT)
        text.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        box = text.boundingRect()
        text.setTransformOriginPoint(box.center())
        text.setPos(QPointF(points[0][0], points[0][1]) - box.center())
        item = text
    elif decoration.kind == "line":
        (x0, y0), (x1, y1) = points[0], points[-1]
        item = QGraphicsLineItem(x0, y0, x1, y1)
        item.setPen(_cosmetic(palette.SECTION_EDGE.darker(160), 2.0))
    elif decoration.kind == "ellipse":
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        item = QGraphicsEllipseItem(QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
        item.setPen(edge)
        item.setBrush(QBrush(palette.AREA_FILL))
    else:  # stage, rect, polygon
        shape = QGraphicsPolygonItem(_polygon(points))
        if decoration.kind == "stage":
            shape.setPen(Qt.PenStyle.NoPen)
            shape.setBrush(QBrush(palette.STAGE_FILL))
        else:
            shape.setPen(edge)
            shape.setBrush(QBrush(palette.AREA_FILL))
        item = shape
        if decoration.text:
            caption = QGraphicsSimpleTextItem(decoration.text, shape)
            font = QFont()
            font.setPixelSize(13)
            font.setBold(True)
            caption.setFont(font)
            caption.setBrush(
                palette.STAGE_TEXT if decoration.kind == "stage" else palette.LABEL_TEXT
            )
            caption.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            centre = shape.boundingRect().center()
            caption.setPos(centre - caption.boundingRect().center())
    if decoration.rotation and decoration.kind != "label":
        centre = item.boundingRect().center()
        item.setTransformOriginPoint(centre)
        item.setRotation(decoration.rotation)
    elif decoration.rotation:
        item.setRotation(decoration.rotation)
    item.setZValue(Z_DECORATION)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    item.setData(0, decoration.uid)
    return item


def selection_item(rect: QRectF) -> QGraphicsItem:
    item = QGraphicsRectItem(rect)
    item.setPen(_cosmetic(SELECTED_EDGE, 2.0, Qt.PenStyle.DashLine))
    item.setBrush(Qt.BrushStyle.NoBrush)
    item.setZValue(Z_PROBLEMS)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return item


class ProblemMarks(QGraphicsItem):
    """A ring round each place the checks found a problem, the same size at any zoom
    (red for errors, amber for warnings); the current one gets a bigger ring."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[float, float, bool]] = []  # x, y, is error
        self.current: tuple[float, float] | None = None
        self._rect = QRectF()
        self.setZValue(Z_PROBLEMS)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_marks(self, marks: list[tuple[float, float, bool]], scene_rect: QRectF) -> None:
        self.prepareGeometryChange()
        self.marks = marks
        self._rect = scene_rect if marks else QRectF()
        self.update()

    def set_current(self, point: tuple[float, float] | None) -> None:
        self.current = point
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        transform = painter.worldTransform()
        exposed = transform.mapRect(option.exposedRect).adjusted(
            -MARK_PX, -MARK_PX, MARK_PX, MARK_PX
        )
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = {True: QPainterPath(), False: QPainterPath()}
        r = MARK_PX / 2
        for x, y, error in self.marks:
            centre = transform.map(QPointF(x, y))
            if exposed.contains(centre):
                path[error].addEllipse(centre, r, r)
        for error, colour in ((False, WARNING_RING), (True, ERROR_RING)):
            if not path[error].isEmpty():
                painter.setPen(QPen(palette.HALO, 4.5))
                painter.drawPath(path[error])
                painter.setPen(QPen(colour, 2.5))
                painter.drawPath(path[error])
        if self.current is not None:
            centre = transform.map(QPointF(*self.current))
            painter.setPen(QPen(ERROR_RING, 3.0, Qt.PenStyle.DashLine))
            painter.drawEllipse(centre, MARK_PX * 1.4, MARK_PX * 1.4)
        painter.setWorldTransform(transform)


def clear_items(scene: QGraphicsScene, items: list[QGraphicsItem]) -> None:
    for item in items:
        scene.removeItem(item)
    items.clear()


__all__ = [
    "ProblemMarks",
    "clear_items",
    "decoration_item",
    "selection_item",
]
