"""Times for people at the counter: the one place that turns a stored time into text.

Times are stored in UTC. Everything a cashier or customer reads (tables, the seat map
header, receipts, tickets, X/Z reports, the booking lookup, the print log) is in the
venue's zone (`enturf_core.local_time`: the zone of the synced venues), never the
machine's: a counter whose clock runs in another zone still says what the tickets say.

The zone is kept for the process (table formatters have no database at hand). It is
read when the local database opens, when the windows open, and after each sync page
that changes a venue.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.local_time import UTC_ZONE, house_zone_name, zone
from enturf_pos.models import Database, Venue

DAY = "%a %d %b %Y"  # Sat 12 Dec 2026
CLOCK = "%H:%M"
DAY_CLOCK = "%a %d %b %Y %H:%M"
DATE_CLOCK = "%d %b %Y %H:%M"  # 12 Dec 2026 19:30
SHORT = "%d %b %H:%M"  # 12 Dec 19:30
SHORT_SECONDS = "%d %b %H:%M:%S"
ISO_MINUTES = "%Y-%m-%d %H:%M"  # reports

_zone: ZoneInfo = UTC_ZONE


def current_zone() -> ZoneInfo:
    return _zone


def use_zone(name: str | None) -> ZoneInfo:
    """Show times in the zone called `name` (UTC when empty or unknown)."""
    global _zone
    _zone = zone(name)
    return _zone


def load(session: Session) -> ZoneInfo:
    """Take the venue's zone from the synced venues."""
    names = session.scalars(select(Venue.timezone).order_by(Venue.id)).all()
    return use_zone(house_zone_name(names))


def load_from(db: Database) -> ZoneInfo:
    with db.transaction() as session:
        return load(session)


def at_venue(moment: datetime, venue_zone: str | None) -> datetime:
    """An event's time in its own venue's zone (the house zone when the venue's is
    unknown); the zone travels with the value, so `local` and `text` keep it."""
    return local(moment).astimezone(zone(venue_zone, default=_zone))


def local(moment: datetime) -> datetime:
    """`moment` in the venue's zone. A time already placed in a named zone (`at_venue`,
    `now`) keeps it; a stored one (UTC, naive taken as UTC) moves to the house zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if isinstance(moment.tzinfo, ZoneInfo):
        return moment
    return moment.astimezone(_zone)


def zone_of(moment: datetime) -> ZoneInfo:
    """The zone `moment` is shown in (see `local`)."""
    tz = local(moment).tzinfo
    assert isinstance(tz, ZoneInfo)
    return tz


def text(moment: datetime | None, fmt: str = DAY_CLOCK, *, empty: str = "") -> str:
    """`moment` as people read it: in the venue's zone, formatted with `fmt`."""
    return empty if moment is None else local(moment).strftime(fmt)


def now() -> datetime:
    """The venue's wall clock now (aware)."""
    return datetime.now(UTC).astimezone(_zone)
