"""The `allocation` snapshot provider (`CountersConfig.ready()` registers it)."""

from __future__ import annotations

from enturf_core.wire import feed
from enturf_server.counters.allocations import allocation_data
from enturf_server.sales.models import Allocation
from enturf_server.sync.snapshot_registry import SnapshotItem, after_id, snapshot_provider


@snapshot_provider(feed.ALLOCATION, order=90)
def allocations(*, after: str | None, limit: int) -> list[SnapshotItem]:
    """Counter allocations: each device finds its own by `device`."""
    rows = (
        Allocation.objects.filter(pk__gt=after_id(after))
        .prefetch_related("areas")
        .order_by("pk")[:limit]
    )
    return [SnapshotItem(a.pk, a.version, allocation_data(a)) for a in rows]
