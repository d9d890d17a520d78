"""Sales test data made directly with the ORM: a venue, a seat map, an event, tickets.

Quick to build (bulk inserts) and independent of the catalog API; inventory rows come
from sales' `create_event_inventory`, the same code that real events use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone


@dataclass
class SalesSetup:
    event: object
    seat_map: object
    seats: list[int]  # seat ids in map order (section, row, position)
    seats_by_category: dict[str, list[int]]
    areas: dict[str, int]  # name -> area id
    tickets: dict[str, object] = field(default_factory=dict)


def make_seat_map(
    *,
    sections: int = 2,
    rows: int = 3,
    seats_per_row: int = 10,
    categories: tuple[str, ...] = ("standard", "premium"),
    areas: dict[str, int] | None = None,
    name: str = "Main",
):
    """Section k sells `categories[k % n]`; the first seat of each row is accessible."""
    from enturf_server.catalog.models import Area, Row, Seat, SeatMap, Section, Venue

    venue = Venue.objects.create(name=f"Venue {name}")
    seat_map = SeatMap.objects.create(venue=venue, name=name, width=1000, height=1000)
    section_objs = Section.objects.bulk_create(
        Section(seat_map=seat_map, name=f"S{s + 1}", position=s) for s in range(sections)
    )
    row_objs = Row.objects.bulk_create(
        Row(section=section, label=f"R{r + 1}", position=r)
        for section in section_objs
        for r in range(rows)
    )
    seats = []
    for row_index, row in enumerate(row_objs):
        section_index = row_index // rows
        for n in range(seats_per_row):
            seats.append(
                Seat(
                    seat_map=seat_map,
                    row=row,
                    key=f"{section_index}/{row.label}/{n + 1}",
                    label=str(n + 1),
                    position=n,
                    x=float(n * 10),
                    y=float(row_index * 12),
                    category=categories[section_index % len(categories)],
                    accessible=n == 0,
                )
            )
    Seat.objects.bulk_create(seats, batch_size=2000)
    Area.objects.bulk_create(
        Area(seat_map=seat_map, name=area_name, capacity=capacity)
        for area_name, capacity in (areas if areas is not None else {"Floor": 50}).items()
    )
    return seat_map


def make_event(
    seat_map,
    *,
    name: str = "Show",
    state: str = "on_sale",
    sales_start: datetime | None = None,
    sales_end: datetime | None = None,
):
    from django.db import transaction

    from enturf_server.catalog.models import Event
    from enturf_server.sales.event_inventory import create_event_inventory

    with transaction.atomic():
        event = Event.objects.create(
            seat_map=seat_map,
            name=name,
            starts_at=timezone.now() + timedelta(days=7),
            sales_start=sales_start,
            sales_end=sales_end,
            state=state,
        )
        create_event_inventory(event)
    return event


def make_ticket(
    event,
    *,
    name: str,
    price: str,
    tax_rate: str = "19",
    category: str = "",
    area: int | None = None,
    max_per_booking: int | None = None,
    position: int = 0,
):
    from enturf_server.catalog.models import Ticket

    return Ticket.objects.create(
        event=event,
        name=name,
        price=Decimal(price),
        tax_rate=Decimal(tax_rate),
        category=category,
        area_id=area,
        max_per_booking=max_per_booking,
        position=position,
    )


def sales_setup(**map_kw) -> SalesSetup:
    """An on-sale event with standard / premium seats, a GA floor and a ticket for each."""
    from enturf_server.catalog.models import Area, Seat

    event_kw = {k: map_kw.pop(k) for k in ("state", "sales_start", "sales_end") if k in map_kw}
    seat_map = make_seat_map(**map_kw)
    event = make_event(seat_map, **event_kw)
    seats = list(
        Seat.objects.filter(seat_map=seat_map)
        .order_by("row__section__position", "row__position", "position")
        .values_list("id", "category")
    )
    by_category: dict[str, list[int]] = {}
    for seat_id, category in seats:
        by_category.setdefault(category, []).append(seat_id)
    areas = dict(Area.objects.filter(seat_map=seat_map).values_list("name", "id"))
    setup = SalesSetup(
        event=event,
        seat_map=seat_map,
        seats=[s for s, _c in seats],
        seats_by_category=by_category,
        areas=areas,
    )
    if "standard" in by_category:
        setup.tickets["standard"] = make_ticket(
            event, name="Standard", price="25.00", category="standard", max_per_booking=10
        )
    if "premium" in by_category:
        setup.tickets["premium"] = make_ticket(
            event, name="Premium", price="49.90", tax_rate="7", category="premium", position=1
        )
    if "Floor" in areas:
        setup.tickets["floor"] = make_ticket(
            event, name="Floor", price="19.99", area=areas["Floor"], position=2
        )
    return setup
