"""SeatMapLegend (objectName ``seatMapLegend``): what the colours mean, with prices."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from enturf_core.seating.states import SeatState
from enturf_pos.ui.form_widgets import FlowLayout
from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.map_state import SeatMapState
from enturf_pos.ui.seat_map.palette import Look


class SeatSwatch(QWidget):
    """A seat drawn as on the map."""

    def __init__(self, paint_code: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paint_code = paint_code
        self.setFixedSize(QSize(18, 18))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        ring = palette.ring_colour(self.paint_code)
        painter.setPen(QPen(ring, 2.2) if ring is not None else Qt.PenStyle.NoPen)
        painter.setBrush(palette.fill_colour(self.paint_code))
        painter.drawRoundedRect(QRectF(2.5, 2.5, 13, 13), 3, 3)
        painter.end()


def fill_legend(
    rows: QVBoxLayout, groups: Sequence[Sequence[tuple[int, str]]], *, spacing: int = 16
) -> None:
    """Replace a legend's lines: per group, one line of seat swatches and their words
    that wraps rather than widening the window."""
    while rows.count():
        item = rows.takeAt(0)
        if item.layout() is not None:
            _clear(item.layout())
    for group in groups:
        line = FlowLayout(spacing=spacing)
        for paint_code, text in group:
            entry = QWidget()
            pair = QHBoxLayout(entry)
            pair.setContentsMargins(0, 0, 0, 0)
            pair.setSpacing(6)
            pair.addWidget(SeatSwatch(paint_code))
            label = QLabel(text)
            label.setStyleSheet(f"font-size: 13px; color: {palette.MESSAGE_TEXT.name()};")
            pair.addWidget(label)
            line.addWidget(entry)
        rows.addLayout(line)


class SeatMapLegend(QWidget):
    """Two lines: each category's colour and prices, then the seat states shown."""

    def __init__(self, state: SeatMapState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatMapLegend")
        self.state = state
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        self.entries: list[tuple[int, str]] = []  # (paint code, text), for tests and a11y
        for signal in (state.layoutChanged, state.ticketsChanged, state.seatsChanged):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args) -> None:
        entries_before = list(self.entries)
        entries = self._entries()
        if entries == entries_before:
            return
        self.entries = entries
        categories = [e for e in entries if palette.look_of(e[0]) == Look.FREE]
        states = [e for e in entries if palette.look_of(e[0]) != Look.FREE]
        fill_legend(self._rows, (categories, states))
        self.setAccessibleDescription("; ".join(text for _c, text in entries))

    def _entries(self) -> list[tuple[int, str]]:
        layout = self.state.layout
        if layout is None:
            return []
        out = []
        for k, category in enumerate(layout.categories):
            prices = self.state.price_text(category)
            name = category.replace("_", " ").title()
            out.append((palette.code(Look.FREE, k), f"{name} · {prices}" if prices else name))
        states = self.state.states
        assert states is not None
        out.append((palette.code(Look.CART, 0), palette.LOOK_NAMES[Look.CART]))
        if states.codes.find(SeatState.ALLOCATED_HERE) >= 0:
            out.append((palette.code(Look.FREE_HERE, 0), palette.LOOK_NAMES[Look.FREE_HERE]))
        if self.state.pickable is not None:
            out.append((palette.code(Look.DIMMED, 0), palette.LOOK_NAMES[Look.DIMMED]))
        for look in (Look.HELD, Look.SOLD, Look.BLOCKED):
            out.append((palette.code(look, 0), palette.LOOK_NAMES[look]))
        if states.codes.find(SeatState.ALLOCATED_OTHER) >= 0:
            out.append(
                (palette.code(Look.OTHER_COUNTER, 0), palette.LOOK_NAMES[Look.OTHER_COUNTER])
            )
        return out


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
