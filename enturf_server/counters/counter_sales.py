"""Counter sales: a whole sale recorded at a counter device, online or offline.

The counter pushes each sale as one `counter_sale` op (`counters.push_handlers`) — at once
when it is online, on its next sync when it was offline — so there is one code path to
trust. :func:`record_counter_sale` applies it in one transaction, through the same booking
step as the booking API (`sales.booking_step`: `InventoryLock` with the device's
allocation free for it, the sales rules), `price_tickets` (the server's price, for
comparison), billing's `take_counter_payment` (card payments verified at the gateway)
and `settle_if_covered` (paid, invoice issued, lines without a code signed by the
server).

* The booking and its lines keep the counter's ids, so a replay is recognised and the
  ticket codes the counter printed (signed with its own key, verified here) stay valid.
* A seat must be held by the counter's hold (online), allocated to the counter (offline),
  or free. Anything else — sold to someone else, allocated to another counter — refuses
  the whole sale with what must be given back (`details.refund`).
* Who made the sale is who the server authenticated: the pushing user's token and the
  counter's device token. The seller the counter names is only a note
  (`Booking.claimed_seller`, when it names another active cashier or manager), never
  the actor; a name the server does not know as active staff is left out (audited), and
  the sale stands all the same.
* Recorded prices are kept. When a line's price differs from the server's (vouchers
  included), the sale is not paid and not invoiced: it is held for a manager's review
  (state `review`, each such line's `server_price`), seats sold and payments recorded,
  until an admin accepts or rejects it (`counters.sale_review`) — unless the line
  carries a supervisor's price override with a valid approval (`accounts.approvals
  .verify`: kind `price_override`, subject the line id, figures the line's price and the
  server's, signed on this counter by a still-active administrator, used once): it then
  stands at the counter's price, audited (`sale.price_override`, the administrator as
  actor). An approval that does not verify never loses the sale: it goes to review with
  the refusal recorded (`sale.price_override_refused`, `override_refusals`).
* A voucher is redeemed through billing (`booking_extras` / `record_booking_pricing`, the
  voucher row locked, as online bookings do) and the server's prices include it. A voucher
  that cannot be used any more (used up, expired, unknown...) does not refuse the sale —
  the money was taken — it is recorded at its prices, flagged, audited
  (`counter_sale.voucher_refused`) and no use is counted.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from enturf_core.staff_rights import Right
from enturf_core.wording import noun
from enturf_server.accounts.claims import claimed_name
from enturf_server.accounts.models import Device, SiteSettings, User
from enturf_server.accounts.rights import ensure_right
from enturf_server.api.errors import Conflict, Forbidden, ServiceError
from enturf_server.audit.services import record
from enturf_server.billing.models import PaymentMethod
from enturf_server.billing.selectors import balance
from enturf_server.billing.services.booking_pricing import (
    NO_EXTRAS,
    BookingExtras,
    booking_extras,
    record_booking_pricing,
)
from enturf_server.billing.services.payments import settle_if_covered, take_counter_payment
from enturf_server.billing.services.vouchers import record_redemption
from enturf_server.catalog.models import Event, EventState, Ticket
from enturf_server.counters.price_overrides import Overrides, audit_overrides, check_overrides
from enturf_server.counters.sale import CounterSale, CounterSaleOutcome, SalePayment
from enturf_server.counters.sale_checks import (
    check_codes,
    check_payments,
    check_shape,
    check_taxes,
    currency_of,
    ticket_of,
    verified_intent,
)
from enturf_server.sales.booking_codes import ALPHABET, CODE_LENGTH, new_booking_code
from enturf_server.sales.booking_step import Order, Place, book, new_booking, new_line
from enturf_server.sales.feed import emit_booking
from enturf_server.sales.inventory import InventoryLock
from enturf_server.sales.models import (
    Booking,
    BookingLine,
    BookingState,
    Channel,
    Hold,
)
from enturf_server.sales.pricing import PricedTickets, price_tickets, tickets_as_at
from enturf_server.shifts.services import sale_outside_shift
from enturf_server.sync import changes

SELLABLE_STATES = (EventState.ON_SALE, EventState.CLOSED)  # closed: sold before / at the door


class _RecordedMeanwhile(Exception):
    """The sale's booking id was recorded while this push waited for the locks."""


def _replaying_a_sale_recorded_meanwhile(record_sale):
    """A sale that a concurrent push of it (a counter retrying while its first push is in
    flight) recorded while this one waited for the seats is the same sale, answered as
    recorded (`created=False`): not seats sold elsewhere, whose refusal would send its
    card money back."""

    @functools.wraps(record_sale)
    def record_or_replay(*, device: Device, sale: CounterSale, **kwargs) -> CounterSaleOutcome:
        try:
            return record_sale(device=device, sale=sale, **kwargs)
        except _RecordedMeanwhile:
            return _replayed(Booking.objects.get(pk=sale.booking_id), device)

    return record_or_replay


@_replaying_a_sale_recorded_meanwhile
def record_counter_sale(*, actor: User, device: Device, sale: CounterSale) -> CounterSaleOutcome:
    """Apply a counter's sale pushed by `actor` (the authenticated user) from `device`: a
    paid, invoiced booking with the counter's ids (or one held for review, see the module
    docstring), or a `ServiceError` and nothing stored. A sale already recorded answers
    `created=False`.

    Card payments are retrieved from the gateway first (no inventory locked meanwhile); a
    gateway that cannot be reached raises `ServiceError` with status 503 (the push answers
    it as "retry later")."""
    existing = Booking.objects.filter(pk=sale.booking_id).first()
    if existing is not None:
        return _replayed(existing, device)
    ensure_right(actor, Right.SELL, "sell at the counter")
    if sale.voucher or any(line.discount > 0 for line in sale.lines):
        ensure_right(actor, Right.DISCOUNT, "give a discount or apply a voucher")
    claim = claimed_name(sale.seller, actor)
    event = Event.objects.filter(pk=sale.event_id).first()
    if event is None:
        raise ServiceError(f"There is no event {sale.event_id}.", code="unknown_event")
    if event.state not in SELLABLE_STATES:
        raise Conflict(
            f"{event.name} is {event.get_state_display().lower()}; the sale cannot stand.",
            code="event_not_on_sale",
        )
    check_shape(sale)
    tickets = {t.pk: t for t in Ticket.objects.filter(event=event)}
    line_tickets = [ticket_of(tickets, line) for line in sale.lines]
    currency = currency_of(line_tickets, sale)
    check_taxes(sale, currency)
    total = sum((line.price for line in sale.lines), Decimal("0.00"))
    check_payments(sale, total, currency)
    check_codes(sale, device, event)
    intents = {
        p.payment_intent: verified_intent(p, sale.booking_id)
        for p in sale.payments
        if p.method == PaymentMethod.CARD
    }

    with changes.atomic():
        booking, mismatch, refused, overrides = _book(
            sale, device, actor, claim.note, event, tickets, line_tickets, currency, total
        )
        review = bool(set(mismatch) - set(overrides.approved))
        for payment in sorted(sale.payments, key=lambda p: p.method != PaymentMethod.CARD):
            _pay(payment, booking, actor, device, intents.get(payment.payment_intent), review)
        locked = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if review:
            _hold_for_review(locked)
        else:
            settle_if_covered(booking=locked, actor=actor, device=device)  # a free sale
            locked.refresh_from_db()
            if locked.state != BookingState.PAID:
                raise ServiceError(
                    "The payments do not cover the sale.", code="underpaid"
                )  # cannot happen after _check_payments; kept as the last guard
        record(
            actor=actor,
            action="counter_sale",
            obj=locked,
            device=device,
            details={
                "code": locked.code,
                "total": str(locked.total),
                "state": locked.state,
                "sold_at": sale.sold_at.isoformat(),
                "price_mismatch": locked.price_mismatch,
                "server_prices": mismatch,
                "price_overrides": sorted(overrides.approved),
                "override_refusals": overrides.refused,
                "hold": str(sale.hold_id) if sale.hold_id else None,
                "voucher": sale.voucher or None,
                "voucher_refused": refused.code if refused is not None else None,
                **claim.audit("seller"),
                "shift": str(sale.shift_id) if sale.shift_id else None,
            },
        )
        _flag_outside_shift(sale, locked, actor, device)
    locked = Booking.objects.prefetch_related("lines").get(pk=booking.pk)
    return CounterSaleOutcome(
        booking=locked,
        created=True,
        server_prices=mismatch,
        override_refusals=overrides.refused,
    )


def _flag_outside_shift(sale: CounterSale, booking: Booking, actor, device: Device) -> None:
    """A sale is never refused for its shift (it was paid): one outside every shift of its
    counter is flagged in the audit log for the manager to count it."""
    why = sale_outside_shift(device=device, shift_id=sale.shift_id, sold_at=sale.sold_at)
    if why:
        record(
            actor=actor,
            action="counter_sale.outside_shift",
            obj=booking,
            device=device,
            details={"code": booking.code, "total": str(booking.total), "reason": why},
        )


def _replayed(existing: Booking, device: Device) -> CounterSaleOutcome:
    if existing.device_id != device.pk:
        raise Conflict(
            "Another booking already has this id; sales need unique ids.",
            code="booking_id_taken",
        )
    existing = Booking.objects.prefetch_related("lines").get(pk=existing.pk)
    return CounterSaleOutcome(booking=existing, created=False)


# -- the transaction -----------------------------------------------------------------------------


def _book(
    sale: CounterSale,
    device: Device,
    actor: User,
    claimed_seller: str,
    event: Event,
    tickets: dict[int, Ticket],
    line_tickets: list[Ticket],
    currency: str,
    total: Decimal,
) -> tuple[Booking, dict[str, str], ServiceError | None, Overrides]:
    """Lock, check, price and write the booking and its lines; returns the booking, the
    server's prices of the lines that differ ({line id: price}), the voucher's refusal and
    the supervisor's overrides approved or refused."""
    order = Order(
        booking_id=sale.booking_id,
        event=event,
        now=timezone.now(),
        places=[
            Place(ticket, seat=line.seat, area=line.area)
            for line, ticket in zip(sale.lines, line_tickets, strict=True)
        ],
        created_by=actor,
        device=device,
        buyer_name=sale.buyer_name,
        buyer_email=sale.buyer_email,
        hold=_own_hold(sale.hold_id, device) if sale.hold_id else None,
        device_id=device.pk,
        tickets=tickets,
    )
    terms = _CounterTerms(sale, device, actor, claimed_seller, line_tickets, currency, total)
    booking, _lines = book(order, terms)
    return booking, terms.mismatch, terms.refused, terms.overrides


@dataclass
class _CounterTerms:
    """A counter sale stands at the prices the counter recorded (it was paid); the
    server's, compared, flag a difference. Its seats may be held by its hold or allocated
    to the counter; its ids, code and ticket codes are the counter's."""

    sale: CounterSale
    device: Device
    actor: User
    claimed_seller: str
    line_tickets: list[Ticket]
    currency: str
    total: Decimal
    mismatch: dict[str, str] = field(default_factory=dict)  # line id -> server price
    refused: ServiceError | None = None  # the voucher's refusal
    overrides: Overrides = field(default_factory=lambda: Overrides())
    extras: BookingExtras = NO_EXTRAS
    priced: PricedTickets | None = None

    def recheck(self, lock: InventoryLock) -> None:
        """A concurrent push of this sale may have recorded it while this one waited."""
        if Booking.objects.filter(pk=self.sale.booking_id).exists():
            raise _RecordedMeanwhile()

    def refuse(self, seats: list[int], areas: list[dict[str, int]]) -> None:
        raise _sold_elsewhere(self.sale, self.total, self.currency, seats, areas)

    def price(self, order: Order, places: list[Place]) -> tuple[Booking, list[BookingLine]]:
        sale, now = self.sale, order.now
        settings = SiteSettings.load()
        self.extras, self.refused = _voucher(sale, settings, order.event, self.line_tickets, now)
        # the sale's time is the counter's clock: never later than now, nor (for its prices)
        # earlier than the counter's registration
        priced_at = max(min(sale.sold_at, now), self.device.registered_at or sale.sold_at)
        self.priced, mismatch = _server_prices(sale, self.line_tickets, self.extras, priced_at)
        self.mismatch = mismatch
        self.overrides = check_overrides(sale, self.priced, mismatch, self.device)
        booking = new_booking(
            order,
            settings,
            code=_code(sale.code),
            owner=None,
            claimed_seller=self.claimed_seller,
            channel=Channel.COUNTER,
            currency=self.currency,
            total=self.total,
            price_mismatch=bool(mismatch) or self.refused is not None,
        )
        lines = [
            new_line(
                booking,
                place,
                id=line.id,
                price=line.price,
                tax_rate=line.tax_rate,
                tax_amount=line.tax_amount,
                discount=line.discount,
                ticket_code=line.ticket_code,
                server_price=Decimal(mismatch[str(line.id)]) if str(line.id) in mismatch else None,
            )
            for line, place in zip(sale.lines, places, strict=True)
        ]
        return booking, lines

    def insert(self, order: Order, booking: Booking, lines: list[BookingLine]) -> None:
        sale = self.sale
        try:
            with changes.atomic():
                booking.save(force_insert=True)
        except IntegrityError:  # a concurrent push of the same sale, or a code collision
            if Booking.objects.filter(pk=sale.booking_id).exists():
                raise Conflict("This sale is being recorded right now.", code="retry") from None
            booking.code = new_booking_code()
            booking.save(force_insert=True)
        # the sale's time, as the counter recorded it (never in the future)
        Booking.objects.filter(pk=booking.pk).update(created_at=min(sale.sold_at, order.now))
        self._record_voucher(booking, lines)
        BookingLine.objects.bulk_create(lines)
        audit_overrides(sale, self.overrides, self.mismatch, booking, self.actor, self.device)
        if self.refused is not None:
            record(
                actor=self.actor,
                action="counter_sale.voucher_refused",
                obj=booking,
                device=self.device,
                details={
                    "code": booking.code,
                    "voucher": sale.voucher,
                    "reason": self.refused.code,
                    "message": self.refused.message,
                },
            )

    def _record_voucher(self, booking: Booking, lines: list[BookingLine]) -> None:
        use = self.extras.voucher_use
        if use is None:
            return
        if not self.mismatch:
            # the server's breakdown (with the voucher) is what was paid: invoicing uses it
            assert self.priced is not None
            record_booking_pricing(
                booking=booking,
                lines=lines,
                breakdown=self.priced.breakdown if self.extras.any else None,
                extras=self.extras,
            )
        else:
            # a use all the same, at the discounts recorded (the invoice shows the lines' own)
            discount = sum((line.discount for line in self.sale.lines), Decimal("0.00"))
            record_redemption(use=use, booking=booking, discount=discount)


def _server_prices(
    sale: CounterSale, line_tickets: list[Ticket], extras: BookingExtras, sold_at: datetime
) -> tuple[PricedTickets, dict[str, str]]:
    """The server's pricing the sale agrees with, and its lines that agree with none
    ({line id: the server's price}, empty when the sale stands as recorded).

    A counter offline sells at the prices it synced last: the sale agrees when every line
    has the price (and tax rate) its ticket had at the sale's time (`tickets_as_at`), or
    every line has today's; the voucher the server accepted is applied to both (no fee
    at the counter)."""
    as_sold = tickets_as_at(line_tickets, sold_at)
    candidates = [price_tickets(as_sold, voucher=extras.voucher)]
    if any(then is not ticket for then, ticket in zip(as_sold, line_tickets, strict=True)):
        candidates.append(price_tickets(line_tickets, voucher=extras.voucher))
    differing = [_differing(sale, priced) for priced in candidates]
    for priced, lines in zip(candidates, differing, strict=True):
        if not lines:
            return priced, {}
    return candidates[0], differing[0]  # shown with the prices of the sale's time


def _differing(sale: CounterSale, priced: PricedTickets) -> dict[str, str]:
    return {
        str(line.id): str(server_price)
        for line, ticket, (server_price, _tax) in zip(
            sale.lines, priced.tickets, priced.prices, strict=True
        )
        if line.price != server_price or line.tax_rate != ticket.tax_rate
    }


def _voucher(
    sale: CounterSale, settings: SiteSettings, event: Event, tickets: list[Ticket], now: datetime
) -> tuple[BookingExtras, ServiceError | None]:
    """The sale's voucher redeemed (row locked, uses counted) like an online booking's;
    one that cannot be used now is the refusal, not an error: the sale stands."""
    if not sale.voucher:
        return NO_EXTRAS, None
    try:
        extras = booking_extras(
            settings=settings,
            event=event,
            tickets=tickets,
            voucher_code=sale.voucher,
            online=False,
            now=now,
        )
    except ServiceError as exc:
        if not exc.code.startswith("voucher_"):
            raise
        return NO_EXTRAS, exc
    return extras, None


def _own_hold(hold_id: uuid.UUID, device: Device) -> Hold | None:
    """The counter's hold that reserved the seats (locked); None once it was used up."""
    hold = Hold.objects.select_for_update(of=("self",)).filter(pk=hold_id).first()
    if hold is None:
        return None  # pruned or never reached the server: the seats must then be free
    if hold.device_id != device.pk:
        raise Forbidden("The hold belongs to another counter.", code="not_your_hold")
    if hold.released_at is not None and hold.released_at < hold.expires_at:
        return None  # released or booked: it reserves nothing any more
    return hold


def _sold_elsewhere(
    sale: CounterSale,
    total: Decimal,
    currency: str,
    seats: list[int],
    areas: list[dict[str, int]],
) -> Conflict:
    parts = []
    if seats:
        were = noun(len(seats), "was", "were")
        parts.append(
            f"{noun(len(seats), 'seat')} {sorted(seats)} {were} sold or set aside elsewhere"
        )
    if areas:
        parts.append(
            "not enough places left in "
            + ", ".join(f"area {a['area']} ({a['remaining']} left)" for a in areas)
        )
    return Conflict(
        "The sale cannot be recorded: "
        + "; ".join(parts)
        + f". Give the customer back {total} {currency}.",
        code="sold_elsewhere",
        details={
            "unavailable_seats": sorted(seats),
            "unavailable_areas": areas,
            "refund": {
                "amount": str(total),
                "currency": currency,
                "payments": [
                    {
                        "id": str(p.id),
                        "method": p.method,
                        "amount": str(p.amount),
                        "payment_intent": p.payment_intent,
                    }
                    for p in sale.payments
                ],
            },
        },
    )


def _code(wanted: str) -> str:
    """The counter's code when it is well-formed and free (it is on the receipt)."""
    code = wanted.strip().upper()
    if (
        len(code) == CODE_LENGTH
        and all(ch in ALPHABET for ch in code)
        and not Booking.objects.filter(code=code).exists()
    ):
        return code
    return new_booking_code()


def _hold_for_review(booking: Booking) -> None:
    """The locked, pending sale at prices the server did not agree to: kept for a manager
    (no expiry, no invoice). Lines the counter signed keep their codes; lines without one
    are signed by the server when the sale is accepted."""
    Booking.objects.filter(pk=booking.pk).update(
        state=BookingState.REVIEW, expires_at=None, version=F("version") + 1
    )
    booking.refresh_from_db()
    emit_booking(booking, list(booking.lines.all()))


def _pay(payment: SalePayment, booking: Booking, actor, device, intent, review: bool) -> None:
    amount = payment.amount
    if (
        payment.method == PaymentMethod.CASH
        and payment.tendered is not None
        and balance(booking=booking) == payment.amount  # the covering payment: with change
    ):
        amount = payment.tendered
    take_counter_payment(
        actor=actor,
        booking=booking,
        payment_id=payment.id,
        method=payment.method,
        amount=amount,
        currency=payment.currency,
        payment_intent=payment.payment_intent,
        device=device,
        intent=intent,
        settle=not review,
    )
