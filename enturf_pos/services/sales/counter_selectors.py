"""What the cashier window reads from the local database: the programme with what is left
per ticket, an event ready to sell (seat map, statuses, tickets), this counter's
allocation. Plain dataclasses, never ORM rows; building a big seat map's layout happens
here, on the caller's (worker) thread.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from enturf_core.seating.layout import SeatMapLayout
from enturf_core.wire import feed
from enturf_pos.models import (
    Allocation,
    Area,
    Event,
    LocalSale,
    OutboxOp,
    OutboxState,
    Seat,
    SeatMap,
    SeatStatus,
    Ticket,
    Venue,
)
from enturf_pos.services import venue_time
from enturf_pos.services.session.device_service import this_device_id
from enturf_pos.services.session.pos_context import PosContext

SELLABLE_STATES = ("on_sale",)
LISTED_STATES = ("on_sale", "draft")  # drafts show as "not on sale yet"
LATE_SALES = timedelta(hours=6)  # an event stays in the programme this long after it starts


@dataclass(frozen=True, slots=True)
class TicketLeft:
    """A ticket in the programme, with the places left in what it sells."""

    ticket: feed.Ticket
    left: int
    pool: str = ""  # what the ticket sells: a seat category or a GA area's name

    @property
    def name(self) -> str:
        return self.ticket.name


@dataclass(frozen=True, slots=True)
class ProgrammeEvent:
    id: int
    name: str
    venue: str
    starts_at: datetime
    state: str
    tickets: tuple[TicketLeft, ...]


def _status_of(row: SeatStatus | None) -> tuple[dict[str, str], dict[str, int], int | None]:
    if row is None:
        return {}, {}, None
    return dict(row.seats or {}), {k: int(v) for k, v in (row.areas or {}).items()}, row.version


def programme(*, ctx: PosContext, now: datetime | None = None) -> list[ProgrammeEvent]:
    """Events on sale from a few hours ago on, soonest first, with places left per ticket
    (seat tickets: free seats of their category; GA tickets: places left in the area)."""
    since = (now or datetime.now(UTC)) - LATE_SALES
    out = []
    with ctx.db.transaction() as session:
        rows = session.execute(
            select(Event, Venue.name, Venue.timezone)
            .outerjoin(Venue, Venue.id == Event.venue_id)
            # an event created on this counter and not yet on the server (negative id) is
            # not sold until it is
            .where(Event.starts_at >= since, Event.state.in_(LISTED_STATES), Event.id > 0)
            .order_by(Event.starts_at, Event.id)
        ).all()
        by_map: dict[int, tuple[Counter[str], dict[str, str], dict[int, int]]] = {}
        for event, venue_name, venue_zone in rows:
            if event.seat_map_id not in by_map:
                seats = session.execute(
                    select(Seat.id, Seat.category).where(Seat.seat_map_id == event.seat_map_id)
                ).all()
                areas = session.execute(
                    select(Area.id, Area.capacity, Area.name).where(
                        Area.seat_map_id == event.seat_map_id
                    )
                ).all()
                by_map[event.seat_map_id] = (
                    Counter(c for _i, c in seats),
                    {str(i): c for i, c in seats},
                    {a.id: (a.capacity, a.name) for a in areas},
                )
            per_category, category_of, area_info = by_map[event.seat_map_id]
            statuses, areas_left, _v = _status_of(session.get(SeatStatus, event.id))
            # seats allocated to this counter are ours to sell: left until sold here
            ours = own_allocation(session, event.id).seat_ids
            taken = Counter(
                category_of.get(seat_id)
                for seat_id, status in statuses.items()
                if not (status == "allocated" and int(seat_id) in ours)
            )
            tickets = session.scalars(
                select(Ticket)
                .where(Ticket.event_id == event.id, Ticket.active.is_(True))
                .order_by(Ticket.position, Ticket.id)
            ).all()
            left = []
            for t in tickets:
                if t.area_id is not None:
                    capacity, pool = area_info.get(t.area_id, (0, f"Area {t.area_id}"))
                    n = areas_left.get(str(t.area_id), capacity)
                else:
                    n = per_category.get(t.category, 0) - taken.get(t.category, 0)
                    pool = (t.category or "seats").replace("_", " ").title()
                left.append(TicketLeft(t.info(), max(0, n), pool))
            out.append(
                ProgrammeEvent(
                    event.id,
                    event.name,
                    venue_name or "",
                    venue_time.at_venue(event.starts_at, venue_zone),
                    event.state,
                    tuple(left),
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class AreaOnSale:
    id: int
    name: str
    capacity: int
    remaining: int


@dataclass(frozen=True)
class OwnAllocation:
    """What this counter may sell offline for one event."""

    seat_ids: frozenset[int] = frozenset()
    areas_left: dict[int, int] = field(default_factory=dict)  # area id -> places left


@dataclass(frozen=True)
class EventForSale:
    id: int
    name: str
    venue: str
    starts_at: datetime
    state: str
    layout: SeatMapLayout
    tickets: tuple[feed.Ticket, ...]
    areas: tuple[AreaOnSale, ...]
    statuses: dict[int, str]  # seats that are not available
    version: int | None  # inventory version of `statuses` (for ?since=)
    allocation: OwnAllocation


def own_allocation(session, event_id: int) -> OwnAllocation:
    """This counter's allocation for the event: its seats, and GA places it may still
    sell (the quota less what it sold from it: the server's count or this counter's own,
    whichever is larger)."""
    device_id = this_device_id(session)
    if device_id is None:
        return OwnAllocation()
    rows = session.scalars(
        select(Allocation).where(Allocation.event_id == event_id, Allocation.device_id == device_id)
    ).all()
    seats: set[int] = set()
    quota: Counter[int] = Counter()
    server_sold: Counter[int] = Counter()
    for row in rows:
        seats.update(int(s) for s in (row.seats or {}).get("ids") or ())
        for area_id, quantity in (row.areas or {}).items():
            quota[int(area_id)] += int(quantity)
            server_sold[int(area_id)] += int((row.sold or {}).get(area_id, 0))
    if quota:
        # The server's `sold` catches up only with the next allocation change, so count
        # this counter's own GA sales too (all but refused ones) and take the larger:
        # never more than the quota, even if some of those sales used general places.
        local_sold: Counter[int] = Counter()
        payloads = session.scalars(
            select(LocalSale.payload)
            .outerjoin(OutboxOp, OutboxOp.id == LocalSale.op_id)
            .where(
                LocalSale.event_id == event_id,
                (OutboxOp.state.is_(None)) | (OutboxOp.state != OutboxState.REJECTED),
            )
        ).all()
        # Only the lines' areas, read from the JSON as it is: parsing each payload into
        # `CounterSale` (~27 us a sale) would cost a busy counter's thousands of sales
        # ~0.1 s on every event it opens; the payloads are this counter's own, which
        # `LocalSale.sale` parses strictly wherever a whole sale is read.
        for payload in payloads:
            for line in payload["lines"]:
                if line.get("area") is not None:
                    local_sold[int(line["area"])] += 1
        for area_id in quota:
            quota[area_id] -= max(server_sold[area_id], local_sold[area_id])
    return OwnAllocation(frozenset(seats), {a: max(0, n) for a, n in quota.items()})


def ticket_choices(session, event_id: int) -> tuple[feed.Ticket, ...]:
    tickets = session.scalars(
        select(Ticket)
        .where(Ticket.event_id == event_id, Ticket.active.is_(True))
        .order_by(Ticket.position, Ticket.id)
    ).all()
    return tuple(t.info() for t in tickets)


def event_for_sale(*, ctx: PosContext, event_id: int) -> EventForSale | None:
    """Everything the window needs to sell an event, from the local database."""
    with ctx.db.transaction() as session:
        event = session.get(Event, event_id)
        if event is None:
            return None
        venue = session.get(Venue, event.venue_id) if event.venue_id else None
        seat_map = session.get(SeatMap, event.seat_map_id)
        seats = session.execute(
            select(
                Seat.id,
                Seat.key,
                Seat.label,
                Seat.section,
                Seat.row,
                Seat.position,
                Seat.x,
                Seat.y,
                Seat.category,
                Seat.accessible,
                Seat.companion,
                Seat.obstructed,
            )
            .where(Seat.seat_map_id == event.seat_map_id)
            .order_by(Seat.id)
        ).all()
        areas = session.scalars(
            select(Area).where(Area.seat_map_id == event.seat_map_id).order_by(Area.id)
        ).all()
        statuses, areas_left, version = _status_of(session.get(SeatStatus, event_id))
        meta = {
            "id": event.seat_map_id,
            "name": seat_map.name if seat_map else "",
            "stage_x": seat_map.stage_x if seat_map else 0,
            "stage_y": seat_map.stage_y if seat_map else 0,
            "width": seat_map.width if seat_map else 0,
            "height": seat_map.height if seat_map else 0,
            "section_ranks": seat_map.section_ranks if seat_map else {},
            "areas": [
                {
                    "id": a.id,
                    "name": a.name,
                    "capacity": a.capacity,
                    "x": a.x,
                    "y": a.y,
                    "width": a.width,
                    "height": a.height,
                }
                for a in areas
            ],
        }
        layout = SeatMapLayout.from_seat_rows([dict(s._mapping) for s in seats], seat_map=meta)
        return EventForSale(
            id=event.id,
            name=event.name,
            venue=venue.name if venue else "",
            starts_at=venue_time.at_venue(event.starts_at, venue.timezone if venue else None),
            state=event.state,
            layout=layout,
            tickets=ticket_choices(session, event_id),
            areas=tuple(
                AreaOnSale(a.id, a.name, a.capacity, areas_left.get(str(a.id), a.capacity))
                for a in areas
            ),
            statuses={int(k): v for k, v in statuses.items()},
            version=version,
            allocation=own_allocation(session, event_id),
        )


@dataclass(frozen=True)
class EventState:
    """The parts of an open event that sync changes: statuses, GA places, allocation."""

    statuses: dict[int, str]
    areas_left: dict[int, int]
    version: int | None
    allocation: OwnAllocation


def event_state(*, ctx: PosContext, event_id: int) -> EventState:
    with ctx.db.transaction() as session:
        statuses, areas_left, version = _status_of(session.get(SeatStatus, event_id))
        return EventState(
            {int(k): v for k, v in statuses.items()},
            {int(k): v for k, v in areas_left.items()},
            version,
            own_allocation(session, event_id),
        )
