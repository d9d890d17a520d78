"""Each seat's state for one event, and masks of seats by seat index.

Masks are ``bytes``/``bytearray`` indexed by seat index, non-zero meaning "yes".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import IntEnum

from enturf_core.seating.layout import SeatMapLayout

__all__ = [
    "SeatState",
    "SeatStates",
    "mask_and",
    "mask_from",
    "nonzero_mask",
    "sellable_mask",
]


class SeatState(IntEnum):
    """A seat's state for one event, as this counter sees it."""

    AVAILABLE = 0
    HELD = 1  # in someone's cart (another counter, a web customer, or our own hold)
    SOLD = 2
    BLOCKED = 3
    ALLOCATED_OTHER = 4  # allocated to another counter: not ours to sell
    ALLOCATED_HERE = 5  # allocated to this counter: only we sell it, also offline

    @classmethod
    def from_status(cls, status: str, *, allocated_here: bool = False) -> SeatState:
        """The state of an availability ``status`` (available, held, sold, blocked,
        allocated); ``allocated`` is ours when the seat is in this counter's allocation."""
        if status == "allocated":
            return cls.ALLOCATED_HERE if allocated_here else cls.ALLOCATED_OTHER
        try:
            return _STATUS_STATES[status]
        except KeyError:
            raise ValueError(f"unknown seat status {status!r}") from None

    @property
    def status(self) -> str:
        """The availability status word of this state."""
        return "allocated" if self >= SeatState.ALLOCATED_OTHER else self.name.lower()


_STATUS_STATES = {
    "available": SeatState.AVAILABLE,
    "held": SeatState.HELD,
    "sold": SeatState.SOLD,
    "blocked": SeatState.BLOCKED,
}


class SeatStates:
    """Each seat's :class:`SeatState` for one event (``codes``, by seat index), plus this
    counter's allocation, which decides whether an ``allocated`` seat is ours."""

    def __init__(self, layout: SeatMapLayout) -> None:
        self.layout = layout
        self.codes = bytearray(len(layout))  # all AVAILABLE
        self._allocated = bytearray(len(layout))  # seat is (or was) allocated, per server
        self._here: set[int] = set()  # seat ids allocated to this counter

    def state(self, index: int) -> SeatState:
        return SeatState(self.codes[index])

    def apply(self, statuses: Mapping[int, str | SeatState]) -> list[int]:
        """Set states from ``{seat id: status word or SeatState}``; seats of other maps
        are ignored. Returns the indices of the seats whose state changed."""
        changed = []
        index_of, codes = self.layout.index_of, self.codes
        for seat_id, status in statuses.items():
            i = index_of.get(seat_id)
            if i is None:
                continue
            if isinstance(status, str):
                state = SeatState.from_status(status, allocated_here=seat_id in self._here)
            else:
                state = SeatState(status)
            self._allocated[i] = state >= SeatState.ALLOCATED_OTHER
            if codes[i] != state:
                codes[i] = state
                changed.append(i)
        return changed

    def set_allocation(self, seat_ids: Iterable[int]) -> list[int]:
        """This counter's allocated seats; allocated seats move between "here" and
        "other". Returns the indices whose state changed."""
        self._here = set(seat_ids)
        changed = []
        codes, ids, allocated = self.codes, self.layout.ids, self._allocated
        i = allocated.find(1)
        while i >= 0:
            state = SeatState.ALLOCATED_HERE if ids[i] in self._here else SeatState.ALLOCATED_OTHER
            if codes[i] != state:
                codes[i] = state
                changed.append(i)
            i = allocated.find(1, i + 1)
        return changed

    def count(self, state: SeatState, seats: range | None = None) -> int:
        if seats is None:
            return self.codes.count(state)
        return self.codes.count(state, seats.start, seats.stop)


_SELLABLE_ONLINE = bytes(
    1 if c in (SeatState.AVAILABLE, SeatState.ALLOCATED_HERE) else 0 for c in range(256)
)
_SELLABLE_OFFLINE = bytes(1 if c == SeatState.ALLOCATED_HERE else 0 for c in range(256))
_NONZERO = bytes([0] + [1] * 255)


def sellable_mask(states: SeatStates | bytes | bytearray, *, offline: bool = False) -> bytes:
    """Seats this counter may sell now: available or allocated here when online, only
    allocated here when offline (two counters can never sell the same seat)."""
    codes = states.codes if isinstance(states, SeatStates) else states
    return bytes(codes).translate(_SELLABLE_OFFLINE if offline else _SELLABLE_ONLINE)


def nonzero_mask(mask: bytes | bytearray) -> bytes:
    """A 0/1 copy of ``mask``: every non-zero byte becomes 1."""
    return bytes(mask).translate(_NONZERO)


def mask_and(a: bytes | bytearray, b: bytes | bytearray) -> bytes:
    """Seat-wise AND of two 0/1 masks of the same length (at C speed)."""
    n = len(a)
    a = nonzero_mask(a)
    b = nonzero_mask(b)
    return (int.from_bytes(a, "little") & int.from_bytes(b, "little")).to_bytes(n, "little")


def mask_from(layout: SeatMapLayout, seats: Iterable[int] | Callable[[int], bool]) -> bytearray:
    """A mask from seat ids, or from a predicate on the seat id."""
    mask = bytearray(len(layout))
    if callable(seats):
        for i, seat_id in enumerate(layout.ids):
            if seats(seat_id):
                mask[i] = 1
    else:
        index_of = layout.index_of
        for seat_id in seats:
            i = index_of.get(seat_id)
            if i is not None:
                mask[i] = 1
    return mask
