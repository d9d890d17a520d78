"""The seat-map import format on the server: core's checker, its refusal as a 400.

The format and its checks are `enturf_core.seatmap_editing.file_format` (docs/api.md,
"Seat-map import format"; docs/seat-map.md, "File format"). Here the first problem
becomes a :class:`LayoutError` (``invalid_seat_map`` or ``seat_map_too_large``) with the
same message and ``details.path``.
"""

from __future__ import annotations

from typing import Any

from enturf_core.seatmap_editing import file_format
from enturf_core.seatmap_editing.file_format import Layout, SeatMapFileError
from enturf_server.api.errors import ServiceError

MAX_SEATS = file_format.MAX_SEATS  # the server's limit (a test lowers it)


class LayoutError(ServiceError):
    code = "invalid_seat_map"


def parse_layout(data: dict[str, Any]) -> Layout:
    """Check a layout and return it; raises :class:`LayoutError` (400) naming the first
    problem found; nothing is stored."""
    try:
        return file_format.parse_layout(data, max_seats=MAX_SEATS)
    except SeatMapFileError as error:
        raise LayoutError(error.message, code=error.code, details=error.details) from None
