"""Push handlers for a manager's set-up of events: `event_create`, `ticket_create` and
`ticket_remove` (payloads: `enturf_core.wire.ops` EventCreate, TicketCreate, TicketRemove).

They go through the catalog services with the API's checks and rights: each needs the
right `edit_events`, as `POST /events/`, `POST /tickets/` and `DELETE /tickets/{id}/` do. Values are checked by the API's input serializers, so a refusal
reads as the API's would (``details`` per field).

The counter names what it creates by UUIDs of its own (the op's ``id`` for the event,
each ``NewTicket.id`` for a ticket), stored as ``origin``: an op sent again, even under
another op id or by two pushes at once, finds the same rows and answers the same ids.

Results (``applied``):

* ``event_create``: ``{"event": id, "tickets": {ticket uuid: id}}``;
* ``ticket_create``: ``{"ticket": id}``; ``event_ref`` unknown: rejected ``unknown_event_ref``;
* ``ticket_remove``: ``{"outcome": "deleted" | "retired"}``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError
from rest_framework import serializers

from enturf_core.staff_rights import Right
from enturf_core.wire import ops as wire
from enturf_server.accounts.rights import ensure_right
from enturf_server.api.errors import Conflict, NotFound, ServiceError
from enturf_server.api.inputs import MAX_ID
from enturf_server.catalog.models import Event, SeatMap, Ticket
from enturf_server.catalog.serializers import EventInput, TicketInput
from enturf_server.catalog.services import create_event, create_ticket, remove_ticket
from enturf_server.sync import changes
from enturf_server.sync.push_registry import (
    APPLIED,
    OpResult,
    PushContext,
    PushOp,
    push_handler,
    typed_payload,
)

MAX_TICKETS_PER_EVENT_OP = 500
T = TypeVar("T")


class NewTicketInput(TicketInput):
    """A `NewTicket`'s values (its event is the op's)."""

    event = None
    position = None
    active = None


def checked(input_class: type[serializers.Serializer], data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` validated by the API's input serializer; a refusal with its errors."""
    serializer = input_class(data=dict(data))
    if not serializer.is_valid():
        errors = serializer.errors
        first = next(iter(errors), "payload")
        raise ServiceError(
            f"{first}: {_first_message(errors[first])}",
            code="invalid",
            details={k: _messages(v) for k, v in errors.items()},
        )
    return dict(serializer.validated_data)


def _messages(errors: Any) -> Any:
    if isinstance(errors, dict):
        return {k: _messages(v) for k, v in errors.items()}
    if isinstance(errors, list):
        return [_messages(e) for e in errors]
    return str(errors)


def _first_message(errors: Any) -> str:
    while isinstance(errors, list | dict) and errors:
        errors = errors[0] if isinstance(errors, list) else next(iter(errors.values()))
    return str(errors)


def once(find: Callable[[], T | None], make: Callable[[], T]) -> T:
    """`find()`, else `make()` in a savepoint; should a concurrent push have made the same
    row meanwhile (its unique `origin`), the row it made."""
    found = find()
    if found is not None:
        return found
    try:
        with changes.atomic():  # a savepoint inside the op's transaction
            return make()
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found


# -- event_create -------------------------------------------------------------------------


def _ticket_values(raw: Any, path: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ServiceError(f"{path} must be an object.", code="invalid")
    data = {k: v for k, v in raw.items() if k != "id"}
    if not data.get("currency"):
        data.pop("currency", None)  # "": the site's currency
    try:
        return checked(NewTicketInput, data)
    except ServiceError as exc:
        raise ServiceError(
            f"{path}.{exc.message}", code=exc.code, details={path: exc.details}
        ) from None


def _refuse_taken_ticket_ids(origins: list[uuid.UUID], event: Event | None) -> None:
    """Ticket uuids already used by another event's tickets are refused."""
    taken = Ticket.objects.filter(origin__in=origins)
    if event is not None:
        taken = taken.exclude(event=event)
    found = sorted(
        (str(origin), event_id) for origin, event_id in taken.values_list("origin", "event_id")
    )
    if found:
        raise Conflict(
            f"Ticket id {found[0][0]} is already used by a ticket of event {found[0][1]}.",
            code="ticket_id_taken",
            details={"tickets": dict(found)},
        )


def _event_result(event: Event, origins: list[uuid.UUID]) -> OpResult:
    """The event and the server's ids of the op's tickets (those that still exist)."""
    tickets = {
        str(origin): pk
        for origin, pk in Ticket.objects.filter(event=event, origin__in=origins)
        .order_by("pk")
        .values_list("origin", "pk")
    }
    return OpResult(APPLIED, extra={"event": event.pk, "tickets": tickets})


@push_handler(wire.EVENT_CREATE)
def event_create(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.EDIT_EVENTS, "create events")
    new = typed_payload(op, wire.EventCreate)
    origins = [t.id for t in new.tickets]
    existing = Event.objects.filter(origin=new.id).first()
    if existing is not None:
        return _event_result(existing, origins)  # sent again: the event it made
    if len(new.tickets) > MAX_TICKETS_PER_EVENT_OP:
        raise ServiceError(
            f"At most {MAX_TICKETS_PER_EVENT_OP} tickets per event; the op has {len(new.tickets)}.",
            code="too_many_tickets",
            details={"limit": MAX_TICKETS_PER_EVENT_OP},
        )
    if len(set(origins)) != len(origins):
        raise ServiceError("Two of the new tickets have the same id.", code="duplicate_tickets")
    fields = checked(
        EventInput,
        {k: v for k, v in op.payload.items() if k in EventInput._declared_fields and v is not None},
    )
    tickets = (
        [_ticket_values(raw, f"tickets[{i}]") for i, raw in enumerate(op.payload["tickets"] or ())]
        if new.tickets
        else []
    )
    seat_map = SeatMap.objects.filter(pk=fields.pop("seat_map")).first()
    if seat_map is None:
        raise ServiceError(
            f"There is no seat map {new.seat_map}.",
            code="invalid_reference",
            details={"field": "seat_map"},
        )
    _refuse_taken_ticket_ids(origins, None)

    def make() -> Event:
        event = create_event(
            actor=ctx.user,
            seat_map=seat_map,
            origin=new.id,
            audit={"copy_of": new.copy_of} if new.copy_of else None,
            **fields,
        )
        for origin, values in zip(origins, tickets, strict=True):
            create_ticket(actor=ctx.user, event=event, origin=origin, **values)
        return event

    return _event_result(once(lambda: Event.objects.filter(origin=new.id).first(), make), origins)


# -- ticket_create ------------------------------------------------------------------------


@push_handler(wire.TICKET_CREATE)
def ticket_create(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.EDIT_EVENTS, "create tickets")
    new = typed_payload(op, wire.TicketCreate)
    existing = Ticket.objects.filter(origin=new.ticket.id).first()
    if new.event_ref is not None:
        event = Event.objects.filter(origin=new.event_ref).first()
        if event is None:
            raise NotFound(
                f"No event was created by op {new.event_ref}; send its event_create first.",
                code="unknown_event_ref",
                details={"event_ref": str(new.event_ref)},
            )
    else:
        event = Event.objects.filter(pk=new.event).first() if 0 < new.event <= MAX_ID else None
        if event is None:
            raise NotFound(f"Event {new.event} no longer exists on the server.", code="not_found")
    if existing is not None:
        _refuse_taken_ticket_ids([new.ticket.id], event)
        return OpResult(APPLIED, extra={"ticket": existing.pk})
    values = _ticket_values(op.payload["ticket"], "ticket")
    ticket = once(
        lambda: Ticket.objects.filter(origin=new.ticket.id, event=event).first(),
        lambda: create_ticket(actor=ctx.user, event=event, origin=new.ticket.id, **values),
    )
    return OpResult(APPLIED, extra={"ticket": ticket.pk})


# -- ticket_remove ------------------------------------------------------------------------


@push_handler(wire.TICKET_REMOVE)
def ticket_remove(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.EDIT_EVENTS, "remove a ticket")
    target = typed_payload(op, wire.TicketRemove)
    ticket = Ticket.objects.filter(pk=target.id).first() if 0 < target.id <= MAX_ID else None
    if ticket is None:
        raise NotFound(f"Ticket {target.id} no longer exists on the server.", code="not_found")
    return OpResult(APPLIED, extra={"outcome": remove_ticket(actor=ctx.user, ticket=ticket)})
