"""Times for people: the venue's zone, one rule for the server and the counter.

Times are stored in UTC. Every time a customer or cashier reads (screens, receipts,
tickets, reports, invoices) is shown in the venue's zone, whatever the machine's own
zone is. The venue's zone is `Venue.timezone`; a box office whose venues use several
zones shows the one most of its venues use (the first venue's on a tie): one zone per
installation, so a counter's screens and the tickets it prints always agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_ZONE = ZoneInfo("UTC")


def known_zone(name: str | None) -> ZoneInfo | None:
    """The zone called `name` (an IANA name such as "Europe/Berlin"); None when the name
    is empty or unknown."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone(name: str | None, default: ZoneInfo = UTC_ZONE) -> ZoneInfo:
    """The zone called `name`; `default` when the name is empty or unknown."""
    return known_zone(name) or default


def house_zone_name(venue_zones: Iterable[str | None]) -> str | None:
    """The zone of the venues (given in venue-id order): the most used valid one, the
    first on a tie; None without venues."""
    valid = [name for name in venue_zones if name and known_zone(name) is not None]
    if not valid:
        return None
    counts = Counter(valid)
    top = max(counts.values())
    return next(name for name in valid if counts[name] == top)


def wall_time_to_utc(wall: datetime, in_zone: ZoneInfo) -> datetime:
    """A naive wall-clock time read in `in_zone` (e.g. typed by a manager) as aware UTC.
    A time that does not exist (spring forward) or happens twice (fall back) takes
    the earlier offset (`fold=0`)."""
    return wall.replace(tzinfo=in_zone, fold=0).astimezone(UTC_ZONE)


# -- printed forms (English, locale-free), of a time already in the venue's zone ---------


def date_text(moment: datetime) -> str:
    """ "Sat 14 Mar 2026"."""
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


def time_text(moment: datetime) -> str:
    """ "19:30"."""
    return f"{moment:%H:%M}"


def parse_utc(value: Any) -> datetime | None:
    """An ISO 8601 time from the server or a cache ("Z" or an offset; a naive one is UTC);
    None when empty or not a time."""
    if not value:
        return None
    try:
        at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)
