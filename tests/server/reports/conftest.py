"""A week of sales to report on, made through the real paths, and what the test itself
recorded of each ticket it sold (the reports are checked against sums of these).

Counter A (cashier ann) and counter B (cashier bob) push counter sales over several days,
in cash, by card and both; a customer books online and pays by card; one of the online
tickets is refunded. The venue is in Europe/Berlin and one sale is at 23:30 UTC, so its
day is the next one at the venue. Two tax rates: standard and floor 19 %, premium 7 %.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from support import billing_fixtures
from support.billing_fixtures import booked, card_on_reader, pay
from support.counters import allocated, pos_client, push, register_counter, sale_line, sale_payload

gateway = billing_fixtures.gateway
BERLIN = ZoneInfo("Europe/Berlin")


def tax_in(gross: Decimal, rate: Decimal) -> Decimal:
    """The tax included in `gross` at `rate` percent (computed here, not by enturf_core)."""
    return (gross * rate / (100 + rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Sold:
    """One ticket as the test sold it."""

    day: date  # at the venue
    event: int
    ticket: int
    category: str
    channel: str
    counter: int | None
    cashier: int | None
    method: str
    gross: Decimal
    rate: Decimal
    refunded: bool = False
    seat: int | None = None
    at: datetime | None = None

    @property
    def tax(self) -> Decimal:
        return tax_in(self.gross, self.rate)


@dataclass
class ReportData:
    shop: object
    sold: list[Sold] = field(default_factory=list)
    devices: dict[str, object] = field(default_factory=dict)
    cashiers: dict[str, object] = field(default_factory=dict)
    allocated_seats: set[int] = field(default_factory=set)


def _days_ago(n: int, hour: int, minute: int = 0) -> datetime:
    today = datetime.now(UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return today - timedelta(days=n)


@pytest.fixture
def report_data(admin_client, make_user, shop, gateway, client_for) -> ReportData:
    from enturf_server.catalog.models import Venue

    Venue.objects.filter(pk=shop.seat_map.venue_id).update(timezone="Europe/Berlin")
    data = ReportData(shop=shop)
    standard, premium, floor = (shop.tickets[k] for k in ("standard", "premium", "floor"))
    std_seats, prem_seats = shop.seats_by_category["standard"], shop.seats_by_category["premium"]
    floor_area = shop.areas["Floor"]

    counters = {}
    for name, cashier in (("A", "ann"), ("B", "bob")):
        device, token, key = register_counter(f"Counter {name} {uuid.uuid4().hex[:6]}")
        user = make_user(cashier, "employee")
        counters[name] = (device, pos_client(user, token), key, user)
        data.devices[name], data.cashiers[name] = device, user
    allocated(admin_client, shop, counters["A"][0], std_seats[:8], areas=[(floor_area, 6)])
    allocated(admin_client, shop, counters["B"][0], [*prem_seats[:8], *std_seats[8:10]])
    data.allocated_seats = set(std_seats[:10]) | set(prem_seats[:8])

    def counter_sale(name, at, items, methods):
        """items: (ticket key, seat or None); methods: ("cash",) / ("card",) / both."""
        device, pos, key, user = counters[name]
        lines = [
            sale_line(shop, t, seat=s, key=key)
            if s is not None
            else sale_line(shop, t, area=floor_area, key=key)
            for t, s in items
        ]
        total = sum((Decimal(line["price"]) for line in lines), Decimal("0.00"))
        booking_id = str(uuid.uuid4())
        payments = []
        cash_part = (
            total if methods == ("cash",) else (Decimal("10.00") if "cash" in methods else 0)
        )
        if cash_part:
            payments.append({"id": str(uuid.uuid4()), "method": "cash", "amount": str(cash_part)})
        if "card" in methods:
            card = f"{total - cash_part:.2f}"
            terminal, handle, outcome = card_on_reader(gateway, booking_id, card)
            assert outcome.state == "authorised"
            terminal.capture(handle)
            payments.append(
                {
                    "id": str(uuid.uuid4()),
                    "method": "card",
                    "amount": card,
                    "payment_intent": handle.payment_id,
                }
            )
        payload = sale_payload(
            shop, lines, booking_id=booking_id, payments=payments, created_at=at.isoformat()
        )
        payload["booking"]["seller"] = user.username
        result = push(pos, payload)[0]
        assert result["status"] == "applied", (result.get("reason"), result.get("details"))
        method = "mixed" if len(methods) > 1 else methods[0]
        for (t, s), line in zip(items, lines, strict=True):
            ticket = shop.tickets[t]
            data.sold.append(
                Sold(
                    day=at.astimezone(BERLIN).date(),
                    event=shop.event.pk,
                    ticket=ticket.pk,
                    category=ticket.category or "Floor",
                    channel="counter",
                    counter=device.pk,
                    cashier=user.pk,
                    method=method,
                    gross=Decimal(line["price"]),
                    rate=ticket.tax_rate,
                    seat=s,
                    at=at,
                )
            )

    counter_sale(
        "A", _days_ago(6, 10), [("standard", std_seats[0]), ("standard", std_seats[1])], ("cash",)
    )
    counter_sale(
        "A",
        _days_ago(5, 12),
        [("standard", std_seats[2]), ("floor", None), ("floor", None)],
        ("card",),
    )
    # 23:30 UTC: already the next day in Berlin
    counter_sale(
        "B",
        _days_ago(5, 23, 30),
        [("premium", prem_seats[0]), ("premium", prem_seats[1])],
        ("cash",),
    )
    counter_sale(
        "B",
        _days_ago(3, 15),
        [("premium", prem_seats[2]), ("standard", std_seats[8])],
        ("cash", "card"),
    )

    # online: a customer books two seats and pays by card (now); one is refunded
    customer = client_for(make_user("olga", "customer"))
    online = booked(customer, shop, std_seats[10:12])
    terminal, handle, _ = card_on_reader(gateway, online["id"], online["total"])
    r = pay(admin_client, online["id"], "card", online["total"], payment_intent=handle.payment_id)
    assert r.status_code == 201 and r.json()["state"] == "paid", r.content
    terminal.capture(handle)
    refunded_line = online["lines"][0]
    r = admin_client.post(
        "/api/v1/refunds/",
        {"booking": online["id"], "lines": [refunded_line["id"]], "reason": "cannot come"},
        format="json",
    )
    assert r.status_code == 201, r.content
    from enturf_server.sales.models import Booking

    now = Booking.objects.get(pk=online["id"]).created_at
    for line in online["lines"]:
        data.sold.append(
            Sold(
                day=now.astimezone(BERLIN).date(),
                event=shop.event.pk,
                ticket=standard.pk,
                category="standard",
                channel="online",
                counter=None,
                cashier=None,
                method="card",
                gross=standard.price,
                rate=standard.tax_rate,
                refunded=line["id"] == refunded_line["id"],
                seat=line["seat"],
                at=now,
            )
        )
    assert premium and floor  # every ticket kind sold
    return data
