"""What a booking lookup answers: plain, frozen records of bookings, their lines,
payments and refunds, with the catalog names this counter shows for them.

Read from the server's answers (`booking_lookup`) or from this counter's own sales
(`local_bookings`); the records do not say which beyond ``BookingSummary.source``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.money import Money
from enturf_pos.models import Area, Event, Seat, Ticket

# Where a booking was read from.
SERVER = "server"
LOCAL = "local"  # this counter's database (offline, or not sent yet)


@dataclass(frozen=True, slots=True)
class BookingLine:
    id: uuid.UUID
    event_id: int
    event_name: str
    ticket_id: int
    ticket_name: str
    place: str  # "Stalls · Row A · Seat 3" or the standing area's name
    price: Money
    state: str  # valid, refunded, cancelled...
    seat_id: int | None = None
    area_id: int | None = None

    @property
    def refundable(self) -> bool:
        return self.state == "valid"


@dataclass(frozen=True, slots=True)
class BookingPayment:
    id: uuid.UUID
    method: str  # cash, card
    amount: Money
    state: str
    refunded: Money
    card_brand: str = ""
    card_last4: str = ""

    @property
    def label(self) -> str:
        if self.method == "card":
            brand = self.card_brand.title() if self.card_brand else "Card"
            return f"{brand} ending {self.card_last4}" if self.card_last4 else brand
        return "Cash"


@dataclass(frozen=True, slots=True)
class BookingRefund:
    id: uuid.UUID
    amount: Money
    method: str  # cash, card, mixed, none
    state: str  # pending, succeeded, failed
    created_at: datetime | None
    lines: tuple[uuid.UUID, ...]
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BookingSummary:
    """One row of the results list."""

    id: uuid.UUID
    code: str
    buyer_name: str
    buyer_email: str
    event_name: str
    state: str
    total: Money
    tickets: int
    created_at: datetime | None
    source: str  # SERVER or LOCAL
    pending_push: bool = False  # a local sale the server does not have yet


@dataclass(frozen=True, slots=True)
class BookingDetail:
    summary: BookingSummary
    lines: tuple[BookingLine, ...]
    payments: tuple[BookingPayment, ...]
    refunds: tuple[BookingRefund, ...]
    local_sale: bool  # sold at this counter: the receipt and tickets can be reprinted

    @property
    def id(self) -> uuid.UUID:
        return self.summary.id

    @property
    def code(self) -> str:
        return self.summary.code

    @property
    def state(self) -> str:
        return self.summary.state

    @property
    def has_refundable_lines(self) -> bool:
        """Paid, with tickets not refunded yet (whatever the source says)."""
        return self.state in ("paid", "partially_refunded") and any(
            line.refundable for line in self.lines
        )

    @property
    def refundable(self) -> bool:
        """Refundable now: read from the server (refunds need it)."""
        return self.summary.source == SERVER and self.has_refundable_lines

    @property
    def cancellable(self) -> bool:
        return self.summary.source == SERVER and self.state == "pending"


@dataclass(frozen=True, slots=True)
class SearchResult:
    ok: bool
    message: str
    bookings: tuple[BookingSummary, ...] = ()
    online: bool = False


@dataclass(frozen=True, slots=True)
class DetailResult:
    ok: bool
    message: str
    booking: BookingDetail | None = None


@dataclass
class CatalogNames:
    """Catalog names from this counter's database, read once per request."""

    events: dict[int, str] = field(default_factory=dict)
    tickets: dict[int, str] = field(default_factory=dict)
    seats: dict[int, str] = field(default_factory=dict)
    areas: dict[int, str] = field(default_factory=dict)

    def event(self, event_id: int | None) -> str:
        if event_id is None:
            return ""
        return self.events.get(event_id, f"Event {event_id}")

    def ticket(self, ticket_id: int) -> str:
        return self.tickets.get(ticket_id, f"Ticket {ticket_id}")

    def place(self, seat_id: int | None, area_id: int | None) -> str:
        if seat_id is not None:
            return self.seats.get(seat_id, f"Seat {seat_id}")
        if area_id is not None:
            return self.areas.get(area_id, f"Area {area_id}")
        return ""


def in_map_order(lines: Iterable[BookingLine]) -> tuple[BookingLine, ...]:
    """Seats in map order (their ids follow the layout), then standing places."""
    return tuple(
        sorted(lines, key=lambda ln: (ln.seat_id is None, ln.seat_id or 0, ln.area_id or 0))
    )


def catalog_names(
    session: Session,
    *,
    events: Iterable[int] = (),
    tickets: Iterable[int] = (),
    seats: Iterable[int] = (),
    areas: Iterable[int] = (),
) -> CatalogNames:
    names = CatalogNames()
    if event_ids := {e for e in events if e is not None}:
        names.events = dict(
            session.execute(select(Event.id, Event.name).where(Event.id.in_(event_ids))).all()
        )
    if ticket_ids := {t for t in tickets if t is not None}:
        names.tickets = dict(
            session.execute(select(Ticket.id, Ticket.name).where(Ticket.id.in_(ticket_ids))).all()
        )
    if seat_ids := {s for s in seats if s is not None}:
        rows = session.execute(
            select(Seat.id, Seat.section, Seat.row, Seat.label).where(Seat.id.in_(seat_ids))
        )
        for seat_id, section, row, label in rows:
            parts = [p for p in (section, f"Row {row}" if row else "", f"Seat {label}") if p]
            names.seats[seat_id] = " · ".join(parts)
    if area_ids := {a for a in areas if a is not None}:
        names.areas = dict(
            session.execute(select(Area.id, Area.name).where(Area.id.in_(area_ids))).all()
        )
    return names


def money_of(value: Any, currency: str) -> Money:
    """An amount as the API or a local payload gives it (missing: zero)."""
    return Money(Decimal(str(value if value not in (None, "") else "0")), currency)


def uuid_of(value: Any) -> uuid.UUID:
    """An id as the API (text) or the local database (UUID) gives it."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def payment_from_api(data: Mapping[str, Any], currency: str) -> BookingPayment:
    card = data.get("card") if isinstance(data.get("card"), Mapping) else {}
    cur = str(data.get("currency") or currency)
    return BookingPayment(
        id=uuid_of(data["id"]),
        method=str(data.get("method") or "cash"),
        amount=money_of(data.get("amount"), cur),
        state=str(data.get("state") or "succeeded"),
        refunded=money_of(data.get("refunded_amount"), cur),
        card_brand=str(data.get("card_brand") or card.get("brand") or ""),
        card_last4=str(data.get("card_last4") or card.get("last4") or ""),
    )
