"""The `seat_status` snapshot provider: per event, the seats that are not available and
the places left per GA area. Registered by `SalesConfig.ready()`.

Where incremental `seat_status` entries list only the seats that changed, a snapshot
item carries ``"full": true`` and lists every seat that is not available (the others
are). Held seats whose hold has expired count as available.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from enturf_core.wire import feed
from enturf_server.catalog.models import Event
from enturf_server.sales.models import SeatInventory, SeatStatus
from enturf_server.sales.selectors import area_availability
from enturf_server.sales.selectors import seat_status as status_of
from enturf_server.sync.snapshot_registry import SnapshotItem, after_id, snapshot_provider


@snapshot_provider(feed.SEAT_STATUS, order=80, page_cap=50)
def seat_status(*, after: str | None, limit: int) -> list[SnapshotItem]:
    """Per event: the seats that are not available, and places left per GA area.

    Statuses as the availability API computes them (`sales.selectors`): an expired hold
    or an unpaid booking past its time is available, a free seat allocated to a counter
    is "allocated"; `blocked` gives each blocked seat's reason. One query for the seats of a
    page of events, whatever their number.
    """
    now = timezone.now()
    events = list(Event.objects.filter(pk__gt=after_id(after)).order_by("pk")[:limit])
    if not events:
        return []

    seats: dict[int, dict[str, str]] = defaultdict(dict)
    taken = (
        SeatInventory.objects.filter(event_id__in=[e.pk for e in events])
        .filter(~Q(status=SeatStatus.AVAILABLE) | Q(allocated_to__isnull=False))
        .order_by("event_id", "seat_id")
        .values_list(
            "event_id",
            "seat_id",
            "status",
            "held_until",
            "allocated_to_id",
            "booking__state",
            "booking__expires_at",
            "block_reason",
        )
    )
    blocked: dict[int, dict[str, str]] = defaultdict(dict)
    for event_id, seat_id, *row, block_reason in taken.iterator(chunk_size=5000):
        status = status_of(*row, now)
        if status != SeatStatus.AVAILABLE:
            seats[event_id][str(seat_id)] = str(status)
        if status == SeatStatus.BLOCKED and block_reason:  # rows blocked before reasons: none
            blocked[event_id][str(seat_id)] = block_reason

    return [
        SnapshotItem(
            event.pk,
            event.inventory_version,
            {
                "full": True,
                "seats": seats.get(event.pk, {}),
                "areas": {
                    str(area["id"]): area["remaining"]
                    for area in area_availability(event=event, since=None, now=now)
                },
                **({"blocked": blocked[event.pk]} if blocked.get(event.pk) else {}),
            },
        )
        for event in events
    ]
