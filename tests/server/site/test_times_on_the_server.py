"""The server's documents show the venue's time (Europe/Berlin) while the server itself
runs in another zone (TIME_ZONE=America/Los_Angeles): the Z report PDF (its people by
display name), an invoice's issue time, and the invoice number's year at New Year."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from support.factories import sales_setup
from support.paid_booking_data import book, mark_paid

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
OPENED = datetime(2031, 1, 15, 17, 5, tzinfo=UTC)  # 18:05 in Berlin, 09:05 in LA
CLOSED = datetime(2031, 1, 15, 22, 40, tzinfo=UTC)  # 23:40 in Berlin, 14:40 in LA


@pytest.fixture
def server_in_los_angeles(settings):
    settings.TIME_ZONE = "America/Los_Angeles"


def test_z_report_pdf_shows_venue_time_and_display_names(
    admin_client, make_user, server_in_los_angeles
):
    from enturf_server.catalog.models import Venue
    from enturf_server.shifts.models import DrawerMovement, Shift, ShiftState

    Venue.objects.create(name="Stadttheater", timezone="Europe/Berlin")
    jane = make_user("jane", "employee", first_name="Jane", last_name="Doe")
    boss = make_user("boss", "admin", first_name="Ada", last_name="Lovelace")
    shift = Shift.objects.create(
        cashier=jane,
        opened_at=OPENED,
        opening_float=Decimal("100.00"),
        currency="EUR",
        state=ShiftState.CLOSED,
        closed_at=CLOSED,
        counted={"cash": "90.00"},
        z_report={"counter": {"expected": {"cash": "100.00"}}, "server": {}},
        difference=Decimal("-10.00"),
        approved_by=boss,
    )
    DrawerMovement.objects.create(
        shift=shift, kind="cash_out", amount=Decimal("10.00"), reason="taxi", at=OPENED, user=jane
    )
    r = admin_client.get(f"/api/v1/shifts/{shift.id}/z-report.pdf")
    assert r.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Opened: 2031-01-15 18:05" in text and "Closed: 2031-01-15 23:40" in text, text
    assert "09:05" not in text and "14:40" not in text
    assert "Cashier: Jane Doe" in text and "approved by: Ada Lovelace" in text, text
    assert "jane" not in text.replace("Jane", "")
    assert "2031-01-15 18:05\nCash out" in text or "2031-01-15 18:05 Cash out" in text, text


def test_invoice_issue_time_and_number_year_follow_the_venue_zone(make_user, server_in_los_angeles):
    from enturf_server.invoicing.numbering import year_of
    from enturf_server.invoicing.selectors import invoice_document

    setup = sales_setup()
    venue = setup.event.seat_map.venue
    venue.timezone = "Europe/Berlin"
    venue.save()
    invoice = mark_paid(book(setup, make_user("carl"), seats=1), sign=False)
    document = invoice_document(invoice)
    assert document.issued_at.utcoffset() == invoice.issued_at.astimezone(BERLIN).utcoffset()
    assert document.issued_at == invoice.issued_at
    assert (
        document.event_starts_at.utcoffset() == setup.event.starts_at.astimezone(BERLIN).utcoffset()
    )
    # half past midnight on New Year's night in Berlin is still the old year in LA
    assert year_of(datetime(2030, 12, 31, 23, 30, tzinfo=UTC)) == 2031


def test_demo_shows_start_at_their_hour_on_the_venue_clock(server_in_los_angeles):
    from enturf_demo.seed import seed_demo
    from enturf_server.catalog.models import Event

    seed_demo()
    starts = {e.name: e.starts_at.astimezone(BERLIN) for e in Event.objects.all()}
    assert (starts["Hamlet"].hour, starts["Hamlet"].minute) == (19, 30)
    assert (starts["Northern Lights Tour"].hour, starts["Northern Lights Tour"].minute) == (20, 0)


def test_the_admin_shows_and_reads_times_in_the_venue_zone(server_in_los_angeles):
    from django.test import Client
    from support.catalog_data import make_event, make_seat_map, make_venue

    from enturf_server.accounts.models import User
    from enturf_server.catalog.models import Event

    venue = make_venue(timezone="Europe/Berlin")
    event = make_event(make_seat_map(venue), starts_at=datetime(2031, 1, 15, 19, 0, tzinfo=UTC))
    browser = Client()
    browser.force_login(
        User.objects.create(username="boss", is_staff=True, is_superuser=True, role="admin")
    )
    page = browser.get(f"/admin/catalog/event/{event.pk}/change/").content.decode()
    assert 'name="starts_at_1" value="20:00:00"' in page, page[:3000]
    assert "<title>Show (2031-01-15 20:00) | Change event" in page, page[:300]
    r = browser.post(
        f"/admin/catalog/event/{event.pk}/change/",
        {
            "name": event.name,
            "description": "",
            "starts_at_0": "2031-01-15",
            "starts_at_1": "21:00:00",
            "state": event.state,
            "tickets-TOTAL_FORMS": "0",
            "tickets-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 302, r.content[:2000]
    assert Event.objects.get(pk=event.pk).starts_at == datetime(2031, 1, 15, 20, 0, tzinfo=UTC)
