"""Holds and bookings: the only code that changes seat and GA inventory.

Every function here runs one transaction through :class:`sales.inventory.InventoryLock`
(see its module docstring for the locking protocol) and refuses with a `ServiceError`
before anything is written: a refused request changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, connection
from django.utils import timezone

from enturf_server.accounts.models import SiteSettings
from enturf_server.accounts.roles import is_staff_role
from enturf_server.api.errors import Conflict, Forbidden, NotFound, ServiceError
from enturf_server.api.model_rows import insert_rows, insert_together
from enturf_server.audit.services import record
from enturf_server.catalog.models import Event, Ticket
from enturf_server.sales import rules
from enturf_server.sales.booking_codes import new_booking_code
from enturf_server.sales.booking_step import Order, Place, book, new_booking, new_line
from enturf_server.sales.feed import emit_booking
from enturf_server.sales.inventory import (
    InventoryLock,
    SeatTarget,
    expiry_due,
    release_booking_rows,
)
from enturf_server.sales.models import (
    Booking,
    BookingLine,
    BookingState,
    Channel,
    Hold,
    HoldArea,
    HoldState,
    SeatStatus,
)
from enturf_server.sales.pricing import PricedTickets, price_tickets
from enturf_server.sales.pricing_extras import (
    NO_EXTRAS,
    BookingExtras,
    booking_extras,
    record_booking_pricing,
)
from enturf_server.sales.selectors import sale_context
from enturf_server.sync import changes

CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class LineRequest:
    """One requested booking line: a seat with its ticket, or `quantity` GA places."""

    ticket: int
    seat: int | None = None
    quantity: int = 1


def selling_device(actor, device) -> int | None:
    """The counter device whose allocation a staff member sells from (`device` or its id);
    customers never sell from an allocation."""
    if device is None or actor is None or not is_staff_role(actor):
        return None
    return device if isinstance(device, int) else device.pk


# -- lazy expiry -------------------------------------------------------------------------------


def release_expired(*, event: Event) -> bool:
    """Release the event's expired holds and expire its pending bookings past their TTL.

    Correctness never depends on this (every check treats an expired hold or booking as
    free); it keeps stored statuses and the `?since=` feed current. Cheap when nothing
    expired: one statement over two partial indexes. Returns whether anything was due.
    """
    now = timezone.now()
    if not expiry_due(event.pk, now):
        return False
    with changes.atomic():
        lock = InventoryLock(event=event, now=now)
        lock.acquire()
        lock.write()
    return True


def expire_pending_bookings(*, event: Event) -> bool:
    """Expire pending bookings past their TTL (and release expired holds, same pass)."""
    return release_expired(event=event)


# -- holds -------------------------------------------------------------------------------------


def create_hold(
    *,
    actor,
    event: Event,
    seat_ids: Sequence[int] = (),
    areas: Sequence[tuple[int, int]] = (),
    device=None,
) -> Hold:
    rules.ensure_may_sell(actor)
    seat_ids = rules.unique_seats(seat_ids)
    places = rules.area_quantities(areas)
    if not seat_ids and not places:
        raise ServiceError("A hold needs at least one seat or GA place.", code="empty_hold")
    rules.ensure_size(len(seat_ids) + sum(places.values()))
    settings = SiteSettings.load()
    with changes.atomic():
        now = timezone.now()
        rules.ensure_on_sale(event, actor=actor, now=now)
        lock = InventoryLock(event=event, now=now, device_id=selling_device(actor, device))
        lock.acquire(seat_ids=seat_ids, area_ids=places)
        rules.ensure_known(lock, seat_ids, places)
        hold = Hold(
            event=event,
            owner=actor,
            device=device,
            expires_at=now + timedelta(seconds=settings.hold_ttl_seconds),
        )
        rules.refuse_unavailable(
            [s for s in seat_ids if not lock.seat_is_free(lock.seats[s])],
            _short_areas(lock, places),
        )
        hold.save(force_insert=True)
        target = SeatTarget(SeatStatus.HELD, hold_id=hold.pk, held_until=hold.expires_at)
        for seat_id in seat_ids:
            lock.set_seat(lock.seats[seat_id], target)
        HoldArea.objects.bulk_create(
            HoldArea(hold=hold, area_id=a, quantity=q) for a, q in places.items()
        )
        for area_id, quantity in places.items():
            lock.change_area(area_id, held=quantity)
        lock.write()
    return hold


def _short_areas(lock: InventoryLock, wanted: dict[int, int]) -> list[dict[str, int]]:
    short = []
    for area_id, quantity in wanted.items():
        remaining = lock.area_remaining(area_id)
        if quantity > remaining:
            short.append({"area": area_id, "requested": quantity, "remaining": remaining})
    return short


def _locked_hold(hold: Hold) -> Hold:
    # of=self: the event row is locked late (by the version bump), never here
    return Hold.objects.select_for_update(of=("self",)).select_related("event").get(pk=hold.pk)


def _ensure_usable(hold: Hold, *, now) -> None:
    state = hold.state_at(now)
    if state == HoldState.EXPIRED:
        raise Conflict("This hold has expired; its seats were released.", code="hold_expired")
    if state == HoldState.RELEASED:
        raise Conflict("This hold was released or used.", code="hold_released")


def _lock_own_hold(hold: Hold, *, actor, now) -> Hold:
    hold = _locked_hold(hold)
    if hold.owner_id != actor.pk:
        raise Forbidden("Only the person who made a hold may change it.", code="not_your_hold")
    _ensure_usable(hold, now=now)
    return hold


def update_hold(
    *,
    actor,
    hold: Hold,
    add_seats: Sequence[int] = (),
    remove_seats: Sequence[int] = (),
    areas: Sequence[tuple[int, int]] | None = None,
    extend: bool = False,
) -> Hold:
    """Add or remove seats, set GA quantities (0 removes an area) and/or extend the hold.

    Extending moves the expiry to now + the hold TTL, never beyond the hold's creation +
    the maximum hold time; an extension that cannot move it is refused."""
    add_seats, remove_seats = rules.seat_changes(add_seats, remove_seats)
    places = rules.area_quantities(areas or (), allow_zero=True)
    settings = SiteSettings.load()
    with changes.atomic():
        now = timezone.now()
        hold = _lock_own_hold(hold, actor=actor, now=now)
        event = hold.event
        if add_seats or any(places.values()) or extend:
            rules.ensure_on_sale(event, actor=actor, now=now)
        expires_at = hold.expires_at
        if extend:
            cap = hold.created_at + timedelta(seconds=settings.hold_max_seconds)
            candidate = min(now + timedelta(seconds=settings.hold_ttl_seconds), cap)
            if candidate <= hold.expires_at:
                raise Conflict(
                    "This hold cannot be extended further: it has reached the longest "
                    f"time a hold may last ({settings.hold_max_seconds} s).",
                    code="hold_extension_limit",
                    details={"expires_at": hold.expires_at.isoformat()},
                )
            expires_at = candidate

        lock = InventoryLock(event=event, now=now, device_id=selling_device(actor, hold.device_id))
        lock.acquire(seat_ids=[*add_seats, *remove_seats], area_ids=places, hold=hold)
        rules.ensure_known(lock, [*add_seats, *remove_seats], places)
        current = {
            seat_id
            for seat_id, row in lock.seats.items()
            if row.hold_id == hold.pk and row.status == SeatStatus.HELD
        }
        adding = [s for s in add_seats if s not in current]
        removing = {s for s in remove_seats if s in current}
        held_places = lock.hold_areas.get(hold.pk, {})
        new_places = {**held_places, **places}
        rules.ensure_size(len(current) + len(adding) - len(removing) + sum(new_places.values()))
        short = []
        for area_id, quantity in places.items():
            delta = quantity - held_places.get(area_id, 0)
            remaining = lock.area_remaining(area_id)
            if delta > remaining:  # reported as what this hold asked for and could have
                own = held_places.get(area_id, 0)
                short.append({"area": area_id, "requested": quantity, "remaining": remaining + own})
        rules.refuse_unavailable([s for s in adding if not lock.seat_is_free(lock.seats[s])], short)

        keep = SeatTarget(SeatStatus.HELD, hold_id=hold.pk, held_until=expires_at)
        for seat_id in (current - removing) | set(adding):
            lock.set_seat(lock.seats[seat_id], keep)
        for seat_id in removing:
            lock.set_seat(lock.seats[seat_id], SeatTarget(SeatStatus.AVAILABLE))
        for area_id, quantity in places.items():
            delta = quantity - held_places.get(area_id, 0)
            if delta == 0:
                continue
            if quantity == 0:
                HoldArea.objects.filter(hold=hold, area_id=area_id).delete()
            else:
                HoldArea.objects.update_or_create(
                    hold=hold, area_id=area_id, defaults={"quantity": quantity}
                )
            lock.change_area(area_id, held=delta)
        if expires_at != hold.expires_at:
            hold.expires_at = expires_at
            hold.save(update_fields=["expires_at"])
            for area_id in held_places:
                lock.change_area(area_id)  # same places, later expiry: readers see nothing new
        lock.write()
    return hold


def release_hold(*, actor, hold: Hold) -> None:
    """Free a hold's seats and places. Its owner or staff; releasing twice is harmless."""
    with changes.atomic():
        now = timezone.now()
        hold = _locked_hold(hold)
        if hold.owner_id != actor.pk and not is_staff_role(actor):
            raise NotFound("There is no such hold.")
        if hold.released_at is not None:
            return
        lock = InventoryLock(event=hold.event, now=now)
        lock.acquire(hold=hold)
        for row in lock.seats.values():
            if row.hold_id == hold.pk and row.status == SeatStatus.HELD:
                lock.set_seat(row, SeatTarget(SeatStatus.AVAILABLE))
        active = hold.expires_at > now
        for area_id, quantity in lock.hold_areas.get(hold.pk, {}).items():
            lock.change_area(area_id, held=-quantity if active else 0)
        hold.released_at = now
        hold.save(update_fields=["released_at"])
        lock.write()
        if hold.owner_id != actor.pk:
            record(
                actor=actor,
                action="hold.release",
                obj=hold,
                details={"owner": hold.owner_id, "event": hold.event_id},
            )


# -- bookings ----------------------------------------------------------------------------------


def create_booking(
    *,
    actor,
    event: Event | None = None,
    event_id: int | None = None,
    hold: Hold | None = None,
    lines: Sequence[LineRequest] | None = None,
    booking_id: uuid.UUID | None = None,
    buyer_name: str = "",
    buyer_email: str = "",
    device=None,
    voucher: str = "",
) -> tuple[Booking, bool]:
    """Book seats and GA places, from the actor's hold or directly, in one transaction.

    Give the event as `event` or as `event_id` (the API does: the booking reads the event
    with its tickets in one statement; an unknown id is refused with `unknown_event`).
    Returns `(booking, created)`. A replay with the id of a booking the same actor made
    returns that booking with `created=False`. Prices and tax come from the tickets.
    """
    rules.ensure_may_sell(actor, voucher=voucher)
    if event is not None:
        event_id = event.pk
    if hold is None and event_id is None:
        raise ServiceError("Give a hold, or an event with lines.", code="invalid")
    if hold is None and not lines:
        raise ServiceError("A booking needs at least one line.", code="empty_booking")
    if booking_id is not None and (existing := _replayed(booking_id, actor)) is not None:
        return existing, False
    for _attempt in range(CODE_ATTEMPTS):
        try:
            booking = _create_booking_once(
                actor=actor,
                event=event,
                event_id=event_id,
                hold=hold,
                lines=lines,
                booking_id=booking_id or uuid.uuid4(),
                buyer_name=buyer_name,
                buyer_email=buyer_email,
                device=device,
                voucher=voucher,
            )
            return booking, True
        except IntegrityError:
            # a concurrent replay of the same id, or (rarely) a booking-code collision
            if booking_id is not None and (existing := _replayed(booking_id, actor)):
                return existing, False
    raise Conflict("Could not create the booking; please try again.", code="retry")


def _replayed(booking_id: uuid.UUID, actor) -> Booking | None:
    existing = Booking.objects.filter(pk=booking_id).first()
    if existing is None:
        return None
    if existing.created_by_id != actor.pk:
        raise Conflict("This booking id is already used.", code="booking_id_taken")
    return existing


def _create_booking_once(
    *,
    actor,
    event: Event | None,
    event_id: int | None,
    hold: Hold | None,
    lines: Sequence[LineRequest] | None,
    booking_id: uuid.UUID,
    buyer_name: str,
    buyer_email: str,
    device,
    voucher: str = "",
) -> Booking:
    with changes.atomic():
        now = timezone.now()
        if hold is not None:
            hold = _lock_hold_for_booking(hold, actor=actor, now=now)
            if event_id is not None and event_id != hold.event_id:
                raise ServiceError("The hold is for another event.", code="hold_event_mismatch")
            event, event_id = hold.event, hold.event_id
        assert event_id is not None
        context = sale_context(event_id=event_id)
        if context is None:
            raise ServiceError(f"There is no event {event_id}.", code="unknown_event")
        event = event or context.event  # a caller's instance gets the new inventory version
        rules.ensure_on_sale(event, actor=actor, now=now)
        order = Order(
            booking_id=booking_id,
            event=event,
            now=now,
            places=_requested_places(lines, context.tickets),
            created_by=actor,
            device=device,
            buyer_name=buyer_name,
            buyer_email=buyer_email,
            hold=hold,
            whole_hold=True,
            device_id=selling_device(actor, device),
            tickets=context.tickets,
        )
        booking, booking_lines = book(order, _OnlineTerms(actor, context.settings, voucher))
        emit_booking(booking, booking_lines)
    booking._prefetched_objects_cache = {"lines": booking_lines}
    return booking


@dataclass
class _OnlineTerms:
    """An online booking (a customer's, or staff's through the API) is priced by the
    server from its tickets, never at a client's price; online, a booking fee applies."""

    actor: Any
    settings: Any
    voucher: str
    extras: BookingExtras = NO_EXTRAS
    priced: PricedTickets | None = None

    def recheck(self, lock: InventoryLock) -> None:
        """Nothing: a replay of the booking's id fails its insert (`create_booking`)."""

    def refuse(self, seats: list[int], areas: list[dict[str, int]]) -> None:
        rules.refuse_unavailable(seats, areas)

    def price(self, order: Order, places: list[Place]) -> tuple[Booking, list[BookingLine]]:
        tickets = [place.ticket for place in places]
        rules.ensure_per_booking_limits(tickets)
        staff = self.actor is not None and is_staff_role(self.actor)
        self.extras = booking_extras(  # billing: booking fee, voucher (locked, counted)
            settings=self.settings,
            event=order.event,
            tickets=tickets,
            voucher_code=self.voucher,
            online=not staff,
            now=order.now,
        )
        self.priced = priced = price_tickets(
            tickets, voucher=self.extras.voucher, booking_fee=self.extras.fee
        )
        booking = new_booking(
            order,
            self.settings,
            code=new_booking_code(),
            owner=None if staff else self.actor,
            channel=Channel.COUNTER if staff else Channel.ONLINE,
            currency=priced.currency,
            total=priced.total,
        )
        lines = [
            new_line(booking, place, price=price, tax_rate=place.ticket.tax_rate, tax_amount=tax)
            for place, (price, tax) in zip(places, priced.prices, strict=True)
        ]
        return booking, lines

    def insert(self, order: Order, booking: Booking, lines: list[BookingLine]) -> None:
        if self.extras.any:  # billing stores the breakdown and sets the lines' discounts
            assert self.priced is not None
            insert_rows([booking], connection)
            record_booking_pricing(
                booking=booking, lines=lines, breakdown=self.priced.breakdown, extras=self.extras
            )
            insert_rows(lines, connection)
        else:  # one statement on PostgreSQL
            insert_together([[booking], lines], connection)
        lines.sort(key=lambda line: line.pk)  # the order reads give (Meta.ordering)


def _requested_places(
    lines: Sequence[LineRequest] | None, tickets: dict[int, Ticket]
) -> list[Place] | None:
    """The lines' places, seats first (None without lines: the hold as it is)."""
    if not lines:
        return None
    rules.unique_seats(line.seat for line in lines if line.seat is not None)
    checked = [(_line_ticket(tickets, line), line) for line in lines]
    rules.ensure_size(sum(line.quantity for line in lines))
    places = [Place(ticket, seat=line.seat) for ticket, line in checked if line.seat is not None]
    for ticket, line in checked:
        if line.seat is None:
            places.extend(Place(ticket, area=ticket.area_id) for _ in range(line.quantity))
    return places


def _line_ticket(tickets: dict[int, Ticket], line: LineRequest) -> Ticket:
    ticket = _ticket(tickets, line.ticket)
    if line.seat is not None:
        if line.quantity != 1:
            raise ServiceError(
                "A seat line sells one seat; leave out quantity.", code="invalid_quantity"
            )
        return ticket
    if ticket.area_id is None:
        raise ServiceError(
            f"Ticket {ticket.pk} ({ticket.name}) sells seats: give a seat.",
            code="seat_required",
        )
    if line.quantity < 1:
        raise ServiceError("Quantities must be at least 1.", code="invalid_quantity")
    return ticket


def _lock_hold_for_booking(hold: Hold, *, actor, now) -> Hold:
    locked = _locked_hold(hold)
    if locked.owner_id != actor.pk:
        if is_staff_role(actor):
            raise Forbidden("Only the person who made a hold may book it.", code="not_your_hold")
        raise NotFound("There is no such hold.")
    _ensure_usable(locked, now=now)
    return locked


def _ticket(tickets: dict[int, Ticket], ticket_id: int) -> Ticket:
    ticket = tickets.get(ticket_id)
    if ticket is None:
        raise ServiceError(
            f"Ticket {ticket_id} is not on sale for this event.",
            code="unknown_ticket",
            details={"ticket": ticket_id},
        )
    return ticket


def cancel_booking(*, actor, booking: Booking) -> Booking:
    """Cancel a pending booking and free its seats and places. Paid bookings are refunded
    (billing), not cancelled. Cancelling a cancelled booking again returns it unchanged."""
    with changes.atomic():
        now = timezone.now()
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=booking.pk)
        )
        if booking.state == BookingState.CANCELLED:
            return booking
        if booking.state == BookingState.EXPIRED:
            raise Conflict(
                "This booking expired unpaid; its seats were released.", code="booking_expired"
            )
        if booking.state != BookingState.PENDING:
            raise Conflict(
                "A paid booking cannot be cancelled; refund it instead.", code="booking_paid"
            )
        lock = InventoryLock(event=booking.event, now=now)
        lock.acquire(booking=booking)
        release_booking_rows(lock, {booking.pk}, BookingState.CANCELLED, lock.booking_areas)
        lock.write()
        booking.refresh_from_db()
        lines = list(booking.lines.all())
        emit_booking(booking, lines)
        if is_staff_role(actor):
            record(
                actor=actor,
                action="booking.cancel",
                obj=booking,
                details={"code": booking.code, "total": str(booking.total)},
            )
    booking._prefetched_objects_cache = {"lines": lines}
    return booking
