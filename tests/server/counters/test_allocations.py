"""Counter allocations: admin API, seats set aside for one counter, GA quota, the feed,
and shrinks that wait for the counter's next push."""

from __future__ import annotations

import pytest
from support.counters import (
    PUSH,
    allocate,
    allocated,
    allocations_url,
    pos_client,
    push,
    register_counter,
    sale_line,
    sale_payload,
    statuses,
)
from support.sync_api import read_all

from enturf_core.ticket_codes import SigningKey

pytestmark = pytest.mark.django_db


def floor_left(client, shop) -> int:
    body = client.get(f"/api/v1/events/{shop.event.pk}/availability/").json()
    return next(a["remaining"] for a in body["areas"] if a["id"] == shop.areas["Floor"])


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def other_counter(make_user):
    device, token, key = register_counter("Counter 2")
    return device, pos_client(make_user("cashier2", "employee"), token), key


# -- the admin API ----------------------------------------------------------------------------


def test_only_admins_manage_allocations(
    admin_client, employee_client, customer_client, anon_client, shop, counter
):
    device = counter[0]
    url = allocations_url(shop)
    for client, code in ((employee_client, 403), (customer_client, 403), (anon_client, 401)):
        assert allocate(client, shop, device, shop.seats[:2]).status_code == code
        assert client.get(url).status_code == code
    assert counter[1].get(url).status_code == 403  # a cashier on a counter is no admin

    created = allocated(admin_client, shop, device, shop.seats[:2], [(shop.areas["Floor"], 5)])
    assert created["device"] == device.pk and created["seats"] == shop.seats[:2]
    assert created["areas"] == {str(shop.areas["Floor"]): 5}
    detail_url = f"{url}{created['id']}/"
    for client, code in ((employee_client, 403), (customer_client, 403), (anon_client, 401)):
        assert (
            client.patch(detail_url, {"remove_seats": shop.seats[:1]}, format="json").status_code
            == code
        )
        assert client.delete(detail_url).status_code == code
    listed = admin_client.get(url).json()
    assert [a["id"] for a in listed] == [created["id"]]

    # adding to it answers 200 with the same allocation
    again = allocate(admin_client, shop, device, shop.seats[2:3])
    assert again.status_code == 200
    assert again.json()["id"] == created["id"] and again.json()["seats"] == shop.seats[:3]

    from enturf_server.audit.models import AuditEntry

    assert {"allocation.create", "allocation.add"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_bad_allocation_requests_are_refused_with_a_reason(admin_client, shop, counter):
    device = counter[0]
    cases = [
        ({"device": device.pk}, 400, "invalid"),
        ({"device": 999999, "seats": shop.seats[:1]}, 400, "unknown_device"),
        ({"device": device.pk, "seats": [shop.seats[0], shop.seats[0]]}, 400, "duplicate_seats"),
        ({"device": device.pk, "seats": [2_000_000_000]}, 400, "unknown_seats"),
        (
            {"device": device.pk, "areas": [{"area": shop.areas["Floor"], "quantity": 0}]},
            400,
            "invalid",
        ),
        (
            {"device": device.pk, "areas": [{"area": shop.areas["Floor"], "quantity": 51}]},
            409,
            "conflict",
        ),
        ({"device": "x"}, 400, "invalid"),
    ]
    for body, status, code in cases:
        r = admin_client.post(allocations_url(shop), body, format="json")
        assert r.status_code == status, (body, r.content)
        assert r.json()["error"]["code"] == code, (body, r.content)
    assert (
        admin_client.post("/api/v1/events/999999/allocations/", {}, format="json").status_code
        == 404
    )

    from enturf_server.sales.models import Allocation

    assert not Allocation.objects.exists()


def test_taken_seats_cannot_be_allocated_and_nothing_is_stored(
    admin_client, customer_client, shop, counter, other_counter
):
    from enturf_server.sales.models import Allocation

    s = shop.seats
    booked = customer_client.post(
        "/api/v1/bookings/",
        {"event": shop.event.pk, "lines": [{"seat": s[0], "ticket": shop.tickets["standard"].pk}]},
        format="json",
    )
    assert booked.status_code == 201
    held = customer_client.post(
        "/api/v1/holds/", {"event": shop.event.pk, "seats": [s[1]]}, format="json"
    )
    assert held.status_code == 201

    r = allocate(admin_client, shop, counter[0], s[:4])
    assert r.status_code == 409, r.content
    assert r.json()["error"]["details"]["unavailable_seats"] == [s[0], s[1]]
    assert not Allocation.objects.exists()

    allocated(admin_client, shop, counter[0], s[2:4])
    r = allocate(admin_client, shop, other_counter[0], s[3:5])
    assert r.status_code == 409
    assert r.json()["error"]["details"]["unavailable_seats"] == [s[3]]
    assert Allocation.objects.count() == 1


def test_allocated_seats_and_quota_are_refused_to_others_and_free_for_the_counter(
    admin_client, employee_client, customer_client, shop, counter, other_counter
):
    from enturf_server.sales.models import AllocationArea

    device, pos, _key = counter
    s, floor = shop.seats, shop.areas["Floor"]
    allocated(admin_client, shop, device, s[:4], [(floor, 10)])
    shown = statuses(customer_client, shop)
    assert [shown[x] for x in s[:5]] == ["allocated"] * 4 + ["available"]
    assert floor_left(customer_client, shop) == 40

    standard = shop.tickets["standard"].pk
    for client in (customer_client, employee_client, other_counter[1]):
        r = client.post("/api/v1/holds/", {"event": shop.event.pk, "seats": [s[0]]}, format="json")
        assert r.status_code == 409 and r.json()["error"]["details"]["unavailable_seats"] == [s[0]]
        r = client.post(
            "/api/v1/bookings/",
            {"event": shop.event.pk, "lines": [{"seat": s[1], "ticket": standard}]},
            format="json",
        )
        assert r.status_code == 409, r.content
    r = customer_client.post(
        "/api/v1/holds/",
        {"event": shop.event.pk, "areas": [{"area": floor, "quantity": 41}]},
        format="json",
    )
    assert r.status_code == 409
    assert r.json()["error"]["details"]["unavailable_areas"][0]["remaining"] == 40

    # the counter itself holds and sells its seats, and sells GA from its quota first
    hold = pos.post("/api/v1/holds/", {"event": shop.event.pk, "seats": [s[0]]}, format="json")
    assert hold.status_code == 201, hold.content
    booking = pos.post(
        "/api/v1/bookings/",
        {
            "event": shop.event.pk,
            "lines": [
                {"seat": s[1], "ticket": standard},
                {"ticket": shop.tickets["floor"].pk, "quantity": 12},
            ],
        },
        format="json",
    )
    assert booking.status_code == 201, booking.content
    quota = AllocationArea.objects.get(area_id=floor)
    assert (quota.quantity, quota.sold_by_device) == (10, 10)
    assert floor_left(customer_client, shop) == 38  # 50 - 12 sold; the quota is used up
    shown = statuses(customer_client, shop)
    assert (shown[s[0]], shown[s[1]], shown[s[2]]) == ("held", "sold", "allocated")

    # releasing the counter's hold gives the seat back to its allocation
    assert pos.delete(f"/api/v1/holds/{hold.json()['id']}/").status_code == 204
    assert statuses(customer_client, shop)[s[0]] == "allocated"


def test_allocations_reach_the_feed_and_the_snapshot(admin_client, shop, counter):
    device, pos, _key = counter
    s, floor = shop.seats, shop.areas["Floor"]
    created = allocated(admin_client, shop, device, s[:3], [(floor, 4)])

    changes, cursor = read_all(pos)
    snap = [c for c in changes if c["entity"] == "allocation"]
    assert len(snap) == 1 and snap[0]["id"] == str(created["id"])
    assert snap[0]["data"] == created
    seat_status = next(
        c for c in changes if c["entity"] == "seat_status" and c["id"] == str(shop.event.pk)
    )
    assert {seat_status["data"]["seats"][str(x)] for x in s[:3]} == {"allocated"}
    assert seat_status["data"]["areas"][str(floor)] == 46

    url = f"{allocations_url(shop)}{created['id']}/"
    r = admin_client.patch(
        url, {"add_seats": s[3:4], "areas": [{"area": floor, "quantity": 6}]}, format="json"
    )
    assert r.status_code == 200, r.content
    later, _ = read_all(pos, after=cursor)
    entry = next(c for c in later if c["entity"] == "allocation")
    assert entry["data"]["seats"] == s[:4] and entry["data"]["areas"] == {str(floor): 6}
    assert entry["version"] == created["version"] + 1
    incremental = next(c for c in later if c["entity"] == "seat_status")
    assert incremental["data"] == {"seats": {str(s[3]): "allocated"}, "areas": {str(floor): 44}}


def test_shrink_waits_for_the_counters_next_push_and_its_offline_sale_is_accepted(
    admin_client, customer_client, shop, counter
):
    from enturf_server.sales.models import Allocation

    device, pos, key = counter
    s, floor = shop.seats, shop.areas["Floor"]
    created = allocated(admin_client, shop, device, s[:4], [(floor, 10)])
    url = f"{allocations_url(shop)}{created['id']}/"

    r = admin_client.patch(
        url, {"remove_seats": s[2:4], "areas": [{"area": floor, "quantity": 2}]}, format="json"
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["seats"] == s[:2] and body["areas"] == {str(floor): 2}
    assert body["pending_release"]["seats"] == s[2:4]
    assert body["pending_release"]["areas"] == {str(floor): 2}
    # not yet: still set aside for the counter
    assert [statuses(customer_client, shop)[x] for x in s[2:4]] == ["allocated", "allocated"]
    assert floor_left(customer_client, shop) == 40
    r = customer_client.post(
        "/api/v1/holds/", {"event": shop.event.pk, "seats": [s[2]]}, format="json"
    )
    assert r.status_code == 409

    # the counter, offline before it heard of the shrink, sold seat 3 and 5 floor places
    lines = [sale_line(shop, "standard", seat=s[2], key=key)]
    lines += [sale_line(shop, "floor", area=floor, key=key) for _ in range(5)]
    [result] = push(pos, sale_payload(shop, lines))
    assert result["status"] == "applied", result

    shown = statuses(customer_client, shop)
    assert (shown[s[2]], shown[s[3]], shown[s[0]]) == ("sold", "available", "allocated")
    allocation = Allocation.objects.get(pk=created["id"])
    assert allocation.pending_seats == [] and allocation.release_requested_at is None
    quota = allocation.areas.get()
    assert (quota.quantity, quota.sold_by_device, quota.pending_quantity) == (5, 5, None)
    assert floor_left(customer_client, shop) == 45  # 50 - 5 sold, nothing set aside any more
    r = customer_client.post(
        "/api/v1/holds/", {"event": shop.event.pk, "seats": [s[3]]}, format="json"
    )
    assert r.status_code == 201, r.content

    changes, _ = read_all(pos)
    entry = next(c for c in changes if c["entity"] == "allocation")
    assert entry["data"]["seats"] == s[:2]
    assert entry["data"]["pending_release"]["seats"] == []


def test_release_all_after_the_next_push_or_at_once(
    admin_client, customer_client, shop, counter, other_counter
):
    from enturf_server.sales.models import Allocation
    from enturf_server.sync.models import ChangeLogEntry

    device, pos, _key = counter
    s = shop.seats
    first = allocated(admin_client, shop, device, s[:2])
    url = f"{allocations_url(shop)}{first['id']}/"
    r = admin_client.delete(url)
    assert r.status_code == 200 and r.json()["pending_release"]["seats"] == s[:2]
    assert statuses(customer_client, shop)[s[0]] == "allocated"
    # another counter's push does not release it; this counter's (even empty) push does
    assert other_counter[1].post(PUSH, {"ops": []}, format="json").status_code == 200
    assert Allocation.objects.filter(pk=first["id"]).exists()
    assert pos.post(PUSH, {"ops": []}, format="json").status_code == 200
    assert not Allocation.objects.filter(pk=first["id"]).exists()
    assert statuses(customer_client, shop)[s[0]] == "available"
    gone = ChangeLogEntry.objects.filter(entity="allocation", entity_id=str(first["id"])).last()
    assert gone.op == "delete"

    # a lost counter: the admin forces the release
    second = allocated(admin_client, shop, other_counter[0], s[4:6])
    r = admin_client.delete(f"{allocations_url(shop)}{second['id']}/?force=true")
    assert r.status_code == 204
    assert [statuses(customer_client, shop)[x] for x in s[4:6]] == ["available", "available"]

    # a retired counter: its allocations go back after the push of what it sold before
    # (a session opened on it may still push; see test_devices), and nothing is added
    from enturf_server.accounts.device_services import retire_device

    third = allocated(admin_client, shop, device, s[6:8])
    retire_device(actor=None, device=device)
    r = admin_client.get(f"{allocations_url(shop)}{third['id']}/")
    assert r.status_code == 200 and r.json()["pending_release"]["seats"] == s[6:8]
    assert allocate(admin_client, shop, device, s[8:9]).json()["error"]["code"] == "device_retired"
    assert pos.post(PUSH, {"ops": []}, format="json").status_code == 200
    assert [statuses(customer_client, shop)[x] for x in s[6:8]] == ["available", "available"]
    assert not Allocation.objects.filter(pk=third["id"]).exists()


def test_removing_seats_not_allocated_is_refused(admin_client, shop, counter):
    created = allocated(admin_client, shop, counter[0], shop.seats[:2])
    url = f"{allocations_url(shop)}{created['id']}/"
    r = admin_client.patch(url, {"remove_seats": shop.seats[5:6]}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "not_allocated"
    r = admin_client.patch(url, {}, format="json")
    assert r.status_code == 400
    assert admin_client.get(f"{allocations_url(shop)}999999/").status_code == 404


@pytest.mark.slow
def test_demo_seed_allocates_the_stalls_back_row_to_a_demo_counter(
    anon_client, make_user, settings
):
    from enturf_demo.seed import DEMO_COUNTER_SETUP_CODE, seed_demo

    settings.ENTURF_DEMO = True  # the demo installation (`make run`)
    from enturf_server.sales.models import Allocation, SeatInventory

    seed_demo()
    allocations = list(Allocation.objects.select_related("event", "device"))
    assert allocations and {a.event.seat_map.venue.name for a in allocations} == {"Theatre Royal"}
    device = allocations[0].device
    assert {a.device_id for a in allocations} == {device.pk}
    per_event = SeatInventory.objects.filter(event=allocations[0].event, allocated_to=device)
    assert per_event.count() >= 30
    assert str(seed_demo()) == "Demo data already present; nothing changed."

    # the POS registers with the fixed code, then sells its seats
    key = SigningKey.generate()
    r = anon_client.post(
        "/api/v1/devices/register/",
        {
            "setup_code": DEMO_COUNTER_SETUP_CODE,
            "name": "",
            "signing_public_key": key.public_key_base64(),
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["device_id"] == device.pk
    # the demo counter pays by card on the simulator's first demo reader
    assert r.json()["gateway"]["reader_id"] == "tmr_EnturfDemo0001"
    assert str(seed_demo()) == "Demo data already present; nothing changed."
    pos = pos_client(make_user("till", "employee"), r.json()["device_token"])
    changes, _ = read_all(pos, limit=5000)
    mine = [c for c in changes if c["entity"] == "allocation" and c["data"]["device"] == device.pk]
    assert len(mine) == len(allocations)
