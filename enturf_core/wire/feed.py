"""The change feed (`GET /api/v1/sync/changes`, `/sync/snapshot`): one class per entity.

Each entry is ``{"seq", "entity", "id", "version", "op": "upsert" | "delete", "data"}``
(:class:`Change`); an upsert's ``data`` is the entity's class below, named by its
``ENTITY`` (a delete's is empty). The server writes the API's read shapes (catalog
serializers, `sales` seat status and allocations, accounts' settings and users); the
counter reads them with ``from_wire(..., ignore_unknown=True)``, so a newer server may
add fields. Fields a counter can do without have defaults.

Snapshot items differ in two ways (`enturf_server/sync/snapshot.py`): a `seatmap` carries
``layout`` (seats as arrays, kept as JSON here: 20,000 of them are read column-wise by the
counter), and a `seat_status` is ``full`` (every seat that is not available).
"""

from __future__ import annotations

import uuid
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from enturf_core.money import Money
from enturf_core.wire.model import WireError, WireModel, optional

SETTINGS = "settings"
USER = "user"
TICKET_KEY = "ticket_key"
VENUE = "venue"
SEATMAP = "seatmap"
EVENT = "event"
TICKET = "ticket"
SEAT_STATUS = "seat_status"
ALLOCATION = "allocation"
BOOKING = "booking"
DEVICE = "device"
CHECKIN_LIST = "checkin_list"
ADMISSION = "admission"
CHECKIN = "checkin"
ROLE_RIGHTS = "role_rights"

UPSERT, DELETE = "upsert", "delete"
SETTINGS_ID = "site"  # the one settings item's id


@dataclass(frozen=True, slots=True)
class Change(WireModel):
    """One entry of the feed; `data` is parsed by its entity's class (:func:`parse_data`)."""

    entity: str
    id: str
    version: int
    op: str = UPSERT
    data: dict[str, Any] = field(default_factory=dict)
    seq: int | None = optional()  # snapshot items have none

    def _check(self, path: str) -> None:
        if self.op not in (UPSERT, DELETE):
            raise WireError(f"{path}.op" if path else "op", "expected upsert or delete")


@dataclass(frozen=True, slots=True)
class SiteSettings(WireModel):
    """What a counter uses of the site's settings (receipts, money, offline login)."""

    ENTITY: ClassVar[str] = SETTINGS

    seller_name: str = ""
    seller_address: str = ""
    seller_vat_id: str = ""
    currency: str = "EUR"
    offline_login_days: int = 0
    employee_refund_limit: Decimal = Decimal("0")
    hold_ttl_seconds: int = 0
    hold_max_seconds: int = 0
    booking_ttl_seconds: int = 0
    shift_difference_threshold: Decimal = Decimal("0")
    booking_fee_amount: Decimal = Decimal("0")
    booking_fee_basis: str = ""
    booking_fee_tax_rate: Decimal = Decimal("0")
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StaffUser(WireModel):
    """Someone who may work at a counter (no password material travels)."""

    ENTITY: ClassVar[str] = USER

    id: int
    username: str
    first_name: str = ""
    last_name: str = ""
    role: str = ""
    is_active: bool = True

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username


@dataclass(frozen=True, slots=True)
class RoleRights(WireModel):
    """What one staff role may do (`enturf_core.staff_rights`); the item's id is the role.

    `rights` are :class:`~enturf_core.staff_rights.Right` values (a counter ignores names it
    does not know); `refund_limit_cents` caps one refund, None for no cap."""

    ENTITY: ClassVar[str] = ROLE_RIGHTS

    role: str
    rights: tuple[str, ...] = ()
    refund_limit_cents: int | None = None


@dataclass(frozen=True, slots=True)
class TicketKey(WireModel):
    """A public key that verifies ticket codes: a counter's (`device:<id>`) or the server's."""

    ENTITY: ClassVar[str] = TICKET_KEY

    key_id: str
    public_key: str
    owner: str = ""
    device: int | None = None
    device_name: str = ""
    retired_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Venue(WireModel):
    ENTITY: ClassVar[str] = VENUE

    name: str
    id: int = optional(0)
    address: str = ""
    timezone: str = "UTC"
    version: int = optional(0)
    created_at: datetime | None = optional()
    updated_at: datetime | None = optional()


@dataclass(frozen=True, slots=True)
class Area(WireModel):
    """A general-admission area of a seat map: places, not seats."""

    id: int
    name: str = ""
    capacity: int = 0
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0


@dataclass(frozen=True, slots=True)
class SeatMap(WireModel):
    """A seat map without its seats; the snapshot adds `layout` (see the module)."""

    ENTITY: ClassVar[str] = SEATMAP

    venue: int
    name: str
    id: int = optional(0)
    venue_name: str = optional("")
    version: int = 1  # the layout's version
    revision: int = optional(0)
    stage_x: float = 0.0
    stage_y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    seat_count: int = optional(0)
    categories: tuple[str, ...] = optional(())
    areas: tuple[Area, ...] | None = optional()  # None: not sent, keep the areas known
    in_use: bool = optional(False)
    created_at: datetime | None = optional()
    layout: dict[str, Any] | None = optional()
    # what the editor draws besides seats (docs/seat-map.md, "File format"): categories
    # with colours, section outlines by section name, area polygons by area name,
    # decorations: {"categories", "outlines", "area_polygons", "decorations"}
    drawing: dict[str, Any] | None = optional()


@dataclass(frozen=True, slots=True)
class Event(WireModel):
    ENTITY: ClassVar[str] = EVENT

    seat_map: int
    name: str
    id: int = optional(0)
    description: str = ""
    venue: int | None = None
    venue_name: str = optional("")
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    sales_start: datetime | None = None
    sales_end: datetime | None = None
    state: str = "draft"
    version: int = optional(0)
    created_at: datetime | None = optional()
    updated_at: datetime | None = optional()


@dataclass(frozen=True, slots=True)
class Ticket(WireModel):
    """A ticket on sale: the price of seats of one category, or of places in one GA area.

    The one ticket type: the feed's entity, and on the counter what its local row gives
    (`enturf_pos.models.Ticket.info`) to the cart, the seat map, the programme and the
    manager's list (which wrap it with what they add: places left, what it sells)."""

    ENTITY: ClassVar[str] = TICKET

    id: int
    name: str
    price: Decimal  # tax included
    currency: str = "EUR"
    tax_rate: Decimal = Decimal("0")
    category: str = ""  # the seat category it sells ("" for a GA area's ticket)
    area: int | None = None  # the GA area it sells places in
    max_per_booking: int | None = None
    _: KW_ONLY
    event: int = 0  # 0: not said (a ticket the counter has in hand for an event it knows)
    position: int = 0
    active: bool = True
    version: int = optional(0)
    updated_at: datetime | None = optional()

    @property
    def money(self) -> Money:
        return Money(self.price, self.currency)


@dataclass(frozen=True, slots=True)
class SeatStatus(WireModel):
    """An event's seats that are not available (by seat id) and places left per GA area
    (by area id). Incremental entries list the seats that changed ("available" too);
    ``full`` ones (the snapshot) list every seat that is not available."""

    ENTITY: ClassVar[str] = SEAT_STATUS

    seats: dict[str, str] = field(default_factory=dict)
    areas: dict[str, int] = field(default_factory=dict)
    full: bool = optional(False)
    # why each blocked seat listed here is blocked (a key of ops.BLOCK_REASONS)
    blocked: dict[str, str] = optional({})


@dataclass(frozen=True, slots=True)
class PendingRelease(WireModel):
    """What goes back from a counter's allocation after its next push."""

    seats: tuple[int, ...] = ()
    areas: dict[str, int] = field(default_factory=dict)
    requested_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Allocation(WireModel):
    """Seats and GA places set aside for one counter to sell offline."""

    ENTITY: ClassVar[str] = ALLOCATION

    event: int
    id: int = optional(0)
    device: int | None = None
    seats: tuple[int, ...] = ()
    areas: dict[str, int] = field(default_factory=dict)  # quota left per area id
    sold: dict[str, int] = field(default_factory=dict)  # places of the quota the server has as sold
    pending_release: PendingRelease = optional(PendingRelease())
    version: int = optional(0)


@dataclass(frozen=True, slots=True)
class Device(WireModel):
    """A registered counter device, for a manager to allocate seats to (no secrets)."""

    ENTITY: ClassVar[str] = DEVICE

    id: int
    name: str
    active: bool = True  # registered and not retired
    version: int = optional(0)
    duty: str = optional("counter")  # counter | door: which window the device opens


@dataclass(frozen=True, slots=True)
class CheckinList(WireModel):
    """Who a door lets in for an event: the tickets it admits (none listed: every ticket
    of the event), its gates (none listed: any), whether exits are scanned and whether a
    ticket that went out may come back in, and the time window."""

    ENTITY: ClassVar[str] = CHECKIN_LIST

    id: int
    event: int
    name: str
    tickets: tuple[int, ...] = ()
    gates: tuple[str, ...] = ()
    exits: bool = False  # entry and exit scanning
    reentry: bool = False  # in again after an exit
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    version: int = optional(0)


@dataclass(frozen=True, slots=True)
class Admission(WireModel):
    """A booking line as the door needs it offline: its ticket and place, whether it still
    admits (``valid``, or refunded, cancelled, not_paid) and the nonce of its current code
    (a reissued line's older codes do not admit). `id` is the line id."""

    ENTITY: ClassVar[str] = ADMISSION

    id: str
    event: int
    ticket: int
    state: str
    seat: int | None = None
    area: int | None = None
    nonce: str = ""
    version: int = optional(0)


@dataclass(frozen=True, slots=True)
class CheckinRecord(WireModel):
    """A scan the server recorded (any device), so a door knows who is in."""

    ENTITY: ClassVar[str] = CHECKIN

    id: str  # the scan's uuid
    line: str
    list: int
    gate: str
    kind: str
    at: datetime
    verdict: str
    device: int | None = None
    double_entry: bool = False


@dataclass(frozen=True, slots=True)
class BookingLine(WireModel):
    id: uuid.UUID
    ticket: int
    price: Decimal
    tax_amount: Decimal
    state: str
    seat: int | None = None
    area: int | None = None


@dataclass(frozen=True, slots=True)
class Booking(WireModel):
    """A booking (counters do not keep them yet; door scanners will)."""

    ENTITY: ClassVar[str] = BOOKING

    id: uuid.UUID
    code: str
    event: int
    state: str
    channel: str
    currency: str
    total: Decimal
    buyer_name: str = ""
    expires_at: datetime | None = None
    lines: tuple[BookingLine, ...] = ()


FeedData = (
    SiteSettings
    | StaffUser
    | RoleRights
    | TicketKey
    | Venue
    | SeatMap
    | Event
    | Ticket
    | SeatStatus
    | Allocation
    | Booking
    | Device
    | CheckinList
    | Admission
    | CheckinRecord
)
ENTITIES: dict[str, type[FeedData]] = {
    cls.ENTITY: cls
    for cls in (
        SiteSettings,
        StaffUser,
        RoleRights,
        TicketKey,
        Venue,
        SeatMap,
        Event,
        Ticket,
        SeatStatus,
        Allocation,
        Booking,
        Device,
        CheckinList,
        Admission,
        CheckinRecord,
    )
}


def parse_data(entity: str, data: Any, *, ignore_unknown: bool = False) -> FeedData:
    """The typed `data` of an upsert of `entity`; `WireError` if it has not its shape."""
    cls = ENTITIES.get(entity)
    if cls is None:
        raise WireError("entity", f"unknown entity {entity!r}")
    return cls.from_wire(data, ignore_unknown=ignore_unknown)
