"""What a counter sells, as synced from the server: venues, seat maps, events, tickets.

Rule for foreign keys: rows that arrive inside their parent's payload (a seat map's seats
and areas) reference it with a real foreign key and go with it; entities that arrive as
their own change-feed entries (an event's seat map, a ticket's event) keep a plain indexed
id, because the feed may deliver them in any order.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enturf_core.wire import feed
from enturf_pos.models.base import Base
from enturf_pos.models.column_types import (
    bool_false,
    bool_true,
    code_str,
    created_now,
    json_dict,
    name_str,
    server_id,
    updated_now,
    version_counter,
)


class Venue(Base):
    __tablename__ = "venues"

    id: Mapped[server_id]
    name: Mapped[name_str]
    address: Mapped[str] = mapped_column(default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]


class SeatMap(Base):
    """One version of a venue's layout; its seats and areas come with it."""

    __tablename__ = "seat_maps"

    id: Mapped[server_id]
    venue_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[name_str]
    layout_version: Mapped[int] = mapped_column(default=1)
    stage_x: Mapped[float] = mapped_column(default=0.0)
    stage_y: Mapped[float] = mapped_column(default=0.0)
    width: Mapped[float] = mapped_column(default=0.0)
    height: Mapped[float] = mapped_column(default=0.0)
    # section name -> the venue's quality rank (1 best) for "best available"
    section_ranks: Mapped[json_dict] = mapped_column(server_default="{}")
    # what the editor draws besides seats (feed.SeatMap.drawing): categories with their
    # colours, section outlines, area polygons, decorations
    drawing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]

    seats: Mapped[list[Seat]] = relationship(
        back_populates="seat_map", cascade="all, delete-orphan", passive_deletes=True
    )
    areas: Mapped[list[Area]] = relationship(
        back_populates="seat_map", cascade="all, delete-orphan", passive_deletes=True
    )


class Seat(Base):
    __tablename__ = "seats"

    id: Mapped[server_id]
    seat_map_id: Mapped[int] = mapped_column(
        ForeignKey("seat_maps.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[code_str]
    label: Mapped[str] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(String(100), default="")
    row: Mapped[str] = mapped_column(String(20), default="")
    position: Mapped[int] = mapped_column(default=0)
    x: Mapped[float]
    y: Mapped[float]
    category: Mapped[str] = mapped_column(String(50), default="standard")
    accessible: Mapped[bool_false]
    companion: Mapped[bool_false]
    obstructed: Mapped[bool_false]
    aisle: Mapped[bool_false]

    seat_map: Mapped[SeatMap] = relationship(back_populates="seats")


class Area(Base):
    """A general-admission area, sold by quantity."""

    __tablename__ = "areas"

    id: Mapped[server_id]
    seat_map_id: Mapped[int] = mapped_column(
        ForeignKey("seat_maps.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[int]
    x: Mapped[float] = mapped_column(default=0.0)
    y: Mapped[float] = mapped_column(default=0.0)
    width: Mapped[float] = mapped_column(default=0.0)
    height: Mapped[float] = mapped_column(default=0.0)
    polygon: Mapped[list[Any] | None] = mapped_column(JSON, doc="[[x, y], ...] or None: the box")

    seat_map: Mapped[SeatMap] = relationship(back_populates="areas")


class Event(Base):
    """An event; one created on this counter and not yet on the server has a temporary
    negative id and `origin`, its `event_create` id (the server's id replaces it)."""

    __tablename__ = "events"

    id: Mapped[server_id]
    seat_map_id: Mapped[int] = mapped_column(index=True)
    venue_id: Mapped[int | None] = mapped_column(index=True)
    name: Mapped[name_str]
    description: Mapped[str] = mapped_column(default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    sales_start: Mapped[datetime | None]
    sales_end: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(16), default="draft")
    origin: Mapped[uuid.UUID | None] = mapped_column(index=True, doc="created here: its op's id")
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]

    @property
    def on_server(self) -> bool:
        return self.id > 0


class Ticket(Base):
    """A price of an event: sells seats of one category, or places in one GA area.

    Created on this counter and not yet on the server: a temporary negative id and
    `origin` (its `NewTicket` id), as :class:`Event`."""

    __tablename__ = "tickets"

    id: Mapped[server_id]
    event_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(100))
    price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    tax_rate: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    category: Mapped[str] = mapped_column(String(50), default="")
    area_id: Mapped[int | None]
    max_per_booking: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool_true]
    origin: Mapped[uuid.UUID | None] = mapped_column(index=True, doc="created here: its id")
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]

    def info(self) -> feed.Ticket:
        """This ticket as the one ticket type the services and windows pass around."""
        return feed.Ticket(
            self.id,
            self.name,
            self.price,
            self.currency,
            self.tax_rate,
            self.category or "",
            self.area_id,
            self.max_per_booking,
            event=self.event_id,
            position=self.position,
            active=self.active,
            version=self.version,
        )


class SeatStatus(Base):
    """Availability of one event, compact: only seats that are not available are listed.

    `seats` maps seat id (as text) to its status (held, sold, blocked, allocated);
    `areas` maps GA area id (as text) to the places remaining; `blocked` maps a blocked
    seat's id (as text) to its reason (a key of `ops.BLOCK_REASONS`). Assign new dicts
    to change them (in-place mutation of a JSON column is not tracked).
    """

    __tablename__ = "seat_status"

    event_id: Mapped[server_id]
    seats: Mapped[json_dict]
    areas: Mapped[json_dict]
    blocked: Mapped[json_dict] = mapped_column(server_default="{}")
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]


class CounterDevice(Base):
    """A registered counter device (feed entity `device`), for a manager to allocate
    seats to. Not this counter's own registration (`Device`)."""

    __tablename__ = "devices"

    id: Mapped[server_id]
    name: Mapped[name_str]
    active: Mapped[bool_true]
    duty: Mapped[str] = mapped_column(String(16), default="counter", server_default="counter")
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]


class DraftState:
    DRAFT = "draft"  # being edited
    PUBLISHING = "publishing"  # its seatmap_publish op is queued or sent
    CONFLICT = "conflict"  # the server has a newer version: the manager decides
    REJECTED = "rejected"  # the server refused the layout; `message` says why


class SeatMapDraft(Base):
    """A seat map being drawn in the editor, kept here until it is published.

    `document` is the seat-map file format (docs/seat-map.md); `base_seat_map_id` and
    `base_version` the published version it started from (None: a new map). After a
    conflict, `server` holds the server's newest version ``{"seat_map", "version"}``."""

    __tablename__ = "seatmap_drafts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    venue_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[name_str]
    base_seat_map_id: Mapped[int | None]
    base_version: Mapped[int | None]
    document: Mapped[json_dict]
    state: Mapped[str] = mapped_column(String(16), default=DraftState.DRAFT)
    message: Mapped[str] = mapped_column(default="", server_default="")
    server: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    op_id: Mapped[uuid.UUID | None] = mapped_column(doc="its queued seatmap_publish op")
    created_at: Mapped[created_now]
    updated_at: Mapped[updated_now]
