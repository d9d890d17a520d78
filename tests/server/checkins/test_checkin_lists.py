"""Check-in lists (`/events/{id}/checkin-lists/`): the default list, admins' edits, no
deleting a list with scans, rights and bad input."""

from __future__ import annotations

import pytest
from support.door_scans import lists_url, new_list, paid_lines, scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_signing_key")]


def test_an_event_gets_its_default_list_once(employee_client, shop):
    first = employee_client.get(lists_url(shop.event.pk)).json()
    again = employee_client.get(lists_url(shop.event.pk)).json()
    assert first == again
    assert [(x["name"], x["is_default"], x["tickets"], x["gates"]) for x in first] == [
        ("All tickets", True, [], [])
    ]


def test_admins_create_change_and_delete_lists(admin_client, employee_client, shop):
    url = lists_url(shop.event.pk)
    list_id = new_list(admin_client, shop, name="VIP", tickets=[shop.tickets["premium"].pk])
    r = admin_client.patch(
        f"{url}{list_id}/",
        {"gates": ["Gate 1", " Gate 1 ", "Gate 2"], "exits": True},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert (r.json()["gates"], r.json()["exits"], r.json()["version"]) == (
        ["Gate 1", "Gate 2"],
        True,
        2,
    )
    assert (
        employee_client.patch(f"{url}{list_id}/", {"name": "x"}, format="json").status_code == 403
    )
    assert employee_client.post(url, {"name": "x"}, format="json").status_code == 403
    assert admin_client.delete(f"{url}{list_id}/").status_code == 204
    assert admin_client.delete(f"{url}{list_id}/").status_code == 404


def test_a_list_with_scans_is_not_deleted(admin_client, shop, make_user):
    line = paid_lines(shop, make_user("buyer"), seats=1)[0]
    list_id = new_list(admin_client, shop)
    scan(admin_client, list_id, line.ticket_code, expect=201)
    r = admin_client.delete(f"{lists_url(shop.event.pk)}{list_id}/")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "list_in_use")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "x", "tickets": [999999]},
        {"name": "x", "tickets": [2**40]},
        {"name": "x", "gates": "Gate 1"},
        {"name": "x", "starts_at": "2026-12-08T20:00:00Z", "ends_at": "2026-12-08T19:00:00Z"},
        {"name": "n" * 500},
    ],
)
def test_bad_lists_are_4xx(admin_client, shop, body):
    r = admin_client.post(lists_url(shop.event.pk), body, format="json")
    assert 400 <= r.status_code < 500 and r.json()["error"]["code"], r.content


def test_other_events_ids_and_customers(admin_client, customer_client, shop):
    assert admin_client.get(lists_url(2**40)).status_code == 404
    assert admin_client.get(lists_url(999999)).status_code == 404
    assert admin_client.patch(
        f"{lists_url(shop.event.pk)}{2**40}/", {}, format="json"
    ).status_code in (
        400,
        404,
    )
    assert customer_client.get(lists_url(shop.event.pk)).status_code == 403
    assert customer_client.get(f"/api/v1/events/{shop.event.pk}/checkin-stats/").status_code == 403
