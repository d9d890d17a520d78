"""`enturf-server seed_demo`: the demo data, and a second run that changes nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from enturf_server.accounts.models import SiteSettings, User
from enturf_server.audit.models import AuditEntry
from enturf_server.catalog.models import Area, Event, Row, Seat, SeatMap, Section, Ticket, Venue
from enturf_server.sales.models import AreaInventory, SeatInventory
from enturf_server.sync.models import ChangeLogEntry

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

COUNTED = [User, Venue, SeatMap, Section, Row, Seat, Area, Event, Ticket]
COUNTED += [SeatInventory, AreaInventory, ChangeLogEntry, AuditEntry]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
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
