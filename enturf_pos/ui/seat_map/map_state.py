"""SeatMapState: what the seat map shows, without any window.

One object holds the layout, the seats' states for the event, this counter's selection
(its cart), which seats may be picked, the tickets, and each seat's paint code. The
graphics scene, the item model and the legend all read it, and repaint from its
signals; tests drive it directly. Rules (which seats are sellable, which are best)
come from :mod:`enturf_core.seating`.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from enturf_core.money import Money
from enturf_core.seating.best_available import BestSeats, best_seats
from enturf_core.seating.grid import SeatGrid
from enturf_core.seating.layout import SeatMapLayout, describe_flags
from enturf_core.seating.states import SeatState, SeatStates, mask_and, mask_from, sellable_mask
from enturf_core.seating.tickets import tickets_by_category
from enturf_core.wire.feed import Ticket
from enturf_pos.ui.seat_map.palette import (
    CATEGORY_BITS,
    CATEGORY_MASK,
    LOOK_NAMES,
    LOOK_OF_STATE,
    Look,
    code,
    look_of,
)

Pickable = bytes | bytearray | Callable[[int], bool] | Iterable[int] | None

# (state << 1 | pickable) -> look << 5: the whole map's looks in one bytes.translate
_LOOK_TABLE = bytearray(256)
for _state, _look in LOOK_OF_STATE.items():
    for _pick in (0, 1):
        dimmed = _look in (Look.FREE, Look.FREE_HERE) and not _pick
        _LOOK_TABLE[(_state << 1) | _pick] = (Look.DIMMED if dimmed else _look) << CATEGORY_BITS
_LOOK_TABLE = bytes(_LOOK_TABLE)
_SELECTABLE_STATES = (SeatState.AVAILABLE, SeatState.ALLOCATED_HERE)
_ONE = bytes([0] + [1] * 255)  # any non-zero byte -> 1
_CATEGORY_LOW = bytes(i & CATEGORY_MASK for i in range(256))
_LOW_BYTE = 0 if sys.byteorder == "little" else 1


def _category_bytes(category_of: array) -> bytes:
    """Each seat's category number & CATEGORY_MASK, at C speed ('H' items: their low
    byte holds the masked bits)."""
    if category_of.itemsize == 2:
        return category_of.tobytes()[_LOW_BYTE::2].translate(_CATEGORY_LOW)
    return bytes(c & CATEGORY_MASK for c in category_of)


@dataclass(frozen=True, eq=False)
class LayoutEdit:
    """What :meth:`SeatMapState.replace_layout` changed: ``kept`` maps a section index of
    the new layout to the index it had in the old one, for the sections whose seats
    (places, categories, flags, labels) are unchanged; the rest are new or redrawn."""

    kept: Mapping[int, int]
    old_layout: SeatMapLayout
    old_looks: bytes


class SeatMapState(QObject):
    layoutChanged = Signal()
    layoutEdited = Signal(object)  # LayoutEdit: the editor changed some sections in place
    seatsChanged = Signal(list)  # seat indices whose look changed
    selectionChanged = Signal(list)  # seat ids in the cart, in seat order
    ticketsChanged = Signal()
    areasChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.layout: SeatMapLayout | None = None
        self.grid: SeatGrid | None = None
        self.states: SeatStates | None = None
        self.looks = bytearray()  # paint code by seat index
        self.pickable: bytearray | None = None  # None: every sellable seat is pickable
        self.selected: set[int] = set()  # seat indices
        self.tickets: tuple[Ticket, ...] = ()
        self._by_category: dict[str, list[Ticket]] = {}
        # seats whose category has a ticket on sale (None: tickets not known, no limit)
        self.priced: bytearray | None = None
        self.areas_on_sale: frozenset[int] | None = None  # likewise for standing areas
        self.areas_remaining: dict[int, int] = {}
        self._category_bytes = b""
        # the map's own colours by category number ("#RRGGBB"); None: the palette's
        self.category_colours: tuple[str, ...] | None = None

    # -- input ---------------------------------------------------------------------------

    def set_layout(
        self,
        layout: SeatMapLayout,
        *,
        tickets: Sequence[Ticket] | None = None,
        statuses: Mapping[int, str | SeatState] | None = None,
        grid: SeatGrid | None = None,
    ) -> None:
        """Show another seat map: everything but the tickets starts afresh. With
        ``tickets`` (the event's on sale), seats and areas that no ticket sells show as
        not on sale and cannot be picked; None shows the map without that limit.
        ``grid``: a spatial index already built for ``layout`` (the editor's)."""
        self.layout = layout
        self.grid = grid or SeatGrid(layout)
        self.states = SeatStates(layout)
        self.pickable = None
        self.selected = set()
        self.areas_remaining = {}
        self._category_bytes = _category_bytes(layout.category_of)
        self._set_ticket_info(tickets)
        if statuses:
            self.states.apply(statuses)
        self._recompute_all()
        self.layoutChanged.emit()

    def replace_layout(
        self,
        layout: SeatMapLayout,
        grid: SeatGrid,
        kept: Mapping[int, int],
        selected: Iterable[int] = (),
    ) -> None:
        """The seat-map editor changed the map in place: show ``layout`` (with every seat
        available, no tickets) without starting afresh. ``kept`` (new section index ->
        old) names the sections whose seats are unchanged, so the scene redraws only the
        others; ``selected`` (seat indices) is the new selection."""
        old_layout, old_looks = self.layout, bytes(self.looks)
        self.layout = layout
        self.grid = grid
        self.states = SeatStates(layout)
        self.pickable = None
        self.areas_remaining = {}
        self._category_bytes = _category_bytes(layout.category_of)
        self._set_ticket_info(None)
        self.selected = set(selected)
        self._recompute_all()
        if old_layout is None:
            self.layoutChanged.emit()
            return
        self.layoutEdited.emit(LayoutEdit(kept, old_layout, old_looks))

    def set_tickets(self, tickets: Sequence[Ticket] | None) -> None:
        self._set_ticket_info(tickets)
        if self.layout is not None:
            old = self.looks
            self._recompute_all()
            changed = _differences(old, self.looks)
            if changed:
                self.seatsChanged.emit(changed)
        self.ticketsChanged.emit()
        self.areasChanged.emit()

    def _set_ticket_info(self, tickets: Sequence[Ticket] | None) -> None:
        self.tickets = tuple(tickets or ())
        self._by_category = tickets_by_category(self.tickets)
        if tickets is None or self.layout is None:
            self.priced = None
            self.areas_on_sale = None
            return
        sold_here = bytes(1 if name in self._by_category else 0 for name in self.layout.categories)
        self.priced = bytearray(sold_here[c] for c in self.layout.category_of)
        self.areas_on_sale = frozenset(t.area for t in self.tickets if t.area is not None)

    def set_statuses(self, statuses: Mapping[int, str | SeatState]) -> list[int]:
        """Apply availability (``{seat id: status}``, e.g. from sync); repaints only the
        seats whose look changed. Seats in the cart stay in it (and keep their look):
        the cashier window decides when a hold failed and calls :meth:`set_selection`."""
        if self.states is None:
            return []
        changed = self.states.apply(statuses)
        return self._refresh(changed)

    def free_released(self, seat_ids: Iterable[int]) -> list[int]:
        """Seats of this counter's own hold, just given back: those that show as held
        (by "someone else", as the server reported our hold) are available again."""
        if self.states is None or self.layout is None:
            return []
        index_of, codes = self.layout.index_of, self.states.codes
        ours = {
            s: SeatState.AVAILABLE
            for s in seat_ids
            if s in index_of and codes[index_of[s]] == SeatState.HELD
        }
        return self.set_statuses(ours) if ours else []

    def set_allocation(self, seat_ids: Iterable[int]) -> list[int]:
        """This counter's allocation (its ``allocated`` seats are ours to sell)."""
        if self.states is None:
            return []
        return self._refresh(self.states.set_allocation(seat_ids))

    def set_pickable(self, pickable: Pickable) -> None:
        """Which seats may be picked: None for all sellable seats, else a mask by seat
        index, seat ids, or a predicate on the seat id (e.g. offline: this counter's
        allocation). Seats outside still show, dimmed, and cannot be picked."""
        if self.layout is None:
            return
        if pickable is None:
            self.pickable = None
        elif isinstance(pickable, bytes | bytearray):
            if len(pickable) != len(self.layout):
                raise ValueError("the pickable mask must cover every seat of the map")
            self.pickable = bytearray(pickable)
        else:
            self.pickable = mask_from(self.layout, pickable)
        old = self.looks
        self._recompute_all()
        changed = _differences(old, self.looks)
        if changed:
            self.seatsChanged.emit(changed)

    def set_areas_remaining(self, remaining: Mapping[int, int]) -> None:
        self.areas_remaining.update(remaining)
        self.areasChanged.emit()

    # -- the cart --------------------------------------------------------------------------

    def is_selectable(self, index: int) -> bool:
        """May the cashier put this seat in the cart now?"""
        assert self.states is not None
        if self.states.codes[index] not in _SELECTABLE_STATES:
            return False
        return self._pick(index)

    def _pick(self, index: int) -> bool:
        """Pickable here now and sold by a ticket (whatever its state)."""
        if self.priced is not None and not self.priced[index]:
            return False
        return self.pickable is None or bool(self.pickable[index])

    def on_sale(self, index: int) -> bool:
        """Does a ticket of this event sell this seat's category?"""
        return self.priced is None or bool(self.priced[index])

    def area_on_sale(self, area_id: int) -> bool:
        return self.areas_on_sale is None or area_id in self.areas_on_sale

    def why_not(self, index: int) -> str:
        """Why this seat cannot go in the cart now, in words for the cashier."""
        assert self.layout is not None
        seat = self.layout.seat(index)
        place = f"{seat.section} · Row {seat.row} · Seat {seat.label}"
        if not self.on_sale(index):
            category = seat.category.replace("_", " ")
            return f"{place} is not on sale: no ticket of this event sells {category} seats."
        return f"{place}: {self.status_text(index).lower()}."

    def selection(self) -> list[int]:
        """Seat ids in the cart, in seat order."""
        if self.layout is None:
            return []
        ids = self.layout.ids
        return [ids[i] for i in sorted(self.selected)]

    def toggle(self, index: int) -> bool:
        """Put a seat in the cart or take it out; False if it cannot be picked."""
        if index in self.selected:
            self.selected.discard(index)
        elif self.is_selectable(index):
            self.selected.add(index)
        else:
            return False
        self._refresh([index])
        self.selectionChanged.emit(self.selection())
        return True

    def add_to_selection(self, indices: Iterable[int]) -> list[int]:
        """Add the pickable ones of ``indices`` to the cart; returns those added."""
        added = [i for i in indices if i not in self.selected and self.is_selectable(i)]
        if added:
            self.selected.update(added)
            self._refresh(added)
            self.selectionChanged.emit(self.selection())
        return added

    def set_selection(self, seat_ids: Iterable[int], *, emit: bool = True) -> None:
        """Replace the cart (e.g. after a hold failed: the seats the server kept).
        Seats named here stay selected even if their state says otherwise."""
        if self.layout is None:
            return
        index_of = self.layout.index_of
        new = {index_of[s] for s in seat_ids if s in index_of}
        changed = sorted(new ^ self.selected)
        self.selected = new
        self._refresh(changed)
        if changed and emit:
            self.selectionChanged.emit(self.selection())

    def best(
        self, n: int, *, focal: tuple[float, float] | None = None, accessible: bool = False
    ) -> BestSeats:
        """The best ``n`` seats, as if the cart were empty (a new pick replaces it)."""
        assert self.layout is not None and self.states is not None
        free = bytearray(sellable_mask(self.states))
        for i in self.selected:
            free[i] = 1
        pickable = None
        if self.pickable is not None or self.priced is not None:
            pickable = bytearray(
                mask_and(
                    self.pickable if self.pickable is not None else b"\x01" * len(self.layout),
                    self.priced if self.priced is not None else b"\x01" * len(self.layout),
                )
            )
            for i in self.selected:
                pickable[i] = 1
        return best_seats(
            self.layout, free, n, focal=focal, accessible=accessible, pickable=pickable
        )

    # -- reading -----------------------------------------------------------------------

    def look(self, index: int) -> Look:
        return look_of(self.looks[index])

    def free_count(self, seats: range) -> int:
        """Seats in ``seats`` that are available or allocated here."""
        assert self.states is not None
        return self.states.count(SeatState.AVAILABLE, seats) + self.states.count(
            SeatState.ALLOCATED_HERE, seats
        )

    def tickets_for(self, category: str) -> list[Ticket]:
        return self._by_category.get(category, [])

    def price_text(self, category: str) -> str:
        """ "Adult €45.00 · Child €30.00" for a category's tickets, or ""."""
        return " · ".join(
            f"{t.name} {Money(t.price, t.currency).format()}" for t in self.tickets_for(category)
        )

    def describe(self, index: int) -> str:
        """Tooltip text: where the seat is, its tickets and prices, its state."""
        assert self.layout is not None
        seat = self.layout.seat(index)
        lines = [f"{seat.section} · Row {seat.row} · Seat {seat.label}"]
        prices = self.price_text(seat.category)
        category = seat.category.replace("_", " ").title()
        lines.append(f"{category}: {prices}" if prices else category)
        if not self.on_sale(index):
            lines.append("Not on sale: no ticket for this category")
        notes = describe_flags(self.layout.flags[index])
        if notes:
            lines.append(", ".join(notes).capitalize())
        lines.append(LOOK_NAMES[self.look(index)])
        return "\n".join(lines)

    def status_text(self, index: int) -> str:
        return LOOK_NAMES[self.look(index)]

    # -- internals -----------------------------------------------------------------------

    def _look_code(self, index: int) -> int:
        assert self.states is not None and self.layout is not None
        category = self.layout.category_of[index]
        if index in self.selected:
            return code(Look.CART, category)
        state = self.states.codes[index]
        pick = self._pick(index)
        return _LOOK_TABLE[(state << 1) | (1 if pick else 0)] | (category & CATEGORY_MASK)

    def _recompute_all(self) -> None:
        assert self.states is not None and self.layout is not None
        n = len(self.layout)
        # bytes arithmetic at C speed: state*2 + pickable, translated, OR the category
        doubled = int.from_bytes(self.states.codes, "little") << 1
        pick = b"\x01" * n if self.pickable is None else bytes(self.pickable).translate(_ONE)
        if self.priced is not None:
            pick = mask_and(pick, self.priced)
        doubled |= int.from_bytes(pick, "little")
        base = doubled.to_bytes(n, "little").translate(_LOOK_TABLE)
        merged = int.from_bytes(base, "little") | int.from_bytes(self._category_bytes, "little")
        looks = self.looks = bytearray(merged.to_bytes(n, "little"))
        cart, categories = code(Look.CART, 0), self._category_bytes
        for i in self.selected:  # what _look_code gives a seat in the cart
            looks[i] = cart | categories[i]

    def _refresh(self, indices: Iterable[int]) -> list[int]:
        changed = []
        looks = self.looks
        for i in indices:
            new = self._look_code(i)
            if looks[i] != new:
                looks[i] = new
                changed.append(i)
        if changed:
            self.seatsChanged.emit(changed)
        return changed


def _differences(old: bytes | bytearray, new: bytes | bytearray) -> list[int]:
    if len(old) != len(new):
        return list(range(len(new)))
    return [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
