"""Copies of an event: a duplicate, or a series of dates, each with the event's tickets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from enturf_server.api.errors import ServiceError
from enturf_server.catalog.models import Event, EventState
from enturf_server.catalog.services.events import create_event
from enturf_server.catalog.services.tickets import create_ticket
from enturf_server.sync import changes

MAX_COPIES = 52  # a year of weekly dates in one request

# what a copied ticket keeps (its event, id, version and origin are the copy's own)
TICKET_FIELDS = ("name", "price", "currency", "tax_rate", "category", "max_per_booking", "position")


def duplicate_event(*, actor, event: Event, starts_at: Sequence[datetime]) -> list[Event]:
    """A draft copy of `event` at each of `starts_at`: name, description and seat map, its
    end and sales window moved by the same offset as its start, and its active tickets.
    All copies are made in one transaction, or none."""
    if not 1 <= len(starts_at) <= MAX_COPIES:
        raise ServiceError(
            f"Give from 1 to {MAX_COPIES} start times.", details={"field": "starts_at"}
        )

    def moved(when: datetime | None, offset) -> datetime | None:
        return None if when is None else when + offset

    with changes.atomic():
        source = Event.objects.select_related("seat_map").get(pk=event.pk)
        tickets = list(source.tickets.filter(active=True).order_by("position", "id"))
        copies = []
        for start in starts_at:
            offset = start - source.starts_at
            copy = create_event(
                actor=actor,
                seat_map=source.seat_map,
                name=source.name,
                description=source.description,
                starts_at=start,
                ends_at=moved(source.ends_at, offset),
                sales_start=moved(source.sales_start, offset),
                sales_end=moved(source.sales_end, offset),
                state=EventState.DRAFT,
                audit={"copy_of": source.pk},
            )
            for ticket in tickets:
                create_ticket(
                    actor=actor,
                    event=copy,
                    area=ticket.area_id,
                    **{name: getattr(ticket, name) for name in TICKET_FIELDS},
                )
            copies.append(copy)
    return copies
