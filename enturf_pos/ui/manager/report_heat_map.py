"""The occupancy heat map: the event's seat map (the cashier's `SeatMapView`) with each
sold seat coloured by when it was sold or what was paid for it (`heat_scale`), seats
not sold pale, held and blocked seats in their usual looks; read-only (nothing can be
selected); a seat's tooltip says when it sold and for how much. `HeatMapLegend`
(objectName ``heatMapLegend``) says what each colour means."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from enturf_core import palette as colours
from enturf_core.seating.layout import SeatMapLayout
from enturf_core.seating.states import SeatState
from enturf_pos.services.reports.heat_scale import BY_TIME, HeatScale
from enturf_pos.ui.form_widgets import FlowLayout
from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.map_state import SeatMapState
from enturf_pos.ui.seat_map.palette import Look

STEPS = len(colours.HEAT_SCALE)
NOT_SOLD = STEPS  # the "category" number of the pale fill of seats not sold
_STATE_LOOKS = {
    SeatState.HELD: palette.code(Look.HELD, 0),
    SeatState.BLOCKED: palette.code(Look.BLOCKED, 0),
    SeatState.SOLD: palette.code(Look.SOLD, 0),  # sold, but the report has no value for it
}


class HeatMapState(SeatMapState):
    """A seat map state whose paint codes come from the heat scale: the "category" of a
    sold seat is its step, and the map's own colours are the scale's."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.category_colours = (*colours.HEAT_SCALE, colours.HEAT_NOT_SOLD)
        self.scale = HeatScale(BY_TIME, {}, (), {})  # nothing sold

    def show(self, layout: SeatMapLayout, statuses: Mapping[int, str], scale: HeatScale) -> None:
        self.scale = scale
        self.set_layout(layout, statuses=dict(statuses))

    def recolour(self, scale: HeatScale) -> None:
        """Another scale on the same seats (sale time <-> price paid)."""
        self.scale = scale
        if self.layout is None:
            return
        self._recompute_all()
        self.seatsChanged.emit(list(range(len(self.layout))))

    def _recompute_all(self) -> None:
        assert self.layout is not None
        self.looks = bytearray(self._look_code(i) for i in range(len(self.layout)))

    def _look_code(self, index: int) -> int:
        assert self.layout is not None and self.states is not None
        step = self.scale.step_of.get(self.layout.ids[index])
        if step is not None:
            return palette.code(Look.FREE, step)
        return _STATE_LOOKS.get(self.states.codes[index], palette.code(Look.FREE, NOT_SOLD))

    def is_selectable(self, index: int) -> bool:
        return False

    def free_count(self, seats: range) -> int:
        """Zoomed out, a section's plate is as pale as it is unsold."""
        assert self.layout is not None
        step_of, ids = self.scale.step_of, self.layout.ids
        return sum(1 for i in seats if ids[i] not in step_of)

    def describe(self, index: int) -> str:
        assert self.layout is not None
        seat = self.layout.seat(index)
        place = f"{seat.section} · Row {seat.row} · Seat {seat.label}"
        detail = self.scale.detail(self.layout.ids[index])
        if detail:
            return f"{place}\n{detail[0].upper()}{detail[1:]}"
        state = self.states.codes[index] if self.states is not None else SeatState.AVAILABLE
        words = {SeatState.HELD: "Held", SeatState.BLOCKED: "Blocked", SeatState.SOLD: "Sold"}
        return f"{place}\n{words.get(state, 'Not sold')}"

    def status_text(self, index: int) -> str:
        return self.describe(index).split("\n", 1)[1]


class _Swatch(QWidget):
    def __init__(self, colour: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = colour
        self.setFixedSize(QSize(16, 16))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QColor(colours.LINE))
        painter.setBrush(self.colour)
        painter.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 3, 3)
        painter.end()


class HeatMapLegend(QWidget):
    """One swatch per step of the scale with its words, then the other looks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heatMapLegend")
        self.entries: list[tuple[str, str]] = []  # (colour, words)
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(0, 0, 0, 0)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._rows.heightForWidth(max(self.width(), 300)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.height() != self.minimumSizeHint().height():
            self.updateGeometry()

    def show_scale(self, scale: HeatScale) -> None:
        first = "Sold early" if scale.by == BY_TIME else "Cheapest"
        last = "sold late" if scale.by == BY_TIME else "dearest"
        entries = [(colours.HEAT_SCALE[k], text) for k, text in scale.labels]
        entries += [
            (colours.HEAT_NOT_SOLD, "Not sold"),
            (colours.SEAT_HELD, "Held"),
            (colours.SEAT_BLOCKED, "Blocked"),
        ]
        if entries == self.entries:
            return
        self.entries = entries
        while self._rows.count():
            item = self._rows.takeAt(0)
            if item.layout() is not None:
                while item.layout().count():
                    child = item.layout().takeAt(0)
                    if child.widget() is not None:
                        child.widget().deleteLater()
            elif item.widget() is not None:
                item.widget().deleteLater()
        if scale.labels:
            heading = QLabel(f"{first} → {last}:" if len(scale.labels) > 1 else f"{first}:")
            heading.setStyleSheet(f"font-size: 13px; color: {colours.TEXT_SECONDARY};")
            self._rows.addWidget(heading)
        line = FlowLayout(spacing=14)
        for colour, text in entries:
            entry = QWidget()
            pair = QHBoxLayout(entry)
            pair.setContentsMargins(0, 0, 0, 0)
            pair.setSpacing(6)
            pair.addWidget(_Swatch(QColor(colour)))
            label = QLabel(text)
            label.setStyleSheet(f"font-size: 13px; color: {colours.MAP_MESSAGE};")
            pair.addWidget(label)
            line.addWidget(entry)
        self._rows.addLayout(line)
        self.setAccessibleDescription("; ".join(text for _c, text in entries))
        self.updateGeometry()
