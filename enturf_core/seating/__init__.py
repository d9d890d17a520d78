"""Seat maps as plain data, seat states, a spatial index and "best available" seats.

No Qt, no Django: the POS's services and its seat-map widget share these types, and the
algorithms run (and are tested) without a window. Import from the module that holds
the thing; nothing is re-exported here.

* ``layout``: :class:`SeatMapLayout`, one seat map with its seats column-wise by seat
  index (a row and a section are contiguous index ranges), and the seat flags.
* ``tickets``: the tickets on sale by seat category (a ticket is `enturf_core.wire.feed.Ticket`).
* ``states``: :class:`SeatState`, :class:`SeatStates` (each seat's state for one event,
  applying availability updates) and masks by seat index (``sellable_mask``...).
* ``grid``: :class:`SeatGrid`, "which seat is at (x, y)" and "which seats lie in this
  rectangle" in constant time per bucket.
* ``best_available``: :func:`best_seats`, N seats for the counter, by tiers.
"""
