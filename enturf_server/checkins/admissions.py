"""The door's view of a booking, published with every change of it (`sales.feed`'s
listener, registered by `CheckinsConfig.ready()`): each line's `admission`, the event's
default check-in list if it has none yet, and scans recorded before the line reached the
server (a counter's offline sale) linked to it now."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import F

from enturf_server.checkins import feed
from enturf_server.checkins.lists import ensure_default_list
from enturf_server.checkins.models import CheckinRecord
from enturf_server.sales.models import Booking, BookingLine


def emit_admissions(booking: Booking, lines: Sequence[BookingLine]) -> None:
    coded = [line for line in lines if line.ticket_code]
    if not coded or not feed.is_live(booking.event):
        return
    ensure_default_list(booking.event)
    feed.emit_line_admissions(booking, coded)
    CheckinRecord.objects.filter(
        line_ref__in=[line.pk for line in coded], line__isnull=True
    ).update(line_id=F("line_ref"))
