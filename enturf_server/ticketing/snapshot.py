"""The `ticket_key` snapshot provider: every public key that verifies ticket codes.
Registered by `TicketingConfig.ready()`."""

from __future__ import annotations

from django.db import connection
from django.db.models.functions import Collate

from enturf_core.wire import feed
from enturf_server.accounts.device_selectors import ticket_key_data, ticket_key_devices
from enturf_server.sync.snapshot_registry import SnapshotItem, snapshot_provider
from enturf_server.ticketing.models import ServerSigningKey
from enturf_server.ticketing.selectors import server_key_data


def _bytewise(field: str) -> Collate:
    """`field` compared byte by byte (as Python compares ASCII strings), whatever the
    database's collation: keyset paging over two tables merged in Python needs one order."""
    return Collate(field, "C" if connection.vendor == "postgresql" else "BINARY")


@snapshot_provider(feed.TICKET_KEY, order=30, int_ids=False)
def ticket_keys(*, after: str | None, limit: int) -> list[SnapshotItem]:
    """Every public key that verifies ticket codes, by key id: the server's (current and
    earlier ones) and the counters', retired ones included (they verify older codes)."""
    devices = ticket_key_devices().annotate(k=_bytewise("signing_key_id")).order_by("k")
    server_keys = ServerSigningKey.objects.annotate(k=_bytewise("key_id")).order_by("k")
    if after is not None:
        devices = devices.filter(k__gt=after)
        server_keys = server_keys.filter(k__gt=after)
    items = [
        SnapshotItem(d.signing_key_id, 2 if d.retired_at else 1, ticket_key_data(d))
        for d in devices[:limit]
    ] + [
        SnapshotItem(k.key_id, 2 if k.retired_at else 1, server_key_data(k))
        for k in server_keys[:limit]
    ]
    return sorted(items, key=lambda item: str(item.id))[:limit]
