"""`POST /api/v1/bookings/{id}/tickets/reprint/`: a counter prints again the tickets of any
paid booking (a web booking signed by the server, another counter's sale signed by that
counter), each reprint recorded in the audit log with the counter that printed."""

from __future__ import annotations

import pytest
from support.billing_fixtures import booked, pay
from support.counters import allocated, pos_client, push, register_counter, sale_line, sale_payload

from enturf_core.ticket_codes import verify

pytestmark = pytest.mark.django_db


def reprint_url(booking_id) -> str:
    return f"/api/v1/bookings/{booking_id}/tickets/reprint/"


def test_a_web_booking_and_another_counters_sale_are_reprinted_and_audited(
    admin_client, customer_client, employee_client, make_user, shop, counter
):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.sales.models import BookingLine
    from enturf_server.ticketing.selectors import keyring

    _device, pos, key = counter  # the counter that sold
    other, token, _key = register_counter("Box office 2")
    at_the_box_office = pos_client(make_user("frank", "employee"), token)

    web = booked(customer_client, shop, shop.seats[:2], buyer_name="Ada")
    assert customer_client.post(reprint_url(web["id"]), format="json").status_code == 403
    unpaid = at_the_box_office.post(reprint_url(web["id"]), format="json")
    assert (unpaid.status_code, unpaid.json()["error"]["code"]) == (409, "booking_not_paid")
    assert pay(employee_client, web["id"], "cash", web["total"]).status_code == 201

    answer = at_the_box_office.post(reprint_url(web["id"]), format="json")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["booking"]["code"] == web["code"] and data["event"]["name"] == shop.event.name
    assert data["booking"]["holder"] == "Ada"  # printed on the ticket, as on the e-mailed one
    assert data["event"]["timezone"] and "+" in data["event"]["starts_at"]
    codes = {
        str(line.pk): line.ticket_code for line in BookingLine.objects.filter(booking=web["id"])
    }
    assert {t["line"]: t["ticket_code"] for t in data["tickets"]} == codes
    ring, owners = keyring()
    for ticket in data["tickets"]:
        assert owners[verify(ticket["ticket_code"], ring).key_id] == "server"
        assert set(ticket["place"]) == {"section", "row", "seat"}

    # another counter's sale, one ticket of two chosen
    allocated(admin_client, shop, _device, shop.seats[2:4])
    sale = sale_payload(
        shop, [sale_line(shop, "standard", seat=s, key=key) for s in shop.seats[2:4]]
    )
    assert push(pos, sale)[0]["status"] == "applied"
    chosen = sale["lines"][1]
    one = at_the_box_office.post(
        reprint_url(sale["booking"]["id"]), {"lines": [chosen["id"]]}, format="json"
    )
    assert one.status_code == 200, one.content
    [ticket] = one.json()["tickets"]
    assert (ticket["line"], ticket["ticket_code"]) == (chosen["id"], chosen["ticket_code"])

    entries = AuditEntry.objects.filter(action="tickets.reprint").order_by("at")
    assert [(e.object_id, e.device_id, e.actor.username, e.details["count"]) for e in entries] == [
        (web["id"], other.pk, "frank", 2),
        (sale["booking"]["id"], other.pk, "frank", 1),
    ]
