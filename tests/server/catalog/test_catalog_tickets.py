"""Tickets: what they may sell, prices, tax, currency, versions, and who sees them."""

from __future__ import annotations

import pytest
from support.catalog_data import make_booking, make_event, make_seat_map, make_ticket, user_client

from enturf_server.accounts.models import SiteSettings
from enturf_server.catalog.models import Area, Ticket
from enturf_server.sales.models import BookingLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(client_for):
    return user_client("manager", client_for)  # staff with the right edit_events


@pytest.fixture
def event():
    return make_event(make_seat_map(categories=("standard", "premium")))


def _create(client, event, **fields):
    body = {"event": event.pk, "name": "Adult", "price": "25.00", **fields}
    return client.post("/api/v1/tickets/", body, format="json")


def test_create_category_and_area_tickets(staff_api, event):
    r = _create(staff_api, event, category="premium", tax_rate="19.00", max_per_booking=6)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["price"] == "25.00" and body["tax_rate"] == "19.00"
    assert body["currency"] == "EUR" and body["category"] == "premium" and body["area"] is None
    assert body["version"] == 1 and body["active"] is True and body["max_per_booking"] == 6

    area = Area.objects.get(seat_map=event.seat_map)
    r = _create(staff_api, event, name="Standing", area=area.pk)
    assert r.status_code == 201, r.content
    assert (r.json()["area"], r.json()["category"], r.json()["position"]) == (area.pk, "", 1)


def _other_area():
    return Area.objects.get(seat_map=make_seat_map(name="Elsewhere"))


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"category": "balcony"}, "invalid_category", "categories are: premium, standard"),
        ({}, "invalid_ticket_target", "exactly one"),
        ({"category": "standard", "area": "AREA"}, "invalid_ticket_target", "exactly one"),
        ({"area": "OTHER_AREA"}, "invalid_area", "not a standing area of this event"),
        ({"area": 999_999}, "invalid_reference", "There is no area with id 999999"),
        ({"category": "standard", "price": "-1.00"}, "invalid", "price:"),
        ({"category": "standard", "price": "1.005"}, "invalid", "price:"),
        ({"category": "standard", "price": "abc"}, "invalid", "price:"),
        ({"category": "standard", "tax_rate": "100.01"}, "invalid", "tax_rate:"),
        ({"category": "standard", "tax_rate": "-1"}, "invalid", "tax_rate:"),
        ({"category": "standard", "currency": "USD"}, "invalid_currency", "in EUR"),
        ({"category": "standard", "name": ""}, "invalid", "name:"),
    ],
)
def test_create_refuses_bad_tickets(staff_api, event, fields, code, message):
    area = Area.objects.get(seat_map=event.seat_map)
    if fields.get("area") == "AREA":
        fields["area"] = area.pk
    if fields.get("area") == "OTHER_AREA":
        fields["area"] = _other_area().pk
    r = _create(staff_api, event, **fields)
    assert r.status_code == 400, r.content
    assert r.json()["error"]["code"] == code
    assert message in r.json()["error"]["message"]
    assert not Ticket.objects.exists()


def test_currency_follows_the_site_settings(staff_api, event):
    site = SiteSettings.load()
    site.currency = "GBP"
    site.save()
    r = _create(staff_api, event, category="standard")
    assert r.status_code == 201 and r.json()["currency"] == "GBP"
    assert _create(staff_api, event, category="standard", currency="eur").status_code == 400
    assert _create(staff_api, event, category="standard", currency="gbp").status_code == 201


def test_update_bumps_version_and_switches_between_category_and_area(staff_api, event):
    ticket = make_ticket(event)
    url = f"/api/v1/tickets/{ticket.pk}/"
    r = staff_api.patch(url, {"price": "27.50"}, format="json")
    assert r.status_code == 200 and (r.json()["price"], r.json()["version"]) == ("27.50", 2)
    area = Area.objects.get(seat_map=event.seat_map)
    r = staff_api.patch(url, {"area": area.pk}, format="json")
    assert r.status_code == 200, r.content
    assert (r.json()["area"], r.json()["category"], r.json()["version"]) == (area.pk, "", 3)
    r = staff_api.patch(url, {"category": "premium"}, format="json")
    assert (r.json()["area"], r.json()["category"]) == (None, "premium")
    r = staff_api.patch(url, {"category": "nope"}, format="json")
    assert r.status_code == 400
    r = staff_api.patch(url, {"tax_rate": "150"}, format="json")
    assert r.status_code == 400
    ticket.refresh_from_db()
    assert (ticket.category, ticket.version, str(ticket.price)) == ("premium", 4, "27.50")


def _sell(ticket) -> None:
    BookingLine.objects.create(
        booking=make_booking(ticket.event),
        ticket=ticket,
        price=ticket.price,
        tax_rate=ticket.tax_rate,
        secret="s" * 43,
    )


def test_delete_removes_an_unsold_ticket_and_retires_a_sold_one(client_for, event):
    """`DELETE /tickets/{id}/` does what the counter's `ticket_remove` op does, and says which."""
    from enturf_server.audit.models import AuditEntry

    admin = user_client("admin", client_for)
    unsold, sold = make_ticket(event, name="Unsold"), make_ticket(event, name="Sold")
    _sell(sold)

    r = admin.delete(f"/api/v1/tickets/{unsold.pk}/")
    assert (r.status_code, r.json()) == (200, {"outcome": "deleted", "ticket": None})
    assert not Ticket.objects.filter(pk=unsold.pk).exists()
    assert admin.get(f"/api/v1/tickets/{unsold.pk}/").status_code == 404

    r = admin.delete(f"/api/v1/tickets/{sold.pk}/")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["outcome"] == "retired"
    assert (body["ticket"]["id"], body["ticket"]["active"]) == (sold.pk, False)
    assert body["ticket"]["version"] == sold.version + 1
    assert admin.get(f"/api/v1/tickets/{sold.pk}/").json()["active"] is False
    # again: still retired, nothing more changes
    again = admin.delete(f"/api/v1/tickets/{sold.pk}/").json()
    assert (again["outcome"], again["ticket"]["version"]) == ("retired", sold.version + 1)
    assert AuditEntry.objects.filter(action="ticket.delete", object_id=str(unsold.pk)).exists()
    assert AuditEntry.objects.filter(action="ticket.update", object_id=str(sold.pk)).count() == 1


def test_delete_refuses_with_a_reason_where_it_cannot_retire(client_for, event):
    from enturf_server.catalog.models import Event

    admin = user_client("admin", client_for)
    sold = make_ticket(event)
    _sell(sold)
    Event.objects.filter(pk=event.pk).update(state="cancelled")
    r = admin.delete(f"/api/v1/tickets/{sold.pk}/")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "event_cancelled")
    assert Ticket.objects.get(pk=sold.pk).active
    assert admin.delete("/api/v1/tickets/999999/").status_code == 404
    cashier = user_client("employee", client_for)
    assert cashier.delete(f"/api/v1/tickets/{sold.pk}/").status_code == 403


def test_list_by_event_and_visibility(staff_api, anon_client):
    a, b = make_event(name="A"), make_event(name="B")
    draft = make_event(name="Draft", state="draft")
    make_ticket(a, name="A1")
    make_ticket(a, name="A2 (inactive)", active=False)
    make_ticket(b, name="B1")
    make_ticket(draft, name="D1")

    def names(client, query=""):
        r = client.get(f"/api/v1/tickets/{query}")
        assert r.status_code == 200
        return sorted(t["name"] for t in r.json()["results"])

    assert names(anon_client, f"?event={a.pk}") == ["A1"]
    assert names(staff_api, f"?event={a.pk}") == ["A1", "A2 (inactive)"]
    assert names(anon_client) == ["A1", "B1"]
    assert names(staff_api) == ["A1", "A2 (inactive)", "B1", "D1"]
    assert anon_client.get("/api/v1/tickets/?event=x").status_code == 400


def test_ticket_output_built_directly_matches_drf(db):
    """TicketOutput skips DRF's field machinery for speed; its answer must not change."""
    from decimal import Decimal

    from rest_framework import serializers

    from enturf_server.catalog.models import Ticket
    from enturf_server.catalog.serializers import TicketOutput

    ticket = Ticket(
        pk=7,
        event_id=3,
        name="Adult",
        price=Decimal("12.5"),
        currency="EUR",
        tax_rate=Decimal("7"),
        category="standard",
        area_id=None,
        max_per_booking=None,
        position=0,
        active=True,
        version=2,
        updated_at=None,
    )
    assert TicketOutput(ticket).data == serializers.ModelSerializer.to_representation(
        TicketOutput(), ticket
    )
    from django.utils import timezone

    ticket.updated_at, ticket.area_id, ticket.max_per_booking = timezone.now(), 4, 6
    ticket.tax_rate = Decimal("19.00")
    assert TicketOutput(ticket).data == serializers.ModelSerializer.to_representation(
        TicketOutput(), ticket
    )
