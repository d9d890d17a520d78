"""SeatMapScene: builds the items of a :class:`SeatMapState`'s layout and repaints only
the seats its signals name."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from enturf_core.seating.layout import SeatMapLayout, SectionInfo
from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.items import (
    CART_MIN_PX,
    DETAIL_PX,
    OVERVIEW_PX,
    TILE_SEATS,
    SeatPaint,
    SeatTileItem,
)
from enturf_pos.ui.seat_map.map_state import LayoutEdit, SeatMapState
from enturf_pos.ui.seat_map.marker_items import CursorItem, FocalItem
from enturf_pos.ui.seat_map.section_items import SectionItem, SectionLabelItem
from enturf_pos.ui.seat_map.venue_items import AreaItem, StageItem

# More changed seats than this in one tile: repaint the tile instead of seat by seat.
WHOLE_TILE_AFTER = 48


@dataclass(eq=False)
class SectionGroup:
    """The items of one section: its plate, its seat tiles, its name."""

    plate: SectionItem
    label: SectionLabelItem
    tiles: list[SeatTileItem] = field(default_factory=list)

    def items(self) -> list[QGraphicsItem]:
        return [self.plate, self.label, *self.tiles]

    def rebase(self, section: SectionInfo) -> None:
        """The same seats, now at another place in the layout's seat order."""
        old = self.plate.section
        seat_shift = section.seats.start - old.seats.start
        row_shift = section.rows.start - old.rows.start
        self.plate.section = section
        self.label.section_index = section.index
        for tile in self.tiles:
            tile.seats = range(tile.seats.start + seat_shift, tile.seats.stop + seat_shift)
            tile.rows = range(tile.rows.start + row_shift, tile.rows.stop + row_shift)


class SeatMapScene(QGraphicsScene):
    def __init__(self, state: SeatMapState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.tiles: list[SeatTileItem] = []
        self.sections: list[SectionItem] = []
        self.labels: list[SectionLabelItem] = []
        self.areas: list[AreaItem] = []
        self.stage: StageItem | None = None
        self.cursor = CursorItem()
        self.focal = FocalItem()
        self._tile_starts: list[int] = []
        self.groups: dict[int, SectionGroup] = {}  # by section index
        self._book: SeatPaint | None = None
        self._seat_px = 0.0
        self._labelled_cart: frozenset[int] = frozenset()  # the cart the labels avoid
        self.setBackgroundBrush(palette.BACKGROUND)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.addItem(self.cursor)
        self.addItem(self.focal)
        state.layoutChanged.connect(self.rebuild)
        state.layoutEdited.connect(self._layout_edited)
        state.seatsChanged.connect(self.seats_changed)
        state.areasChanged.connect(self._areas_changed)
        if state.layout is not None:
            self.rebuild()

    # -- building ----------------------------------------------------------------------

    def rebuild(self) -> None:
        for item in [*self.tiles, *self.sections, *self.labels, *self.areas, self.stage]:
            if item is not None:
                self.removeItem(item)
        self.tiles, self.sections, self.labels, self.areas, self.stage = [], [], [], [], None
        self._tile_starts = []
        self.cursor.setVisible(False)
        self.focal.setVisible(False)
        layout = self.state.layout
        if layout is None:
            return
        self._book = SeatPaint(self.state)
        self.groups = {}
        for section in layout.sections:
            group = self._build_section(section)
            if group is not None:
                self.groups[section.index] = group
        self._collect()
        self._place_venue()
        self._apply_label_lod()

    def _build_section(self, section: SectionInfo) -> SectionGroup | None:
        layout = self.state.layout
        assert layout is not None and self._book is not None
        if not len(section.seats):
            return None
        plate = SectionItem(self.state, section)
        self.addItem(plate)
        spots = _label_spots(layout, section)
        label = SectionLabelItem(section.name, _centroid(layout, section.seats), spots[0])
        label.detail_spots = spots
        label.section_index = section.index
        label.seat_count = len(section.seats)
        self.addItem(label)
        group = SectionGroup(plate, label)
        for rows, seats in _tiles(layout, section.rows):
            tile = SeatTileItem(self._book, rows, seats)
            self.addItem(tile)
            group.tiles.append(tile)
        return group

    def _collect(self) -> None:
        """The flat lists, in section (and so seat) order."""
        ordered = [self.groups[k] for k in sorted(self.groups)]
        self.sections = [g.plate for g in ordered]
        self.labels = [g.label for g in ordered]
        self.tiles = [t for g in ordered for t in g.tiles]
        self._tile_starts = [t.seats.start for t in self.tiles]

    def _place_venue(self) -> None:
        """Standing areas, the stage and the scene's extent, from the layout."""
        layout = self.state.layout
        assert layout is not None
        for item in [*self.areas, self.stage]:
            if item is not None:
                self.removeItem(item)
        self.areas = []
        for area in layout.areas:
            item = AreaItem(self.state, area)
            self.addItem(item)
            self.areas.append(item)
        self.stage = StageItem(stage_rect(self.state))
        self.addItem(self.stage)
        left, top, right, bottom = layout.bounds
        rect = QRectF(left, top, right - left, bottom - top).united(self.stage.boundingRect())
        margin = max(rect.width(), rect.height()) * 0.04
        self.setSceneRect(rect.adjusted(-margin, -margin, margin, margin))

    def _layout_edited(self, edit: LayoutEdit) -> None:
        """The editor changed some sections: keep the items of the others (their caches
        stay valid), build the changed sections' anew."""
        layout = self.state.layout
        assert layout is not None
        if self._book is None or self._book.size != layout.seat_size:
            self.rebuild()  # seats are drawn at another size: every tile anew
            return
        old_groups, self.groups = self.groups, {}
        looks, old_looks = self.state.looks, edit.old_looks
        for section in layout.sections:
            old_index = edit.kept.get(section.index)
            group = old_groups.pop(old_index, None) if old_index is not None else None
            if group is None:
                group = self._build_section(section)
            else:
                before = group.plate.section.seats.start
                group.rebase(section)
                shift = section.seats.start - before
                for tile in group.tiles:  # a changed selection: repaint those tiles
                    a, b = tile.seats.start, tile.seats.stop
                    if looks[a:b] != old_looks[a - shift : b - shift]:
                        tile.mark_dirty()
                        tile.update()
            if group is not None:
                self.groups[section.index] = group
        for group in old_groups.values():
            for item in group.items():
                self.removeItem(item)
        self._collect()
        if self.cursor.isVisible():
            self.cursor.setVisible(False)
        self._place_venue()
        self._apply_label_lod()

    def tile_of(self, index: int) -> SeatTileItem:
        return self.tiles[bisect.bisect_right(self._tile_starts, index) - 1]

    # -- updates -----------------------------------------------------------------------

    def seats_changed(self, indices: list[int]) -> None:
        """Mark the changed seats' tiles and repaint just those seats' rectangles."""
        if not self.tiles:
            return
        if self.state.selected != self._labelled_cart:
            self._apply_label_lod()  # a name must not hide the seats in the cart
        by_tile: dict[int, list[int]] = {}
        starts = self._tile_starts
        for i in indices:
            by_tile.setdefault(bisect.bisect_right(starts, i) - 1, []).append(i)
        layout = self.state.layout
        assert layout is not None
        enlarged = self._seat_px < CART_MIN_PX
        for k, members in by_tile.items():
            tile = self.tiles[k]
            tile.mark_dirty()
            if len(members) > WHOLE_TILE_AFTER:
                tile.update()
            else:
                for i in members:
                    tile.update(tile.seat_rect(i, enlarged=enlarged))
        if self._seat_px < OVERVIEW_PX:  # sections show availability: recolour them
            touched = {layout.section_of[i] for i in indices}
            for plate in self.sections:
                if plate.section.index in touched:
                    plate.update()

    def colours_changed(self) -> None:
        """The state's ``category_colours`` changed: repaint every seat and plate."""
        if self._book is not None:
            self._book.forget_colours()
        for item in [*self.tiles, *self.sections]:
            item.update()

    def _areas_changed(self) -> None:
        for item in self.areas:
            item.update()

    def set_seat_px(self, px: float) -> None:
        """The view's zoom as the on-screen size of a seat: switches labels' detail."""
        self._seat_px = px
        self.cursor.set_diameter(px * 1.7)
        self._apply_label_lod()

    def _apply_label_lod(self) -> None:
        """Zoomed out, names sit in the middle of their sections (but never on a seat in
        the cart); zoomed in, where they cover no seat and read as their own section's:
        in front of the front row, else beyond an end of the middle row, else behind the
        back row. A name with no
        such place, or that would cover another name, stays hidden."""
        detail = self._seat_px >= DETAIL_PX
        layout, grid = self.state.layout, self.state.grid
        scale = self._seat_px / layout.seat_size if layout is not None else 0.0
        cart = frozenset(self.state.selected)
        self._labelled_cart = cart
        cart_at = (
            _CartBuckets(layout, cart, 120 / scale) if cart and not detail and scale > 0 else None
        )
        placed: list[QRectF] = []
        # bigger sections first
        for label in sorted(self.labels, key=lambda item: -item.seat_count):
            spots = label.detail_spots if detail else [label.overview_pos, *label.detail_spots]
            label.setVisible(False)
            for pos in spots:
                box = label.boundingRect().translated(pos.x() * scale, pos.y() * scale)
                if any(box.intersects(other) for other in placed):
                    continue
                if grid is not None and scale > 0 and (detail or cart):
                    r = label.boundingRect()
                    x0, y0 = pos.x() + r.left() / scale, pos.y() + r.top() / scale
                    x1, y1 = pos.x() + r.right() / scale, pos.y() + r.bottom() / scale
                    if cart_at is not None:
                        if cart_at.any_in(x0, y0, x1, y1):
                            continue
                    elif grid.in_rect(x0, y0, x1, y1):
                        continue
                if detail and not self._reads_as_own(label, pos):
                    continue
                label.setPos(pos)
                label.setVisible(True)
                placed.append(box.adjusted(-2, -1, 2, 1))
                break

    def _reads_as_own(self, label: SectionLabelItem, pos: QPointF) -> bool:
        """Does the name clearly read as its own section's here: its seats are near, and
        another section's are at least half as far again (else it would read as a
        neighbour's name)?"""
        layout, grid = self.state.layout, self.state.grid
        assert layout is not None and grid is not None
        reach = layout.pitch * 6
        near = grid.in_rect(pos.x() - reach, pos.y() - reach, pos.x() + reach, pos.y() + reach)
        xs, ys, section_of = layout.xs, layout.ys, layout.section_of
        own = other = math.inf
        for i in near:
            d = math.hypot(xs[i] - pos.x(), ys[i] - pos.y())
            if section_of[i] == label.section_index:
                own = min(own, d)
            else:
                other = min(other, d)
        return own < math.inf and other >= 1.5 * own

    # -- marks -------------------------------------------------------------------------

    def show_cursor(self, index: int | None) -> None:
        layout = self.state.layout
        if index is None or layout is None:
            self.cursor.setVisible(False)
            return
        self.cursor.setPos(QPointF(layout.xs[index], layout.ys[index]))
        self.cursor.setVisible(True)

    def show_focal(self, point: tuple[float, float] | None) -> None:
        if point is None:
            self.focal.setVisible(False)
            return
        self.focal.setPos(QPointF(*point))
        self.focal.setVisible(True)

    def set_cache_mode(self, mode: QGraphicsItem.CacheMode) -> None:
        """Item caching on or off (benchmarks measure painting without caches)."""
        for item in [*self.tiles, *self.sections]:
            item.setCacheMode(mode)


class _CartBuckets:
    """The cart's seats in square buckets, to ask "is a cart seat under this name?"
    without listing every seat under it (zoomed out, a name covers thousands)."""

    def __init__(self, layout: SeatMapLayout | None, cart: frozenset[int], cell: float) -> None:
        assert layout is not None
        self.cell = max(cell, 1e-9)
        self.xs, self.ys = layout.xs, layout.ys
        self.buckets: dict[tuple[int, int], list[int]] = {}
        for i in cart:
            key = (int(self.xs[i] // self.cell), int(self.ys[i] // self.cell))
            self.buckets.setdefault(key, []).append(i)

    def any_in(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        xs, ys, cell = self.xs, self.ys, self.cell
        for bx in range(int(x0 // cell), int(x1 // cell) + 1):
            for by in range(int(y0 // cell), int(y1 // cell) + 1):
                for i in self.buckets.get((bx, by), ()):
                    if x0 <= xs[i] <= x1 and y0 <= ys[i] <= y1:
                        return True
        return False


def _tiles(layout: SeatMapLayout, rows: range) -> list[tuple[range, range]]:
    """Consecutive rows of a section grouped into tiles of at most TILE_SEATS seats."""
    out: list[tuple[range, range]] = []
    first = rows.start
    count = 0
    for r in rows:
        size = len(layout.rows[r].seats)
        if count and count + size > TILE_SEATS:
            out.append((range(first, r), _seat_span(layout, first, r)))
            first, count = r, 0
        count += size
    if count:
        out.append((range(first, rows.stop), _seat_span(layout, first, rows.stop)))
    return out


def _seat_span(layout: SeatMapLayout, first_row: int, stop_row: int) -> range:
    return range(layout.rows[first_row].seats.start, layout.rows[stop_row - 1].seats.stop)


def _centroid(layout: SeatMapLayout, seats: range) -> QPointF:
    n = len(seats)
    xs, ys = layout.xs[seats.start : seats.stop], layout.ys[seats.start : seats.stop]
    return QPointF(sum(xs) / n, sum(ys) / n)


def _label_spots(layout: SeatMapLayout, section: SectionInfo) -> list[QPointF]:
    """Where a section's name may go when zoomed in, best first: just in front of the
    middle of its front row (a heading where the section begins: behind the back row it
    would sit on the next section's front row and read as its name), beyond either end
    of its middle row, just behind the middle of its back row."""
    xs, ys = layout.xs, layout.ys
    front = layout.rows[section.rows.start].seats
    back = layout.rows[section.rows.stop - 1].seats
    f = front.start + len(front) // 2
    b = back.start + len(back) // 2
    dx, dy = xs[b] - xs[f], ys[b] - ys[f]
    if f == b:
        dx, dy = xs[b] - layout.stage_x, ys[b] - layout.stage_y
    norm = math.hypot(dx, dy) or 1.0
    step = layout.pitch * 1.9
    ux, uy = dx / norm * step, dy / norm * step
    middle = layout.rows[section.rows.start + len(section.rows) // 2].seats
    first, last = middle.start, middle.stop - 1
    ex, ey = xs[last] - xs[first], ys[last] - ys[first]
    enorm = math.hypot(ex, ey) or 1.0
    wide = layout.pitch * 5  # half a name's width and the row letters, roughly
    ex, ey = ex / enorm * wide, ey / enorm * wide
    return [
        QPointF(xs[f] - ux, ys[f] - uy),
        QPointF(xs[first] - ex, ys[first] - ey),
        QPointF(xs[last] + ex, ys[last] + ey),
        QPointF(xs[b] + ux, ys[b] + uy),
    ]


def stage_rect(state: SeatMapState) -> QRectF:
    """A stage at the layout's stage point, as big as fits without covering seats."""
    layout = state.layout
    assert layout is not None and state.grid is not None
    left, top, right, bottom = layout.bounds
    w = max(layout.pitch * 8, (right - left) * 0.34)
    h = max(layout.pitch * 3, (bottom - top) * 0.07)
    sx, sy = layout.stage_x, layout.stage_y
    areas = [QRectF(a.x, a.y, a.width, a.height) for a in layout.areas]
    pad = layout.pitch
    for _ in range(24):
        rect = QRectF(sx - w / 2, sy - h / 2, w, h)
        clear = not state.grid.in_rect(
            rect.left() - pad, rect.top() - pad, rect.right() + pad, rect.bottom() + pad
        )
        if clear and not any(rect.adjusted(-pad, -pad, pad, pad).intersects(a) for a in areas):
            break
        w *= 0.85
        h *= 0.85
    return QRectF(sx - w / 2, sy - h / 2, w, h)
