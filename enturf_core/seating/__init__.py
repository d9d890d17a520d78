"""Seat maps as plain data: the layout, seat states, a spatial grid and best available.

No Qt, no Django: the POS's services and its seat-map widget share these types, and the
algorithms run (and are tested) without a window. Import from the module that holds
the thing; nothing is re-exported here.
"""
