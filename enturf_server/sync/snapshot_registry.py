"""Pluggable snapshot builders: one per synced entity.

A counter that starts from `after=0` receives the current state of every synced entity
before the change log. Each entity has a provider that returns its items in a stable
order, after a given id (keyset paging, so rows created or deleted while a counter pages
the snapshot never shift the others):

    @snapshot_provider("event", order=60)
    def events(*, after: str | None, limit: int) -> list[SnapshotItem]:
        ...

Providers run in `order` (a venue before its seat maps, before their events...) and read
only; the data of an item must have the same shape as the change-log entries that
services emit for that entity. Each app registers the providers of its entities from its
`AppConfig.ready()` (`accounts.feed`, `catalog.feed`, `sales.feed`, `ticketing.feed`,
`counters.feed`): sync knows none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class SnapshotItem:
    id: str | int
    version: int
    data: dict[str, Any]


class ProviderFn(Protocol):
    def __call__(self, *, after: str | None, limit: int) -> list[SnapshotItem]: ...


@dataclass(frozen=True)
class SnapshotProvider:
    entity: str
    order: int
    fetch: ProviderFn
    page_cap: int | None  # most items of this entity in one page (heavy items: seat maps)
    int_ids: bool  # items are rows with integer ids (else text keys)


_providers: dict[str, SnapshotProvider] = {}


def snapshot_provider(
    entity: str, *, order: int, page_cap: int | None = None, int_ids: bool = True
) -> Callable[[ProviderFn], ProviderFn]:
    """Register `fn(*, after, limit)` as the snapshot builder of `entity`.

    `after` is the id of the last item already served (None for the first), as a string;
    return up to `limit` items with greater ids, in id order. With `int_ids` (rows with
    integer ids) the feed refuses a cursor whose `after` is not such an id.
    """

    def register(fn: ProviderFn) -> ProviderFn:
        if entity in _providers and _providers[entity].fetch is not fn:
            raise RuntimeError(f"snapshot provider for {entity!r} registered twice")
        if ":" in entity:
            raise ValueError("entity names may not contain ':' (cursor separator)")
        _providers[entity] = SnapshotProvider(entity, order, fn, page_cap, int_ids)
        return fn

    return register


def after_id(after: str | None) -> int:
    """The integer id a provider with `int_ids` pages after (0 for the first page)."""
    return int(after) if after else 0


def providers() -> list[SnapshotProvider]:
    """All registered providers in snapshot order."""
    return sorted(_providers.values(), key=lambda p: (p.order, p.entity))
