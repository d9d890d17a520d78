"""Events: create (with their inventory), edit, state changes, delete."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from enturf_core.wire import feed
from enturf_core.wording import noun
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.audit.services import record
from enturf_server.catalog import uses
from enturf_server.catalog.models import Event, EventState, SeatMap
from enturf_server.catalog.serializers import EventOutput
from enturf_server.catalog.services.seatmaps import emit_seat_map
from enturf_server.catalog.services.tickets import emit_ticket
from enturf_server.sync import changes

# Which state may follow which. A closed event may reopen; a cancelled one is final.
TRANSITIONS: dict[str, set[str]] = {
    EventState.DRAFT: {EventState.ON_SALE, EventState.CANCELLED},
    EventState.ON_SALE: {EventState.CLOSED, EventState.CANCELLED},
    EventState.CLOSED: {EventState.ON_SALE, EventState.CANCELLED},
    EventState.CANCELLED: set(),
}
EDITABLE_FIELDS = {"name", "description", "starts_at", "ends_at", "sales_start", "sales_end"}


def emit_event(event: Event, *, op: str = feed.UPSERT) -> None:
    data = EventOutput(event).data if op == feed.UPSERT else {}
    version = event.version + 1 if op == feed.DELETE else event.version
    changes.emit(feed.EVENT, event.pk, version=version, data=data, op=op)


def _check_times(values: dict[str, Any]) -> None:
    starts: datetime = values["starts_at"]
    ends, sales_start, sales_end = (
        values.get("ends_at"),
        values.get("sales_start"),
        values.get("sales_end"),
    )
    if ends is not None and ends <= starts:
        raise ServiceError("The event must end after it starts.", details={"field": "ends_at"})
    if sales_start is not None and sales_end is not None and sales_end <= sales_start:
        raise ServiceError("Sales must end after they start.", details={"field": "sales_end"})
    last = ends or starts
    if sales_start is not None and sales_start >= last:
        raise ServiceError(
            "Sales must start before the event is over.", details={"field": "sales_start"}
        )


def create_event(
    *,
    actor,
    seat_map: SeatMap,
    name: str,
    starts_at: datetime,
    description: str = "",
    ends_at: datetime | None = None,
    sales_start: datetime | None = None,
    sales_end: datetime | None = None,
    state: str = EventState.DRAFT,
    origin: uuid.UUID | None = None,
    audit: dict[str, Any] | None = None,
) -> Event:
    """Create an event on a seat-map version, with one inventory row per seat and area.

    `origin`: the id of the `event_create` op that makes it (unique); `audit`: more
    details for its audit entry."""
    if state not in (EventState.DRAFT, EventState.ON_SALE):
        raise ServiceError("A new event starts as draft or on_sale.", details={"field": "state"})
    values = {
        "name": name,
        "description": description,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "sales_start": sales_start,
        "sales_end": sales_end,
    }
    _check_times(values)
    with changes.atomic():
        seat_map = SeatMap.objects.select_for_update().get(pk=seat_map.pk)
        first_use = not seat_map.is_used
        event = Event.objects.create(seat_map=seat_map, state=state, origin=origin, **values)
        seats, areas = uses.make_event_inventory(event)  # sales: a row per seat and area
        if first_use:  # the seat map's summary says it is in use now (and immutable)
            seat_map.revision += 1
            seat_map.save(update_fields=["revision"])
            emit_seat_map(seat_map)
        emit_event(event)
        record(
            actor=actor,
            action="event.create",
            obj=event,
            details={
                "name": name,
                "seat_map": seat_map.pk,
                "seats": seats,
                "areas": areas,
                **(audit or {}),
            },
        )
    return event


def update_event(*, actor, event: Event, locked: bool = False, **fields: Any) -> Event:
    """Edit an event's fields and/or move it to another state; bumps `version`.

    `locked`: `event` (with its seat map and venue) was read `select_for_update` in the
    caller's transaction and is used as is."""
    state = fields.pop("state", None)
    if "seat_map" in fields:
        raise Conflict(
            "The seat map of an event cannot be changed; create a new event instead.",
            code="seat_map_fixed",
        )
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ServiceError(
            f"Unknown event {noun(len(unknown), 'field')}: {', '.join(sorted(unknown))}."
        )
    with changes.atomic():
        if not locked:
            event = (
                Event.objects.select_for_update().select_related("seat_map__venue").get(pk=event.pk)
            )
        changed = sorted(k for k, v in fields.items() if getattr(event, k) != v)
        _check_times({k: fields.get(k, getattr(event, k)) for k in EDITABLE_FIELDS})
        details: dict[str, Any] = {"fields": changed}
        if state is not None and state != event.state:
            if state not in TRANSITIONS[event.state]:
                raise Conflict(
                    f"An event that is {event.state} cannot become {state}.",
                    code="invalid_state_change",
                    details={"from": event.state, "to": state},
                )
            details["state"] = {"from": event.state, "to": state}
            event.state = state
            changed.append("state")
        if event.state == EventState.CANCELLED and "state" not in changed and changed:
            raise Conflict("A cancelled event cannot be edited.", code="event_cancelled")
        if not changed:
            return event
        for k in changed:
            if k != "state":
                setattr(event, k, fields[k])
        event.version += 1
        event.save()
        emit_event(event)
        record(actor=actor, action="event.update", obj=event, details=details)
    return event


def delete_event(*, actor, event: Event) -> None:
    """Delete an event nobody has booked (admin); one with bookings is cancelled instead."""
    with changes.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        uses.refuse_event_delete(event)  # sales: an event with bookings is cancelled instead
        for ticket in event.tickets.all():
            emit_ticket(ticket, op=feed.DELETE)
        record(actor=actor, action="event.delete", obj=event, details={"name": event.name})
        emit_event(event, op=feed.DELETE)
        event.delete()
