"""The open event's seat map, kept to the counter sale.

The map tells the sale what the cashier picked (`selectionChanged` -> `pick_seats`, a
standing area clicked -> `area_clicked`, why a pick was refused -> the sale's message);
the sale tells the map what it became: the event's layout, its statuses and allocation,
seats dropped from the cart (unselected here, which gives the cart its seats again),
seats of a released hold (free at once) and, offline, only the allocation is pickable.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from enturf_core.seating.states import sellable_mask
from enturf_pos.services.sales.counter_selectors import EventForSale
from enturf_pos.ui.cashier.counter_sale import CounterSale
from enturf_pos.ui.seat_map import SeatMapPanel


class SeatMapHookup(QObject):
    def __init__(self, sale: CounterSale, panel: SeatMapPanel) -> None:
        super().__init__(sale)
        self._sale = sale
        self.map = view = panel.view
        view.selectionChanged.connect(sale.pick_seats)
        view.areaActivated.connect(sale.area_clicked)
        view.pickRefused.connect(lambda why: sale.show_message(why, error=True))
        sale.event_opened.connect(self._event_opened)
        sale.online_changed.connect(self._mode)
        sale.allocation_changed.connect(lambda allocation: view.set_allocation(allocation.seat_ids))
        sale.selection_set.connect(lambda seats: view.set_selection(seats, emit=False))
        sale.seats_dropped.connect(self._drop)
        sale.seat_statuses.connect(view.set_statuses)
        sale.areas_left.connect(lambda areas: view.state.set_areas_remaining(areas))
        sale.seats_released.connect(lambda seats: view.state.free_released(seats))
        sale.focus_map.connect(view.setFocus)

    def _event_opened(self, event: EventForSale) -> None:
        self.map.set_layout(event.layout, tickets=list(event.tickets), statuses=event.statuses)
        self.map.set_allocation(event.allocation.seat_ids)
        self.map.state.set_areas_remaining({a.id: a.remaining for a in event.areas})

    def _mode(self, online: bool) -> None:
        """Offline, only this counter's allocation can be picked."""
        states = self.map.state.states
        if self._sale.current_event is None or states is None:
            return
        self.map.set_pickable(None if online else sellable_mask(states, offline=True))

    def _drop(self, seat_ids: list[int]) -> None:
        dropped = set(seat_ids)
        self.map.set_selection([s for s in self.map.selection() if s not in dropped], emit=True)
