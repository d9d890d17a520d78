"""Checks shared by holds and bookings: what may be sold, to whom, how much at once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from enturf_core.staff_rights import Right
from enturf_core.wording import noun, plural
from enturf_server.accounts.rights import ensure_right
from enturf_server.accounts.roles import is_staff_role
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.catalog.models import Event, EventState, Ticket
from enturf_server.sales.inventory import ALLOCATED, InventoryLock
from enturf_server.sales.models import SeatStatus

MAX_ITEMS_PER_REQUEST = 100  # seats plus GA places in one request (and in one hold)


def ensure_may_sell(actor, *, voucher: str = "") -> None:
    """Staff sell (hold, book) only with the right `sell`, and apply a voucher at the
    counter only with `discount`; customers buy online as ever."""
    if not is_staff_role(actor):
        return
    ensure_right(actor, Right.SELL, "sell")
    if voucher:
        ensure_right(actor, Right.DISCOUNT, "apply a voucher or discount")


def ensure_on_sale(event: Event, *, actor, now: datetime) -> None:
    """The event sells now. Staff sell at the counter outside the online sales window
    (e.g. at the door after online sales closed), but only while the event is on sale."""
    if event.state != EventState.ON_SALE:
        raise Conflict(
            f"{event.name} is not on sale (it is {event.get_state_display().lower()}).",
            code="event_not_on_sale",
        )
    if is_staff_role(actor):
        return
    if event.sales_start and now < event.sales_start:
        raise Conflict(
            f"Sales for {event.name} start at {event.sales_start.isoformat()}.",
            code="sales_not_started",
        )
    if event.sales_end and now >= event.sales_end:
        raise Conflict(f"Sales for {event.name} have ended.", code="sales_ended")


def unique_seats(seat_ids: Iterable[int], what: str = "seats") -> list[int]:
    """The seat ids in order; a seat named twice is refused."""
    seat_ids = list(seat_ids)
    duplicates = sorted(s for s, n in Counter(seat_ids).items() if n > 1)
    if duplicates:
        raise ServiceError(
            f"A seat is listed more than once in {what}: {duplicates}.",
            code="duplicate_seats",
            details={"duplicate_seats": duplicates},
        )
    return seat_ids


def seat_changes(
    add_seats: Iterable[int], remove_seats: Iterable[int]
) -> tuple[list[int], list[int]]:
    """Seats to add and to remove, each listed once and none in both."""
    add = unique_seats(add_seats, "add_seats")
    remove = unique_seats(remove_seats, "remove_seats")
    both = sorted(set(add) & set(remove))
    if both:
        raise ServiceError(
            f"Seats {both} are both added and removed.",
            code="duplicate_seats",
            details={"duplicate_seats": both},
        )
    return add, remove


def area_quantities(
    areas: Iterable[tuple[int, int]], *, allow_zero: bool = False
) -> dict[int, int]:
    """`{area: quantity}` from `(area, quantity)` pairs; an area named twice is refused."""
    result: dict[int, int] = {}
    for area_id, quantity in areas:
        if area_id in result:
            raise ServiceError(
                f"Area {area_id} is listed more than once.",
                code="duplicate_areas",
                details={"duplicate_areas": [area_id]},
            )
        if quantity < (0 if allow_zero else 1):
            raise ServiceError(
                f"The quantity for area {area_id} must be at least {0 if allow_zero else 1}.",
                code="invalid_quantity",
            )
        result[area_id] = quantity
    return result


def ensure_size(items: int) -> None:
    if items > MAX_ITEMS_PER_REQUEST:
        raise ServiceError(
            f"At most {MAX_ITEMS_PER_REQUEST} seats and places can be taken at once; "
            f"this asks for {items}.",
            code="too_many_items",
            details={"limit": MAX_ITEMS_PER_REQUEST, "requested": items},
        )


def ensure_known(lock: InventoryLock, seat_ids: Sequence[int], area_ids: Iterable[int]) -> None:
    """Every seat and area is part of the event's seat map (has an inventory row)."""
    unknown_seats = sorted(s for s in seat_ids if s not in lock.seats)
    unknown_areas = sorted(a for a in area_ids if a not in lock.areas)
    if unknown_seats or unknown_areas:
        parts = []
        if unknown_seats:
            parts.append(f"seats {unknown_seats}")
        if unknown_areas:
            parts.append(f"areas {unknown_areas}")
        raise ServiceError(
            f"Not part of this event's seat map: {' and '.join(parts)}.",
            code="unknown_seats" if unknown_seats else "unknown_areas",
            details={"unknown_seats": unknown_seats, "unknown_areas": unknown_areas},
        )


def refuse_unavailable(
    unavailable_seats: Sequence[int], unavailable_areas: Sequence[dict[str, int]]
) -> None:
    if not unavailable_seats and not unavailable_areas:
        return
    details: dict = {}
    parts = []
    if unavailable_seats:
        details["unavailable_seats"] = sorted(unavailable_seats)
        n = len(unavailable_seats)
        parts.append(f"{plural(n, 'seat')} {noun(n, 'is', 'are')} no longer available")
    if unavailable_areas:
        details["unavailable_areas"] = list(unavailable_areas)
        parts.append(
            "not enough places left in "
            + ", ".join(
                f"area {a['area']} ({a['remaining']} left, {a['requested']} asked)"
                for a in unavailable_areas
            )
        )
    raise Conflict("; ".join(parts).capitalize() + ". Nothing was changed.", details=details)


def shown_status(lock: InventoryLock, seat_id: int) -> str:
    """A locked seat's status as readers see it (`sales.selectors.seat_status`): held,
    sold, blocked, allocated (to a counter) or available."""
    row = lock.seats[seat_id]
    if row.status == SeatStatus.HELD and row.held_until is not None and row.held_until <= lock.now:
        status = SeatStatus.AVAILABLE
    else:
        status = row.status
    if status == SeatStatus.AVAILABLE and row.allocated_to_id is not None:
        return ALLOCATED
    return str(status)


def refuse_seats(seat_ids: Sequence[int], lock: InventoryLock, *, doing: str, **details) -> None:
    """Refuse a whole request of a manager's (block, release, allocate) for `seat_ids`:
    409 ``seats_unavailable`` with ``details.seats`` {seat id: status}."""
    if not seat_ids:
        return
    statuses = {str(s): shown_status(lock, s) for s in sorted(seat_ids)}
    n = len(statuses)
    listed = ", ".join(f"{s} ({status})" for s, status in list(statuses.items())[:10])
    raise Conflict(
        f"{plural(n, 'seat')} cannot be {doing}: {listed}{' ...' if n > 10 else ''}. "
        "Nothing was changed.",
        code="seats_unavailable",
        details={"seats": statuses, **details},
    )


def ticket_for_seat(ticket: Ticket, category: str) -> None:
    if ticket.area_id is not None or ticket.category != category:
        raise ServiceError(
            f"Ticket {ticket.pk} ({ticket.name}) does not sell {category!r} seats.",
            code="ticket_mismatch",
            details={"ticket": ticket.pk, "category": category},
        )


def ensure_per_booking_limits(tickets: Sequence[Ticket]) -> None:
    counts = Counter(t.pk for t in tickets)
    by_id = {t.pk: t for t in tickets}
    for ticket_id, count in counts.items():
        limit = by_id[ticket_id].max_per_booking
        if limit is not None and count > limit:
            raise ServiceError(
                f"At most {limit} of {by_id[ticket_id].name} per booking; {count} asked.",
                code="ticket_limit",
                details={"ticket": ticket_id, "limit": limit, "requested": count},
            )
