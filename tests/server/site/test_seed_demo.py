"""`enturf-server seed_demo`: the demo data, and a second run that changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.utils import timezone
from support import billing_fixtures
from support.billing_fixtures import secret_client

from enturf_server.accounts.models import SiteSettings, User
from enturf_server.audit.models import AuditEntry
from enturf_server.catalog.models import Area, Event, Row, Seat, SeatMap, Section, Ticket, Venue
from enturf_server.sales.models import AreaInventory, SeatInventory
from enturf_server.sync.models import ChangeLogEntry

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
gateway = billing_fixtures.gateway

COUNTED = [User, Venue, SeatMap, Section, Row, Seat, Area, Event, Ticket]
COUNTED += [SeatInventory, AreaInventory, ChangeLogEntry, AuditEntry]


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _register_demo_counter(client, setup_code: str | None = None):
    from enturf_core.ticket_codes import SigningKey
    from enturf_demo.seed import DEMO_COUNTER_SETUP_CODE

    return client.post(
        "/api/v1/devices/register/",
        {
            "setup_code": setup_code or DEMO_COUNTER_SETUP_CODE,
            "name": "Demo counter",
            "signing_public_key": SigningKey.generate().public_key_base64(),
        },
        format="json",
    )


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_seed_creates_the_demo_and_is_idempotent(anon_client):
    first = _seed()
    assert "Created 6 users" in first and "21,500 seats" in first
    counts = _counts()
    settings_stamp = SiteSettings.load().updated_at

    assert _seed().strip() == "Demo data already present; nothing changed."
    assert _counts() == counts
    assert SiteSettings.load().updated_at == settings_stamp

    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        "admin": "admin",
        "cashier": "employee",
        "cashier2": "employee",  # the demo sales' second cashier
        "manager": "manager",
        "customer": "customer",
        "door": "door_steward",
        "supervisor": "door_supervisor",
    }
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    for username in ("admin", "cashier", "cashier2", "manager", "customer", "door", "supervisor"):
        r = anon_client.post(
            "/api/v1/auth/login/",
            {"username": username, "password": f"enturf-{username}"},
            format="json",
        )
        assert r.status_code == 200, r.content

    site = SiteSettings.load()
    assert site.currency == "EUR" and site.seller_vat_id and site.seller_name

    theatre = SeatMap.objects.get(venue__name="Theatre Royal")
    sections = dict(
        Section.objects.filter(seat_map=theatre)
        .annotate(n=Count("rows__seats"))
        .values_list("name", "n")
    )
    assert sections == {"Stalls": 800, "Circle": 450, "Balcony": 250}
    stalls = Seat.objects.filter(seat_map=theatre, row__section__name="Stalls")
    assert stalls.filter(accessible=True).count() >= 2
    assert stalls.filter(companion=True).count() >= 2
    # the stage is at the top: every seat is below it
    assert Seat.objects.filter(seat_map=theatre, y__lte=theatre.stage_y).count() == 0

    arena = SeatMap.objects.get(venue__name="Enturf Arena")
    assert Seat.objects.filter(seat_map=arena).count() == 20_000
    assert 12 <= Section.objects.filter(seat_map=arena).count() <= 16
    assert list(Area.objects.filter(seat_map=arena).values_list("name", "capacity")) == [
        ("Floor Standing", 2000)
    ]
    bounds = Seat.objects.filter(seat_map=arena).aggregate(
        x0=Min("x"), x1=Max("x"), y0=Min("y"), y1=Max("y")
    )
    assert bounds["x0"] >= 0 and bounds["x1"] <= arena.width
    assert bounds["y0"] >= 0 and bounds["y1"] <= arena.height
    assert Seat.objects.filter(seat_map=arena).values("key").distinct().count() == 20_000

    events = Event.objects.all()
    assert events.count() >= 10
    assert set(events.values_list("state", flat=True)) == {"on_sale"}
    assert all(e.starts_at > timezone.now() for e in events)
    for event in events:
        tickets = list(event.tickets.all())
        assert 2 <= len(tickets) <= 4
        assert len({t.price for t in tickets}) >= 2
        assert {t.tax_rate for t in tickets} <= {7, 19}
        seats = Seat.objects.filter(seat_map=event.seat_map_id).count()
        assert SeatInventory.objects.filter(event=event).count() == seats
    assert Ticket.objects.filter(area__name="Floor Standing").exists()
    assert Ticket.objects.filter(category="premium").exists()
    assert ChangeLogEntry.objects.filter(entity="event").count() == events.count()


def test_demo_counter_code_can_be_rearmed_for_a_counter_without_keyring(anon_client, settings):
    """`make run` on a machine without a keyring: the POS lost its device token, so the
    demo code is re-armed for a fresh demo counter that inherits the demo allocation."""
    from enturf_demo.seed import rearm_demo_counter
    from enturf_server.accounts.models import Device
    from enturf_server.sales.models import SeatInventory

    settings.ENTURF_DEMO = True  # the demo installation (`make run`)
    _seed()
    assert rearm_demo_counter() is False  # nobody registered yet: nothing to re-arm

    first = _register_demo_counter(anon_client)
    assert first.status_code == 201, first.content
    allocated = SeatInventory.objects.filter(allocated_to_id=first.json()["device_id"]).count()
    assert allocated > 0
    assert _register_demo_counter(anon_client).status_code == 400  # used

    assert rearm_demo_counter() is True
    old = Device.objects.get(pk=first.json()["device_id"])
    assert old.retired_at is not None
    second = _register_demo_counter(anon_client)
    assert second.status_code == 201, second.content
    new_id = second.json()["device_id"]
    assert new_id != old.pk
    assert SeatInventory.objects.filter(allocated_to_id=new_id).count() == allocated
    assert not SeatInventory.objects.filter(allocated_to_id=old.pk).exists()


def test_the_fixed_demo_setup_code_exists_only_on_the_demo_installation(anon_client, settings):
    """Issue 11, item 12: `seed_demo` outside the demo (`make run` sets ENTURF_DEMO=1)
    creates no counter with the fixed code, and no server takes that code unless it is
    the demo, even from a database seeded by the demo."""
    from enturf_server.accounts.models import Device

    settings.ENTURF_DEMO = False
    assert "not the demo" in _seed()
    assert not Device.objects.exists()
    refused = _register_demo_counter(anon_client)
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "setup_code_invalid")

    assert _register_demo_counter(anon_client, "DEMO-DOOR").status_code == 400

    settings.ENTURF_DEMO = True
    seeded = _seed()
    assert "1 counter" in seeded and "1 door device" in seeded
    settings.ENTURF_DEMO = False  # the demo's database served as another installation
    assert _register_demo_counter(anon_client).json()["error"]["code"] == "setup_code_invalid"
    door = _register_demo_counter(anon_client, "DEMO-DOOR")
    assert door.json()["error"]["code"] == "setup_code_invalid"
    settings.ENTURF_DEMO = True
    assert _register_demo_counter(anon_client).status_code == 201


def test_the_demo_sells_part_of_two_events_for_the_reports():
    """Three weeks of sales through the services: online and at the counter, cash, card
    and both, two cashiers, a couple of refunds, every sale invoiced."""
    from enturf_server.billing.models import Payment, Refund
    from enturf_server.invoicing.models import Invoice
    from enturf_server.reports.sales import sales_report
    from enturf_server.sales.models import Booking

    assert "demo bookings" in _seed()
    bookings = Booking.objects.all()
    assert {b.event.name for b in bookings} == {"Northern Lights Tour", "Hamlet"}
    assert set(bookings.values_list("state", flat=True)) <= {"paid", "partially_refunded"}
    assert Invoice.objects.filter(kind="invoice").count() == bookings.count()
    refunds = Refund.objects.filter(state="succeeded")
    assert 2 <= refunds.count() <= 4
    assert Invoice.objects.filter(kind="credit_note").count() == refunds.count()
    assert set(Payment.objects.values_list("method", "channel").distinct()) == {
        ("cash", "counter"),
        ("card", "counter"),
        ("card", "online"),
    }
    # no simulator given: card payments carry intents no gateway knows (module docstring)
    intents = Payment.objects.filter(method="card").values_list("payment_intent", flat=True)
    assert all(intent.startswith("pi_demo_") for intent in intents)
    first = bookings.order_by("created_at").first().created_at
    assert timezone.now() - first > timedelta(days=14)
    cashiers = sales_report(group_by="cashier")["rows"]
    assert {row["label"] for row in cashiers} == {"cashier", "cashier2", "Online (customer)"}
    methods = {row["key"] for row in sales_report(group_by="payment_method")["rows"]}
    assert methods == {"cash", "card", "mixed"}
    counters = {row["key"]: row["label"] for row in sales_report(group_by="counter")["rows"]}
    assert counters == {"": "Online", "0": "Staff, no counter device"}  # not the demo here
    arena = sales_report(group_by="event")["rows"]
    assert len(arena) == 2 and all(row["tickets"] > 100 for row in arena)


def test_the_demo_door_device_and_its_staff(anon_client, settings):
    """Issue 15: `DEMO-DOOR` registers a device on door duty; `door` scans, `supervisor`
    may override; the code is re-armed for a door that lost its credentials."""
    from enturf_core.staff_rights import Right
    from enturf_demo.seed import rearm_demo_door
    from enturf_server.accounts.models import Device
    from enturf_server.accounts.rights import has_right

    settings.ENTURF_DEMO = True
    _seed()
    door = _register_demo_counter(anon_client, "DEMO-DOOR")
    assert door.status_code == 201, door.content
    assert Device.objects.get(pk=door.json()["device_id"]).duty == "door"
    steward, supervisor = (User.objects.get(username=u) for u in ("door", "supervisor"))
    assert has_right(steward, Right.DOOR_SCAN) and not has_right(steward, Right.DOOR_OVERRIDE)
    assert has_right(supervisor, Right.DOOR_OVERRIDE)

    assert rearm_demo_door() is True
    again = _register_demo_counter(anon_client, "DEMO-DOOR")
    assert again.status_code == 201, again.content
    assert Device.objects.get(pk=door.json()["device_id"]).retired_at is not None
    assert Device.objects.get(pk=again.json()["device_id"]).duty == "door"


def test_seeded_card_sales_are_refunded_by_card_through_the_simulator(gateway, client_for):
    """`make run` seeds into the simulator's file (`--gateway-db`): every seeded card
    payment is an intent the simulator holds, dated at its sale, and a manager (a whole
    counter sale) or a cashier (one ticket of an online sale) refunds it by card through
    the refund API, as a sale made live."""
    from enturf_server.billing.models import Payment, Refund
    from enturf_server.billing.services.gateway import to_minor
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sales.models import Booking, BookingLine

    assert "card payments at the gateway simulator" in _seed(
        gateway_db=str(gateway.simulator.store.path)
    )
    sim = secret_client(gateway)
    held = {intent["id"]: intent for intent in sim.list_payment_intents()}
    cards = Payment.objects.filter(method="card").select_related("booking")
    assert set(held) == {payment.payment_intent for payment in cards}
    for payment in cards:
        intent = held[payment.payment_intent]
        assert intent["status"] == "succeeded" and intent["latest_charge"]["captured"]
        assert intent["amount"] == to_minor(payment.amount, payment.currency)
        assert intent["metadata"]["booking"] == str(payment.booking_id)
        assert intent["created"] == int(payment.succeeded_at.timestamp())
        assert payment.card_last4 in ("4242", "4444")

    def card_only(channel: str) -> Booking:
        paid = Booking.objects.filter(state="paid", payments__channel=channel)
        for booking in paid.order_by("created_at"):
            if set(booking.payments.values_list("method", flat=True)) == {"card"}:
                return booking
        raise AssertionError(f"no seeded {channel} sale paid by card alone")

    def refund(user: str, booking: Booking, lines: list | None = None) -> dict:
        body = {"booking": str(booking.pk), "reason": "Cannot attend"}
        if lines is not None:
            body["lines"] = [str(line) for line in lines]
        client = client_for(User.objects.get(username=user))
        response = client.post("/api/v1/refunds/", body, format="json")
        assert response.status_code == 201, response.content
        answer = response.json()
        assert (answer["method"], answer["state"]) == ("card", "succeeded")
        return answer

    def at_the_simulator(answer: dict, booking: Booking) -> None:
        (part,) = answer["parts"]
        minor = to_minor(Decimal(answer["amount"]), "EUR")
        intent_id = booking.payments.get().payment_intent
        given_back = sim.retrieve_refund(part["gateway_refund_id"])
        assert (given_back["status"], given_back["amount"]) == ("succeeded", minor)
        assert given_back["payment_intent"] == intent_id
        assert sim.retrieve_payment_intent(intent_id)["latest_charge"]["amount_refunded"] == minor
        stored = Refund.objects.get(pk=answer["id"])
        assert (stored.state, stored.method, stored.amount) == (
            "succeeded",
            "card",
            Decimal(answer["amount"]),
        )
        (note,) = Invoice.objects.filter(booking=booking, kind="credit_note")
        assert note.total_gross == -Decimal(answer["amount"])

    counter_sale = card_only("counter")
    whole = refund("manager", counter_sale)
    assert Decimal(whole["amount"]) == counter_sale.total
    at_the_simulator(whole, counter_sale)
    counter_sale.refresh_from_db()
    assert counter_sale.state == "refunded"
    assert sim.retrieve_payment_intent(counter_sale.payments.get().payment_intent)["latest_charge"][
        "refunded"
    ]

    online_sale = card_only("online")
    line = BookingLine.objects.filter(booking=online_sale, seat__isnull=False).first()
    one_ticket = refund("cashier", online_sale, [line.pk])
    assert Decimal(one_ticket["amount"]) < online_sale.total
    at_the_simulator(one_ticket, online_sale)
    online_sale.refresh_from_db()
    assert online_sale.state == "partially_refunded"
