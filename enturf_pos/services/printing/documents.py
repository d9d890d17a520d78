"""What a printed receipt and a printed ticket show, as plain data, and how to read them
from a local sale.

`receipt_for_sale` and `tickets_for_sale` read the local database (the sale's
`counter_sale` payload, the synced event, venue, seats, tickets, settings, this counter
and its users) and answer frozen dataclasses; the renderers (`receipt_pdf`, `ticket_pdf`)
take only these, so a caller may also build them by hand. Times are converted to the
venue's time zone here (`venue_time`). A reprint passes ``copy=True``: the documents say COPY.

Card payments show the brand and the last four digits only: whatever the payload holds,
nothing longer than four digits of a card number reaches a document.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.money import Money
from enturf_core.pricing.breakdown import LineKind, PriceBreakdown, PricedLine, TaxSummary
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

CASH, CARD = "cash", "card"
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
class Place:
    """A seat (section, row, seat) or a general-admission area."""

    section: str = ""
    row: str = ""
    seat: str = ""
    area: str = ""

    @property
    def is_seat(self) -> bool:
        return not self.area

    def parts(self) -> list[tuple[str, str]]:
        """Label and value boxes: Section / Row / Seat, or the GA area."""
        if not self.is_seat:
            return [("Standing", self.area)]
        parts = [("Section", self.section), ("Row", self.row), ("Seat", self.seat)]
        return [(label, value) for label, value in parts if value]

    def text(self) -> str:
        """One line: "Stalls · Row B · Seat 12", or "Standing · Floor"."""
        if not self.is_seat:
            return f"Standing · {self.area}"
        bits = [self.section, f"Row {self.row}" if self.row else "", f"Seat {self.seat}"]
        return " · ".join(bit for bit in bits if bit)


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


@dataclass(frozen=True, slots=True)
class TicketData:
    event_name: str
    starts_at: datetime  # in the venue's time zone
    venue_name: str
    place: Place
    ticket_name: str
    price: Money
    booking_code: str
    code: str  # the signed ticket code, printed as the QR
    issuer: str = ""  # the seller's name
    reference: str = ""  # short line reference printed under the QR
    copy: bool = False


# -- reading a local sale --------------------------------------------------------------------


def _last4(value: object) -> str:
    digits = re.sub(r"[^0-9]", "", str(value or ""))
    return digits[-4:] if len(digits) >= 4 else ""


def _brand(value: object) -> str:
    text = str(value or "").strip()
    return _CARD_BRANDS.get(text.lower().replace(" ", "_"), text.title())


def payment_info(item: Mapping[str, Any], currency: str) -> PaymentInfo:
    """A payment of a `counter_sale` payload. Card details may sit in ``card`` (the
    gateway's ``{brand, last4}``) or as ``card_brand`` / ``card_last4``."""
    cur = str(item.get("currency") or currency)

    def money(name: str) -> Money | None:
        value = item.get(name)
        return None if value in (None, "") else Money(str(value), cur)

    card = item.get("card") if isinstance(item.get("card"), Mapping) else {}
    method = str(item.get("method") or CASH)
    return PaymentInfo(
        method=method,
        amount=money("amount") or Money.zero(cur),
        tendered=money("tendered") if method == CASH else None,
        change=money("change") if method == CASH else None,
        card_brand=_brand(card.get("brand") or item.get("card_brand")) if method == CARD else "",
        card_last4=_last4(card.get("last4") or item.get("card_last4")) if method == CARD else "",
    )


def _breakdown(lines: list[dict[str, Any]], currency: str, voucher: str | None) -> PriceBreakdown:
    """The sale's lines as enturf_core.pricing lines; from_lines re-checks every sum."""
    priced = []
    for n, line in enumerate(lines, 1):
        gross = Money(str(line["price"]), currency)
        discount = Money(str(line.get("discount") or "0"), currency)
        tax = Money(str(line.get("tax_amount") or "0"), currency)
        priced.append(
            PricedLine(
                line_no=n,
                kind=LineKind.TICKET,
                tax_rate=Decimal(str(line.get("tax_rate") or "0")),
                price=gross + discount,
                discount=discount,
                gross=gross,
                tax=tax,
                net=gross - tax,
                key=str(line.get("id")),
                ticket_id=str(line.get("ticket")),
            )
        )
    return PriceBreakdown.from_lines(currency, priced, voucher)


@dataclass(frozen=True, slots=True)
class _SaleView:
    sale: LocalSale
    event: Event | None
    venue: Venue | None
    seller: Seller
    places: dict[str, Place]  # line id -> place
    ticket_names: dict[int, str]


def _load(session: Session, sale_id: uuid.UUID) -> _SaleView:
    sale = session.get(LocalSale, sale_id)
    if sale is None:
        raise SaleNotFound(f"No sale {sale_id} on this counter.")
    payload = sale.payload or {}
    lines = payload.get("lines") or []
    event_id = sale.event_id or (payload.get("booking") or {}).get("event")
    event = session.get(Event, event_id) if event_id is not None else None
    venue = session.get(Venue, event.venue_id) if event and event.venue_id else None
    settings = session.get(SiteSettings, 1)
    data = settings.data if settings is not None else {}
    seller = Seller(
        name=str(data.get("seller_name") or ""),
        address=str(data.get("seller_address") or ""),
        vat_id=str(data.get("seller_vat_id") or ""),
    )
    seat_ids = [int(line["seat"]) for line in lines if line.get("seat") is not None]
    area_ids = [int(line["area"]) for line in lines if line.get("area") is not None]
    seats = {s.id: s for s in session.scalars(select(Seat).where(Seat.id.in_(seat_ids)))}
    areas = {a.id: a for a in session.scalars(select(Area).where(Area.id.in_(area_ids)))}
    places: dict[str, Place] = {}
    for line in lines:
        if line.get("seat") is not None:
            seat = seats.get(int(line["seat"]))
            places[line["id"]] = (
                Place(section=seat.section, row=seat.row, seat=seat.label)
                if seat is not None
                else Place(seat=str(line["seat"]))
            )
        else:
            area = areas.get(int(line["area"]))
            places[line["id"]] = Place(area=area.name if area else f"Area {line['area']}")
    ticket_ids = {int(line["ticket"]) for line in lines}
    names = {t.id: t.name for t in session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids)))}
    return _SaleView(sale, event, venue, seller, places, names)


def _event_bits(view: _SaleView) -> tuple[str, datetime, str]:
    event, sale = view.event, view.sale
    name = event.name if event else f"Event {sale.event_id}"
    starts = venue_time.at_venue(
        event.starts_at if event else sale.created_at, view.venue.timezone if view.venue else None
    )
    return name, starts, view.venue.name if view.venue else ""


def _as_id(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _override(line: Mapping[str, Any], currency: str) -> dict[str, Any]:
    """A supervisor's price override on a sale line: its listed price and reason."""
    override = line.get("override")
    if not isinstance(override, Mapping) or not override.get("listed_price"):
        return {}
    return {
        "listed": Money(str(override["listed_price"]), currency),
        "override_reason": str(override.get("reason") or ""),
    }


def receipt_for_sale(
    ctx: PosContext, sale_id: uuid.UUID | str, *, copy: bool = False
) -> ReceiptData:
    """The receipt of a local sale; ``copy=True`` for a reprint. Raises SaleNotFound."""
    with ctx.db.transaction() as session:
        view = _load(session, _as_id(sale_id))
        sale = view.sale
        payload = sale.payload or {}
        booking = payload.get("booking") or {}
        lines = payload.get("lines") or []
        currency = sale.currency or str(
            (payload.get("payments") or [{}])[0].get("currency") or "EUR"
        )
        breakdown = _breakdown(lines, currency, booking.get("voucher"))
        device = session.get(Device, 1)
        cashier = sale.seller or str(booking.get("seller") or "")
        event_name, starts, venue_name = _event_bits(view)
        receipt_lines = tuple(
            ReceiptLine(
                ticket_name=view.ticket_names.get(int(line["ticket"]), f"Ticket {line['ticket']}"),
                place=view.places[line["id"]],
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
            payments=tuple(payment_info(p, currency) for p in payload.get("payments") or []),
            booking_code=sale.code or str(booking.get("code") or ""),
            sold_at=venue_time.local(sale.created_at),
            counter_name=device.name if device else "",
            cashier_name=people.display_name(session, cashier),
            voucher_code=str(booking.get("voucher") or ""),
            copy=copy,
            printed_at=venue_time.now() if copy else None,
        )


def tickets_for_sale(
    ctx: PosContext, sale_id: uuid.UUID | str, *, copy: bool = False
) -> list[TicketData]:
    """One ticket per line of a local sale, in the sale's order. Raises SaleNotFound."""
    with ctx.db.transaction() as session:
        view = _load(session, _as_id(sale_id))
        sale = view.sale
        currency = sale.currency or "EUR"
        event_name, starts, venue_name = _event_bits(view)
        return [
            TicketData(
                event_name=event_name,
                starts_at=starts,
                venue_name=venue_name,
                place=view.places[line["id"]],
                ticket_name=view.ticket_names.get(int(line["ticket"]), f"Ticket {line['ticket']}"),
                price=Money(str(line["price"]), currency),
                booking_code=sale.code,
                code=str(line["ticket_code"]),
                issuer=view.seller.name,
                reference=f"{sale.code}-{n}",
                copy=copy,
            )
            for n, line in enumerate((sale.payload or {}).get("lines") or [], 1)
        ]
