"""The seat map: an interactive map of a venue's seats for the counter.

* :class:`SeatMapPanel` - toolbar (seat count, best seats, zoom), legend and map;
  what the cashier window embeds.
* :class:`SeatMapView` (objectName ``seatMap``) - the map itself, with its signals.
* :class:`SeatMapState` - what the map shows (layout, states, cart, pickable seats),
  usable without a window; :class:`SeatTableModel` - the same as a Qt table.

See docs/seat-map.md.
"""

from enturf_pos.ui.seat_map.legend import SeatMapLegend
from enturf_pos.ui.seat_map.map_state import SeatMapState
from enturf_pos.ui.seat_map.panel import SeatMapPanel
from enturf_pos.ui.seat_map.seat_table_model import SeatTableModel
from enturf_pos.ui.seat_map.view import SeatMapView

__all__ = ["SeatMapLegend", "SeatMapPanel", "SeatMapState", "SeatMapView", "SeatTableModel"]
