"""Times for people on the server (invoices, ticket PDFs, X/Z reports): the venue's zone.

The rule is `enturf_core.local_time`'s, shared with the counters: an event's time in its
venue's zone; every other time (issue dates, shifts, drawer movements) in the zone of
the venues (the one most of them use). `ENTURF_TIME_ZONE` (Django's TIME_ZONE) is only
the fallback before any venue exists.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from enturf_core.local_time import house_zone_name, known_zone, zone
from enturf_server.catalog.models import Venue


def house_zone() -> ZoneInfo:
    """The venues' zone, for times that belong to no event."""
    names = Venue.objects.order_by("id").values_list("timezone", flat=True)
    return zone(house_zone_name(names), default=zone(settings.TIME_ZONE))


def venue_zone(venue: Venue | None) -> ZoneInfo:
    """The zone of `venue` (the house zone when it has none or an unknown one)."""
    return (known_zone(venue.timezone) if venue is not None else None) or house_zone()


def local(moment: datetime, in_zone: ZoneInfo | None = None) -> datetime:
    """`moment` in `in_zone` (default: the house zone)."""
    return moment.astimezone(in_zone or house_zone())


class AdminTimeZoneMiddleware:
    """The Django admin shows and reads times in the venue's zone (the house zone); the
    API keeps answering in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/admin/"):
            return self.get_response(request)
        timezone.activate(house_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
