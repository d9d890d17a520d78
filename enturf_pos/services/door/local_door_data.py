"""What the back office reads of this device's door data (the feed's check-in lists, its
own scan log), behind one seam so the Door tab does not depend on how it is stored."""

from __future__ import annotations

from dataclasses import dataclass

from enturf_core.wire import feed
from enturf_pos.services.session.pos_context import PosContext


@dataclass(frozen=True, slots=True)
class OwnScans:
    """This device's scans of an event from its own log."""

    entries: int = 0
    exits: int = 0
    refused: int = 0
    unsent: int = 0  # not yet pushed to the server


def local_lists(ctx: PosContext, event_id: int) -> tuple[feed.CheckinList, ...]:
    return ()


def own_scans(ctx: PosContext, event_id: int) -> OwnScans:
    return OwnScans()
