"""Tickets (prices) of an event: each sells one seat category or one GA area."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, Literal

from django.db import connection

from enturf_core.wire import feed
from enturf_core.wording import noun
from enturf_server.accounts.models import SiteSettings
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.api.model_rows import update_row
from enturf_server.audit.services import record
from enturf_server.catalog import uses
from enturf_server.catalog.models import Area, Event, EventState, Seat, Ticket
from enturf_server.catalog.serializers import TicketOutput
from enturf_server.sync import changes

EDITABLE_FIELDS = {
    "name",
    "price",
    "currency",
    "tax_rate",
    "category",
    "area",
    "max_per_booking",
    "position",
    "active",
}


def emit_ticket(ticket: Ticket, *, op: str = feed.UPSERT) -> None:
    data = TicketOutput(ticket).data if op == feed.UPSERT else {}
    version = ticket.version + 1 if op == feed.DELETE else ticket.version
    changes.emit(feed.TICKET, ticket.pk, version=version, data=data, op=op)


def _area_of(event: Event, area: Area | int | None) -> Area | None:
    if area is None:
        return None
    area_id = area.pk if isinstance(area, Area) else area
    found = Area.objects.filter(pk=area_id, seat_map_id=event.seat_map_id).first()
    if found is None:
        raise ServiceError(
            f"Area {area_id} is not a standing area of this event's seat map.",
            code="invalid_area",
            details={"field": "area"},
        )
    return found


def _check(
    event: Event,
    values: dict[str, Any],
    *,
    category_known: bool = False,
    site_currency: str | None = None,
) -> None:
    if event.state == EventState.CANCELLED:
        raise Conflict("The event is cancelled; its tickets cannot change.", code="event_cancelled")
    category, area = values.get("category") or "", values.get("area")
    if bool(category) == (area is not None):
        raise ServiceError(
            "A ticket sells either a seat category or a standing area: give exactly one.",
            code="invalid_ticket_target",
            details={"field": "category"},
        )
    if (
        category
        and not category_known
        and not Seat.objects.filter(seat_map_id=event.seat_map_id, category=category).exists()
    ):
        known = sorted(
            set(
                Seat.objects.filter(seat_map_id=event.seat_map_id)
                .values_list("category", flat=True)
                .distinct()
            )
        )
        raise ServiceError(
            f"The seat map has no seats of category {category!r}; "
            f"its categories are: {', '.join(known) or 'none'}.",
            code="invalid_category",
            details={"field": "category", "categories": known},
        )
    price = values["price"]
    if not isinstance(price, Decimal) or price < 0:
        raise ServiceError(
            "The price must be a decimal amount of 0 or more.", details={"field": "price"}
        )
    tax_rate = values["tax_rate"]
    if not isinstance(tax_rate, Decimal) or not Decimal(0) <= tax_rate <= Decimal(100):
        raise ServiceError(
            "The tax rate is a percentage from 0 to 100.", details={"field": "tax_rate"}
        )
    currency = site_currency or SiteSettings.load().currency
    if values["currency"] != currency:
        raise ServiceError(
            f"Prices are in {currency} (the site's currency), not {values['currency']}.",
            code="invalid_currency",
            details={"field": "currency"},
        )


def create_ticket(
    *,
    actor,
    event: Event,
    name: str,
    price: Decimal,
    tax_rate: Decimal = Decimal("0"),
    currency: str | None = None,
    category: str = "",
    area: Area | int | None = None,
    max_per_booking: int | None = None,
    position: int | None = None,
    active: bool = True,
    origin: uuid.UUID | None = None,
) -> Ticket:
    """A new ticket of `event`; `origin` is the counter's id of it (a push op's, unique)."""
    currency = (currency or SiteSettings.load().currency).upper()
    area_obj = _area_of(event, area)
    values = {
        "name": name,
        "price": price,
        "tax_rate": tax_rate,
        "currency": currency,
        "category": category or "",
        "area": area_obj,
        "max_per_booking": max_per_booking,
        "active": active,
    }
    with changes.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check(event, values)
        if position is None:
            position = event.tickets.count()
        ticket = Ticket.objects.create(event=event, position=position, origin=origin, **values)
        emit_ticket(ticket)
        record(
            actor=actor,
            action="ticket.create",
            obj=ticket,
            details={"event": event.pk, "name": name, "price": str(price)},
        )
    return ticket


def update_ticket(
    *,
    actor,
    ticket: Ticket,
    locked: bool = False,
    site_currency: str | None = None,
    **fields: Any,
) -> Ticket:
    """Edit a ticket's fields; bumps `version`.

    `locked`: `ticket` (with its event) was read `select_for_update` in the caller's
    transaction and is used as is. `site_currency`: the caller read the site settings.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ServiceError(
            f"Unknown ticket {noun(len(unknown), 'field')}: {', '.join(sorted(unknown))}."
        )
    if fields.get("currency"):
        fields["currency"] = fields["currency"].upper()
    with changes.atomic():
        if not locked:
            ticket = Ticket.objects.select_for_update().select_related("event").get(pk=ticket.pk)
        if "area" in fields:
            fields["area"] = _area_of(ticket.event, fields["area"])
            if fields["area"] is not None and "category" not in fields:
                fields["category"] = ""  # switching a ticket from a category to an area
        elif fields.get("category"):
            fields["area"] = None  # and from an area to a category
        merged = {
            k: fields.get(k, getattr(ticket, k))
            for k in ("name", "price", "tax_rate", "currency", "category", "area")
        }
        # a category already stored was checked then, and a used seat map never changes
        _check(
            ticket.event,
            merged,
            category_known=merged["category"] == ticket.category,
            site_currency=site_currency,
        )
        changed = sorted(k for k, v in fields.items() if getattr(ticket, k) != v)
        if not changed:
            return ticket
        # what a sale made before this edit was priced at (`sales.pricing.tickets_as_at`)
        before = {k: str(getattr(ticket, k)) for k in changed if k in ("price", "tax_rate")}
        for k in changed:
            setattr(ticket, k, fields[k])
        ticket.version += 1
        # = ticket.save(update_fields=...) without its query compilation (push: 1,000 edits)
        update_row(ticket, [*changed, "version", "updated_at"], connection)
        emit_ticket(ticket)
        record(
            actor=actor,
            action="ticket.update",
            obj=ticket,
            details={
                "fields": changed,
                **({"price": str(ticket.price)} if "price" in changed else {}),
                **({"before": before} if before else {}),
            },
        )
    return ticket


def delete_ticket(*, actor, ticket: Ticket) -> None:
    with changes.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        uses.refuse_ticket_delete(ticket)  # sales: a sold ticket is deactivated instead
        record(
            actor=actor,
            action="ticket.delete",
            obj=ticket,
            details={"event": ticket.event_id, "name": ticket.name},
        )
        emit_ticket(ticket, op=feed.DELETE)
        ticket.delete()


def remove_ticket(*, actor, ticket: Ticket) -> Literal["deleted", "retired"]:
    """Delete a ticket no booking line ever used; retire one that was sold (no longer on
    sale: `active` false, kept for the bookings, invoices and reports that name it)."""
    with changes.atomic():
        ticket = Ticket.objects.select_for_update().select_related("event").get(pk=ticket.pk)
        if uses.may_delete_ticket(ticket):
            delete_ticket(actor=actor, ticket=ticket)
            return "deleted"
        if ticket.active:
            update_ticket(actor=actor, ticket=ticket, locked=True, active=False)
        return "retired"
