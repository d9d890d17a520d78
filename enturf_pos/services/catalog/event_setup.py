"""A manager creates events and tickets on this counter, online or offline.

A new event is written here at once with a temporary negative id (its `origin` is its
`event_create` op's id, which is also the op's `id` in the payload), its tickets too,
so it shows in the events list, marked as not yet on the server, and takes more
tickets (`ticket_create` naming it by `event_ref`). When the server answers, the
temporary ids become the server's (`services/sync/setup_results.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.wire import ops as wire
from enturf_pos.models import (
    Area,
    Event,
    OutboxOp,
    OutboxState,
    Seat,
    SeatMap,
    SiteSettings,
    Ticket,
)
from enturf_pos.services import venue_time
from enturf_pos.services.catalog import pending_creates
from enturf_pos.services.catalog.event_edits import EVENT_STATES
from enturf_pos.services.catalog.local_edits import CreatedResult, EditResult
from enturf_pos.services.catalog.ticket_edits import NAME_MAX, PRICE_MAX, parse_amount
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import outbox_service

EVENT_NAME_MAX = 200
QUEUED = "Saved on this counter; it will be sent to the server."


@dataclass(frozen=True, slots=True)
class TicketDraft:
    """A ticket to create: it sells seats of `category` or places in `area_id`."""

    name: str
    price: Decimal
    tax_rate: Decimal
    category: str = ""
    area_id: int | None = None
    max_per_booking: int | None = None


@dataclass(frozen=True, slots=True)
class AreaRow:
    id: int
    name: str
    capacity: int


def _site_currency(session: Session) -> str:
    settings = session.get(SiteSettings, 1)
    return str((settings.data or {}).get("currency") or "EUR") if settings else "EUR"


def _map_categories(session: Session, seat_map: SeatMap) -> list[str]:
    drawn = [str(c.get("name")) for c in (seat_map.drawing or {}).get("categories") or []]
    used = session.scalars(
        select(Seat.category).where(Seat.seat_map_id == seat_map.id).distinct()
    ).all()
    return list(dict.fromkeys([*drawn, *sorted(c for c in used if c)]))


def _ticket_problem(session: Session, seat_map: SeatMap, t: TicketDraft) -> str | None:
    name = str(t.name).strip()
    if not name:
        return "A ticket needs a name."
    if len(name) > NAME_MAX:
        return f"A ticket's name has at most {NAME_MAX} characters."
    if bool(t.category) == (t.area_id is not None):
        return f"Ticket “{name}”: choose either a seat category or a standing area."
    if t.category and t.category not in _map_categories(session, seat_map):
        return f"Ticket “{name}”: the seat map has no category “{t.category}”."
    if t.area_id is not None:
        area = session.get(Area, t.area_id)
        if area is None or area.seat_map_id != seat_map.id:
            return f"Ticket “{name}”: that standing area is not on this event's seat map."
    if t.max_per_booking is not None and t.max_per_booking < 1:
        return f"Ticket “{name}”: the limit per booking is at least 1 (or none)."
    return None


def _clean_ticket(t: TicketDraft) -> TicketDraft:
    """Amounts as typed ("12,50") parsed; ValueError with what to fix."""
    price = parse_amount(t.price, f"The price of “{t.name}”")
    tax = parse_amount(t.tax_rate, f"The tax rate of “{t.name}”")
    if not Decimal(0) <= price <= PRICE_MAX:
        raise ValueError(f"The price of “{t.name}” cannot be negative.")
    if not Decimal(0) <= tax <= Decimal(100):
        raise ValueError(f"The tax rate of “{t.name}” is a percentage from 0 to 100.")
    return TicketDraft(
        str(t.name).strip(), price, tax, t.category or "", t.area_id, t.max_per_booking
    )


def _new_ticket(t: TicketDraft) -> wire.NewTicket:
    return wire.NewTicket(
        id=uuid.uuid4(),
        name=t.name,
        price=t.price,
        tax_rate=t.tax_rate,
        category=t.category,
        area=t.area_id,
        max_per_booking=t.max_per_booking,
    )


def _ticket_row(
    session: Session, event_id: int, new: wire.NewTicket, position: int, currency: str
) -> Ticket:
    row = Ticket(
        id=pending_creates.temporary_id(session, Ticket),
        event_id=event_id,
        name=new.name,
        price=new.price,
        currency=currency,
        tax_rate=new.tax_rate,
        category=new.category,
        area_id=new.area,
        max_per_booking=new.max_per_booking,
        position=position,
        active=True,
        origin=new.id,
        version=0,
    )
    session.add(row)
    session.flush()
    return row


def _times_problem(starts_at: Any, **others: datetime | None) -> str | None:
    if not (isinstance(starts_at, datetime) and starts_at.tzinfo):
        return "An event needs a start date and time."
    for name, value in others.items():
        if value is not None and not (isinstance(value, datetime) and value.tzinfo):
            return f"{name.replace('_', ' ').capitalize()} must be a date and time."
    if others.get("ends_at") is not None and others["ends_at"] <= starts_at:
        return "The event must end after it starts."
    start, end = others.get("sales_start"), others.get("sales_end")
    if start is not None and end is not None and end <= start:
        return "Sales must end after they start."
    return None


def _queue_event(
    session: Session,
    seat_map: SeatMap,
    *,
    name: str,
    starts_at: datetime,
    ends_at: datetime | None,
    sales_start: datetime | None,
    sales_end: datetime | None,
    state: str,
    description: str,
    tickets: Sequence[TicketDraft],
    copy_of: int | None = None,
) -> int:
    """Write the event and its tickets here and queue their `event_create`; its id."""
    op_id = uuid.uuid4()
    event = Event(
        id=pending_creates.temporary_id(session, Event),
        seat_map_id=seat_map.id,
        venue_id=seat_map.venue_id,
        name=name,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        sales_start=sales_start,
        sales_end=sales_end,
        state=state,
        origin=op_id,
        version=0,
    )
    session.add(event)
    session.flush()
    currency = _site_currency(session)
    new_tickets = [_new_ticket(t) for t in tickets]
    for position, new in enumerate(new_tickets):
        _ticket_row(session, event.id, new, position, currency)
    payload = wire.EventCreate(
        id=op_id,
        seat_map=seat_map.id,
        name=name,
        starts_at=starts_at,
        tickets=tuple(new_tickets),
        description=description,
        ends_at=ends_at,
        sales_start=sales_start,
        sales_end=sales_end,
        state=state,
        copy_of=copy_of,
    )
    outbox_service.enqueue(session, type=wire.EVENT_CREATE, payload=payload.to_wire(), op_id=op_id)
    return event.id


def create_event(
    *,
    ctx: PosContext,
    seat_map_id: int,
    name: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    sales_start: datetime | None = None,
    sales_end: datetime | None = None,
    state: str = "draft",
    description: str = "",
    tickets: Sequence[TicketDraft] = (),
) -> EditResult:
    """A new event of a synced seat-map version, with its tickets; `new_id` is its
    temporary (negative) id until the server has it."""
    name = str(name).strip()
    if not name:
        return EditResult(False, "An event needs a name.")
    if len(name) > EVENT_NAME_MAX:
        return EditResult(False, f"An event's name has at most {EVENT_NAME_MAX} characters.")
    if state not in EVENT_STATES:
        return EditResult(False, f"Unknown state {state!r}: one of {', '.join(EVENT_STATES)}.")
    if problem := _times_problem(
        starts_at, ends_at=ends_at, sales_start=sales_start, sales_end=sales_end
    ):
        return EditResult(False, problem)
    try:
        cleaned = [_clean_ticket(t) for t in tickets]
    except ValueError as exc:
        return EditResult(False, str(exc))
    with ctx.db.transaction() as session:
        seat_map = session.get(SeatMap, seat_map_id)
        if seat_map is None:
            return EditResult(False, "Choose a seat map this counter has synced.")
        for t in cleaned:
            if problem := _ticket_problem(session, seat_map, t):
                return EditResult(False, problem)
        event_id = _queue_event(
            session,
            seat_map,
            name=name,
            starts_at=starts_at,
            ends_at=ends_at,
            sales_start=sales_start,
            sales_end=sales_end,
            state=state,
            description=str(description),
            tickets=cleaned,
        )
    return CreatedResult(True, QUEUED, new_id=event_id, new_ids=(event_id,))


def _shifted(value: datetime | None, by: timedelta) -> datetime | None:
    return None if value is None else value + by


def duplicate_event(
    *, ctx: PosContext, event_id: int, starts: Sequence[datetime], state: str = "draft"
) -> EditResult:
    """Copies of an event, one per start time (a series: `weekly_dates`), with its
    active tickets; ends and the sales window move with the start. One `event_create`
    each, `copy_of` naming the original (when the server has it)."""
    if not starts:
        return EditResult(False, "Choose at least one date for the copy.")
    if any(not (isinstance(s, datetime) and s.tzinfo) for s in starts):
        return EditResult(False, "Each copy needs a start date and time.")
    if state not in EVENT_STATES:
        return EditResult(False, f"Unknown state {state!r}.")
    with ctx.db.transaction() as session:
        source = session.get(Event, event_id)
        if source is None:
            return EditResult(False, "This event is no longer on this counter.")
        seat_map = session.get(SeatMap, source.seat_map_id)
        if seat_map is None:
            return EditResult(False, "This event's seat map is not on this counter.")
        tickets = [
            TicketDraft(t.name, t.price, t.tax_rate, t.category, t.area_id, t.max_per_booking)
            for t in session.scalars(
                select(Ticket)
                .where(Ticket.event_id == event_id, Ticket.active.is_(True))
                .order_by(Ticket.position, Ticket.id)
            )
        ]
        ids = []
        for start in starts:
            by = start - source.starts_at
            ids.append(
                _queue_event(
                    session,
                    seat_map,
                    name=source.name,
                    starts_at=start,
                    ends_at=_shifted(source.ends_at, by),
                    sales_start=_shifted(source.sales_start, by),
                    sales_end=_shifted(source.sales_end, by),
                    state=state,
                    description=source.description,
                    tickets=tickets,
                    copy_of=source.id if source.id > 0 else None,
                )
            )
    copies = "1 copy" if len(ids) == 1 else f"{len(ids)} copies"
    return CreatedResult(
        True, f"{copies} saved on this counter; sent at the next sync.", ids[0], tuple(ids)
    )


def weekly_dates(first: datetime, weeks: int) -> list[datetime]:
    """`weeks` start times a week apart from `first`, at the same wall-clock time in the
    venue's zone (`first`'s own zone if it has a named one), across DST changes."""
    zone = first.tzinfo if isinstance(first.tzinfo, ZoneInfo) else venue_time.current_zone()
    wall = first.astimezone(zone).replace(tzinfo=None)
    return [(wall + timedelta(weeks=i)).replace(tzinfo=zone) for i in range(max(weeks, 0))]


def create_ticket(*, ctx: PosContext, event_id: int, ticket: TicketDraft) -> EditResult:
    """A new ticket of an event: of a synced one (`ticket_create` with `event`) or of one
    created here and not yet on the server (`event_ref`)."""
    try:
        cleaned = _clean_ticket(ticket)
    except ValueError as exc:
        return EditResult(False, str(exc))
    with ctx.db.transaction() as session:
        event = session.get(Event, event_id)
        if event is None:
            return EditResult(False, "This event is no longer on this counter.")
        seat_map = session.get(SeatMap, event.seat_map_id)
        if seat_map is None:
            return EditResult(False, "This event's seat map is not on this counter.")
        if problem := _ticket_problem(session, seat_map, cleaned):
            return EditResult(False, problem)
        if event.id < 0 and event.origin is None:
            return EditResult(False, "This event cannot take tickets here.")
        last = session.scalar(
            select(Ticket.position)
            .where(Ticket.event_id == event_id)
            .order_by(Ticket.position.desc())
            .limit(1)
        )
        new = _new_ticket(cleaned)
        row = _ticket_row(
            session,
            event_id,
            new,
            (last or 0) + 1 if last is not None else 0,
            _site_currency(session),
        )
        op = (
            wire.TicketCreate(ticket=new, event=event.id)
            if event.id > 0
            else wire.TicketCreate(ticket=new, event_ref=event.origin)
        )
        outbox_service.enqueue(session, type=wire.TICKET_CREATE, payload=op.to_wire())
        new_id = row.id
    return CreatedResult(True, QUEUED, new_id=new_id, new_ids=(new_id,))


def remove_ticket(*, ctx: PosContext, ticket_id: int) -> EditResult:
    """Remove a ticket: the server deletes it if nothing was sold with it, otherwise
    retires it. Here it stops selling at once (inactive) until the server says which.
    A ticket not yet on the server simply goes (its creating op is changed)."""
    with ctx.db.transaction() as session:
        row = session.get(Ticket, ticket_id)
        if row is None:
            return EditResult(False, "This ticket is no longer on this counter.")
        if row.id < 0:
            if not pending_creates.amend(session, row, {"active": False}):
                return EditResult(False, pending_creates.NOT_SENT_YET)
            session.delete(row)
            return EditResult(True, "Removed (it had not reached the server).")
        if not row.active and _removal_pending(session, ticket_id):
            return EditResult(True, "Already being removed.")
        row.active = False
        outbox_service.enqueue(
            session,
            type=wire.TICKET_REMOVE,
            payload=wire.TicketRemove(id=ticket_id).to_wire(),
            base_version=row.version,
        )
    return EditResult(True, "It stops selling now; the server deletes or retires it.")


def _removal_pending(session: Session, ticket_id: int) -> bool:
    return any(
        op.payload.get("id") == ticket_id
        for op in session.scalars(
            select(OutboxOp).where(
                OutboxOp.type == wire.TICKET_REMOVE, OutboxOp.state == OutboxState.PENDING
            )
        )
    )


def sellables(*, ctx: PosContext, event_id: int) -> tuple[list[str], list[AreaRow]]:
    """What tickets of the event can sell: its seat map's categories and standing areas."""
    with ctx.db.transaction() as session:
        event = session.get(Event, event_id)
        return _sellables(session, event.seat_map_id if event is not None else None)


def map_sellables(*, ctx: PosContext, seat_map_id: int) -> tuple[list[str], list[AreaRow]]:
    """What tickets of a seat-map version can sell, before any event of it exists (the
    manager's new-event dialog)."""
    with ctx.db.transaction() as session:
        return _sellables(session, seat_map_id)


def _sellables(session: Session, seat_map_id: int | None) -> tuple[list[str], list[AreaRow]]:
    seat_map = session.get(SeatMap, seat_map_id) if seat_map_id is not None else None
    if seat_map is None:
        return [], []
    areas = [
        AreaRow(a.id, a.name, a.capacity)
        for a in session.scalars(
            select(Area).where(Area.seat_map_id == seat_map.id).order_by(Area.id)
        )
    ]
    return _map_categories(session, seat_map), areas
