"""What the manager's event map shows: every seat can be selected (a manager also
selects seats that are blocked or on a counter, to release them), allocated seats
are "here" when they are on the counter picked in the tab, and a seat's tooltip says
which counter has it or why it is blocked. The legend says it in the manager's words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QVBoxLayout, QWidget

from enturf_core.seating.states import SeatState
from enturf_core.wire.ops import BLOCK_REASONS
from enturf_pos.ui.seat_map import palette
from enturf_pos.ui.seat_map.legend import fill_legend
from enturf_pos.ui.seat_map.map_state import SeatMapState
from enturf_pos.ui.seat_map.palette import Look


class EventMapState(SeatMapState):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.counter_of: dict[int, str] = {}  # seat id -> the name of its counter
        self.block_of: dict[int, str] = {}  # seat id -> why it is blocked, in words

    def is_selectable(self, index: int) -> bool:
        return True

    def describe(self, index: int) -> str:
        assert self.layout is not None
        text = super().describe(index)
        seat_id = self.layout.ids[index]
        if self.block_of.get(seat_id):
            text += f": {self.block_of[seat_id]}"
        elif seat_id in self.counter_of:
            text += f"\nOn counter {self.counter_of[seat_id]}"
        return text

    def counts(self) -> dict[str, int]:
        """Seats by what a manager calls them: free, held, sold, allocated, blocked."""
        if self.states is None:
            return {}
        count = self.states.count
        return {
            "free": count(SeatState.AVAILABLE),
            "held": count(SeatState.HELD),
            "sold": count(SeatState.SOLD),
            "allocated": count(SeatState.ALLOCATED_HERE) + count(SeatState.ALLOCATED_OTHER),
            "blocked": count(SeatState.BLOCKED),
        }


def full_statuses(seat_ids: Sequence[int], statuses: Mapping[int, str]) -> dict[int, str]:
    """Every seat's status: the local statuses (the server's, with this counter's queued
    blocks and allocation changes already laid over them), "available" when not listed."""
    return {seat_id: statuses.get(seat_id, "available") for seat_id in seat_ids}


def reason_text(code: str) -> str:
    """A block's reason (a key of BLOCK_REASONS) in words; "" when not known."""
    return BLOCK_REASONS.get(code, code)


class EventMapLegend(QWidget):
    """The seat looks of the event map with the manager's words: categories, then states."""

    def __init__(self, state: EventMapState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventMapLegend")
        self.state = state
        self.entries: list[tuple[int, str]] = []
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(4)

    def minimumSizeHint(self) -> QSize:
        """As tall as its wrapped lines at its width: under a map that wants all the
        room, a legend with no minimum height would get none."""
        return QSize(0, self._rows.heightForWidth(max(self.width(), 300)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.height() != self.minimumSizeHint().height():
            self.updateGeometry()

    def show_counter(self, counter: str) -> None:
        layout = self.state.layout
        entries = []
        if layout is not None:
            for k, category in enumerate(layout.categories):
                name = category.replace("_", " ").title()
                entries.append((palette.code(Look.FREE, k), f"{name}: free"))
        here = f"On {counter}" if counter else "On the chosen counter"
        entries += [
            (palette.code(Look.CART, 0), "Selected"),
            (palette.code(Look.FREE_HERE, 0), here),
            (palette.code(Look.OTHER_COUNTER, 0), "On another counter"),
            (palette.code(Look.BLOCKED, 0), "Blocked"),
            (palette.code(Look.HELD, 0), "Held"),
            (palette.code(Look.SOLD, 0), "Sold"),
        ]
        if entries == self.entries:
            return
        self.entries = entries
        fill_legend(self._rows, [entries], spacing=14)
        self.updateGeometry()
        self.setAccessibleDescription("; ".join(text for _c, text in entries))
