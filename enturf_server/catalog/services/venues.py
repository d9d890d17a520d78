"""Venues: create, update, delete."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from enturf_core.wire import feed
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.audit.services import record
from enturf_server.catalog.models import Venue
from enturf_server.catalog.serializers import VenueOutput
from enturf_server.sync import changes


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(
            f"Unknown time zone {name!r}; use an IANA name such as 'Europe/Berlin'.",
            code="invalid_timezone",
            details={"timezone": name},
        ) from None


def emit_venue(venue: Venue, *, op: str = feed.UPSERT) -> None:
    data = VenueOutput(venue).data if op == feed.UPSERT else {}
    # a delete is newer than the last upsert
    version = venue.version + 1 if op == feed.DELETE else venue.version
    changes.emit(feed.VENUE, venue.pk, version=version, data=data, op=op)


def create_venue(*, actor, name: str, address: str = "", timezone: str = "UTC") -> Venue:
    _check_timezone(timezone)
    with changes.atomic():
        venue = Venue.objects.create(name=name, address=address, timezone=timezone)
        emit_venue(venue)
        record(actor=actor, action="venue.create", obj=venue, details={"name": name})
    return venue


def update_venue(
    *,
    actor,
    venue: Venue,
    name: str | None = None,
    address: str | None = None,
    timezone: str | None = None,
) -> Venue:
    fields = {
        k: v
        for k, v in {"name": name, "address": address, "timezone": timezone}.items()
        if v is not None
    }
    if "timezone" in fields:
        _check_timezone(fields["timezone"])
    with changes.atomic():
        venue = Venue.objects.select_for_update().get(pk=venue.pk)
        changed = sorted(k for k, v in fields.items() if getattr(venue, k) != v)
        if not changed:
            return venue
        for k in changed:
            setattr(venue, k, fields[k])
        venue.version += 1
        venue.save()
        emit_venue(venue)
        record(actor=actor, action="venue.update", obj=venue, details={"fields": changed})
    return venue


def delete_venue(*, actor, venue: Venue) -> None:
    with changes.atomic():
        if venue.seat_maps.exists():
            raise Conflict(
                f"The venue {venue.name!r} has seat maps; delete those first.",
                code="venue_in_use",
            )
        record(actor=actor, action="venue.delete", obj=venue, details={"name": venue.name})
        emit_venue(venue, op=feed.DELETE)
        venue.delete()
