"""Catalog services: every write to venues, seat maps, events and tickets goes through here.

Views, the Django admin, the demo seed and sync push all call these functions.
"""

from enturf_server.catalog.services.event_copies import duplicate_event
from enturf_server.catalog.services.events import create_event, delete_event, update_event
from enturf_server.catalog.services.seatmaps import (
    SeatMapChanged,
    SeatMapInUse,
    create_seat_map_version,
    delete_seat_map,
    import_seat_map,
    publish_seat_map,
    replace_seat_map_layout,
    update_seat_map,
)
from enturf_server.catalog.services.tickets import (
    create_ticket,
    delete_ticket,
    remove_ticket,
    update_ticket,
)
from enturf_server.catalog.services.venues import create_venue, delete_venue, update_venue

__all__ = [
    "SeatMapChanged",
    "SeatMapInUse",
    "create_event",
    "create_seat_map_version",
    "create_ticket",
    "create_venue",
    "delete_event",
    "delete_seat_map",
    "delete_ticket",
    "delete_venue",
    "duplicate_event",
    "import_seat_map",
    "publish_seat_map",
    "remove_ticket",
    "replace_seat_map_layout",
    "update_event",
    "update_seat_map",
    "update_ticket",
    "update_venue",
]
