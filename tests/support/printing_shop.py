"""A counter ready to print: synced settings, a venue, a seat map, an event, its tickets,
and real cash sales through `sale_service.record_cash_sale`.

Shared by the printing tests (`tests/pos/test_printing_*.py`) and the printing
benchmarks (`bench/print_bench.py`, `bench/print_queue_bench.py`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from enturf_core.money import Money
from enturf_core.ticket_codes import SigningKey
from enturf_core.wire import feed
from enturf_pos.models import (
    Area,
    Device,
    Event,
    LocalUser,
    Seat,
    SeatMap,
    SiteSettings,
    Ticket,
    Venue,
)
from enturf_pos.services.sales import sale_service
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret
from support.open_drawer import open_drawer

EUR = "EUR"
EVENT_ID = 5
AREA_ID = 9
ADULT = feed.Ticket(1, "Adult", Decimal("45.00"), EUR, Decimal("7"), category="stalls")
CHILD = feed.Ticket(2, "Child", Decimal("30.00"), EUR, Decimal("7"), category="stalls")
STANDING = feed.Ticket(3, "Standing", Decimal("20.00"), EUR, Decimal("19"), area=AREA_ID)
SEATS = range(1, 41)  # Stalls, row B, seats 1..40


def seed_shop(ctx: PosContext) -> SigningKey:
    """Write the shop into `ctx`'s local database and a fresh signing key into its
    keyring; returns the key (its public half verifies the tickets)."""
    key = SigningKey.generate()
    ctx.secrets.set(Secret.SIGNING_KEY, key.to_base64())
    with ctx.db.transaction() as s:
        s.add(Device(server_url="http://127.0.0.1:9", device_id="7", name="Box office 1"))
        s.add(
            SiteSettings(
                id=1,
                data={
                    "seller_name": "Theatre Royal Ltd",
                    "seller_address": "1 Stage Street\n10115 Demo City",
                    "seller_vat_id": "DE123456789",
                    "currency": EUR,
                },
            )
        )
        s.add(LocalUser(id=3, username="jane", role="employee", display_name="Jane Doe"))
        s.add(Venue(id=1, name="Theatre Royal", timezone="Europe/Berlin"))
        seat_map = SeatMap(id=4, venue_id=1, name="Main")
        seat_map.seats = [
            Seat(id=i, key=f"Stalls/B/{i}", label=str(i), section="Stalls", row="B", x=i, y=0)
            for i in SEATS
        ]
        seat_map.areas = [Area(id=AREA_ID, name="Floor", capacity=100)]
        s.add(seat_map)
        s.add(
            Event(
                id=EVENT_ID,
                seat_map_id=4,
                venue_id=1,
                name="The Magic Flute",
                starts_at=datetime(2026, 3, 14, 18, 30, tzinfo=UTC),
                state="on_sale",
            )
        )
        for t in (ADULT, CHILD, STANDING):
            s.add(
                Ticket(
                    id=t.id,
                    event_id=EVENT_ID,
                    name=t.name,
                    price=t.price,
                    tax_rate=t.tax_rate,
                    category=t.category or "",
                    area_id=t.area,
                )
            )
    open_drawer(ctx, cashier="jane")  # the counter sells only inside an open shift
    return key


def seat_label(seat: int) -> str:
    return f"Stalls · Row B · Seat {seat}"


def sell(ctx: PosContext, seats: list[int], standing: int = 0, tendered: str = "200") -> uuid.UUID:
    """A cash sale of `seats` (the second one a child's) and `standing` places, recorded
    the way the cashier window records it."""
    cart = Cart(event_id=EVENT_ID, tickets=[ADULT, CHILD, STANDING], area_names={AREA_ID: "Floor"})
    cart.set_seats([SeatPick(i, seat_label(i), "stalls") for i in seats])
    if len(seats) > 1:
        cart.cycle_ticket(f"s{seats[1]}")  # the second seat is a child's
    if standing:
        cart.set_area_quantity(AREA_ID, STANDING.id, standing)
    result = sale_service.record_cash_sale(
        ctx=ctx,
        cart=cart,
        tendered=Money(tendered, EUR),
        seller="jane",
        hold_id=None,
        offline=False,
    )
    if not result.ok:
        raise AssertionError(result.message)
    return result.sale_id
