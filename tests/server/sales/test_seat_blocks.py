"""Blocked seats (`sales.seat_blocks`): blocked and released through the API and the push
ops `seat_block` / `seat_release`, with their reasons in the feed and the audit log; held,
sold and allocated seats refuse the whole request."""

from __future__ import annotations

import pytest
from support.counters import allocated, pos_client, push_ops, register_counter, statuses
from support.junk_payloads import junk_variants, server_errors
from support.sync_api import read_all

from enturf_server.audit.models import AuditEntry
from enturf_server.sales.models import SeatInventory, SeatStatus

pytestmark = pytest.mark.django_db


def blocks_url(shop) -> str:
    return f"/api/v1/events/{shop.event.pk}/blocks/"


def block(client, shop, seats, reason="technical", note=""):
    return client.post(
        blocks_url(shop), {"seats": list(seats), "reason": reason, "note": note}, format="json"
    )


def release(client, shop, seats):
    return client.post(blocks_url(shop) + "release/", {"seats": list(seats)}, format="json")


@pytest.fixture
def manager(make_user):
    """An administrator logged in on a counter (the manager window)."""
    device, token, _key = register_counter("Office")
    client = pos_client(make_user("manager", "admin"), token)
    client.device = device
    return client


def test_block_list_and_release_through_the_api(admin_client, customer_client, shop):
    s = shop.seats
    since = customer_client.get(f"/api/v1/events/{shop.event.pk}/availability/").json()["version"]
    r = block(admin_client, shop, [s[2], s[1]], "camera", " Camera 2 ")
    assert r.status_code == 200, r.content
    # the event's inventory version moved on: readers asking for changes see the two seats
    changed = customer_client.get(
        f"/api/v1/events/{shop.event.pk}/availability/", {"since": since}
    ).json()
    assert changed["version"] > since
    assert {x["id"]: x["status"] for x in changed["seats"]} == {s[1]: "blocked", s[2]: "blocked"}
    body = r.json()
    assert body["seats"] == [
        {"seat": s[1], "reason": "camera", "note": "Camera 2"},
        {"seat": s[2], "reason": "camera", "note": "Camera 2"},
    ]
    assert body["reasons"]["house"] == "House seats held for the venue"
    assert admin_client.get(blocks_url(shop)).json() == body
    shown = statuses(customer_client, shop)
    assert (shown[s[1]], shown[s[2]], shown[s[3]]) == ("blocked", "blocked", "available")

    # blocking a blocked seat again changes its reason
    assert block(admin_client, shop, [s[1]], "house").status_code == 200
    r = release(admin_client, shop, [s[2]])
    assert r.status_code == 200
    assert r.json()["seats"] == [{"seat": s[1], "reason": "house", "note": ""}]
    assert statuses(customer_client, shop)[s[2]] == "available"
    assert SeatInventory.objects.get(event=shop.event, seat_id=s[2]).block_reason == ""

    entries = AuditEntry.objects.filter(action__startswith="seat.").order_by("id")
    assert [(e.action, e.details.get("reason"), e.details["seats"]) for e in entries] == [
        ("seat.block", "camera", [s[2], s[1]]),
        ("seat.block", "house", [s[1]]),
        ("seat.release", None, [s[2]]),
    ]
    assert entries[2].details["reasons"] == {str(s[2]): "camera"}
    assert {e.actor_id for e in entries} == {admin_client.user.pk}


def test_held_sold_and_allocated_seats_refuse_the_whole_request(
    admin_client, customer_client, shop, counter
):
    s, standard = shop.seats, shop.tickets["standard"].pk
    booked = customer_client.post(
        "/api/v1/bookings/",
        {"event": shop.event.pk, "lines": [{"seat": s[0], "ticket": standard}]},
        format="json",
    )
    assert booked.status_code == 201
    held = customer_client.post(
        "/api/v1/holds/", {"event": shop.event.pk, "seats": [s[1]]}, format="json"
    )
    assert held.status_code == 201
    allocated(admin_client, shop, counter[0], [s[2]])

    r = block(admin_client, shop, s[:5])
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "seats_unavailable"
    assert error["details"]["seats"] == {
        str(s[0]): "sold",
        str(s[1]): "held",
        str(s[2]): "allocated",
    }
    assert "Nothing was changed" in error["message"]
    assert not SeatInventory.objects.filter(status=SeatStatus.BLOCKED).exists()

    # releasing seats that are not blocked is refused the same way
    block(admin_client, shop, [s[5]])
    r = release(admin_client, shop, [s[5], s[6], s[0]])
    assert r.status_code == 409
    assert r.json()["error"]["details"]["seats"] == {str(s[0]): "sold", str(s[6]): "available"}
    assert SeatInventory.objects.get(event=shop.event, seat_id=s[5]).status == SeatStatus.BLOCKED


def test_seats_of_another_event_and_bad_bodies_are_refused(admin_client, shop):
    from support.factories import sales_setup

    other = sales_setup(name="Other")
    cases = [
        ({"seats": [other.seats[0]], "reason": "kill"}, 400, "unknown_seats"),
        ({"seats": [], "reason": "kill"}, 400, "invalid"),
        ({"seats": [shop.seats[0]], "reason": "broken"}, 400, "invalid"),
        ({"seats": [shop.seats[0]]}, 400, "invalid"),
        ({"seats": [shop.seats[0], shop.seats[0]], "reason": "kill"}, 400, "duplicate_seats"),
        ({"seats": list(range(1, 5002)), "reason": "kill"}, 400, "invalid"),
        ({"seats": [2**40], "reason": "kill"}, 400, "invalid"),
        ({"seats": ["A1"], "reason": "kill"}, 400, "invalid"),
        ({"seats": [shop.seats[0]], "reason": "kill", "note": "n" * 201}, 400, "invalid"),
        ({"seats": shop.seats[0], "reason": "kill"}, 400, "invalid"),
    ]
    for body, status, code in cases:
        r = admin_client.post(blocks_url(shop), body, format="json")
        assert r.status_code == status, (body, r.content)
        assert r.json()["error"]["code"] == code, (body, r.content)
    assert admin_client.post(blocks_url(shop), [1], format="json").status_code == 400
    assert admin_client.get("/api/v1/events/999999/blocks/").status_code == 404
    assert release(admin_client, shop, [other.seats[0]]).json()["error"]["code"] == "unknown_seats"
    assert not SeatInventory.objects.filter(status=SeatStatus.BLOCKED).exists()


def test_only_administrators_see_and_change_blocks(
    employee_client, customer_client, anon_client, shop
):
    for client, status in ((employee_client, 403), (customer_client, 403), (anon_client, 401)):
        assert client.get(blocks_url(shop)).status_code == status
        assert block(client, shop, shop.seats[:1]).status_code == status
        assert release(client, shop, shop.seats[:1]).status_code == status
    assert not SeatInventory.objects.filter(status=SeatStatus.BLOCKED).exists()


def test_the_feed_carries_the_reasons_incrementally_and_in_the_snapshot(manager, shop):
    s = shop.seats
    _snapshot, cursor = read_all(manager)
    (result,) = push_ops(
        manager, ("seat_block", {"event": shop.event.pk, "seats": s[:2], "reason": "kill"})
    )
    assert result == {"id": result["id"], "status": "applied", "seats": s[:2]}
    changes, cursor = read_all(manager, after=cursor)
    (change,) = [c for c in changes if c["entity"] == "seat_status"]
    assert change["data"]["seats"] == {str(s[0]): "blocked", str(s[1]): "blocked"}
    assert change["data"]["blocked"] == {str(s[0]): "kill", str(s[1]): "kill"}

    snapshot, _ = read_all(manager)
    (item,) = [
        c for c in snapshot if c["entity"] == "seat_status" and c["id"] == str(shop.event.pk)
    ]
    assert item["data"]["full"] is True
    assert item["data"]["blocked"] == {str(s[0]): "kill", str(s[1]): "kill"}

    (result,) = push_ops(manager, ("seat_release", {"event": shop.event.pk, "seats": [s[0]]}))
    assert result["status"] == "applied"
    changes, _ = read_all(manager, after=cursor)
    (change,) = [c for c in changes if c["entity"] == "seat_status"]
    assert change["data"]["seats"] == {str(s[0]): "available"}
    assert "blocked" not in change["data"]
    entry = AuditEntry.objects.get(action="seat.release")
    assert (entry.actor_id, entry.device_id) == (manager.user.pk, manager.device.pk)


def test_push_ops_are_refused_as_the_api_refuses(manager, counter, shop, make_user):
    s = shop.seats
    event = shop.event.pk
    cases = [
        ({"event": event, "seats": [s[0]], "reason": "vip"}, "invalid"),
        ({"event": event, "seats": "all", "reason": "kill"}, "invalid"),
        ({"event": event, "reason": "kill"}, "invalid"),
        ({"event": 999_999, "seats": [s[0]], "reason": "kill"}, "not_found"),
        ({"event": 2**40, "seats": [s[0]], "reason": "kill"}, "not_found"),
        ({"event": event, "seats": [2**40], "reason": "kill"}, "unknown_seats"),
        ({"event": event, "seats": list(range(1, 5002)), "reason": "kill"}, "too_many_seats"),
        ({"event": event, "seats": [], "reason": "kill"}, "no_seats"),
        ({"event": event, "seats": [s[0]], "reason": "kill", "note": "n" * 201}, "invalid"),
    ]
    results = push_ops(manager, *[("seat_block", payload) for payload, _code in cases])
    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", code) for _payload, code in cases
    ], results
    assert all(r["reason"] for r in results)

    # a cashier (employee) may not block or release, as in the API
    _device, cashier, _key = counter
    results = push_ops(
        cashier,
        ("seat_block", {"event": event, "seats": [s[0]], "reason": "kill"}),
        ("seat_release", {"event": event, "seats": [s[0]]}),
    )
    assert [r["code"] for r in results] == ["permission_denied"] * 2
    assert not SeatInventory.objects.filter(status=SeatStatus.BLOCKED).exists()


def test_no_malformed_payload_makes_a_server_error(manager, shop):
    event, seats = shop.event.pk, shop.seats[:2]
    good = {
        "seat_block": {"event": event, "seats": seats, "reason": "kill", "note": "n"},
        "seat_release": {"event": event, "seats": seats},
    }
    for op_type, payload in good.items():
        results = push_ops(manager, *[(op_type, p) for p in junk_variants(payload)])
        assert server_errors(results) == [], op_type


def test_the_django_admin_lists_seats_by_block_reason(admin_client, shop):
    from django.test import Client

    from enturf_server.accounts.models import User

    block(admin_client, shop, shop.seats[:1], "house")
    browser = Client()
    browser.force_login(
        User.objects.create(username="boss", is_staff=True, is_superuser=True, role="admin")
    )
    r = browser.get("/admin/sales/seatinventory/", {"block_reason": "house"})
    assert r.status_code == 200
    assert "House seats held for the venue" in r.content.decode()
