"""What a printed receipt and a printed ticket show, as plain data, and how to read them
from a local sale.

`receipt_for_sale` and `tickets_for_sale` read the local database (the sale's
`counter_sale` payload, the synced event, venue, seats, tickets, settings, this counter
and its users) and answer frozen dataclasses; the renderers (`receipt_pdf`, and for
tickets `enturf_core.ticket_pdf`, whose `TicketDocument` the server fills from its own
rows) take only these, so a caller may also build them by hand. Times are converted to the
venue's time zone here (`venue_time`). A reprint passes ``copy=True``: the documents say COPY.

Card payments show the brand and the last four digits only: whatever the payload holds,
nothing longer than four digits of a card number reaches a document.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.money import Money
from enturf_core.pricing.breakdown import LineKind, PriceBreakdown, PricedLine, TaxSummary
from enturf_core.ticket_pdf import Place, TicketDocument, line_reference
from enturf_core.wire.ops import CARD, CASH, CounterSale, SaleLine, SalePayment
from enturf_pos.models import (
    Area,
    Device,
    Event,
    LocalSale,
    Seat,
    SiteSettings,
    Ticket,
    Venue,
)
from enturf_pos.services import people, venue_time
from enturf_pos.services.session.pos_context import PosContext

_CARD_BRANDS = {
    "visa": "Visa",
    "mastercard": "Mastercard",
    "amex": "American Express",
    "american_express": "American Express",
    "maestro": "Maestro",
    "discover": "Discover",
    "diners": "Diners Club",
    "jcb": "JCB",
    "unionpay": "UnionPay",
    "interac": "Interac",
    "eftpos_au": "eftpos",
    "girocard": "girocard",
}


class SaleNotFound(LookupError):
    """No local sale with that id."""


@dataclass(frozen=True, slots=True)
class Seller:
    name: str
    address: str = ""  # may hold line breaks
    vat_id: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    ticket_name: str
    place: Place
    price: Money  # what was paid for it, tax included, after any discount
    discount: Money
    tax_rate: Decimal
    listed: Money | None = None  # a supervisor changed the price from this one
    override_reason: str = ""


@dataclass(frozen=True, slots=True)
class PaymentInfo:
    method: str  # cash or card
    amount: Money
    tendered: Money | None = None  # cash
    change: Money | None = None  # cash
    card_brand: str = ""  # card: e.g. "Visa"
    card_last4: str = ""  # card: four digits, never more

    def __post_init__(self) -> None:
        if self.card_last4 and not re.fullmatch(r"[0-9]{4}", self.card_last4):
            raise ValueError("card_last4 holds exactly four digits")


@dataclass(frozen=True, slots=True)
class ReceiptData:
    seller: Seller
    event_name: str
    starts_at: datetime  # in the venue's time zone
    venue_name: str
    lines: tuple[ReceiptLine, ...]
    taxes: tuple[TaxSummary, ...]  # per rate, ascending, from enturf_core.pricing
    total: Money
    discount: Money
    payments: tuple[PaymentInfo, ...]
    booking_code: str
    sold_at: datetime  # in the venue's time zone
    counter_name: str
    cashier_name: str
    voucher_code: str = ""
    copy: bool = False
    printed_at: datetime | None = None  # a reprint's time, shown under COPY


# -- reading a local sale --------------------------------------------------------------------


def _last4(value: object) -> str:
    digits = re.sub(r"[^0-9]", "", str(value or ""))
    return digits[-4:] if len(digits) >= 4 else ""


def _brand(value: object) -> str:
    text = str(value or "").strip()
    return _CARD_BRANDS.get(text.lower().replace(" ", "_"), text.title())


def payment_info(payment: SalePayment, currency: str) -> PaymentInfo:
    """A payment of a `counter_sale` payload (the card as the counter saw it)."""
    cur = payment.currency or currency

    def money(value: Decimal | None) -> Money | None:
        return None if value is None else Money(value, cur)

    card = payment.card if payment.method == CARD else None
    cash = payment.method == CASH
    return PaymentInfo(
        method=payment.method,
        amount=Money(payment.amount, cur),
        tendered=money(payment.tendered) if cash else None,
        change=money(payment.change) if cash else None,
        card_brand=_brand(card.brand) if card is not None else "",
        card_last4=_last4(card.last4) if card is not None else "",
    )


def _breakdown(lines: tuple[SaleLine, ...], currency: str, voucher: str | None) -> PriceBreakdown:
    """The sale's lines as enturf_core.pricing lines; from_lines re-checks every sum."""
    priced = []
    for n, line in enumerate(lines, 1):
        gross = Money(line.price, currency)
        discount = Money(line.discount, currency)
        tax = Money(line.tax_amount, currency)
        priced.append(
            PricedLine(
                line_no=n,
                kind=LineKind.TICKET,
                tax_rate=line.tax_rate,
                price=gross + discount,
                discount=discount,
                gross=gross,
                tax=tax,
                net=gross - tax,
                key=str(line.id),
                ticket_id=str(line.ticket),
            )
        )
    return PriceBreakdown.from_lines(currency, priced, voucher)


@dataclass(frozen=True, slots=True)
class _SaleView:
    sale: LocalSale
    stored: CounterSale  # the sale's payload
    event: Event | None
    venue: Venue | None
    seller: Seller
    places: dict[uuid.UUID, Place]  # line id -> place
    ticket_names: dict[int, str]


def _load(session: Session, sale_id: uuid.UUID) -> _SaleView:
    sale = session.get(LocalSale, sale_id)
    if sale is None:
        raise SaleNotFound(f"No sale {sale_id} on this counter.")
    stored = sale.sale
    lines = stored.lines
    event_id = sale.event_id or stored.booking.event
    event = session.get(Event, event_id)
    venue = session.get(Venue, event.venue_id) if event and event.venue_id else None
    settings = session.get(SiteSettings, 1)
    data = settings.data if settings is not None else {}
    seller = Seller(
        name=str(data.get("seller_name") or ""),
        address=str(data.get("seller_address") or ""),
        vat_id=str(data.get("seller_vat_id") or ""),
    )
    seat_ids = [line.seat for line in lines if line.seat is not None]
    area_ids = [line.area for line in lines if line.area is not None]
    seats = {s.id: s for s in session.scalars(select(Seat).where(Seat.id.in_(seat_ids)))}
    areas = {a.id: a for a in session.scalars(select(Area).where(Area.id.in_(area_ids)))}
    places: dict[uuid.UUID, Place] = {}
    for line in lines:
        if line.seat is not None:
            seat = seats.get(line.seat)
            places[line.id] = (
                Place(section=seat.section, row=seat.row, seat=seat.label)
                if seat is not None
                else Place(seat=str(line.seat))
            )
        else:
            area = areas.get(line.area) if line.area is not None else None
            places[line.id] = Place(area=area.name if area else f"Area {line.area}")
    ticket_ids = {line.ticket for line in lines}
    names = {t.id: t.name for t in session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids)))}
    return _SaleView(sale, stored, event, venue, seller, places, names)


def _event_bits(view: _SaleView) -> tuple[str, datetime, str]:
    event, sale = view.event, view.sale
    name = event.name if event else f"Event {sale.event_id}"
    starts = venue_time.at_venue(
        event.starts_at if event else sale.created_at, view.venue.timezone if view.venue else None
    )
    return name, starts, view.venue.name if view.venue else ""


def _as_id(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _override(line: SaleLine, currency: str) -> dict[str, Any]:
    """A supervisor's price override on a sale line: its listed price and reason."""
    override = line.override
    if override is None or override.listed_price is None:
        return {}
    return {
        "listed": Money(override.listed_price, currency),
        "override_reason": override.reason,
    }


def receipt_for_sale(
    ctx: PosContext, sale_id: uuid.UUID | str, *, copy: bool = False
) -> ReceiptData:
    """The receipt of a local sale; ``copy=True`` for a reprint. Raises SaleNotFound."""
    with ctx.db.transaction() as session:
        view = _load(session, _as_id(sale_id))
        sale = view.sale
        stored = view.stored
        booking, lines = stored.booking, stored.lines
        currency = sale.currency or (stored.payments[0].currency if stored.payments else "EUR")
        breakdown = _breakdown(lines, currency, booking.voucher)
        device = session.get(Device, 1)
        cashier = sale.seller or booking.seller
        event_name, starts, venue_name = _event_bits(view)
        receipt_lines = tuple(
            ReceiptLine(
                ticket_name=view.ticket_names.get(line.ticket, f"Ticket {line.ticket}"),
                place=view.places[line.id],
                price=priced.gross,
                discount=priced.discount,
                tax_rate=priced.tax_rate,
                **_override(line, currency),
            )
            for line, priced in zip(lines, breakdown.ticket_lines(), strict=True)
        )
        return ReceiptData(
            seller=view.seller,
            event_name=event_name,
            starts_at=starts,
            venue_name=venue_name,
            lines=receipt_lines,
            taxes=breakdown.taxes,
            total=breakdown.total,
            discount=breakdown.totals.discount,
            payments=tuple(payment_info(p, currency) for p in stored.payments),
            booking_code=sale.code or booking.code,
            sold_at=venue_time.local(sale.created_at),
            counter_name=device.name if device else "",
            cashier_name=people.display_name(session, cashier),
            voucher_code=booking.voucher or "",
            copy=copy,
            printed_at=venue_time.now() if copy else None,
        )


def tickets_for_sale(
    ctx: PosContext, sale_id: uuid.UUID | str, *, copy: bool = False
) -> list[TicketDocument]:
    """One ticket per line of a local sale, in the sale's order. Raises SaleNotFound."""
    with ctx.db.transaction() as session:
        view = _load(session, _as_id(sale_id))
        sale = view.sale
        currency = sale.currency or "EUR"
        event_name, starts, venue_name = _event_bits(view)
        holder = view.stored.booking.buyer_name
        return [
            TicketDocument(
                event_name=event_name,
                starts_at=starts,
                venue_name=venue_name,
                place=view.places[line.id],
                ticket_name=view.ticket_names.get(line.ticket, f"Ticket {line.ticket}"),
                price=Money(line.price, currency),
                booking_code=sale.code,
                code=line.ticket_code,
                issuer=view.seller.name,
                holder=holder,
                reference=line_reference(sale.code, line.id),
                copy=copy,
            )
            for line in view.stored.lines
        ]
