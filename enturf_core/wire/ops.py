"""The push ops a counter sends (`POST /api/v1/sync/push`), one class per op type.

Each class is the op's ``payload``; its ``OP_TYPE`` is the op's ``type``. The counter
builds them and sends :meth:`~enturf_core.wire.model.WireModel.to_wire`; the server reads
them with ``from_wire`` (the shape) and checks the values (lengths, amounts, rights) in
its services. The JSON is the one counters have always sent (docs/sync.md)::

    counter_sale     {"booking": {...}, "lines": [{...}], "payments": [{...}], "hold"?}
    event_update     {"id": 7, "fields": {"name": "New name"}}       (+ op's base, base_version)
    ticket_update    {"id": 3, "fields": {"price": "12.50"}}         (idem)
    shift_open       {"shift": {"id", "opened_at", "opening_float", "currency", "cashier"}}
    drawer_movement  {"movement": {"id", "shift", "kind", "amount", "reason", "at", "user"}}
    shift_close      {"shift", "closed_at", "counted", "report", "difference",
                      "approved_by"?, "approval"?}

and a manager's set-up of a venue (docs/sync.md, "Back office")::

    seatmap_publish   {"draft", "venue", "name", "base_seat_map"?, "as_newer"?, "layout"}
    event_create      {"id", "seat_map", "name", "starts_at", ..., "tickets": [{...}]}
    ticket_create     {"id", "event"? | "event_ref"?, "name", "price", "tax_rate", ...}
    ticket_remove     {"id"}
    seat_block        {"event", "seats", "reason", "note"?}
    seat_release      {"event", "seats"}
    allocation_change {"event", "device", "add_seats", "remove_seats", "areas"?}

and a door device's scans made offline (docs/checkin.md)::

    checkin           {"id", "code", "list", "gate", "kind", "scanned_at", "verdict",
                       "override_reason"?, "override_by"?}

Money is a ``Decimal`` here and text on the wire; an approval is the signed proof
``{"statement", "key_id", "signature"}`` (`enturf_core.approvals`), passed through.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from enturf_core.wire.model import WireError, WireModel, optional

COUNTER_SALE = "counter_sale"
EVENT_UPDATE = "event_update"
TICKET_UPDATE = "ticket_update"
SHIFT_OPEN = "shift_open"
DRAWER_MOVEMENT = "drawer_movement"
SHIFT_CLOSE = "shift_close"
SEATMAP_PUBLISH = "seatmap_publish"
EVENT_CREATE = "event_create"
TICKET_CREATE = "ticket_create"
TICKET_REMOVE = "ticket_remove"
SEAT_BLOCK = "seat_block"
SEAT_RELEASE = "seat_release"
ALLOCATION_CHANGE = "allocation_change"
CHECKIN = "checkin"
ENTRY, EXIT = "entry", "exit"
CHECKIN_KINDS = (ENTRY, EXIT)
DOOR_OVERRIDE = "door_override"  # the approval kind of a supervisor's override at the door

# Why a seat is blocked (`seat_block`): code -> words for the manager.
BLOCK_REASONS = {
    "technical": "Technical (broken seat, desk, cable run)",
    "camera": "Camera position",
    "house": "House seats held for the venue",
    "kill": "Kill (stage extension, sight line)",
}

CASH, CARD = "cash", "card"
PAYMENT_METHODS = (CASH, CARD)
CASH_IN, CASH_OUT = "cash_in", "cash_out"
MOVEMENT_KINDS = (CASH_IN, CASH_OUT)

Approval = dict[str, Any]  # {"statement": {...}, "key_id", "signature"}, checked by the server


# -- counter_sale -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineOverride(WireModel):
    """A supervisor's price change on a line; `approval` is None when none could be signed
    at the counter (the server then holds the sale for review)."""

    reason: str
    listed_price: Decimal | None = None
    approval: Approval | None = None


@dataclass(frozen=True, slots=True)
class SaleLine(WireModel):
    """One ticket sold: a seat or a place in a GA area (exactly one of them)."""

    id: uuid.UUID
    ticket: int
    price: Decimal  # paid, tax included, after the line's discount
    tax_rate: Decimal
    tax_amount: Decimal
    seat: int | None = optional()
    area: int | None = optional()
    discount: Decimal = Decimal("0.00")
    ticket_code: str = ""  # signed by the counter's key
    override: LineOverride | None = optional()

    def _check(self, path: str) -> None:
        if (self.seat is None) == (self.area is None):
            raise WireError(path, "a line sells exactly one seat or one GA place")


@dataclass(frozen=True, slots=True)
class CardSeen(WireModel):
    """What the counter shows of the card (the server takes the card from the gateway)."""

    brand: str = ""
    last4: str = ""


@dataclass(frozen=True, slots=True)
class SalePayment(WireModel):
    id: uuid.UUID
    method: str  # cash | card
    amount: Decimal
    currency: str
    tendered: Decimal | None = optional()  # cash: what was given
    change: Decimal | None = optional()  # cash: what was given back
    payment_intent: str | None = optional()  # card: the gateway's payment intent
    card: CardSeen | None = optional()
    authorization_code: str = optional("")

    def _check(self, path: str) -> None:
        if self.method not in PAYMENT_METHODS:
            raise WireError(f"{path}.method" if path else "method", "expected cash or card")


@dataclass(frozen=True, slots=True)
class SaleBooking(WireModel):
    id: uuid.UUID
    event: int
    created_at: datetime
    code: str = ""
    seller: str = ""  # who the counter says sold it: a note (the seller is who pushed)
    buyer_name: str = optional("")
    buyer_email: str = optional("")
    voucher: str | None = optional("")
    shift: uuid.UUID | None = optional()  # missing in sales queued by older counters


@dataclass(frozen=True, slots=True)
class CounterSale(WireModel):
    """A whole sale made at a counter, online or offline (`counter_sale`)."""

    OP_TYPE: ClassVar[str] = COUNTER_SALE

    booking: SaleBooking
    lines: tuple[SaleLine, ...]
    payments: tuple[SalePayment, ...]
    hold: uuid.UUID | None = optional()  # the online hold the sale completes

    @property
    def pays_by_card(self) -> bool:
        return any(p.method == CARD for p in self.payments)


# -- managers' edits ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventUpdate(WireModel):
    """New values of an event's fields, in the API's form (`event_update`); the op's
    ``base`` and ``base_version`` say what they were based on."""

    OP_TYPE: ClassVar[str] = EVENT_UPDATE

    id: int
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TicketUpdate(WireModel):
    """New values of a ticket's fields (`ticket_update`), as :class:`EventUpdate`."""

    OP_TYPE: ClassVar[str] = TICKET_UPDATE

    id: int
    fields: dict[str, Any]


# -- shifts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShiftOpening(WireModel):
    id: uuid.UUID
    opened_at: datetime
    opening_float: Decimal
    currency: str
    cashier: str = ""  # a note: the cashier is who pushed the op


@dataclass(frozen=True, slots=True)
class ShiftOpen(WireModel):
    OP_TYPE: ClassVar[str] = SHIFT_OPEN

    shift: ShiftOpening


@dataclass(frozen=True, slots=True)
class Movement(WireModel):
    id: uuid.UUID
    shift: uuid.UUID
    kind: str  # cash_in | cash_out
    amount: Decimal
    reason: str
    at: datetime
    user: str = ""  # a note: the user is who pushed the op

    def _check(self, path: str) -> None:
        if self.kind not in MOVEMENT_KINDS:
            raise WireError(f"{path}.kind" if path else "kind", "expected cash_in or cash_out")


@dataclass(frozen=True, slots=True)
class DrawerMovement(WireModel):
    OP_TYPE: ClassVar[str] = DRAWER_MOVEMENT

    movement: Movement


@dataclass(frozen=True, slots=True)
class ShiftClose(WireModel):
    """The Z close: amounts per method (cash, card), the counter's report (stored by the
    server as sent) and, above the threshold, an administrator's approval."""

    OP_TYPE: ClassVar[str] = SHIFT_CLOSE

    shift: uuid.UUID
    closed_at: datetime
    counted: dict[str, Decimal]
    report: dict[str, Any]
    difference: Decimal
    approved_by: str | None = optional()
    approval: Approval | None = optional()


# -- a manager's set-up of a venue --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeatMapPublish(WireModel):
    """Publish a seat-map draft as the next version of the venue's map `name`
    (`seatmap_publish`). `layout` is the seat map in Enturf's JSON (docs/seat-map.md,
    "File format"), without `venue` and `name`. `base_seat_map` is the published
    version the draft started from (None: a new map): if the server has a newer
    version of the same venue and name, the op is a conflict, unless `as_newer` (the
    manager chose to publish over it). `draft` makes a replay the same version.

    Applied: ``extra {"seat_map": id, "version": n}``. Conflict: ``server
    {"seat_map": id, "version": n}`` (the newest version). Rejected: the layout's first
    problem, ``code invalid_seat_map`` with ``details.path``."""

    OP_TYPE: ClassVar[str] = SEATMAP_PUBLISH

    draft: uuid.UUID
    venue: int
    name: str
    layout: dict[str, Any]
    base_seat_map: int | None = optional()
    as_newer: bool = optional(False)


@dataclass(frozen=True, slots=True)
class NewTicket(WireModel):
    """A ticket to create: it sells seats of `category` or places in GA `area` (one of
    them). `id` is the counter's; a replay creates nothing new."""

    id: uuid.UUID
    name: str
    price: Decimal
    tax_rate: Decimal = Decimal("0")
    category: str = optional("")
    area: int | None = optional()
    max_per_booking: int | None = optional()
    currency: str = optional("")  # "" : the site's currency

    def _check(self, path: str) -> None:
        if bool(self.category) == (self.area is not None):
            raise WireError(path, "a ticket sells one seat category or one GA area")


@dataclass(frozen=True, slots=True)
class EventCreate(WireModel):
    """A new event of a seat-map version, with its tickets (`event_create`); a duplicate
    or each date of a series is one op, `copy_of` naming the event it copies.

    Applied: ``extra {"event": id, "tickets": {ticket uuid: id}}``."""

    OP_TYPE: ClassVar[str] = EVENT_CREATE

    id: uuid.UUID
    seat_map: int
    name: str
    starts_at: datetime
    tickets: tuple[NewTicket, ...] = ()
    description: str = optional("")
    ends_at: datetime | None = optional()
    sales_start: datetime | None = optional()
    sales_end: datetime | None = optional()
    state: str = optional("draft")
    copy_of: int | None = optional()


@dataclass(frozen=True, slots=True)
class TicketCreate(WireModel):
    """A new ticket of an event (`ticket_create`): of a synced event (`event`), or of one
    created on this counter and not yet synced (`event_ref`, its `event_create` id).

    Applied: ``extra {"ticket": id}``."""

    OP_TYPE: ClassVar[str] = TICKET_CREATE

    ticket: NewTicket
    event: int | None = optional()
    event_ref: uuid.UUID | None = optional()

    def _check(self, path: str) -> None:
        if (self.event is None) == (self.event_ref is None):
            raise WireError(path, "name the event by `event` or by `event_ref`")


@dataclass(frozen=True, slots=True)
class TicketRemove(WireModel):
    """Remove a ticket (`ticket_remove`): deleted when nothing was sold with it,
    otherwise retired (no longer sold). Applied: ``extra {"outcome": "deleted" |
    "retired"}``."""

    OP_TYPE: ClassVar[str] = TICKET_REMOVE

    id: int


@dataclass(frozen=True, slots=True)
class SeatBlock(WireModel):
    """Block free seats of an event (`seat_block`): not sold online or at a counter
    until released. A seat that is held, sold or allocated refuses the whole op (code
    ``seats_unavailable``, ``details {"seats": {seat id: status}}``)."""

    OP_TYPE: ClassVar[str] = SEAT_BLOCK

    event: int
    seats: tuple[int, ...]
    reason: str  # a key of BLOCK_REASONS
    note: str = optional("")

    def _check(self, path: str) -> None:
        if self.reason not in BLOCK_REASONS:
            raise WireError(
                _at_field(path, "reason"), f"expected one of {', '.join(BLOCK_REASONS)}"
            )


@dataclass(frozen=True, slots=True)
class SeatRelease(WireModel):
    """Release blocked seats of an event to sale (`seat_release`)."""

    OP_TYPE: ClassVar[str] = SEAT_RELEASE

    event: int
    seats: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AllocationChange(WireModel):
    """Seats (and GA quotas) of an event put on or taken off a counter device's allocation
    (`allocation_change`), through the allocation rules of the API (docs/offline-selling.md):
    a seat that is held, sold, blocked or on another counter refuses the whole op (code
    ``seats_unavailable``). `areas` sets the GA quota per area id (absent: unchanged)."""

    OP_TYPE: ClassVar[str] = ALLOCATION_CHANGE

    event: int
    device: int
    add_seats: tuple[int, ...] = ()
    remove_seats: tuple[int, ...] = ()
    areas: dict[str, int] | None = optional()


# -- the door -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checkin(WireModel):
    """One scan at a door made offline (`checkin`): the server keeps every scan, refused
    ones too. `id` is the device's: a replay is the same record. `verdict` is what the
    device showed (an `enturf_core.checkin_verdicts.Verdict`); `override_reason` says a
    supervisor let the person in despite it, proven by `approval` (DOOR_OVERRIDE).

    Applied: ``extra {"checkin": id, "verdict": the server's verdict, "double_entry":
    bool}`` (a double entry: another device admitted the ticket earlier and there was no
    exit between)."""

    OP_TYPE: ClassVar[str] = CHECKIN

    id: uuid.UUID
    code: str
    list: int
    gate: str
    kind: str
    scanned_at: datetime
    verdict: str
    override_reason: str = optional("")
    override_by: str = optional("")  # a note: the supervisor is who signed `approval`
    # an administrator's signed approval of the override (kind "door_override", subject
    # the scan's id, figures {"reason"}); not needed when an administrator pushes
    approval: Approval | None = optional()

    def _check(self, path: str) -> None:
        if self.kind not in CHECKIN_KINDS:
            raise WireError(_at_field(path, "kind"), "expected entry or exit")


def _at_field(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


PushPayload = (
    CounterSale
    | EventUpdate
    | TicketUpdate
    | ShiftOpen
    | DrawerMovement
    | ShiftClose
    | SeatMapPublish
    | EventCreate
    | TicketCreate
    | TicketRemove
    | SeatBlock
    | SeatRelease
    | AllocationChange
    | Checkin
)
OPS: dict[str, type[PushPayload]] = {
    cls.OP_TYPE: cls
    for cls in (
        CounterSale,
        EventUpdate,
        TicketUpdate,
        ShiftOpen,
        DrawerMovement,
        ShiftClose,
        SeatMapPublish,
        EventCreate,
        TicketCreate,
        TicketRemove,
        SeatBlock,
        SeatRelease,
        AllocationChange,
        Checkin,
    )
}


def parse_op(op_type: str, payload: Any) -> PushPayload:
    """The typed payload of an op of `op_type`; `WireError` if it has not its shape."""
    cls = OPS.get(op_type)
    if cls is None:
        raise WireError("type", f"unknown op type {op_type!r}")
    return cls.from_wire(payload)
