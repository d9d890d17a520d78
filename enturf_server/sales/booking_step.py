"""The one booking step: lock -> re-check -> price -> insert -> mark sold.

Both ways of booking seats and GA places run it inside their own transaction: the online
booking (`sales.services.create_booking`, customers and staff through the API) and the
counter sale (`record_counter_sale`, a sale a counter recorded and pushes). What differs
between them is said, not copied:

* an :class:`Order` is what to book: the places (one a line: a seat, or one place in a GA
  area, each at its ticket), the caller's hold and how much of it the order must book
  (online: the hold exactly, or the hold as it is when no lines are given; at the
  counter: any part of it, the rest goes back on sale), and the counter device whose
  allocated seats and GA quota are free for it;
* its :class:`Terms` re-check what the locks may have changed (the counter: its sale
  recorded meanwhile by a concurrent push), word the refusal of places that are not free,
  price the rows (online: the server's prices, never a client's; at the counter: the
  prices it recorded, a difference from the server's flagged) and insert them (with
  billing's record of the pricing: this module sits below billing and never imports it).

The locking protocol is :mod:`sales.inventory`'s: the rows are locked in primary-key order
by :meth:`InventoryLock.acquire` and written, with the event's new inventory version, by
:meth:`InventoryLock.write`.
"""

from __future__ import annotations

import secrets
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from enturf_server.accounts.models import Device, User
from enturf_server.api.errors import ServiceError
from enturf_server.catalog.models import Event, Ticket
from enturf_server.sales import rules
from enturf_server.sales.inventory import InventoryLock, SeatTarget
from enturf_server.sales.models import Booking, BookingLine, BookingState, Hold, SeatStatus


@dataclass(frozen=True, slots=True)
class Place:
    """One line to book: a seat, or one place in a GA area, at `ticket`."""

    ticket: Ticket
    seat: int | None = None
    area: int | None = None


@dataclass(frozen=True)
class Order:
    """What to book, for whom, at `now`. The caller has checked the places' shape (no seat
    twice, the size limit) and row-locked its usable `hold`."""

    booking_id: uuid.UUID
    event: Event
    now: datetime
    places: Sequence[Place] | None  # None: the hold as it is, each place at its first ticket
    created_by: User | None = None  # the authenticated user
    device: Device | None = None  # the device the booking is made on
    buyer_name: str = ""
    buyer_email: str = ""
    hold: Hold | None = None
    whole_hold: bool = False  # the places must be the hold's exactly, else any part of it
    device_id: int | None = None  # the counter selling: its allocation is free for it
    tickets: Mapping[int, Ticket] = field(default_factory=dict)  # the event's, for places=None


class Terms(Protocol):
    """What an online booking and a counter sale do differently in the step."""

    def recheck(self, lock: InventoryLock) -> None:
        """Refuse (raise) what may have changed while the step waited for the locks."""

    def refuse(self, seats: list[int], areas: list[dict[str, int]]) -> None:
        """Raise the refusal of seats that are not free and areas without enough places
        (`{"area", "requested", "remaining"}`)."""

    def price(self, order: Order, places: list[Place]) -> tuple[Booking, list[BookingLine]]:
        """The unsaved booking and its lines, one a place in order, priced
        (see :func:`new_booking` and :func:`new_line`)."""

    def insert(self, order: Order, booking: Booking, lines: list[BookingLine]) -> None:
        """Store the booking and its lines."""


def book(order: Order, terms: Terms) -> tuple[Booking, list[BookingLine]]:
    """Book `order` on `terms` inside the caller's transaction: the booking (pending) and
    its lines, their seats and places sold and what remains of the hold released. Raises a
    `ServiceError` before anything is written when the order cannot be booked."""
    lock, places = _lock(order, terms)
    seat_ids, counts = _wanted(places)
    _ensure_free(order, lock, seat_ids, counts, terms)
    for place in places:
        if place.seat is not None:
            rules.ticket_for_seat(place.ticket, lock.seats[place.seat].category)
    if not places:
        raise ServiceError("A booking needs at least one line.", code="empty_booking")
    booking, lines = terms.price(order, places)
    terms.insert(order, booking, lines)
    _mark_sold(lock, order.hold, booking, seat_ids, counts)
    lock.write()
    return booking, lines


def new_booking(order: Order, settings, **fields) -> Booking:
    """The order's unsaved pending booking, expiring after the settings' booking TTL, with
    the terms' `fields` (code, owner, channel, currency, total ...)."""
    return Booking(
        id=order.booking_id,
        event=order.event,
        created_by=order.created_by,
        device=order.device,
        buyer_name=order.buyer_name,
        buyer_email=order.buyer_email,
        state=BookingState.PENDING,
        expires_at=order.now + timedelta(seconds=settings.booking_ttl_seconds),
        **fields,
    )


def new_line(booking: Booking, place: Place, **fields) -> BookingLine:
    """The unsaved line of `place`, with its own secret and the terms' `fields` (price,
    tax ...)."""
    return BookingLine(
        booking=booking,
        ticket=place.ticket,
        seat_id=place.seat,
        area_id=place.area,
        secret=secrets.token_urlsafe(32),
        **fields,
    )


# -- the steps' parts --------------------------------------------------------------------------


def _lock(order: Order, terms: Terms) -> tuple[InventoryLock, list[Place]]:
    """The order's rows locked (the hold's with them) and re-checked, and its places."""
    seat_ids, counts = _wanted(order.places or ())
    lock = InventoryLock(event=order.event, now=order.now, device_id=order.device_id)
    lock.acquire(seat_ids=seat_ids, area_ids=counts, hold=order.hold)
    terms.recheck(lock)
    rules.ensure_known(lock, seat_ids, counts)
    if order.places is None:
        return lock, _hold_as_it_is(order, lock)
    return lock, list(order.places)


def _wanted(places: Sequence[Place]) -> tuple[list[int], dict[int, int]]:
    """The places' seats in order and their GA places counted by area."""
    seat_ids = [place.seat for place in places if place.seat is not None]
    counts: dict[int, int] = defaultdict(int)
    for place in places:
        if place.area is not None:
            counts[place.area] += 1
    return seat_ids, dict(counts)


def _held_seats(lock: InventoryLock, hold: Hold) -> list[int]:
    return sorted(
        seat_id
        for seat_id, row in lock.seats.items()
        if row.hold_id == hold.pk and row.status == SeatStatus.HELD
    )


def _hold_as_it_is(order: Order, lock: InventoryLock) -> list[Place]:
    """The hold's seats and places, each at the first ticket that sells it."""
    assert order.hold is not None, "an order without places books a hold"
    places = [
        Place(_first_ticket(order.tickets, seat=lock.seats[seat_id]), seat=seat_id)
        for seat_id in _held_seats(lock, order.hold)
    ]
    for area_id, quantity in lock.hold_areas.get(order.hold.pk, {}).items():
        ticket = _first_ticket(order.tickets, area_id=area_id)
        places.extend(Place(ticket, area=area_id) for _ in range(quantity))
    return places


def _first_ticket(tickets: Mapping[int, Ticket], *, seat=None, area_id: int | None = None):
    for ticket in sorted(tickets.values(), key=lambda t: (t.position, t.pk)):
        if area_id is not None and ticket.area_id == area_id:
            return ticket
        if seat is not None and ticket.area_id is None and ticket.category == seat.category:
            return ticket
    what = f"area {area_id}" if area_id is not None else f"{seat.category!r} seats"
    raise ServiceError(f"No ticket is on sale for {what}.", code="no_ticket")


def _ensure_free(
    order: Order, lock: InventoryLock, seat_ids: list[int], counts: dict[int, int], terms: Terms
) -> None:
    """The places are the whole hold's (`whole_hold`), or each is free for the order:
    available, held by its hold, or allocated to its device."""
    hold = order.hold
    if hold is not None and order.whole_hold:
        held_places = lock.hold_areas.get(hold.pk, {})
        _ensure_matches_hold(seat_ids, counts, _held_seats(lock, hold), held_places)
        return
    seats, short = _not_free(lock, seat_ids, counts, hold)
    if seats or short:
        terms.refuse(seats, short)


def _not_free(
    lock: InventoryLock, seat_ids: list[int], counts: dict[int, int], hold: Hold | None
) -> tuple[list[int], list[dict[str, int]]]:
    """The seats not free for the order and its areas without enough places left."""
    hold_pk = hold.pk if hold is not None else None
    # an active hold's own places count as left for it
    active = hold is not None and hold.expires_at > lock.now
    held = lock.hold_areas.get(hold_pk, {}) if active else {}
    seats = [s for s in seat_ids if not lock.seat_is_free(lock.seats[s], for_hold=hold_pk)]
    short = []
    for area_id, quantity in counts.items():
        left = lock.area_remaining(area_id) + held.get(area_id, 0)
        if quantity > left:
            short.append({"area": area_id, "requested": quantity, "remaining": left})
    return seats, short


def _ensure_matches_hold(
    seat_ids: list[int],
    counts: dict[int, int],
    held_seats: list[int],
    held_places: dict[int, int],
) -> None:
    missing = sorted(set(held_seats) - set(seat_ids))
    extra = sorted(set(seat_ids) - set(held_seats))
    wrong_areas = sorted(
        a for a in set(counts) | set(held_places) if counts.get(a, 0) != held_places.get(a, 0)
    )
    if missing or extra or wrong_areas:
        raise ServiceError(
            "The lines must book exactly the seats and places of the hold.",
            code="lines_do_not_match_hold",
            details={
                "missing_seats": missing,
                "seats_not_in_hold": extra,
                "areas_differing": wrong_areas,
            },
        )


def _mark_sold(
    lock: InventoryLock,
    hold: Hold | None,
    booking: Booking,
    seat_ids: list[int],
    counts: dict[int, int],
) -> None:
    sold = SeatTarget(SeatStatus.SOLD, booking_id=booking.pk)
    for seat_id in seat_ids:
        lock.set_seat(lock.seats[seat_id], sold)
    for area_id, quantity in counts.items():
        lock.change_area(area_id, sold=quantity)
    if hold is not None:
        _release_rest_of_hold(lock, hold, set(seat_ids))


def _release_rest_of_hold(lock: InventoryLock, hold: Hold, sold: set[int]) -> None:
    """The booking consumes the hold: seats it held but the order did not book go back on
    sale, its GA places stop counting as held."""
    for seat_id, row in lock.seats.items():
        if row.hold_id == hold.pk and row.status == SeatStatus.HELD and seat_id not in sold:
            lock.set_seat(row, SeatTarget(SeatStatus.AVAILABLE))
    active = hold.expires_at > lock.now
    for area_id, quantity in lock.hold_areas.get(hold.pk, {}).items():
        lock.change_area(area_id, held=-quantity if active else 0)
    Hold.objects.filter(pk=hold.pk).update(released_at=lock.now)
