"""The stage and the standing areas on the seat map."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from enturf_core.seating.layout import AreaInfo
from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.items import Z_AREA, Z_STAGE, CacheMode
from enturf_pos.ui.seat_map.map_state import SeatMapState


class StageItem(QGraphicsItem):
    def __init__(self, rect: QRectF, text: str = "STAGE") -> None:
        super().__init__()
        self._rect = rect
        self.text = text
        self.setZValue(Z_STAGE)
        self.setCacheMode(CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.STAGE_FILL)
        r = min(self._rect.width(), self._rect.height()) * 0.18
        painter.drawRoundedRect(self._rect, r, r)
        _draw_fitted_text(painter, self._rect, self.text, palette.STAGE_TEXT, 0.42, bold=True)


class AreaItem(QGraphicsItem):
    """A standing area: its name, capacity and (when known) places left."""

    def __init__(self, state: SeatMapState, area: AreaInfo) -> None:
        super().__init__()
        self.state = state
        self.area = area
        self._rect = QRectF(area.x, area.y, area.width, area.height)
        self.polygon: QPolygonF | None = None  # its shape, when not its box
        self.setZValue(Z_AREA)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def set_polygon(self, polygon: QPolygonF | None) -> None:
        self.polygon = polygon
        self.update()

    def text(self) -> str:
        if not self.state.area_on_sale(self.area.id):
            return f"{self.area.name}\nnot on sale"
        left = self.state.areas_remaining.get(self.area.id)
        if left is None:
            return f"{self.area.name}\n{self.area.capacity:,} standing"
        return f"{self.area.name}\n{left:,} of {self.area.capacity:,} left"

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(palette.AREA_EDGE, 0)
        pen.setCosmetic(True)
        pen.setWidthF(1.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        on_sale = self.state.area_on_sale(self.area.id)
        painter.setBrush(QBrush(palette.AREA_FILL if on_sale else palette.AREA_OFF_SALE))
        if self.polygon is not None:
            painter.drawPolygon(self.polygon)
        else:
            r = min(self._rect.width(), self._rect.height()) * 0.04
            painter.drawRoundedRect(self._rect, r, r)
        text = palette.AREA_TEXT if on_sale else palette.AREA_OFF_SALE_TEXT
        _draw_fitted_text(painter, self._rect, self.text(), text, 0.07)


def _draw_fitted_text(
    painter: QPainter, rect: QRectF, text: str, colour: QColor, share: float, bold: bool = False
) -> None:
    """Text sized as a share of the rectangle's height, drawn in device pixels (sharp)."""
    transform = painter.worldTransform()
    device = transform.mapRect(rect)
    pixel = int(device.height() * share)
    if pixel < 6:
        return
    font = QFont()
    font.setPixelSize(min(pixel, 64))
    font.setBold(bold)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 112 if bold else 100)
    painter.resetTransform()
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(device, Qt.AlignmentFlag.AlignCenter, text)
    painter.setWorldTransform(transform)
