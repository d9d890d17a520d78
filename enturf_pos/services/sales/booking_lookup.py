"""Finding a booking at the counter: by booking code, buyer name or e-mail, or by a
ticket's code (typed or scanned from its QR code).

Online the server is asked (`GET /api/v1/bookings/?search=`, the detail, its payments
and refunds); this counter's sales that have not reached the server yet are added from
the local database. Offline only this counter's local sales (`local_sales`, pushed or
not) can be found, with the refunds made here (`local_refunds`).

Every function is meant for a worker thread and answers plain dataclasses; network and
server problems become a result with a message, never an exception. Names (event,
ticket, seat or area) come from the synced catalog of this counter.

A ticket code (``v1.<key id>.<payload>.<signature>``) is verified here with the synced
public keys (`ticket_keys`); its payload names the ticket's line, and the booking holding
that line is asked for (`GET /api/v1/bookings/?line=`), or found among this counter's
sales offline.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from enturf_core import ticket_codes
from enturf_core.money import Money
from enturf_pos.models import (
    Area,
    Event,
    LocalRefund,
    LocalSale,
    OutboxOp,
    Seat,
    Ticket,
    TicketKey,
)
from enturf_pos.services.sales.sale_service import REVIEW, sale_with_op
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync.sync_wire import parse_time

log = logging.getLogger(__name__)

BOOKINGS = "/api/v1/bookings/"
REFUNDS = "/api/v1/refunds/"
MAX_RESULTS = 50
NOT_SIGNED_IN = "Not signed in to the server; only this counter's sales can be searched."
TICKET_CODE_PROBLEMS: dict[ticket_codes.Reason | None, str] = {
    ticket_codes.Reason.UNKNOWN_KEY: (
        "This ticket was signed by a key this counter does not know yet: "
        "sync (F5) and scan it again."
    ),
    ticket_codes.Reason.BAD_SIGNATURE: "This is not a valid ticket: its code was altered.",
    ticket_codes.Reason.KEY_RETIRED: (
        "This is not a valid ticket: it was signed after its counter was retired."
    ),
    None: "This is not a valid ticket code; type the booking code instead.",
}

# Where a booking was read from.
SERVER = "server"
LOCAL = "local"  # this counter's database (offline, or not sent yet)


@dataclass(frozen=True, slots=True)
class BookingLine:
    id: uuid.UUID
    event_id: int
    event_name: str
    ticket_id: int
    ticket_name: str
    place: str  # "Stalls · Row A · Seat 3" or the standing area's name
    price: Money
    state: str  # valid, refunded, cancelled...
    seat_id: int | None = None
    area_id: int | None = None

    @property
    def refundable(self) -> bool:
        return self.state == "valid"


@dataclass(frozen=True, slots=True)
class BookingPayment:
    id: uuid.UUID
    method: str  # cash, card
    amount: Money
    state: str
    refunded: Money
    card_brand: str = ""
    card_last4: str = ""

    @property
    def label(self) -> str:
        if self.method == "card":
            brand = self.card_brand.title() if self.card_brand else "Card"
            return f"{brand} ending {self.card_last4}" if self.card_last4 else brand
        return "Cash"


@dataclass(frozen=True, slots=True)
class BookingRefund:
    id: uuid.UUID
    amount: Money
    method: str  # cash, card, mixed, none
    state: str  # pending, succeeded, failed
    created_at: datetime | None
    lines: tuple[uuid.UUID, ...]
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BookingSummary:
    """One row of the results list."""

    id: uuid.UUID
    code: str
    buyer_name: str
    buyer_email: str
    event_name: str
    state: str
    total: Money
    tickets: int
    created_at: datetime | None
    source: str  # SERVER or LOCAL
    pending_push: bool = False  # a local sale the server does not have yet


@dataclass(frozen=True, slots=True)
class BookingDetail:
    summary: BookingSummary
    lines: tuple[BookingLine, ...]
    payments: tuple[BookingPayment, ...]
    refunds: tuple[BookingRefund, ...]
    local_sale: bool  # sold at this counter: the receipt and tickets can be reprinted

    @property
    def id(self) -> uuid.UUID:
        return self.summary.id

    @property
    def code(self) -> str:
        return self.summary.code

    @property
    def state(self) -> str:
        return self.summary.state

    @property
    def has_refundable_lines(self) -> bool:
        """Paid, with tickets not refunded yet (whatever the source says)."""
        return self.state in ("paid", "partially_refunded") and any(
            line.refundable for line in self.lines
        )

    @property
    def refundable(self) -> bool:
        """Refundable now: read from the server (refunds need it)."""
        return self.summary.source == SERVER and self.has_refundable_lines

    @property
    def cancellable(self) -> bool:
        return self.summary.source == SERVER and self.state == "pending"


@dataclass(frozen=True, slots=True)
class SearchResult:
    ok: bool
    message: str
    bookings: tuple[BookingSummary, ...] = ()
    online: bool = False


@dataclass(frozen=True, slots=True)
class DetailResult:
    ok: bool
    message: str
    booking: BookingDetail | None = None


@dataclass
class _Names:
    """Catalog names from this counter's database, read once per request."""

    events: dict[int, str] = field(default_factory=dict)
    tickets: dict[int, str] = field(default_factory=dict)
    seats: dict[int, str] = field(default_factory=dict)
    areas: dict[int, str] = field(default_factory=dict)

    def event(self, event_id: int | None) -> str:
        if event_id is None:
            return ""
        return self.events.get(event_id, f"Event {event_id}")

    def ticket(self, ticket_id: int) -> str:
        return self.tickets.get(ticket_id, f"Ticket {ticket_id}")

    def place(self, seat_id: int | None, area_id: int | None) -> str:
        if seat_id is not None:
            return self.seats.get(seat_id, f"Seat {seat_id}")
        if area_id is not None:
            return self.areas.get(area_id, f"Area {area_id}")
        return ""


def _in_order(lines: Iterable[BookingLine]) -> tuple[BookingLine, ...]:
    """Seats in map order (their ids follow the layout), then standing places."""
    return tuple(
        sorted(lines, key=lambda ln: (ln.seat_id is None, ln.seat_id or 0, ln.area_id or 0))
    )


def normalise_code(text: str) -> str:
    """As the server matches codes: case, spaces and dashes ignored."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _names(
    session: Session,
    *,
    events: Iterable[int] = (),
    tickets: Iterable[int] = (),
    seats: Iterable[int] = (),
    areas: Iterable[int] = (),
) -> _Names:
    names = _Names()
    if event_ids := {e for e in events if e is not None}:
        names.events = dict(
            session.execute(select(Event.id, Event.name).where(Event.id.in_(event_ids))).all()
        )
    if ticket_ids := {t for t in tickets if t is not None}:
        names.tickets = dict(
            session.execute(select(Ticket.id, Ticket.name).where(Ticket.id.in_(ticket_ids))).all()
        )
    if seat_ids := {s for s in seats if s is not None}:
        rows = session.execute(
            select(Seat.id, Seat.section, Seat.row, Seat.label).where(Seat.id.in_(seat_ids))
        )
        for seat_id, section, row, label in rows:
            parts = [p for p in (section, f"Row {row}" if row else "", f"Seat {label}") if p]
            names.seats[seat_id] = " · ".join(parts)
    if area_ids := {a for a in areas if a is not None}:
        names.areas = dict(
            session.execute(select(Area.id, Area.name).where(Area.id.in_(area_ids))).all()
        )
    return names


def _money(value: Any, currency: str) -> Money:
    return Money(Decimal(str(value if value not in (None, "") else "0")), currency)


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


# -- local sales ----------------------------------------------------------------------------


def _local_state(sale: LocalSale, refunded_lines: set[str], op: OutboxOp | None) -> str:
    line_ids = {str(line["id"]) for line in sale.payload.get("lines") or ()}
    if op is not None and op.state == "rejected":
        return "refused by the server"
    if op is not None and ((op.result or {}).get("booking") or {}).get("state") == REVIEW:
        return REVIEW  # the last the server said: kept there, waiting for a manager
    if line_ids and line_ids <= refunded_lines:
        return "refunded"
    if line_ids & refunded_lines:
        return "partially_refunded"
    return "paid"


def _server_code(sale: LocalSale, op: OutboxOp | None) -> str:
    result = (op.result if op is not None else None) or {}
    return str((result.get("booking") or {}).get("code") or sale.code)


def _refunded_line_ids(
    session: Session, sale_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, set[str]]:
    out: dict[uuid.UUID, set[str]] = {}
    if not sale_ids:
        return out
    rows = session.scalars(select(LocalRefund).where(LocalRefund.booking_id.in_(sale_ids)))
    sales = {s.id: s for s in session.scalars(select(LocalSale).where(LocalSale.id.in_(sale_ids)))}
    for refund in rows:
        ids = out.setdefault(refund.booking_id, set())
        if refund.lines:
            ids.update(str(line["line"]) for line in refund.lines)
        elif (sale := sales.get(refund.booking_id)) is not None:  # the whole booking
            ids.update(str(line["id"]) for line in sale.payload.get("lines") or ())
    return out


def _local_summary(
    sale: LocalSale, op: OutboxOp | None, names: _Names, refunded: set[str]
) -> BookingSummary:
    booking = sale.payload.get("booking") or {}
    return BookingSummary(
        id=sale.id,
        code=_server_code(sale, op),
        buyer_name=str(booking.get("buyer_name") or ""),
        buyer_email=str(booking.get("buyer_email") or ""),
        event_name=names.event(sale.event_id),
        state=_local_state(sale, refunded, op),
        total=_money(sale.total, sale.currency or "EUR"),
        tickets=len(sale.payload.get("lines") or ()),
        created_at=sale.created_at,
        source=LOCAL,
        pending_push=op is None or op.state != "applied",
    )


def _local_matches(
    session: Session, text: str, *, pending_only: bool
) -> list[tuple[LocalSale, OutboxOp | None]]:
    booking = LocalSale.payload["booking"]
    needle = f"%{text.lower()}%"
    code = normalise_code(text)
    stmt = (
        select(LocalSale, OutboxOp)
        .outerjoin(OutboxOp, OutboxOp.id == LocalSale.op_id)
        .where(
            or_(
                LocalSale.code == code,
                func.lower(booking["buyer_name"].as_string()).like(needle),
                func.lower(booking["buyer_email"].as_string()).like(needle),
            )
        )
        .order_by(LocalSale.created_at.desc())
        .limit(MAX_RESULTS)
    )
    if pending_only:
        stmt = stmt.where(or_(OutboxOp.id.is_(None), OutboxOp.state != "applied"))
    rows = [(sale, op) for sale, op in session.execute(stmt)]
    if code and not any(sale.code == code for sale, _ in rows):
        # the server may have given the sale another code when it was pushed
        for sale, op in session.execute(
            select(LocalSale, OutboxOp)
            .join(OutboxOp, OutboxOp.id == LocalSale.op_id)
            .where(OutboxOp.result["booking"]["code"].as_string() == code)
        ):
            rows.append((sale, op))
    return rows


def _local_line_matches(
    session: Session, line_id: str, *, pending_only: bool
) -> list[tuple[LocalSale, OutboxOp | None]]:
    """This counter's sale holding ticket line `line_id` (a canonical UUID string)."""
    stmt = (
        select(LocalSale, OutboxOp)
        .outerjoin(OutboxOp, OutboxOp.id == LocalSale.op_id)
        .where(cast(LocalSale.payload, String).like(f'%"{line_id}"%'))  # then checked below
    )
    if pending_only:
        stmt = stmt.where(or_(OutboxOp.id.is_(None), OutboxOp.state != "applied"))
    return [
        (sale, op)
        for sale, op in session.execute(stmt)
        if any(str(line.get("id")) == line_id for line in sale.payload.get("lines") or ())
    ]


Matcher = Callable[..., list[tuple[LocalSale, OutboxOp | None]]]


def _local_search(
    ctx: PosContext, matches: Matcher, *, pending_only: bool = False
) -> list[BookingSummary]:
    with ctx.db.transaction() as session:
        rows = matches(session, pending_only=pending_only)
        names = _names(session, events=[sale.event_id for sale, _ in rows])
        refunded = _refunded_line_ids(session, [sale.id for sale, _ in rows])
        return [_local_summary(sale, op, names, refunded.get(sale.id, set())) for sale, op in rows]


def local_detail(*, ctx: PosContext, booking_id: uuid.UUID) -> BookingDetail | None:
    """A sale of this counter as its database has it (with the refunds made here)."""
    with ctx.db.transaction() as session:
        row = sale_with_op(session, booking_id)
        if row is None:
            return None
        sale, op = row
        payload_lines = sale.payload.get("lines") or []
        names = _names(
            session,
            events=[sale.event_id] if sale.event_id is not None else [],
            tickets=[int(line["ticket"]) for line in payload_lines],
            seats=[int(line["seat"]) for line in payload_lines if line.get("seat") is not None],
            areas=[int(line["area"]) for line in payload_lines if line.get("area") is not None],
        )
        refunded = _refunded_line_ids(session, [sale.id]).get(sale.id, set())
        currency = sale.currency or "EUR"
        lines = _in_order(
            BookingLine(
                id=_uuid(line["id"]),
                event_id=int(sale.event_id or 0),
                event_name=names.event(sale.event_id),
                ticket_id=int(line["ticket"]),
                ticket_name=names.ticket(int(line["ticket"])),
                place=names.place(line.get("seat"), line.get("area")),
                price=_money(line.get("price"), currency),
                state="refunded" if str(line["id"]) in refunded else "valid",
                seat_id=line.get("seat"),
                area_id=line.get("area"),
            )
            for line in payload_lines
        )
        payments = tuple(payment_from_api(p, currency) for p in sale.payload.get("payments") or ())
        refunds = tuple(
            BookingRefund(
                id=r.id,
                amount=_money(r.amount, r.currency),
                method=_method_of(r.parts),
                state="succeeded",
                created_at=r.created_at,
                lines=tuple(_uuid(line["line"]) for line in r.lines or ()),
                reason=r.reason,
            )
            for r in session.scalars(
                select(LocalRefund)
                .where(LocalRefund.booking_id == sale.id)
                .order_by(LocalRefund.created_at)
            )
        )
        summary = _local_summary(sale, op, names, refunded)
        return BookingDetail(summary, lines, payments, refunds, local_sale=True)


def _method_of(parts: Sequence[Mapping[str, Any]]) -> str:
    methods = {str(p.get("method")) for p in parts or () if Decimal(str(p.get("amount", 0))) > 0}
    if not methods:
        return "none"
    return methods.pop() if len(methods) == 1 else "mixed"


def payment_from_api(data: Mapping[str, Any], currency: str) -> BookingPayment:
    card = data.get("card") if isinstance(data.get("card"), Mapping) else {}
    cur = str(data.get("currency") or currency)
    return BookingPayment(
        id=_uuid(data["id"]),
        method=str(data.get("method") or "cash"),
        amount=_money(data.get("amount"), cur),
        state=str(data.get("state") or "succeeded"),
        refunded=_money(data.get("refunded_amount"), cur),
        card_brand=str(data.get("card_brand") or card.get("brand") or ""),
        card_last4=str(data.get("card_last4") or card.get("last4") or ""),
    )


# -- the server -----------------------------------------------------------------------------


def results_of(answer: Any) -> list[dict[str, Any]]:
    return list(answer.get("results", [])) if isinstance(answer, dict) else list(answer or [])


def _server_summaries(ctx: PosContext, bookings: list[dict[str, Any]]) -> list[BookingSummary]:
    with ctx.db.transaction() as session:
        names = _names(session, events=[b.get("event") for b in bookings])
    return [_server_summary(b, names) for b in bookings]


def _server_summary(data: Mapping[str, Any], names: _Names) -> BookingSummary:
    currency = str(data.get("currency") or "EUR")
    return BookingSummary(
        id=_uuid(data["id"]),
        code=str(data.get("code") or ""),
        buyer_name=str(data.get("buyer_name") or ""),
        buyer_email=str(data.get("buyer_email") or ""),
        event_name=names.event(data.get("event")),
        state=str(data.get("state") or ""),
        total=_money(data.get("total"), currency),
        tickets=len(data.get("lines") or ()),
        created_at=parse_time(data.get("created_at")),
        source=SERVER,
    )


def search(*, ctx: PosContext, text: str, online: bool) -> SearchResult:
    """Bookings whose code is `text` or whose buyer's name or e-mail contains it; for a
    ticket code, the booking of that ticket."""
    text = text.strip()
    if is_ticket_code(text):
        line_id, problem = ticket_line(ctx, text)
        if line_id is None:
            return SearchResult(False, problem)
        return _search(
            ctx,
            {"line": line_id},
            lambda session, **kw: _local_line_matches(session, line_id, **kw),
            online=online,
        )
    if len(text) < 2:
        return SearchResult(
            False, "Type a booking code, or at least two letters of a name or e-mail."
        )
    return _search(
        ctx,
        {"search": text},
        lambda session, **kw: _local_matches(session, text, **kw),
        online=online,
    )


def _search(
    ctx: PosContext, params: dict[str, str], matches: Matcher, *, online: bool
) -> SearchResult:
    """The server's answer to `params` plus this counter's unsent sales; offline (or when
    the server cannot be reached) this counter's sales that `matches`."""
    if online:
        client = ctx.user_client()
        if client is not None:
            try:
                answer = client.get(BOOKINGS, params={**params, "page_size": MAX_RESULTS})
                found = _server_summaries(ctx, results_of(answer))
            except ServerUnreachable as exc:
                log.info("booking search offline: %s", exc.message)
            except ApiError as exc:
                return SearchResult(False, f"The server refused the search: {exc.message}")
            else:
                known = {b.id for b in found}
                found += [
                    b for b in _local_search(ctx, matches, pending_only=True) if b.id not in known
                ]
                return SearchResult(True, _count(found, online=True), tuple(found), online=True)
            finally:
                client.close()
    found = _local_search(ctx, matches)
    message = _count(found, online=False)
    return SearchResult(True, message, tuple(found), online=False)


def is_ticket_code(text: str) -> bool:
    """A ticket's signed code (``v1.<key id>.<payload>.<signature>``), not a name."""
    return text.startswith(f"{ticket_codes.VERSION}.") and text.count(".") == 3


def ticket_line(ctx: PosContext, code: str) -> tuple[str | None, str]:
    """The line id a ticket code names, checked against the signers' public keys this
    counter has synced; (None, why) when the code cannot be trusted."""
    with ctx.db.transaction() as session:
        keys = session.execute(select(TicketKey.public_key, TicketKey.retired_at)).all()
    infos = []
    for public_key, retired_at in keys:
        try:
            infos.append(ticket_codes.PublicKeyInfo.from_base64(public_key, retired_at))
        except ValueError:
            log.warning("a synced ticket key is not an Ed25519 public key; skipped")
    try:
        claims = ticket_codes.verify(code, ticket_codes.keyring_of(*infos))
    except ticket_codes.InvalidTicketCode as exc:
        return None, TICKET_CODE_PROBLEMS.get(exc.reason, TICKET_CODE_PROBLEMS[None])
    return str(claims.line_id), ""


def _count(found: Sequence[BookingSummary], *, online: bool) -> str:
    where = "" if online else " (offline: this counter's sales only)"
    if not found:
        return f"No booking found{where}."
    return f"{len(found)} booking{'s' if len(found) != 1 else ''} found{where}."


def detail(*, ctx: PosContext, booking_id: uuid.UUID, online: bool) -> DetailResult:
    """One booking with its lines, payments and refunds (from the server when online)."""
    not_on_server = False
    if online and (client := ctx.user_client()) is not None:
        try:
            booking = client.get(f"{BOOKINGS}{booking_id}/")
            payments = client.get(f"{BOOKINGS}{booking_id}/payments/")
            refunds = results_of(
                client.get(REFUNDS, params={"booking": str(booking_id), "page_size": 100})
            )
        except ServerUnreachable as exc:
            log.info("booking detail offline: %s", exc.message)
        except ApiError as exc:
            if exc.status != 404:
                return DetailResult(False, f"The server refused: {exc.message}")
            not_on_server = True
            # not on the server (yet): a sale of this counter waiting to be sent
        else:
            return DetailResult(
                True, "", server_detail(ctx, booking, results_of(payments), refunds)
            )
        finally:
            client.close()
    local = local_detail(ctx=ctx, booking_id=booking_id)
    if local is None:
        if not_on_server:
            return DetailResult(False, "There is no such booking (any more).")
        return DetailResult(
            False, "This booking is on the server; it cannot be shown while offline."
        )
    return DetailResult(True, "", local)


def server_detail(
    ctx: PosContext,
    booking: Mapping[str, Any],
    payments: Sequence[Mapping[str, Any]],
    refunds: Sequence[Mapping[str, Any]],
) -> BookingDetail:
    currency = str(booking.get("currency") or "EUR")
    raw_lines = booking.get("lines") or []
    event_id = booking.get("event")
    with ctx.db.transaction() as session:
        names = _names(
            session,
            events=[event_id],
            tickets=[line["ticket"] for line in raw_lines],
            seats=[line.get("seat") for line in raw_lines],
            areas=[line.get("area") for line in raw_lines],
        )
        local_sale = session.get(LocalSale, _uuid(booking["id"])) is not None
    lines = _in_order(
        BookingLine(
            id=_uuid(line["id"]),
            event_id=int(event_id or 0),
            event_name=names.event(event_id),
            ticket_id=int(line["ticket"]),
            ticket_name=names.ticket(int(line["ticket"])),
            place=names.place(line.get("seat"), line.get("area")),
            price=_money(line.get("price"), currency),
            state=str(line.get("state") or ""),
            seat_id=line.get("seat"),
            area_id=line.get("area"),
        )
        for line in raw_lines
    )
    return BookingDetail(
        summary=_server_summary(booking, names),
        lines=lines,
        payments=tuple(payment_from_api(p, currency) for p in payments),
        refunds=tuple(
            BookingRefund(
                id=_uuid(r["id"]),
                amount=_money(r.get("amount"), str(r.get("currency") or currency)),
                method=str(r.get("method") or ""),
                state=str(r.get("state") or ""),
                created_at=parse_time(r.get("created_at")),
                lines=tuple(_uuid(x) for x in r.get("lines") or ()),
                reason=str(r.get("reason") or ""),
            )
            for r in refunds
        ),
        local_sale=local_sale,
    )
