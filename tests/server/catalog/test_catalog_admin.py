"""Django admin: every catalog page opens; edits go through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from support.catalog_data import make_booking, make_event, make_seat_map, make_ticket

from enturf_server.catalog.models import Event
from enturf_server.sales.models import SeatInventory
from enturf_server.sync.models import ChangeLogEntry

pytestmark = pytest.mark.django_db

MODELS = ["venue", "seatmap", "section", "row", "seat", "area", "event", "ticket"]


@pytest.fixture
def browser():
    from enturf_server.accounts.models import User

    user = User.objects.create(username="boss", is_staff=True, is_superuser=True, role="admin")
    client = Client()
    client.force_login(user)
    return client


def test_every_catalog_page_opens(browser):
    event = make_event()
    ticket = make_ticket(event)
    seat_map = event.seat_map
    objects = {
        "venue": seat_map.venue,
        "seatmap": seat_map,
        "section": seat_map.sections.first(),
        "row": seat_map.sections.first().rows.first(),
        "seat": seat_map.seats.first(),
        "area": seat_map.areas.first(),
        "event": event,
        "ticket": ticket,
    }
    for model in MODELS:
        r = browser.get(f"/admin/catalog/{model}/")
        assert r.status_code == 200, model
        r = browser.get(f"/admin/catalog/{model}/{objects[model].pk}/change/")
        assert r.status_code == 200, model
    r = browser.get("/admin/catalog/event/?q=Show&state__exact=on_sale")
    assert r.status_code == 200 and b"Show" in r.content


def test_event_added_in_admin_gets_inventory_and_is_synced(browser):
    seat_map = make_seat_map()
    starts = timezone.localtime() + timedelta(days=5)
    r = browser.post(
        "/admin/catalog/event/add/",
        {
            "seat_map": seat_map.pk,
            "name": "Admin show",
            "description": "",
            "starts_at_0": starts.strftime("%Y-%m-%d"),
            "starts_at_1": starts.strftime("%H:%M:%S"),
            "state": "draft",
            "tickets-TOTAL_FORMS": "0",
            "tickets-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 302, r.content[:2000]
    event = Event.objects.get(name="Admin show")
    assert SeatInventory.objects.filter(event=event).count() == 24
    assert ChangeLogEntry.objects.filter(entity="event", entity_id=str(event.pk)).exists()


def test_admin_refusals_show_a_message(browser):
    event = make_event(state="draft")
    make_booking(event)
    # an event with bookings offers no delete
    r = browser.get(f"/admin/catalog/event/{event.pk}/delete/")
    assert r.status_code == 403
    # an impossible state change is refused with the service's message, nothing saved
    r = browser.post(
        f"/admin/catalog/event/{event.pk}/change/",
        {
            "name": event.name,
            "description": "",
            "starts_at_0": timezone.localtime(event.starts_at).strftime("%Y-%m-%d"),
            "starts_at_1": timezone.localtime(event.starts_at).strftime("%H:%M:%S"),
            "state": "closed",
            "tickets-TOTAL_FORMS": "0",
            "tickets-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert r.status_code == 200
    assert b"cannot become closed" in r.content
    event.refresh_from_db()
    assert event.state == "draft"
