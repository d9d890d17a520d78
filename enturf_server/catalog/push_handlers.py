"""Push handlers for managers' offline edits: `event_update` and `ticket_update`.

Payload ``{"id": <event or ticket id>, "fields": {name: new value}}``, with the op's
``base`` ``{name: value the edit was based on}`` and ``base_version``. Values are in the
API's wire form (the catalog's update serializers parse them, so "12.5" and "12.50" are
the same price and times compare as instants). Changes go through the catalog services,
like an API PATCH; `sync.merge` decides what applies. `CatalogConfig.ready()` registers
the two ops with sync.

Results: ``applied`` with the entity's new ``version`` and ``applied`` (field names;
empty when the server already had every value); ``conflict`` with
``server: {version, fields: {name: server value}}`` for the conflicting fields, and
``applied`` listing the other fields of the same edit that did apply. Both need the right
`edit_events` (else ``rejected`` ``permission_denied``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from django.db import connection
from rest_framework import serializers

from enturf_core.staff_rights import Right
from enturf_core.wire import WireError
from enturf_core.wire import ops as wire
from enturf_server.accounts.models import SiteSettings
from enturf_server.accounts.rights import ensure_right
from enturf_server.api.errors import NotFound, ServiceError
from enturf_server.api.inputs import MAX_ID
from enturf_server.api.model_rows import RowReader, read_one
from enturf_server.catalog.models import Event, SeatMap, Ticket, Venue
from enturf_server.catalog.serializers import (
    EventOutput,
    EventUpdateInput,
    TicketOutput,
    TicketUpdateInput,
)
from enturf_server.catalog.services import update_event, update_ticket
from enturf_server.sync.merge import plan_merge
from enturf_server.sync.push_registry import (
    APPLIED,
    CONFLICT,
    OpResult,
    PushContext,
    PushOp,
    push_handler,
)

Edit = wire.EventUpdate | wire.TicketUpdate


def _edit(op: PushOp, cls: type[Edit], what: str) -> Edit:
    """The typed edit (`enturf_core.wire.ops`); an id may also come as digits in text."""
    raw = op.payload.get("id")
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        raise ServiceError(f"The op's payload needs the {what}'s id.", code="invalid_op")
    if not 0 < int(raw) <= MAX_ID:
        raise NotFound(f"There is no {what} {raw}.", code="not_found")
    try:
        return cls.from_wire({**op.payload, "id": int(raw)})
    except WireError as exc:
        raise ServiceError(
            f"The op's payload is not valid: {exc}.", code="invalid_op", details={"path": exc.path}
        ) from None


def _input(
    ctx: PushContext, input_class: type[serializers.Serializer], data: dict[str, Any]
) -> serializers.Serializer:
    """`input_class(data=data, partial=True)` with fields built once per push: building
    them (a deep copy of every declared field) cost more than validating the values."""
    fields = ctx.memo(("input_fields", input_class), lambda: input_class(partial=True).fields)
    serializer = input_class(data=data, partial=True)
    serializer.__dict__["fields"] = fields  # DRF's cached property, bound to an equal root
    return serializer


def _new_values(
    ctx: PushContext, input_class: type[serializers.Serializer], fields: Any
) -> tuple[dict[str, Any], Mapping[str, serializers.Field]]:
    """The parsed new values, and the input's fields (to parse the base values with)."""
    if not isinstance(fields, dict) or not fields:
        raise ServiceError(
            "The op's payload needs `fields` with the values to set.", code="invalid_op"
        )
    data = _input(ctx, input_class, fields)
    known = set(data.fields)
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ServiceError(
            f"These fields cannot be edited: {', '.join(unknown)}.",
            code="unknown_field",
            details={"fields": unknown, "editable": sorted(known)},
        )
    if not data.is_valid():
        raise ServiceError(
            "Some of the new values are not valid.",
            code="invalid",
            details={k: [str(m) for m in v] for k, v in data.errors.items()},
        )
    return dict(data.validated_data), data.fields


def _base_values(
    fields: Mapping[str, serializers.Field], base: Mapping[str, Any] | None
) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for name, value in (base or {}).items():
        if name not in fields:
            continue
        try:
            parsed[name] = None if value is None else fields[name].to_internal_value(value)
        except serializers.ValidationError:
            raise ServiceError(
                f"The base value of {name!r} is not valid.",
                code="invalid_base",
                details={"field": name},
            ) from None
    return parsed


def _merge_edit(
    *,
    op: PushOp,
    edit: Edit,
    ctx: PushContext,
    obj: Any,
    input_class: type[serializers.Serializer],
    current_of: Callable[[Any, str], Any],
    update: Callable[[dict[str, Any]], Any],
    output: Callable[[Any], Mapping[str, Any]],
) -> OpResult:
    new, fields = _new_values(ctx, input_class, edit.fields)
    base = _base_values(fields, op.base)
    plan = plan_merge(
        current={name: current_of(obj, name) for name in new},
        new=new,
        base=base,
        same_version=op.base_version is not None and op.base_version == obj.version,
    )
    if plan.apply:
        obj = update(plan.apply)
    applied = sorted(plan.apply)
    if plan.conflicts:
        shown = output(obj)
        return OpResult(
            CONFLICT,
            code="edit_conflict",
            reason=(
                f"{', '.join(sorted(plan.conflicts))} changed on the server too; "
                "the server's value was kept."
            ),
            server={
                "version": obj.version,
                "fields": {name: shown[name] for name in sorted(plan.conflicts)},
            },
            extra={"applied": applied},
        )
    return OpResult(APPLIED, extra={"version": obj.version, "applied": applied})


# The edited row is read as `select_for_update().select_related(...).get(pk=...)` would
# (every joined row locked on PostgreSQL), in hand-written SQL: compiling that query cost
# more than the rest of the op's statements together.


@cache
def _event_readers() -> tuple[RowReader, RowReader, RowReader]:
    return RowReader(Event, "e"), RowReader(SeatMap, "m"), RowReader(Venue, "v")


@cache
def _ticket_readers() -> tuple[RowReader, RowReader]:
    return RowReader(Ticket, "t"), RowReader(Event, "e")


def _locked_row(readers: Sequence[RowReader], joins: str, key: int) -> list[Any] | None:
    """One row of `readers`' models (the first `WHERE ... id = key`), locked for update."""
    return read_one(
        connection, readers, joins, f"{readers[0].alias}.id = %s", [key], for_update=True
    )


def _locked_event(event_id: int) -> Any:
    readers = _event_readers()
    event_t, map_t, venue_t = (reader.model._meta.db_table for reader in readers)
    found = _locked_row(
        readers,
        f"{event_t} e JOIN {map_t} m ON m.id = e.seat_map_id JOIN {venue_t} v ON v.id = m.venue_id",
        event_id,
    )
    if found is None:
        return None
    event, seat_map, venue = found
    seat_map.venue = venue
    event.seat_map = seat_map
    return event


def _locked_ticket(ticket_id: int) -> Any:
    readers = _ticket_readers()
    ticket_t, event_t = (reader.model._meta.db_table for reader in readers)
    found = _locked_row(readers, f"{ticket_t} t JOIN {event_t} e ON e.id = t.event_id", ticket_id)
    if found is None:
        return None
    ticket, event = found
    ticket.event = event
    return ticket


@push_handler(wire.EVENT_UPDATE)
def event_update(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.EDIT_EVENTS, "change events")
    edit = _edit(op, wire.EventUpdate, "event")
    event = _locked_event(edit.id)
    if event is None:
        raise NotFound(f"Event {edit.id} no longer exists on the server.", code="not_found")
    return _merge_edit(
        op=op,
        edit=edit,
        ctx=ctx,
        obj=event,
        input_class=EventUpdateInput,
        current_of=getattr,
        update=lambda fields: update_event(actor=ctx.user, event=event, locked=True, **fields),
        output=lambda obj: EventOutput(obj).data,
    )


def _ticket_value(ticket: Any, name: str) -> Any:
    return ticket.area_id if name == "area" else getattr(ticket, name)


@push_handler(wire.TICKET_UPDATE)
def ticket_update(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.EDIT_EVENTS, "change tickets")
    edit = _edit(op, wire.TicketUpdate, "ticket")
    ticket = _locked_ticket(edit.id)
    if ticket is None:
        raise NotFound(f"Ticket {edit.id} no longer exists on the server.", code="not_found")
    return _merge_edit(
        op=op,
        edit=edit,
        ctx=ctx,
        obj=ticket,
        input_class=TicketUpdateInput,
        current_of=_ticket_value,
        update=lambda fields: update_ticket(
            actor=ctx.user,
            ticket=ticket,
            locked=True,
            site_currency=ctx.memo("currency", lambda: SiteSettings.load().currency),
            **fields,
        ),
        output=lambda obj: TicketOutput(obj).data,
    )
