"""Markers over the seat map: the keyboard cursor and the cashier's focal point, the
same size at any zoom."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.items import Z_CURSOR, Z_FOCAL


class CursorItem(QGraphicsItem):
    """The keyboard cursor: a ring round one seat, at least 18 px wide on screen."""

    def __init__(self) -> None:
        super().__init__()
        self.diameter = 18.0
        self.setZValue(Z_CURSOR)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setVisible(False)

    def set_diameter(self, diameter: float) -> None:
        self.prepareGeometryChange()
        self.diameter = max(18.0, diameter)

    def boundingRect(self) -> QRectF:
        d = self.diameter + 6
        return QRectF(-d / 2, -d / 2, d, d)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor("#ffffff"), 5))
        d = self.diameter
        painter.drawEllipse(QRectF(-d / 2, -d / 2, d, d))
        painter.setPen(QPen(palette.CURSOR, 2.5))
        painter.drawEllipse(QRectF(-d / 2, -d / 2, d, d))


class FocalItem(QGraphicsItem):
    """The point best-available seats should be near, when the cashier chose one."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_FOCAL)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setVisible(False)

    def boundingRect(self) -> QRectF:
        return QRectF(-14, -14, 28, 28)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for colour, width in ((QColor("#ffffff"), 5.0), (palette.FOCAL, 2.5)):
            painter.setPen(QPen(colour, width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QRectF(-8, -8, 16, 16))
            painter.drawLine(QPointF(-12, 0), QPointF(-4, 0))
            painter.drawLine(QPointF(4, 0), QPointF(12, 0))
            painter.drawLine(QPointF(0, -12), QPointF(0, -4))
            painter.drawLine(QPointF(0, 4), QPointF(0, 12))
