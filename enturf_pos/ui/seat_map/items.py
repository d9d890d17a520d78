"""The seat map's graphics items: a few per section, never one per seat.

* :class:`SeatTileItem` (here) paints up to ``TILE_SEATS`` seats (whole rows of one
  section) with one ``drawPoints`` call per colour (square-capped pens over prebuilt
  point lists), and caches its rendering per device (``DeviceCoordinateCache``), so
  panning blits pixmaps and a status change re-renders only the changed seats' small
  rectangles. :class:`SeatPaint` holds the pens and texts the tiles share.
* `section_items`: :class:`SectionItem` draws the section's floor plate; zoomed far out
  it shows the section's availability instead of seats. :class:`SectionLabelItem` names
  it.
* `venue_items`: :class:`StageItem` and :class:`AreaItem` (standing areas).
* `marker_items`: :class:`CursorItem` (the keyboard cursor) and :class:`FocalItem` (the
  cashier's focal point).

Level of detail, by the size of a seat on screen (``px``): below ``OVERVIEW_PX`` sections
only; squares up to ``DETAIL_PX``; rounded seats with row labels beyond, and seat numbers
from ``LABEL_PX``. The z order of all items is set here.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from itertools import compress

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF, QStaticText, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from enturf_core.seating.layout import ACCESSIBLE, OBSTRUCTED
from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.map_state import SeatMapState
from enturf_pos.ui.seat_map.point_arrays import groups_by_code, polygon_where

TILE_SEATS = 2_000
OVERVIEW_PX = 1.0
RING_PX = 3.5
MARK_PX = 4.5
DETAIL_PX = 11.0
LABEL_PX = 17.0
SMOOTH_PLATE_PX = 4.0
CART_MIN_PX = 6.0  # seats in the cart are drawn at least this big, at any zoom
PARTIAL_SHARE = 0.3  # exposed share of a tile under which only its exposed seats are drawn

_ACCESSIBLE_ONLY = bytes(1 if flags & ACCESSIBLE else 0 for flags in range(256))
# paint code -> 1 for the cart's looks, else 0
_CART_ONLY = bytes(
    1 if code >> palette.CATEGORY_BITS == palette.Look.CART else 0 for code in range(256)
)

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
        self.mark_pen = QPen(palette.MARK, self.size * 0.34)
        self.mark_pen.setCapStyle(Qt.PenCapStyle.RoundCap)

    def forget_colours(self) -> None:
        self._fill_pens.clear()

    def fill_pen(self, paint_code: int) -> QPen:
        pen = self._fill_pens.get(paint_code)
        if pen is None:
            pen = QPen(palette.fill_colour(paint_code, self.state.category_colours), self.size)
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
            painter.setBrush(palette.fill_colour(paint_code, state.category_colours))
            for i in members:
                painter.drawRoundedRect(
                    QRectF(xs[i] - half, ys[i] - half, size, size), radius, radius
                )
        # restricted view: a dark corner; wheelchair space: a white ring
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.MARK_DARK)
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
            painter.setPen(QPen(palette.MARK, size * 0.12))
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
                colour = colours[paint_code] = palette.text_colour(
                    palette.fill_colour(paint_code, state.category_colours)
                )
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
        self._accessible_points: QPolygonF | None = None
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

    def _columns(self) -> tuple[array, array]:
        layout = self.paint_book.state.layout
        assert layout is not None
        a, b = self.seats.start, self.seats.stop
        return layout.xs[a:b], layout.ys[a:b]

    @property
    def _accessible(self) -> QPolygonF:
        if self._accessible_points is None:
            layout = self.paint_book.state.layout
            assert layout is not None
            flags = layout.flags[self.seats.start : self.seats.stop]
            self._accessible_points = polygon_where(
                *self._columns(), flags.translate(_ACCESSIBLE_ONLY)
            )
        return self._accessible_points

    def cart_groups(self) -> list[tuple[int, QPolygonF]]:
        """Only the seats in the cart by paint code (zoomed out, nothing else is drawn)."""
        if not self._dirty:
            return [
                (c, p) for c, p in self._groups if c >> palette.CATEGORY_BITS == palette.Look.CART
            ]
        looks = self.paint_book.state.looks[self.seats.start : self.seats.stop]
        marks = bytes(looks).translate(_CART_ONLY)
        if 1 not in marks:
            return []
        xs, ys = self._columns()
        xs = array("d", compress(xs, marks))
        ys = array("d", compress(ys, marks))
        return groups_by_code(xs, ys, bytes(compress(looks, marks)))

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
            self._groups = groups_by_code(*self._columns(), looks)
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
            book.paint_cart(painter, self.cart_groups(), px)
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
            looks = book.state.looks
            layout = book.state.layout
            assert layout is not None
            xs, ys = layout.xs, layout.ys
            by_code: dict[int, list[QPointF]] = {}
            for i in indices:
                by_code.setdefault(looks[i], []).append(QPointF(xs[i], ys[i]))
            book.paint_points(painter, [(c, QPolygonF(p)) for c, p in by_code.items()], px)
            return
        book.paint_points(painter, self.groups(), px)
        book.paint_marks(painter, self._accessible, px)
