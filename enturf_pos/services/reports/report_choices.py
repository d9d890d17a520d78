"""What the Reports tab's filters offer: the venues and events this counter knows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from enturf_pos.models import Event, SiteSettings, Venue
from enturf_pos.services import venue_time
from enturf_pos.services.session.pos_context import PosContext


@dataclass(frozen=True, slots=True)
class VenueChoice:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class EventChoice:
    id: int
    name: str
    venue_id: int | None
    starts_at: datetime  # in the venue's zone

    @property
    def text(self) -> str:
        return f"{self.name} · {venue_time.text(self.starts_at, venue_time.DATE_CLOCK)}"


def venues(ctx: PosContext) -> list[VenueChoice]:
    with ctx.db.transaction() as session:
        rows = session.scalars(select(Venue).order_by(Venue.name, Venue.id))
        return [VenueChoice(v.id, v.name) for v in rows]


def events(ctx: PosContext, venue_id: int | None = None) -> list[EventChoice]:
    """Events on the server (not those still waiting to be sent), newest first."""
    query = (
        select(Event, Venue.timezone)
        .outerjoin(Venue, Venue.id == Event.venue_id)
        .where(Event.id > 0)
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    if venue_id is not None:
        query = query.where(Event.venue_id == venue_id)
    with ctx.db.transaction() as session:
        return [
            EventChoice(e.id, e.name, e.venue_id, venue_time.at_venue(e.starts_at, zone))
            for e, zone in session.execute(query)
        ]


def seller_name(ctx: PosContext) -> str:
    """The venue's seller name from the synced settings (a PDF's heading)."""
    with ctx.db.transaction() as session:
        row = session.get(SiteSettings, 1)
        data = dict(row.data) if row is not None and row.data else {}
    return str(data.get("seller_name") or "")
