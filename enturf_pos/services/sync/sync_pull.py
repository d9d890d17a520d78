"""Pulling the server's changes: the change feed, one local transaction per page.

Each page is applied together with its `next` cursor in one transaction, so a crash
at any point repeats at most the page that was being applied (harmless: upserts and
deletes by id) and never skips one. A 410 (the cursor is older than the server keeps,
or from another server) clears the synced copy in one transaction and starts again
from a snapshot; the outbox and local sales are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from enturf_pos.services.session.api_client import ApiClient, ApiError
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_apply, sync_state_store
from enturf_pos.services.sync.sync_kill_points import kill_point

log = logging.getLogger(__name__)

CHANGES_PATH = "/api/v1/sync/changes/"
PAGE_SIZE = 1000
MAX_RESTARTS = 2

Progress = Callable[[int], None]  # entries applied so far


@dataclass
class PullReport:
    pages: int = 0
    entries: int = 0
    restarted: bool = False
    layouts_fetched: int = 0
    entities: set[str] = field(default_factory=set)  # the kinds of entries applied

    def brought(self, *entities: str) -> bool:
        """Whether entries of one of `entities` arrived (a restart clears them all)."""
        return self.restarted or not self.entities.isdisjoint(entities)

    def add(self, other: PullReport) -> None:
        """Count a second read of the feed in the same sync."""
        self.pages += other.pages
        self.entries += other.entries
        self.layouts_fetched += other.layouts_fetched
        self.entities |= other.entities
        self.restarted = self.restarted or other.restarted


def pull(
    *,
    ctx: PosContext,
    client: ApiClient,
    page_size: int = PAGE_SIZE,
    progress: Progress | None = None,
) -> PullReport:
    """Read the feed until it has no more; raises ServerUnreachable / ApiError."""
    report = PullReport()
    restarts = 0
    with ctx.db.transaction() as session:
        cursor = sync_state_store.cursor(session)
    while True:
        try:
            page = client.get(CHANGES_PATH, params={"after": cursor, "limit": page_size})
        except ApiError as exc:
            if exc.status != 410 or restarts >= MAX_RESTARTS:
                raise
            restarts += 1
            log.warning("change feed cursor %r expired: %s; starting again", cursor, exc.message)
            with ctx.db.transaction() as session:
                sync_apply.clear_synced_data(session)
                sync_state_store.set_cursor(session, sync_state_store.START)
            cursor, report.restarted = sync_state_store.START, True
            continue
        entries: list[dict[str, Any]] = list(page.get("changes") or [])
        layouts = _fetch_layouts(ctx, client, entries)
        report.layouts_fetched += len(layouts)
        report.pages += 1
        with ctx.db.transaction() as session:
            sync_apply.apply_page(session, entries, layouts=layouts)
            sync_state_store.set_cursor(session, str(page["next"]))
            kill_point(f"mid_pull_page_{report.pages}")
        cursor = str(page["next"])
        report.entries += len(entries)
        report.entities.update(str(entry.get("entity")) for entry in entries)
        if progress is not None:
            progress(report.entries)
        if not page.get("has_more"):
            return report


def _fetch_layouts(
    ctx: PosContext, client: ApiClient, entries: list[dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """Seat maps whose revision changed arrive as a summary: read their layout."""
    with ctx.db.transaction() as session:
        wanted = sync_apply.seat_maps_needing_layout(session, entries)
    layouts: dict[int, dict[str, Any]] = {}
    for seat_map_id in wanted:
        try:
            layouts[seat_map_id] = client.get(f"/api/v1/seatmaps/{seat_map_id}/")
        except ApiError as exc:
            if exc.status != 404:
                raise
            # deleted since: a later entry of the feed deletes it here too
    return layouts
