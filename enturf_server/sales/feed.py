"""Change-log entries for bookings (the `booking` entity of the sync feed).

Apps above sales that publish more of a booking with each change (checkins: the door's
`admission` of each line) listen here: `when_booking_emitted(fn)` from their
`AppConfig.ready()`, and `fn(booking, lines)` runs in the same transaction, right after
the booking's entry, whenever a booking is created, paid, refunded, cancelled or expires.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

from enturf_core.wire import feed
from enturf_server.sales.models import Booking, BookingLine
from enturf_server.sync.changes import emit


def booking_data(booking: Booking, lines: Sequence[BookingLine]) -> dict[str, Any]:
    return {
        "id": str(booking.pk),
        "code": booking.code,
        "event": booking.event_id,
        "state": booking.state,
        "channel": booking.channel,
        "currency": booking.currency,
        "total": str(booking.total),
        "buyer_name": booking.buyer_name,
        "expires_at": booking.expires_at.isoformat() if booking.expires_at else None,
        "lines": [
            {
                "id": str(line.pk),
                "ticket": line.ticket_id,
                "seat": line.seat_id,
                "area": line.area_id,
                "price": str(line.price),
                "tax_amount": str(line.tax_amount),
                "state": line.state,
            }
            for line in lines
        ],
    }


_listeners: list[Callable[[Booking, Sequence[BookingLine]], None]] = []


def when_booking_emitted(fn: Callable[[Booking, Sequence[BookingLine]], None]) -> None:
    """Run `fn(booking, lines)` after each booking's change-log entry (see the module doc)."""
    if fn not in _listeners:
        _listeners.append(fn)


def emit_booking(booking: Booking, lines: Sequence[BookingLine]) -> None:
    emit(feed.BOOKING, booking.pk, version=booking.version, data=booking_data(booking, lines))
    for listener in _listeners:
        listener(booking, lines)


def emit_bookings(bookings: QuerySet[Booking]) -> None:
    """Emit bookings read fresh from the database (after a bulk update)."""
    for booking in bookings.prefetch_related("lines"):
        emit_booking(booking, list(booking.lines.all()))
