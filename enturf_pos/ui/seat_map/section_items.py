"""A section on the seat map: its floor plate (zoomed far out, its availability) and
its name."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from enturf_core.seating.layout import SectionInfo
from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.items import OVERVIEW_PX, SMOOTH_PLATE_PX, Z_LABEL, Z_SECTION, CacheMode
from enturf_pos.ui.seat_map.map_state import SeatMapState


def section_outline(state: SeatMapState, section: SectionInfo, pad: float) -> QPolygonF:
    """The section's rim ``pad`` outside its outer seats' centres: along the front row,
    down the rows' right ends, back along the back row, up the left ends. Follows curved
    rows; a one-row section becomes a band round the row."""
    layout = state.layout
    assert layout is not None
    xs, ys = layout.xs, layout.ys
    rows = [layout.rows[r].seats for r in section.rows if len(layout.rows[r].seats)]
    if not rows:
        return QPolygonF()
    rim: list[int] = list(rows[0])
    rim += [r.stop - 1 for r in rows[1:-1]]
    rim += list(reversed(rows[-1]))  # one row: the same seats back, offset the other way
    rim += [r.start for r in reversed(rows[1:-1])]
    points = [(xs[i], ys[i]) for i in rim]
    # drop repeated points (a one-seat row end) so every edge has a direction
    points = [p for k, p in enumerate(points) if p != points[k - 1]] or points[:1]
    return QPolygonF([QPointF(x, y) for x, y in _offset_polygon(points, pad)])


def _offset_polygon(points: list[tuple[float, float]], pad: float) -> list[tuple[float, float]]:
    """Each vertex moved ``pad`` outwards: mitred where the rim bends gently, bevelled at
    corners, and a vertex where the rim turns back on itself becomes a square cap."""
    n = len(points)
    if n == 1:
        (x, y) = points[0]
        return [(x - pad, y - pad), (x + pad, y - pad), (x + pad, y + pad), (x - pad, y + pad)]
    area = sum(points[k - 1][0] * points[k][1] - points[k][0] * points[k - 1][1] for k in range(n))
    sign = 1.0 if area >= 0 else -1.0  # outward normal side, whichever way the rim runs
    out: list[tuple[float, float]] = []
    for k in range(n):
        (px_, py_), (x, y), (nx, ny) = points[k - 1], points[k], points[(k + 1) % n]
        d1x, d1y = x - px_, y - py_
        d2x, d2y = nx - x, ny - y
        l1 = math.hypot(d1x, d1y) or 1.0
        l2 = math.hypot(d2x, d2y) or 1.0
        d1x, d1y, d2x, d2y = d1x / l1, d1y / l1, d2x / l2, d2y / l2
        n1x, n1y = d1y * sign, -d1x * sign
        n2x, n2y = d2y * sign, -d2x * sign
        mx, my = n1x + n2x, n1y + n2y
        norm = math.hypot(mx, my)
        if norm < 0.2:  # turning back: cap the end
            out.append((x + (n1x + d1x) * pad, y + (n1y + d1y) * pad))
            out.append((x + (n2x + d1x) * pad, y + (n2y + d1y) * pad))
            continue
        if n1x * n2x + n1y * n2y < 0.6:  # a corner: bevelled, not a long spike
            out.append((x + n1x * pad, y + n1y * pad))
            out.append((x + n2x * pad, y + n2y * pad))
            continue
        mx, my = mx / norm, my / norm
        scale = pad / (mx * n1x + my * n1y)
        out.append((x + mx * scale, y + my * scale))
    return out


class SectionItem(QGraphicsItem):
    """The section's plate under its seats; zoomed out, its availability."""

    def __init__(self, state: SeatMapState, section: SectionInfo) -> None:
        super().__init__()
        layout = state.layout
        assert layout is not None
        self.state = state
        self.section = section
        self._outline = section_outline(state, section, layout.pitch * 1.1)
        m = layout.pitch * 0.2
        self._rect = self._outline.boundingRect().adjusted(-m, -m, m, m)
        counts: dict[int, int] = {}
        for i in section.seats:
            c = layout.category_of[i]
            counts[c] = counts.get(c, 0) + 1
        self.category = max(counts, key=lambda c: counts[c]) if counts else 0
        self.setZValue(Z_SECTION)
        self.setCacheMode(CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        layout = self.state.layout
        assert layout is not None
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        px = lod * layout.seat_size
        if px < OVERVIEW_PX:
            share = self.state.free_count(self.section.seats) / max(1, len(self.section.seats))
            fill = palette.availability_colour(self.category, share, self.state.category_colours)
        else:
            fill = palette.SECTION_FILL
        # smooth edges only where they show; zoomed out, plain fills are much cheaper
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, px >= SMOOTH_PLATE_PX)
        edge = QPen(palette.SECTION_EDGE, 1.0)
        edge.setCosmetic(True)
        edge.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(edge)
        painter.setBrush(fill)
        painter.drawPolygon(self._outline)


class SectionLabelItem(QGraphicsItem):
    """A section's name on a light plate, the same size at any zoom."""

    def __init__(self, name: str, overview_pos: QPointF, detail_pos: QPointF) -> None:
        super().__init__()
        self.name = name
        self.overview_pos = overview_pos
        self.detail_pos = detail_pos
        self.detail_spots = [detail_pos]  # where the name may go zoomed in, best first
        self.section_index = -1
        self.seat_count = 0  # the section's size: bigger sections keep their label
        self._font = QFont()
        self._font.setPixelSize(13)
        self._font.setBold(True)
        metrics = QFontMetricsF(self._font)
        w = metrics.horizontalAdvance(name) + 10
        h = metrics.height() + 4
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        self.setPos(overview_pos)
        self.setZValue(Z_LABEL)
        self.setCacheMode(CacheMode.DeviceCoordinateCache)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 215))
        painter.drawRoundedRect(self._rect, 4, 4)
        painter.setPen(palette.LABEL_TEXT)
        painter.setFont(self._font)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.name)
