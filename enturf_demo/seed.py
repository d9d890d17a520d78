"""The demo data behind `enturf-server seed_demo`: users, settings, two venues, events.

Idempotent: whatever already exists (by username, venue name, seat-map name, event
name and venue) is left as it is, so a second run changes nothing. Everything goes
through the catalog services, so the demo also fills the sync change log.

The demo passwords are fixed and documented; they bypass the password validators on
purpose and are for demo databases only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from enturf_core.local_time import wall_time_to_utc
from enturf_demo import venues as demo_venues
from enturf_demo.demo_sales import SALES_DAYS, seed_sales
from enturf_server.accounts.device_services import (
    DEMO_DOOR_SETUP_CODE,
    DEMO_SETUP_CODE,
    normalise_setup_code,
    retire_device,
)
from enturf_server.accounts.models import Device, DeviceDuty, SiteSettings, User, token_digest
from enturf_server.accounts.roles import Role
from enturf_server.accounts.services import set_role
from enturf_server.catalog import services
from enturf_server.catalog.local_time import venue_zone
from enturf_server.catalog.models import Area, Event, EventState, Row, Seat, SeatMap, Venue
from enturf_server.catalog.seatmap_layout import parse_layout
from enturf_server.counters.allocations import allocate, release_allocation
from enturf_server.sales.models import Allocation, SeatInventory, SeatStatus
from enturf_server.sync import changes
from gateway_sim.config import demo_reader_id
from gateway_sim.past_payments import PastPayments

DEMO_USERS = [
    # username, password, role, first name
    ("admin", "enturf-admin", Role.ADMIN, "Ada"),
    ("cashier", "enturf-cashier", Role.EMPLOYEE, "Cas"),
    ("manager", "enturf-manager", Role.MANAGER, "Mo"),  # box-office manager: all but staff
    ("customer", "enturf-customer", Role.CUSTOMER, "Cleo"),
]

DEMO_SETTINGS = {
    "seller_name": "Enturf Demo Box Office GmbH",
    "seller_address": "Theaterplatz 1\n10117 Berlin\nGermany",
    "seller_vat_id": "DE123456789",
    "currency": "EUR",
}

THEATRE_TAX = Decimal("7.00")  # reduced rate for theatre and concert admissions
ARENA_TAX = Decimal("19.00")

# (name, venue, days from today, start hour, minute, tickets: (name, price, category or area))
THEATRE_TICKETS_FULL = [
    ("Premium", "68.00", "premium"),
    ("Adult", "45.00", "standard"),
    ("Concession", "32.50", "standard"),
    ("Child", "22.00", "standard"),
]
THEATRE_TICKETS_SHORT = [("Premium", "55.00", "premium"), ("Adult", "38.00", "standard")]
ARENA_TICKETS = [
    ("Lower Tier", "89.00", "lower"),
    ("Upper Tier", "59.00", "upper"),
    ("Standing", "69.00", demo_venues.FLOOR_AREA),
]
ARENA_TICKETS_SPORT = [
    ("Lower Tier", "45.00", "lower"),
    ("Upper Tier", "29.00", "upper"),
    ("Child (upper)", "15.00", "upper"),
]
DEMO_EVENTS = [
    ("Hamlet", demo_venues.THEATRE_NAME, 2, 19, 30, THEATRE_TICKETS_FULL),
    ("The Importance of Being Earnest", demo_venues.THEATRE_NAME, 4, 19, 30, THEATRE_TICKETS_FULL),
    ("Northern Lights Tour", demo_venues.ARENA_NAME, 6, 20, 0, ARENA_TICKETS),
    ("A Midsummer Night's Dream", demo_venues.THEATRE_NAME, 8, 19, 0, THEATRE_TICKETS_FULL),
    ("Swan Lake", demo_venues.THEATRE_NAME, 11, 19, 30, THEATRE_TICKETS_FULL),
    ("Basketball: Lions v Eagles", demo_venues.ARENA_NAME, 13, 18, 0, ARENA_TICKETS_SPORT),
    ("Chamber Music at Noon", demo_venues.THEATRE_NAME, 15, 12, 0, THEATRE_TICKETS_SHORT),
    ("Symphonic Film Music", demo_venues.ARENA_NAME, 18, 20, 0, ARENA_TICKETS),
    ("The Nutcracker", demo_venues.THEATRE_NAME, 21, 18, 30, THEATRE_TICKETS_FULL),
    ("Enturf Rock Night", demo_venues.ARENA_NAME, 25, 20, 0, ARENA_TICKETS),
    ("An Evening of Stand-up", demo_venues.THEATRE_NAME, 29, 20, 0, THEATRE_TICKETS_SHORT),
]


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def __str__(self) -> str:
        if not self.created:
            return "Demo data already present; nothing changed."
        return "Created " + ", ".join(f"{n:,} {what}" for what, n in self.created.items()) + "."


def _seed_users(report: SeedReport) -> None:
    for username, password, role, first_name in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(username=username, first_name=first_name, email=f"{username}@demo.enturf.org")
        user.set_password(password)  # fixed demo password: validators skipped on purpose
        user.is_superuser = role == Role.ADMIN
        user.save()
        set_role(user, role)
        report.add("users")


def _seed_settings(report: SeedReport) -> None:
    settings = SiteSettings.load()
    if settings.seller_vat_id:  # configured by someone already: leave it alone
        return
    for name, value in DEMO_SETTINGS.items():
        setattr(settings, name, value)
    settings.save()
    report.add("settings")


def _seed_venue(name: str, address: str, tz: str, layout: dict, report: SeedReport) -> SeatMap:
    venue = Venue.objects.filter(name=name).first()
    if venue is None:
        venue = services.create_venue(actor=None, name=name, address=address, timezone=tz)
        report.add("venues")
    seat_map = SeatMap.objects.filter(venue=venue, name=layout["name"]).order_by("-version").first()
    if seat_map is None:
        parsed = parse_layout(layout)
        seat_map = services.import_seat_map(
            actor=None,
            venue=venue,
            name=layout["name"],
            layout=parsed,
            stage_x=layout["stage_x"],
            stage_y=layout["stage_y"],
            width=layout["width"],
            height=layout["height"],
        )
        report.add("seat maps")
        report.add("seats", parsed.seat_count)
    return seat_map


def _starts_at(days: int, hour: int, minute: int, venue: Venue) -> datetime:
    """`hour`:`minute` on the venue's own clock (Hamlet is at 19:30 in Berlin, wherever
    the server runs)."""
    zone = venue_zone(venue)
    day = timezone.localdate(timezone=zone) + timedelta(days=days)
    return wall_time_to_utc(datetime.combine(day, time(hour, minute)), zone)


def _seed_events(seat_maps: dict[str, SeatMap], report: SeedReport) -> None:
    now = timezone.now()
    for name, venue_name, days, hour, minute, tickets in DEMO_EVENTS:
        seat_map = seat_maps[venue_name]
        if Event.objects.filter(name=name, seat_map__venue_id=seat_map.venue_id).exists():
            continue
        starts_at = _starts_at(days, hour, minute, seat_map.venue)
        event = services.create_event(
            actor=None,
            seat_map=seat_map,
            name=name,
            description=f"{name} at {venue_name}. Demo event.",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2, minutes=30),
            sales_start=now - timedelta(days=SALES_DAYS + 7),  # the demo sales' three weeks
            sales_end=starts_at,
            state=EventState.ON_SALE,
        )
        report.add("events")
        tax = ARENA_TAX if venue_name == demo_venues.ARENA_NAME else THEATRE_TAX
        for position, (ticket_name, price, sells) in enumerate(tickets):
            area = Area.objects.filter(seat_map=seat_map, name=sells).first()
            services.create_ticket(
                actor=None,
                event=event,
                name=ticket_name,
                price=Decimal(price),
                tax_rate=tax,
                category="" if area else sells,
                area=area,
                position=position,
                max_per_booking=10,
            )
            report.add("tickets")


# The demo counter: a POS started by `make run` registers with this fixed setup code; it
# exists only on the demo installation (settings.ENTURF_DEMO, set by `make run`).
DEMO_COUNTER_NAME = "Demo counter"
DEMO_COUNTER_SETUP_CODE = DEMO_SETUP_CODE
DEMO_COUNTER_CODE_DAYS = 365  # a demo code; real setup codes last hours
DEMO_ALLOCATION_SECTION, DEMO_ALLOCATION_ROWS = "Stalls", 1  # its back row in every theatre show


def _seed_counter(report: SeedReport) -> Device:
    """The demo counter device (found by its setup code, which outlives registration)."""
    digest = token_digest(normalise_setup_code(DEMO_COUNTER_SETUP_CODE))
    device = Device.objects.filter(setup_code_digest=digest).first()
    # the simulator's first demo reader stands at the demo counter (`make run` starts it)
    reader = settings.ENTURF_GATEWAY_READER_ID or demo_reader_id(1)
    if device is None:
        device = Device.objects.create(
            name=DEMO_COUNTER_NAME,
            setup_code_digest=digest,
            setup_code_expires_at=timezone.now() + timedelta(days=DEMO_COUNTER_CODE_DAYS),
            reader_id=reader,
        )
        report.add("counters")
    elif not device.reader_id:  # seeded before counters had readers
        Device.objects.filter(pk=device.pk).update(reader_id=reader)
    return device


def _seed_allocations(device: Device, report: SeedReport) -> None:
    """Allocate the back row of the theatre's stalls in every theatre show to the demo
    counter, so it can sell those seats offline."""
    if device.retired_at is not None:
        return
    events = Event.objects.filter(
        seat_map__venue__name=demo_venues.THEATRE_NAME, state=EventState.ON_SALE
    ).exclude(pk__in=Allocation.objects.filter(device=device).values("event_id"))
    for event in events.order_by("starts_at"):
        rows = list(
            Row.objects.filter(
                section__seat_map=event.seat_map, section__name=DEMO_ALLOCATION_SECTION
            )
            .order_by("-position")
            .values_list("pk", flat=True)[:DEMO_ALLOCATION_ROWS]
        )
        seats = list(
            Seat.objects.filter(row_id__in=rows).order_by("pk").values_list("pk", flat=True)
        )
        free = set(
            SeatInventory.objects.filter(
                event=event,
                seat_id__in=seats,
                status=SeatStatus.AVAILABLE,
                allocated_to__isnull=True,
            ).values_list("seat_id", flat=True)
        )
        seats = [s for s in seats if s in free]
        if seats:
            allocate(actor=None, event=event, device=device, seat_ids=seats)
            report.add("counter allocations")


# The door (issue 15): a steward who scans, a supervisor who may let a refused ticket in,
# and on the demo installation a device on door duty with its own fixed setup code.
DEMO_DOOR_USERS = [
    # username, password, role, first name
    ("door", "enturf-door", Role.DOOR_STEWARD, "Dora"),
    ("supervisor", "enturf-supervisor", Role.DOOR_SUPERVISOR, "Sam"),
]
DEMO_DOOR_NAME = "Demo door"


def seed_door(report: SeedReport) -> None:
    """The door's demo staff and (settings.ENTURF_DEMO) the demo door device, found by its
    setup code `DEMO-DOOR`, which outlives registration; what exists is left alone."""
    for username, password, role, first_name in DEMO_DOOR_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(username=username, first_name=first_name, email=f"{username}@demo.enturf.org")
        user.set_password(password)  # fixed demo password: validators skipped on purpose
        user.save()
        set_role(user, role)
        report.add("users")
    if not settings.ENTURF_DEMO:
        return
    digest = token_digest(normalise_setup_code(DEMO_DOOR_SETUP_CODE))
    if not Device.objects.filter(setup_code_digest=digest).exists():
        Device.objects.create(
            name=DEMO_DOOR_NAME,
            setup_code_digest=digest,
            setup_code_expires_at=timezone.now() + timedelta(days=DEMO_COUNTER_CODE_DAYS),
            duty=DeviceDuty.DOOR,
        )
        report.add("door devices")


def rearm_demo_door() -> bool:
    """Make `DEMO-DOOR` usable again for a demo door that lost its credentials (no system
    keyring): the registered demo door is retired (its scans stay) and a fresh one made."""
    if not settings.ENTURF_DEMO:
        return False
    digest = token_digest(normalise_setup_code(DEMO_DOOR_SETUP_CODE))
    device = Device.objects.filter(setup_code_digest=digest).first()
    if device is None or device.registered_at is None:
        return False
    with changes.atomic():
        retire_device(actor=None, device=device)
        Device.objects.filter(pk=device.pk).update(setup_code_digest=None)
        seed_door(SeedReport())
    return True


@contextmanager
def _past_payments(gateway_db: str | Path | None) -> Iterator[PastPayments | None]:
    """The simulator's store for the demo's card payments, in one transaction: committed
    when the seed's own is about to be, rolled back with it. A simulator already serving
    that file waits meanwhile (`make run` starts it after seeding)."""
    if gateway_db is None:
        yield None
        return
    with PastPayments(gateway_db) as gateway, gateway.store.transaction():
        yield gateway


def seed_demo(gateway_db: str | Path | None = None) -> SeedReport:
    """Create whatever part of the demo data is missing; returns what was created.

    `gateway_db`: the card gateway simulator's SQLite file, where the demo sales' card
    payments are made (`demo_sales`); None (no simulator): they carry PaymentIntents no
    gateway knows, so those sales cannot be refunded by card."""
    report = SeedReport()
    with (
        changes.atomic(),  # all or nothing, and one lock on the change log
        _past_payments(gateway_db) as gateway,  # the simulator's part too
    ):
        _seed_users(report)
        _seed_settings(report)
        seat_maps = {
            demo_venues.THEATRE_NAME: _seed_venue(
                demo_venues.THEATRE_NAME,
                "Theaterplatz 1\n10117 Berlin",
                "Europe/Berlin",
                demo_venues.theatre_royal(),
                report,
            ),
            demo_venues.ARENA_NAME: _seed_venue(
                demo_venues.ARENA_NAME,
                "Arenastraße 20\n10243 Berlin",
                "Europe/Berlin",
                demo_venues.enturf_arena(),
                report,
            ),
        }
        _seed_events(seat_maps, report)
        seed_door(report)
        device = None
        if settings.ENTURF_DEMO:
            device = _seed_counter(report)
            _seed_allocations(device, report)
        seed_sales(report, device, gateway)
    return report


def rearm_demo_counter() -> bool:
    """Make the demo setup code usable again, for a demo counter that lost its credentials
    (no system keyring keeps them across runs). The registered demo counter is retired (its
    key keeps verifying the codes it signed), its allocations are released, and a fresh
    demo counter with the same code gets the demo allocation. Returns whether it re-armed.
    """
    if not settings.ENTURF_DEMO:
        return False
    digest = token_digest(normalise_setup_code(DEMO_COUNTER_SETUP_CODE))
    device = Device.objects.filter(setup_code_digest=digest).first()
    if device is None or device.registered_at is None:
        return False
    with changes.atomic():
        retire_device(actor=None, device=device)
        for allocation in Allocation.objects.filter(device=device):
            release_allocation(actor=None, allocation=allocation, force=True)
        Device.objects.filter(pk=device.pk).update(setup_code_digest=None)
        report = SeedReport()
        _seed_allocations(_seed_counter(report), report)
    return True
