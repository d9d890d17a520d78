"""Three weeks of demo sales, so the Reports tab has something to show (issue 16).

The arena's "Northern Lights Tour" is sold to about 8 % and the theatre's "Hamlet" to
about a quarter (`SOLD_EVENTS`), day by day over the last three weeks: online (the
customer `customer`, card, completed as the gateway's webhook completes it) and at the
box office (cashiers `cashier` and `cashier2` at the demo counter, cash, card, or both),
with a couple of cash refunds. Every sale goes through the real services
(`sales.services.create_booking`, `billing` payments and refunds), so bookings, seats,
invoices, credit notes, ticket codes, the audit trail and the change log are what a real
sale leaves.

The clock is simulated: each sale runs with `timezone.now` set to its moment in the past,
so bookings, payments and invoices carry their day. Card payments are made at the card
gateway simulator when the seed is given its file (`seed_demo --gateway-db`, which
`make run` passes before it starts the simulator on that file): each PaymentIntent and
charge is made by the simulator's own code at the sale's moment
(`gateway_sim.past_payments`), so a seeded card sale is refunded by card, through the
gateway, as one made live. Without a simulator file (the tests' seeds, a bare
`seed_demo`) a card payment carries a PaymentIntent as the gateway would answer it, with
an id (`pi_demo_...`) no gateway knows: everything else is the same, but a card refund of
such a sale is refused by the gateway ("unknown payment"); cash refunds work.

Idempotent: an event that already has a booking is left alone.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from enturf_server.accounts.models import User
from enturf_server.accounts.roles import Role
from enturf_server.accounts.services import set_role
from enturf_server.billing.models import Payment, PaymentChannel, PaymentMethod, PaymentState
from enturf_server.billing.services import payments, refunds
from enturf_server.billing.services.gateway import to_minor
from enturf_server.catalog.models import Event, Ticket
from enturf_server.sales.models import (
    AreaInventory,
    Booking,
    BookingLine,
    SeatInventory,
    SeatStatus,
)
from enturf_server.sales.services import LineRequest, create_booking
from enturf_server.sync import changes
from gateway_sim.past_payments import PastPayments

# (event name, share of its places to sell)
SOLD_EVENTS = (("Northern Lights Tour", 0.08), ("Hamlet", 0.25))
SALES_DAYS = 21
SECOND_CASHIER = ("cashier2", "enturf-cashier2", "Cory")  # a second demo login (employee)
ONLINE_SHARE = 0.45
GROUP_SIZES = (2, 4, 6, 8, 10, 10)  # tickets per booking (at most a ticket's limit)


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Run the services as if it were `moment` (the one thing a seed cannot wait for)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _second_cashier() -> User:
    username, password, first_name = SECOND_CASHIER
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first_name, email=f"{username}@demo.enturf.org")
        user.set_password(password)  # fixed demo password, as the other demo logins
        user.save()
        set_role(user, Role.EMPLOYEE)
    return user


# test cards that approve: on the demo reader (counter), as a payment method (online)
COUNTER_CARDS = ("4242424242424242", "5555555555554444")
ONLINE_CARDS = ("pm_card_visa", "pm_card_mastercard")


def _unknown_intent(booking: Booking, amount: Decimal, rng: random.Random) -> dict:
    """Without a simulator: a PaymentIntent as the gateway answers a successful card
    payment, with an id no gateway knows."""
    minor = to_minor(amount, booking.currency)
    return {
        "id": f"pi_demo_{uuid.uuid4().hex[:24]}",
        "object": "payment_intent",
        "status": "succeeded",
        "amount": minor,
        "amount_received": minor,
        "currency": booking.currency.lower(),
        "metadata": {"booking": str(booking.pk)},
        "latest_charge": {
            "id": f"ch_demo_{uuid.uuid4().hex[:24]}",
            "status": "succeeded",
            "captured": True,
            "amount_captured": minor,
            "amount_refunded": 0,
            "payment_method_details": {
                "card_present": {
                    "brand": rng.choice(("visa", "mastercard")),
                    "last4": f"{rng.randrange(10000):04d}",
                    "exp_month": rng.randrange(1, 13),
                    "exp_year": timezone.now().year + rng.randrange(1, 5),
                    "receipt": {"authorization_code": f"{rng.randrange(10**6):06d}"},
                }
            },
        },
    }


def _online_intent(
    booking: Booking, payment_id: uuid.UUID, rng: random.Random, gateway: PastPayments | None
) -> dict:
    """The checkout's PaymentIntent, paid (as `payments._online_intent` creates it)."""
    if gateway is None:
        return _unknown_intent(booking, booking.total, rng)
    return gateway.online(
        amount_minor=to_minor(booking.total, booking.currency),
        currency=booking.currency,
        metadata={
            "booking": str(booking.pk),
            "payment": str(payment_id),
            "local_id": str(payment_id),
        },
        description=f"Booking {booking.code}",
        payment_method=rng.choice(ONLINE_CARDS),
        at=timezone.now().timestamp(),
    )


def _counter_intent(
    booking: Booking, amount: Decimal, rng: random.Random, gateway: PastPayments | None
) -> dict:
    """The counter's PaymentIntent, approved on the reader and captured (as the POS's
    `start_on_reader` creates it for its card attempt)."""
    if gateway is None:
        return _unknown_intent(booking, amount, rng)
    return gateway.at_counter(
        amount_minor=to_minor(amount, booking.currency),
        currency=booking.currency,
        metadata={"booking": str(booking.pk), "local_id": str(uuid.uuid4())},
        card_number=rng.choice(COUNTER_CARDS),
        at=timezone.now().timestamp(),
    )


def _pay_online(booking: Booking, rng: random.Random, gateway: PastPayments | None) -> None:
    """The customer's checkout completing: the online payment, then the gateway's answer
    applied as its webhook applies it."""
    payment_id = payments.online_payment_id(booking, booking.total)
    intent = _online_intent(booking, payment_id, rng, gateway)
    with changes.atomic():
        Payment.objects.create(
            id=payment_id,
            booking=booking,
            method=PaymentMethod.CARD,
            channel=PaymentChannel.ONLINE,
            amount=booking.total,
            currency=booking.currency,
            state=PaymentState.PENDING,
            payment_intent=intent["id"],
        )
        payments.apply_online_intent(intent=intent)


def _pay_at_counter(
    booking: Booking, cashier: User, device, method: str, rng, gateway: PastPayments | None
) -> None:
    total = booking.total
    parts = [(method, total)]
    if method == "both" and total > Decimal("20.00"):
        parts = [("cash", Decimal("20.00")), ("card", total - Decimal("20.00"))]
    elif method == "both":
        parts = [("cash", total)]
    for kind, amount in parts:
        intent = _counter_intent(booking, amount, rng, gateway) if kind == "card" else None
        payments.take_counter_payment(
            actor=cashier,
            booking=booking,
            payment_id=uuid.uuid4(),
            method=kind,
            amount=amount,
            currency=booking.currency,
            payment_intent=intent["id"] if intent else None,
            device=device,
            intent=intent,
        )


def _places(event: Event, rng: random.Random) -> tuple[list[int], dict[int, int]]:
    """Free seats (not set aside for a counter), shuffled by section so bookings sit
    together; GA places left per area."""
    seats = list(
        SeatInventory.objects.filter(
            event=event, status=SeatStatus.AVAILABLE, allocated_to__isnull=True
        )
        .order_by("seat__row__section_id", "seat__row__position", "seat__position")
        .values_list("seat_id", flat=True)
    )
    areas = dict(AreaInventory.objects.filter(event=event).values_list("area_id", "capacity"))
    return seats, areas


def _sell_event(
    event: Event,
    share: float,
    staff: list[User],
    device,
    customer,
    admin,
    rng,
    gateway: PastPayments | None,
):
    tickets = list(Ticket.objects.filter(event=event, active=True).order_by("position"))
    by_category: dict[str, list[Ticket]] = {}
    for t in tickets:
        if t.area_id is None:
            by_category.setdefault(t.category, []).append(t)
    by_area = {t.area_id: t for t in tickets if t.area_id is not None}
    seats, areas = _places(event, rng)
    seat_category = dict(
        SeatInventory.objects.filter(event=event, seat_id__in=seats).values_list(
            "seat_id", "seat__category"
        )
    )
    capacity = len(seats) + sum(areas.values())
    target = int(capacity * share)
    # sales start three weeks ago and pick up as the show nears
    now = timezone.now()
    start = now - timedelta(days=SALES_DAYS)
    if event.sales_start is not None and event.sales_start > start:
        start = event.sales_start  # an older demo database: its events went on sale later
    span = max(1, round((now - start) / timedelta(days=1)))
    day_weights = [1 + day * 0.15 for day in range(span)]
    sold, bookings, cash_bookings = 0, 0, []
    # blocks of neighbouring seats, taken in a shuffled order of blocks
    blocks = [seats[i : i + 16] for i in range(0, len(seats), 16)]
    rng.shuffle(blocks)
    queue = [seat for block in blocks for seat in block]
    ga_left = dict(areas)
    while sold < target and (queue or any(ga_left.values())):
        size = min(rng.choice(GROUP_SIZES), target - sold)
        lines: list[LineRequest] = []
        area = next((a for a, left in ga_left.items() if left >= size), None)
        if area is not None and area in by_area and rng.random() < 0.12:
            lines.append(LineRequest(ticket=by_area[area].pk, quantity=min(size, 10)))
            ga_left[area] -= min(size, 10)
        else:
            picked, queue = queue[:size], queue[size:]
            for s in picked:
                choices = by_category.get(seat_category[s])
                if choices:  # mostly the first (full price) ticket of the category
                    odds = [6, 3, 1, 1][: len(choices)]
                    lines.append(LineRequest(ticket=rng.choices(choices, odds)[0].pk, seat=s))
        if not lines:
            break
        day = rng.choices(range(span), day_weights)[0]
        moment = start + timedelta(days=day, hours=rng.uniform(9, 21), minutes=rng.uniform(0, 59))
        moment = min(moment, now - timedelta(minutes=5))
        online = rng.random() < ONLINE_SHARE
        with _clock(moment):
            if online:
                booking, _ = create_booking(actor=customer, event=event, lines=lines)
                _pay_online(booking, rng, gateway)
            else:
                cashier = staff[bookings % len(staff)]
                booking, _ = create_booking(actor=cashier, event=event, lines=lines, device=device)
                method = rng.choices(("cash", "card", "both"), (5, 4, 1))[0]
                _pay_at_counter(booking, cashier, device, method, rng, gateway)
                if method == "cash":
                    cash_bookings.append((booking, moment))
        sold += sum(line.quantity for line in lines)
        bookings += 1
    # a couple of cash refunds, a few days after their sale (one ticket each)
    for booking, moment in rng.sample(cash_bookings, min(2, len(cash_bookings))):
        booking = Booking.objects.get(pk=booking.pk)
        line = BookingLine.objects.filter(booking=booking).order_by("id").first()
        when = min(moment + timedelta(days=2), now - timedelta(minutes=1))
        with _clock(when):
            refunds.create_refund(
                actor=admin, booking=booking, line_ids=[line.pk], reason="Cannot attend"
            )
    return sold, bookings


def seed_sales(report, device=None, gateway: PastPayments | None = None) -> None:
    """Sell part of the demo events (see the module docstring); `device`: the demo
    counter, when there is one; `gateway`: the simulator's store the card payments are
    made in, None for intents no gateway knows."""
    rng = random.Random(16)
    cashier = User.objects.filter(username="cashier").first()
    customer = User.objects.filter(username="customer").first()
    admin = User.objects.filter(username="admin").first()
    if cashier is None or customer is None or admin is None:
        return
    staff = [cashier, _second_cashier()]
    for name, share in SOLD_EVENTS:
        event = Event.objects.filter(name=name).order_by("pk").first()
        if event is None or Booking.objects.filter(event=event).exists():
            continue
        sold, bookings = _sell_event(event, share, staff, device, customer, admin, rng, gateway)
        report.add("demo bookings", bookings)
        report.add("tickets sold", sold)
        if gateway is not None:
            cards = Payment.objects.filter(booking__event=event, method=PaymentMethod.CARD)
            report.add("card payments at the gateway simulator", cards.count())
