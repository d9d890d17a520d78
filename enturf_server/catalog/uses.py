"""What the apps above catalog do with its events and tickets, registered from their
`AppConfig.ready()` so the catalog services call them without importing them: sales makes
a new event's inventory (a row per seat and GA area), and refuses to let an event or a
ticket it has sold be deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from enturf_server.api.errors import Conflict

InventoryMaker = Callable[[Any], tuple[int, int]]  # event -> (seat rows, area rows)
DeleteGuard = Callable[[Any], None]  # raises a `Conflict` when the row must stay

_inventory_maker: list[InventoryMaker] = []
_event_guards: list[DeleteGuard] = []
_ticket_guards: list[DeleteGuard] = []


def makes_event_inventory(fn: InventoryMaker) -> InventoryMaker:
    """Register `fn(event) -> (seat rows, area rows)`, run in the event's creation."""
    _inventory_maker[:] = [fn]
    return fn


def guards_event_delete(fn: DeleteGuard) -> DeleteGuard:
    if fn not in _event_guards:
        _event_guards.append(fn)
    return fn


def guards_ticket_delete(fn: DeleteGuard) -> DeleteGuard:
    if fn not in _ticket_guards:
        _ticket_guards.append(fn)
    return fn


def make_event_inventory(event) -> tuple[int, int]:
    """The new event's inventory rows (seats, areas); (0, 0) when no app sells events."""
    return _inventory_maker[0](event) if _inventory_maker else (0, 0)


def refuse_event_delete(event) -> None:
    """Raise the `Conflict` of the first app that still uses `event`."""
    for guard in _event_guards:
        guard(event)


def refuse_ticket_delete(ticket) -> None:
    for guard in _ticket_guards:
        guard(ticket)


def may_delete_event(event) -> bool:
    try:
        refuse_event_delete(event)
    except Conflict:
        return False
    return True


def may_delete_ticket(ticket) -> bool:
    try:
        refuse_ticket_delete(ticket)
    except Conflict:
        return False
    return True
