"""The "Event map" tab: the selected event's seats, to put on a counter or block.

Select seats as on the cashier's map (click, drag a rectangle; click again to drop
one), then put them on the counter picked in ``allocationCounter`` or take them off,
or block them with a reason and a note, or release them to sale. Each change is
written locally with its op (online or offline); the counter gets its seats at its
next sync. Seats that are held or sold are refused, and the message names them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from enturf_core.wire.ops import BLOCK_REASONS
from enturf_pos.services import venue_time
from enturf_pos.services.catalog import allocation_edits, seat_blocks
from enturf_pos.services.catalog.catalog_selectors import EventRow
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.sales import counter_selectors
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager.event_map_state import (
    EventMapLegend,
    EventMapState,
    full_statuses,
    reason_text,
)
from enturf_pos.ui.seat_map import SeatMapView

Done = Callable[..., bool]  # (result, notice=False): shows it, sends it; whether ok
PANEL_WIDTH = 420
NOTHING_SELECTED = "Select seats on the map first: click them, or drag a rectangle round them."


def _heading(text: str) -> QLabel:
    return QLabel(text, objectName="sectionTitle")


class EventMapTab(QWidget):
    def __init__(self, ctx: PosContext, done: Done, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventMapTab")
        self._ctx = ctx
        self._done = done
        self.current: EventRow | None = None
        self._shown: int | None = None  # the event on the map

        self.state = EventMapState(self)
        self.view = SeatMapView(self.state, self)
        self.view.setObjectName("eventSeatMap")
        self.view.setAccessibleName("Event seat map")
        self.empty = QLabel("Select an event in the Events tab.", objectName="eventMapEmpty")
        self.title = fw.ElidedLabel("", objectName="eventMapTitle")
        self.title.setProperty("role", "title")
        self.counts = QLabel(objectName="eventMapCounts")
        self.selection_label = QLabel("No seats selected", objectName="eventMapSelection")
        self.selection_label.setWordWrap(True)
        self.clear_button = fw.button("clearSeatSelectionButton", "Clear")
        self.clear_button.setToolTip("Drop the selection")

        self.counter = QComboBox(objectName="allocationCounter")
        self.counter.setAccessibleName("Counter")
        self.allocate_button = fw.button("allocateSeatsButton", "Put on counter", primary=True)
        self.unallocate_button = fw.button("releaseAllocationButton", "Take off counter")
        self.allocate_button.setToolTip("Only this counter sells the selected seats, offline too")
        self.unallocate_button.setToolTip("The selected seats go back to every seller")
        self.standing = QWidget(objectName="standingQuota")
        self.standing_area = QComboBox(objectName="standingArea")
        self.standing_area.setAccessibleName("Standing area")
        self.standing_places = QSpinBox(objectName="standingPlaces")
        self.standing_places.setAccessibleName("Standing places on the counter")
        self.standing_button = fw.button("setStandingPlacesButton", "Set")
        self.standing_button.setToolTip("Put this many places of the area on the counter")
        column = QVBoxLayout(self.standing)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(fw.caption("Standing places on this counter", self.standing_area))
        row = QHBoxLayout()
        column.addLayout(row)
        row.addWidget(self.standing_area, 1)
        row.addWidget(self.standing_places)
        row.addWidget(self.standing_button)

        self.reason = QComboBox(objectName="blockReason")
        self.reason.setAccessibleName("Why the seats are blocked")
        for code, words in BLOCK_REASONS.items():
            self.reason.addItem(words, code)
        self.note = QLineEdit(objectName="blockNote")
        self.note.setPlaceholderText("Note (optional)")
        self.note.setAccessibleName("Note on the block")
        self.block_button = fw.button("blockSeatsButton", "Block seats")
        self.unblock_button = fw.button("releaseBlockButton", "Release to sale")
        self.block_button.setToolTip("Nobody sells the selected seats, online or at a counter")
        self.unblock_button.setToolTip("The selected blocked seats go back on sale")
        self.legend = EventMapLegend(self.state)

        panel = QWidget(objectName="eventMapPanel")
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 12, 0)
        side.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(self.selection_label, 1)
        top.addWidget(self.clear_button)
        side.addLayout(top)
        side.addWidget(_line())
        side.addWidget(_heading("Counter allocation"))
        side.addWidget(self.counter)
        side.addLayout(_pair(self.allocate_button, self.unallocate_button))
        side.addWidget(self.standing)
        side.addWidget(_line())
        side.addWidget(_heading("Blocked seats"))
        side.addWidget(self.reason)
        side.addWidget(self.note)
        side.addLayout(_pair(self.block_button, self.unblock_button))
        side.addWidget(_line())
        side.addWidget(self.counts)
        side.addStretch(1)
        scroll = QScrollArea(objectName="eventMapSide")
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(PANEL_WIDTH)

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.empty)
        left.addWidget(self.view, 1)
        left.addWidget(self.legend)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(12)
        layout.addLayout(left, 1)
        layout.addWidget(scroll)

        self.clear_button.clicked.connect(lambda: self.view.set_selection([], emit=True))
        self.allocate_button.clicked.connect(self.allocate)
        self.unallocate_button.clicked.connect(self.unallocate)
        self.standing_button.clicked.connect(self.set_standing_places)
        self.standing_area.currentIndexChanged.connect(self._show_quota)
        self.block_button.clicked.connect(self.block)
        self.unblock_button.clicked.connect(self.unblock)
        self.counter.currentIndexChanged.connect(self._counter_changed)
        self.view.selectionChanged.connect(self._selection_changed)
        self._allocations: dict[int, int] = {}
        self._quotas: dict[int, dict[int, int]] = {}
        self._capacity: dict[int, int] = {}
        self._devices: dict[int, str] = {}
        self._show_nothing()

    # -- what is shown ------------------------------------------------------------------

    def show_event(self, event: EventRow | None, *, visible: bool) -> None:
        """Follow the selected event; its seats load only while the tab is visible (and
        again each time it shows)."""
        self.current = event
        if visible:
            self.reload()

    def reload(self) -> None:
        """Show the event's seats as this counter knows them now. The same event again
        (after each sync or change) reads only its statuses: the layout stays."""
        event = self.current
        if event is None:
            self._show_nothing()
            return
        self._load_devices()
        layout = self.state.layout
        if self._shown == event.id and layout is not None:
            selection = self.view.selection()
            base = counter_selectors.event_state(ctx=self._ctx, event_id=event.id).statuses
            self.view.set_statuses(self._statuses(layout.ids, base))
        else:
            sale = counter_selectors.event_for_sale(ctx=self._ctx, event_id=event.id)
            if sale is None or not len(sale.layout):
                self._show_nothing(f"“{event.name}” has no seats to allocate or block.")
                return
            selection = []
            self.view.set_layout(
                sale.layout, statuses=self._statuses(sale.layout.ids, sale.statuses)
            )
            self._shown = event.id
        when = venue_time.text(event.starts_at, venue_time.DAY_CLOCK)
        self.title.setText(f"{event.name} · {when} · {event.venue}")
        self.view.set_allocation(self._here())
        self.view.set_selection(selection, emit=True)
        self._load_areas()
        self.empty.hide()
        self.view.show()
        self._show_counts()
        self._enable()

    def _statuses(self, seat_ids, base: Mapping[int, str]) -> dict[int, str]:
        assert self.current is not None
        self._allocations = dict(
            allocation_edits.allocations_of(ctx=self._ctx, event_id=self.current.id)
        )
        blocked = seat_blocks.blocked_seats(ctx=self._ctx, event_id=self.current.id)
        self.state.block_of = {s: reason_text(r) for s, r in blocked.items()}
        self.state.counter_of = {
            s: self._devices.get(d, f"#{d}") for s, d in self._allocations.items()
        }
        return full_statuses(seat_ids, base)

    def _load_devices(self) -> None:
        current = self.counter.currentData()
        devices = allocation_edits.counter_devices(ctx=self._ctx)
        self._devices = {d.id: d.name for d in devices}
        self.counter.blockSignals(True)
        self.counter.clear()
        for device in devices:
            if device.active:
                self.counter.addItem(device.name, device.id)
        if not self.counter.count():
            self.counter.addItem("No counters registered", None)
        self.counter.setCurrentIndex(max(0, self.counter.findData(current)))
        self.counter.blockSignals(False)

    def _here(self) -> list[int]:
        device = self.counter.currentData()
        return [s for s, d in self._allocations.items() if d == device]

    def _load_areas(self) -> None:
        """The layout's standing areas, and the chosen counter's places in each."""
        layout = self.state.layout
        areas = layout.areas if layout is not None else ()
        current = self.standing_area.currentData()
        self.standing_area.blockSignals(True)
        self.standing_area.clear()
        for area in areas:
            self.standing_area.addItem(f"{area.name} ({area.capacity:,})", area.id)
        self.standing_area.setCurrentIndex(max(0, self.standing_area.findData(current)))
        self.standing_area.blockSignals(False)
        self._capacity = {area.id: area.capacity for area in areas}
        self.standing.setVisible(bool(areas))
        assert self.current is not None
        self._quotas = allocation_edits.area_quotas(ctx=self._ctx, event_id=self.current.id)
        self._show_quota()

    def _show_quota(self, *_args: object) -> None:
        area = self.standing_area.currentData()
        quotas = self._quotas.get(self.counter.currentData(), {})
        self.standing_places.setRange(0, self._capacity.get(area, 0))
        self.standing_places.setValue(quotas.get(area, 0))

    def set_standing_places(self) -> bool:
        device, area = self.counter.currentData(), self.standing_area.currentData()
        if self.current is None or device is None or area is None:
            return self._done(EditResult(False, "Choose a counter and a standing area."))
        result = allocation_edits.set_area_quota(
            ctx=self._ctx,
            event_id=self.current.id,
            device_id=device,
            area_id=area,
            places=self.standing_places.value(),
        )
        ok = self._done(result, notice=True)
        self.reload()
        return ok

    def _counter_changed(self, _index: int) -> None:
        if self.state.layout is not None:
            self.view.set_allocation(self._here())
        self.legend.show_counter(self.counter.currentText() if self.counter.currentData() else "")
        self._show_quota()

    def _show_nothing(self, text: str = "Select an event in the Events tab.") -> None:
        self.title.setText("")
        self.empty.setText(text)
        self.empty.show()
        self.view.hide()
        self._shown = None
        self.standing.hide()
        self.counts.setText("")
        self._enable()

    def _show_counts(self) -> None:
        n = self.state.counts()
        per_counter: dict[str, int] = {}
        for device in self._allocations.values():
            name = self._devices.get(device, f"#{device}")
            per_counter[name] = per_counter.get(name, 0) + 1
        lines = [
            f"Free {n['free']:,} · Held {n['held']:,} · Sold {n['sold']:,}",
            f"On counters {n['allocated']:,} · Blocked {n['blocked']:,}",
        ]
        lines += [f"{name}: {count:,}" for name, count in sorted(per_counter.items())]
        self.counts.setText("\n".join(lines))
        self.legend.show_counter(self.counter.currentText() if self.counter.currentData() else "")

    def _selection_changed(self, seat_ids: list[int]) -> None:
        n = len(seat_ids)
        if not n:
            self.selection_label.setText("No seats selected")
        else:
            layout = self.state.layout
            assert layout is not None
            names = [_seat_name(layout, s) for s in seat_ids[:4]]
            more = f" and {n - 4} more" if n > 4 else ""
            self.selection_label.setText(
                f"{n} seat{'s' if n != 1 else ''} selected: {', '.join(names)}{more}"
            )
        self._enable()

    def _enable(self) -> None:
        selected = bool(self.view.selection()) and self.current is not None
        has_counter = self.counter.currentData() is not None
        self.allocate_button.setEnabled(selected and has_counter)
        self.unallocate_button.setEnabled(selected and has_counter)
        self.block_button.setEnabled(selected)
        self.unblock_button.setEnabled(selected)
        self.clear_button.setEnabled(selected)
        self.standing_button.setEnabled(has_counter and self.current is not None)

    # -- changes --------------------------------------------------------------------------

    def _change(self, apply: Callable[[int, list[int]], EditResult]) -> bool:
        seats = self.view.selection()
        if self.current is None or not seats:
            return self._done(EditResult(False, NOTHING_SELECTED))
        result = apply(self.current.id, seats)
        if result.ok:
            self.view.set_selection([], emit=True)
        ok = self._done(result, notice=True)
        self.reload()
        return ok

    def allocate(self) -> bool:
        device = self.counter.currentData()
        return self._change(
            lambda event, seats: allocation_edits.allocate(
                ctx=self._ctx, event_id=event, device_id=device, seat_ids=seats
            )
        )

    def unallocate(self) -> bool:
        device = self.counter.currentData()
        return self._change(
            lambda event, seats: allocation_edits.unallocate(
                ctx=self._ctx, event_id=event, device_id=device, seat_ids=seats
            )
        )

    def block(self) -> bool:
        reason, note = self.reason.currentData(), self.note.text().strip()
        ok = self._change(
            lambda event, seats: seat_blocks.block_seats(
                ctx=self._ctx, event_id=event, seat_ids=seats, reason=reason, note=note
            )
        )
        if ok:
            self.note.clear()
        return ok

    def unblock(self) -> bool:
        return self._change(
            lambda event, seats: seat_blocks.release_seats(
                ctx=self._ctx, event_id=event, seat_ids=seats
            )
        )


def _seat_name(layout, seat_id: int) -> str:
    seat = layout.seat(layout.index(seat_id))
    return f"{seat.section} {seat.row}{seat.label}" if seat.row else f"{seat.section} {seat.label}"


def _pair(a: QWidget, b: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in (a, b):
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        row.addWidget(button, 1)
    return row


def _line() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    return line
