"""The seat map's graphics items: a few per section, never one per seat.

* :class:`SeatTileItem` paints up to ``TILE_SEATS`` seats (whole rows of one section)
  with one ``drawPoints`` call per colour (square-capped pens over prebuilt point lists),
  and caches its rendering per device (``DeviceCoordinateCache``), so panning blits
  pixmaps and a status change re-renders only the changed seats' small rectangles.
* :class:`SectionItem` draws the section's floor plate; zoomed far out it shows the
  section's availability instead of seats. :class:`SectionLabelItem` names it.
* :class:`StageItem`, :class:`AreaItem` (standing areas), :class:`CursorItem` (the
  keyboard cursor) and :class:`FocalItem` (the cashier's focal point).

Level of detail, by the size of a seat on screen (``px``): below ``OVERVIEW_PX`` sections
only; squares up to ``DETAIL_PX``; rounded seats with row labels beyond, and seat numbers
from ``LABEL_PX``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QPolygonF,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from enturf_core.seating.layout import ACCESSIBLE, OBSTRUCTED, AreaInfo, SectionInfo
from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.map_state import SeatMapState

TILE_SEATS = 2_000
OVERVIEW_PX = 1.0
RING_PX = 3.5
MARK_PX = 4.5
DETAIL_PX = 11.0
LABEL_PX = 17.0
SMOOTH_PLATE_PX = 4.0
CART_MIN_PX = 6.0  # seats in the cart are drawn at least this big, at any zoom
PARTIAL_SHARE = 0.3  # exposed share of a tile under which only its exposed seats are drawn

Z_SECTION, Z_AREA, Z_STAGE, Z_SEATS, Z_LABEL, Z_FOCAL, Z_CURSOR = 0, 1, 1, 2, 3, 4, 5

CacheMode = QGraphicsItem.CacheMode


def seat_px(painter: QPainter, option: QStyleOptionGraphicsItem, size: float) -> float:
    return option.levelOfDetailFromTransform(painter.worldTransform()) * size


class SeatPaint:
    """Pens, brushes and text shared by the tiles of one layout."""

    def __init__(self, state: SeatMapState) -> None:
        assert state.layout is not None
        self.state = state
        self.size = state.layout.seat_size
        self.ring = self.size * 1.4
        self.margin = state.layout.pitch * 2.2  # tiles reach this far beyond their seats
        self._fill_pens: dict[int, QPen] = {}
        self._ring_pens: dict[int, QPen | None] = {}
        self._texts: dict[tuple[str, int, bool], QStaticText] = {}
        self.mark_pen = QPen(QColor("#ffffff"), self.size * 0.34)
        self.mark_pen.setCapStyle(Qt.PenCapStyle.RoundCap)

    def fill_pen(self, paint_code: int) -> QPen:
        pen = self._fill_pens.get(paint_code)
        if pen is None:
            pen = QPen(palette.fill_colour(paint_code), self.size)
            pen.setCapStyle(Qt.PenCapStyle.SquareCap)
            self._fill_pens[paint_code] = pen
        return pen

    def ring_pen(self, paint_code: int) -> QPen | None:
        if paint_code not in self._ring_pens:
            colour = palette.ring_colour(paint_code)
            pen = None
            if colour is not None:
                pen = QPen(colour, self.ring)
                pen.setCapStyle(Qt.PenCapStyle.SquareCap)
            self._ring_pens[paint_code] = pen
        return self._ring_pens[paint_code]

    def static_text(self, text: str, pixel_size: int, bold: bool = False) -> QStaticText:
        key = (text, pixel_size, bold)
        static = self._texts.get(key)
        if static is None:
            static = QStaticText(text)
            font = QFont()
            font.setPixelSize(pixel_size)
            font.setBold(bold)
            static.prepare(QTransform(), font)
            static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            self._texts[key] = static
            if len(self._texts) > 4_000:
                self._texts.clear()
        return static

    def font(self, pixel_size: int, bold: bool = False) -> QFont:
        font = QFont()
        font.setPixelSize(pixel_size)
        font.setBold(bold)
        return font

    # -- points (squares) --------------------------------------------------------------

    def paint_points(
        self, painter: QPainter, groups: Sequence[tuple[int, QPolygonF]], px: float
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if px >= RING_PX:
            for paint_code, points in groups:
                pen = self.ring_pen(paint_code)
                if pen is not None and paint_code >> palette.CATEGORY_BITS != palette.Look.CART:
                    painter.setPen(pen)
                    painter.drawPoints(points)
        # One wide-pen pass per colour: at 100,000 seats this beats k x k passes of
        # one-pixel points (measured: the cost is in the pixels written, not the calls).
        for paint_code, points in groups:
            if paint_code >> palette.CATEGORY_BITS != palette.Look.CART:
                painter.setPen(self.fill_pen(paint_code))
                painter.drawPoints(points)
        self.paint_cart(painter, groups, px)

    def paint_cart(
        self, painter: QPainter, groups: Sequence[tuple[int, QPolygonF]], px: float
    ) -> None:
        """Seats in the cart, last and never smaller than CART_MIN_PX: always findable."""
        scale = px / self.size
        for paint_code, points in groups:
            if paint_code >> palette.CATEGORY_BITS != palette.Look.CART:
                continue
            size = min(max(self.size, CART_MIN_PX / scale), self.margin * 1.3)
            ring = QPen(palette.CART_RING, min(max(self.ring, size + 3 / scale), self.margin * 1.9))
            ring.setCapStyle(Qt.PenCapStyle.SquareCap)
            painter.setPen(ring)
            painter.drawPoints(points)
            fill = QPen(palette.CART_FILL, size)
            fill.setCapStyle(Qt.PenCapStyle.SquareCap)
            painter.setPen(fill)
            painter.drawPoints(points)

    def paint_marks(self, painter: QPainter, accessible: QPolygonF, px: float) -> None:
        if px >= MARK_PX and not accessible.isEmpty():
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(self.mark_pen)
            painter.drawPoints(accessible)

    # -- detail (rounded seats, numbers) -----------------------------------------------

    def paint_detail(self, painter: QPainter, indices: Sequence[int], px: float) -> None:
        state = self.state
        layout = state.layout
        assert layout is not None
        xs, ys, looks, flags = layout.xs, layout.ys, state.looks, layout.flags
        size, half = self.size, self.size / 2
        radius = size * 0.25
        groups: dict[int, list[int]] = {}
        for i in indices:
            groups.setdefault(looks[i], []).append(i)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for paint_code, members in groups.items():
            ring = palette.ring_colour(paint_code)
            if ring is not None:
                painter.setPen(QPen(ring, size * 0.16))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.fill_colour(paint_code))
            for i in members:
                painter.drawRoundedRect(
                    QRectF(xs[i] - half, ys[i] - half, size, size), radius, radius
                )
        # restricted view: a dark corner; wheelchair space: a white ring
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#1b1f24"))
        corner = size * 0.38
        for i in indices:
            if flags[i] & OBSTRUCTED:
                x1, y0 = xs[i] + half, ys[i] - half
                painter.drawPolygon(
                    QPolygonF([QPointF(x1 - corner, y0), QPointF(x1, y0), QPointF(x1, y0 + corner)])
                )
        if px >= LABEL_PX:
            self._paint_numbers(painter, indices, px)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("#ffffff"), size * 0.12))
            for i in indices:
                if flags[i] & ACCESSIBLE:
                    painter.drawEllipse(QPointF(xs[i], ys[i]), size * 0.22, size * 0.22)

    def _paint_numbers(self, painter: QPainter, indices: Sequence[int], px: float) -> None:
        """Seat numbers in device pixels (sharp at any zoom)."""
        state = self.state
        layout = state.layout
        assert layout is not None
        transform = painter.worldTransform()
        painter.resetTransform()
        pixel = max(8, min(22, int(px * 0.45)))
        xs, ys, labels, looks, flags = (
            layout.xs,
            layout.ys,
            layout.labels,
            state.looks,
            layout.flags,
        )
        colours: dict[int, QColor] = {}
        for i in indices:
            paint_code = looks[i]
            colour = colours.get(paint_code)
            if colour is None:
                colour = colours[paint_code] = palette.text_colour(palette.fill_colour(paint_code))
            painter.setPen(colour)
            text = "\u267f" if flags[i] & ACCESSIBLE else labels[i]
            static = self.static_text(text, pixel, bold=True)
            centre = transform.map(QPointF(xs[i], ys[i]))
            box = static.size()
            painter.drawStaticText(
                QPointF(centre.x() - box.width() / 2, centre.y() - box.height() / 2), static
            )
        painter.setWorldTransform(transform)

    def paint_row_labels(
        self, painter: QPainter, rows: Sequence[int], px: float, exposed: QRectF
    ) -> None:
        """Row labels beyond both ends of each row, in device pixels."""
        layout = self.state.layout
        assert layout is not None
        xs, ys = layout.xs, layout.ys
        transform = painter.worldTransform()
        pixel = max(9, min(18, int(px * 0.55)))
        painter.resetTransform()
        painter.setPen(palette.ROW_LABEL_TEXT)
        offset = layout.pitch * 1.25
        for r in rows:
            row = layout.rows[r]
            a, b = row.seats.start, row.seats.stop - 1
            if b < a:
                continue
            static = self.static_text(row.label, pixel, bold=True)
            box = static.size()
            for end, inner in ((a, a + 1), (b, b - 1)):
                if a == b:
                    dx, dy = -1.0, 0.0
                else:
                    dx, dy = xs[end] - xs[inner], ys[end] - ys[inner]
                    norm = math.hypot(dx, dy) or 1.0
                    dx, dy = dx / norm, dy / norm
                point = QPointF(xs[end] + dx * offset, ys[end] + dy * offset)
                if not exposed.contains(point):
                    continue
                centre = transform.map(point)
                painter.drawStaticText(
                    QPointF(centre.x() - box.width() / 2, centre.y() - box.height() / 2), static
                )
        painter.setWorldTransform(transform)


class SeatTileItem(QGraphicsItem):
    """Whole rows of one section (at most ``TILE_SEATS`` seats, a contiguous index range)."""

    def __init__(self, paint: SeatPaint, rows: range, seats: range) -> None:
        super().__init__()
        self.paint_book = paint
        self.rows = rows
        self.seats = seats
        layout = paint.state.layout
        assert layout is not None
        xs, ys = layout.xs[seats.start : seats.stop], layout.ys[seats.start : seats.stop]
        margin = paint.margin  # rings, enlarged cart seats, row labels beyond the row ends
        x0, y0 = min(xs) - margin, min(ys) - margin
        self._rect = QRectF(x0, y0, max(xs) + margin - x0, max(ys) + margin - y0)
        self._points = [QPointF(x, y) for x, y in zip(xs, ys, strict=True)]
        flags = layout.flags[seats.start : seats.stop]
        self._accessible = QPolygonF(
            [p for p, f in zip(self._points, flags, strict=True) if f & ACCESSIBLE]
        )
        self._groups: list[tuple[int, QPolygonF]] = []
        self._dirty = True
        self.paints = 0  # paint calls and the last exposed rectangle: what tests measure
        self.last_exposed = QRectF()
        self.setZValue(Z_SEATS)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setCacheMode(CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def mark_dirty(self) -> None:
        self._dirty = True

    def seat_rect(self, index: int, *, enlarged: bool = False) -> QRectF:
        """What a seat covers; ``enlarged``: zoomed out, where cart seats grow."""
        layout = self.paint_book.state.layout
        assert layout is not None
        book = self.paint_book
        r = book.margin if enlarged else book.ring / 2 + layout.pitch * 0.1
        return QRectF(layout.xs[index] - r, layout.ys[index] - r, 2 * r, 2 * r)

    def groups(self) -> list[tuple[int, QPolygonF]]:
        """Seat centres by paint code, rebuilt only after a change."""
        if self._dirty:
            looks = self.paint_book.state.looks[self.seats.start : self.seats.stop]
            by_code: dict[int, list[QPointF]] = {}
            for point, paint_code in zip(self._points, looks, strict=True):
                members = by_code.get(paint_code)
                if members is None:
                    by_code[paint_code] = [point]
                else:
                    members.append(point)
            self._groups = [(c, QPolygonF(pts)) for c, pts in sorted(by_code.items())]
            self._dirty = False
        return self._groups

    def _exposed_seats(self, exposed: QRectF) -> list[int]:
        grid = self.paint_book.state.grid
        assert grid is not None
        pad = self.paint_book.ring / 2
        start, stop = self.seats.start, self.seats.stop
        return [
            i
            for i in grid.in_rect(
                exposed.left() - pad,
                exposed.top() - pad,
                exposed.right() + pad,
                exposed.bottom() + pad,
            )
            if start <= i < stop
        ]

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        book = self.paint_book
        exposed = option.exposedRect
        self.paints += 1
        self.last_exposed = QRectF(exposed)
        px = seat_px(painter, option, book.size)
        if px < OVERVIEW_PX:  # sections show availability; only the cart is drawn
            book.paint_cart(painter, self.groups(), px)
            return
        if px >= DETAIL_PX:
            book.paint_detail(painter, self._exposed_seats(exposed), px)
            rows = [r for r in self.rows]
            book.paint_row_labels(painter, rows, px, exposed)
            return
        area = self._rect.width() * self._rect.height()
        if exposed.width() * exposed.height() < PARTIAL_SHARE * area:
            indices = self._exposed_seats(exposed)
            if not indices:
                return
            looks, start = book.state.looks, self.seats.start
            by_code: dict[int, list[QPointF]] = {}
            for i in indices:
                by_code.setdefault(looks[i], []).append(self._points[i - start])
            book.paint_points(painter, [(c, QPolygonF(p)) for c, p in by_code.items()], px)
            return
        book.paint_points(painter, self.groups(), px)
        book.paint_marks(painter, self._accessible, px)


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
            fill = palette.availability_colour(self.category, share)
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
        self.setZValue(Z_AREA)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

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
        r = min(self._rect.width(), self._rect.height()) * 0.04
        painter.drawRoundedRect(self._rect, r, r)
        text = QColor("#3d4550") if on_sale else palette.AREA_OFF_SALE_TEXT
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
