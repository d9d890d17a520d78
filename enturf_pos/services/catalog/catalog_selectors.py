"""Read-only views of the local catalog for windows: plain dataclasses, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from enturf_core.wire import feed
from enturf_pos.models import Event, SeatStatus, Ticket, Venue
from enturf_pos.services import venue_time
from enturf_pos.services.session.pos_context import PosContext


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    name: str
    venue: str
    starts_at: datetime
    state: str
    sold_or_held: int
    version: int
    on_server: bool = True  # False: created on this counter, not yet sent (temporary id)


@dataclass(frozen=True, slots=True)
class TicketRow:
    """A row of the manager's ticket list: a ticket and what it sells, in words."""

    ticket: feed.Ticket

    @property
    def id(self) -> int:
        return self.ticket.id

    @property
    def sells(self) -> str:
        """The seat category, or "area <id>" for places in a GA area."""
        t = self.ticket
        return t.category or (f"area {t.area}" if t.area else "")


# statuses of seats a customer has (sold) or is buying (held); allocated and blocked
# seats are not taken: they are set aside by the venue
TAKEN = frozenset({"sold", "held"})


def _taken(seats: dict[str, str] | None) -> int:
    return sum(1 for status in (seats or {}).values() if status in TAKEN)


def _event_rows(ctx: PosContext, *, since: datetime | None) -> list[EventRow]:
    query = (
        select(Event, Venue.name, Venue.timezone, SeatStatus.seats)
        .outerjoin(Venue, Venue.id == Event.venue_id)
        .outerjoin(SeatStatus, SeatStatus.event_id == Event.id)
        .order_by(Event.starts_at, Event.id)
    )
    if since is not None:
        query = query.where(Event.starts_at >= since)
    with ctx.db.transaction() as session:
        return [
            EventRow(
                id=event.id,
                name=event.name,
                venue=venue_name or "",
                starts_at=venue_time.at_venue(event.starts_at, venue_zone),
                state=event.state,
                sold_or_held=_taken(seats),
                version=event.version,
                on_server=event.id > 0,
            )
            for event, venue_name, venue_zone, seats in session.execute(query)
        ]


def upcoming_events(*, ctx: PosContext, now: datetime | None = None) -> list[EventRow]:
    """Events on sale or announced that start from a few hours ago (late sales) onwards."""
    since = (now or datetime.now(UTC)) - timedelta(hours=6)
    return [row for row in _event_rows(ctx, since=since) if row.state in ("on_sale", "draft")]


def all_events(*, ctx: PosContext) -> list[EventRow]:
    return _event_rows(ctx, since=None)


def tickets_of(*, ctx: PosContext, event_id: int) -> list[TicketRow]:
    query = select(Ticket).where(Ticket.event_id == event_id).order_by(Ticket.position, Ticket.id)
    with ctx.db.transaction() as session:
        return [TicketRow(t.info()) for t in session.scalars(query)]
