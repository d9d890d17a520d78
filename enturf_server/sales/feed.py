"""Change-log entries for bookings (the `booking` entity of the sync feed)."""

from __future__ import annotations

from collections.abc import Sequence
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


def emit_booking(booking: Booking, lines: Sequence[BookingLine]) -> None:
    emit(feed.BOOKING, booking.pk, version=booking.version, data=booking_data(booking, lines))


def emit_bookings(bookings: QuerySet[Booking]) -> None:
    """Emit bookings read fresh from the database (after a bulk update)."""
    for booking in bookings.prefetch_related("lines"):
        emit_booking(booking, list(booking.lines.all()))
