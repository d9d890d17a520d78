"""A stored seat map as Enturf's seat-map file (docs/seat-map.md, "File format"): what
`GET /api/v1/seatmaps/{id}/export/` answers and `POST /api/v1/seatmaps/` (with `venue`)
and the editor take back."""

from __future__ import annotations

from typing import Any

from enturf_core.seatmap_editing.file_format import layout_to_file
from enturf_server.catalog.models import SeatMap
from enturf_server.catalog.selectors import seat_map_layout


def seat_map_file(seat_map: SeatMap) -> dict[str, Any]:
    """The seat map in the file format. Seat keys that are not the default are kept, so
    an import of the file as a new version keeps the seats' identity."""
    return layout_to_file(
        seat_map_layout(seat_map=seat_map),
        name=seat_map.name,
        stage_x=seat_map.stage_x,
        stage_y=seat_map.stage_y,
        width=seat_map.width,
        height=seat_map.height,
    )


def export_filename(seat_map: SeatMap, *, pretix: bool = False) -> str:
    """`<venue>-<name>-v<version>.enturf.json` (or `.pretix.json`), safe characters only."""
    stem = f"{seat_map.venue.name}-{seat_map.name}-v{seat_map.version}"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)
    return f"{safe}.pretix.json" if pretix else f"{safe}.enturf.json"
