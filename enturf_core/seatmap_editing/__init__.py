"""The seat-map editor's model: plain Python, no Qt, no server, no POS.

Import from the module that holds the thing; nothing is re-exported here.

* ``document``: :class:`SeatMapDocument` (sections of rows of seats, standing areas,
  decorations, categories, the stage point), read from and written to the file format
  of docs/seat-map.md, and turned into the cashier's ``SeatMapLayout``.
* ``generate``: the section generator (straight, curved and fan-shaped rows).
* ``numbering``: row labels and seat numbers.
* ``edits``: every change as a reversible :class:`Edit` (``apply`` / ``revert``), and the
  editor's :class:`Selection`.
* ``checks``: problems to show on the map before saving.
* ``file_format``, ``pretix_format``: the file format and its conversions.
"""
