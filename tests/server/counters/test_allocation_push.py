"""`allocation_change` pushed by a manager's counter: seats and GA quota put on another
counter's allocation and taken off, through the allocation rules of the API, refused as
the API refuses."""

from __future__ import annotations

import pytest
from support.counters import pos_client, push_ops, register_counter, statuses
from support.junk_payloads import junk_variants, server_errors
from support.sync_api import read_all

from enturf_server.sales.models import Allocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    _device, token, _key = register_counter("Office")
    return pos_client(make_user("manager", "admin"), token)


@pytest.fixture
def box_office():
    """The counter the manager allocates seats to."""
    device, _token, _key = register_counter("Box office")
    return device


def change(shop, device, **fields):
    return ("allocation_change", {"event": shop.event.pk, "device": device.pk, **fields})


def test_allocate_grow_and_shrink_a_counters_allocation(manager, customer_client, shop, box_office):
    s, floor = shop.seats, shop.areas["Floor"]
    _snapshot, cursor = read_all(manager)
    (made,) = push_ops(manager, change(shop, box_office, add_seats=s[:3], areas={str(floor): 5}))
    assert made["status"] == "applied", made
    allocation = made["allocation"]
    assert (allocation["device"], allocation["seats"], allocation["areas"]) == (
        box_office.pk,
        s[:3],
        {str(floor): 5},
    )
    assert [statuses(customer_client, shop)[x] for x in s[:4]] == ["allocated"] * 3 + ["available"]
    changes, cursor = read_all(manager, after=cursor)
    assert {c["entity"] for c in changes} == {"allocation", "seat_status"}

    (grown,) = push_ops(manager, change(shop, box_office, add_seats=[s[3]], remove_seats=[s[0]]))
    assert grown["allocation"]["seats"] == s[1:4]  # s[0] goes back after the counter's push
    assert grown["allocation"]["pending_release"]["seats"] == [s[0]]
    (ended,) = push_ops(manager, change(shop, box_office, areas={str(floor): 0}))
    assert ended["status"] == "applied"
    assert ended["allocation"]["pending_release"]["areas"] == {str(floor): 0}


def test_taken_and_blocked_seats_refuse_the_whole_change(
    admin_client, manager, customer_client, shop, box_office
):
    s = shop.seats
    held = customer_client.post(
        "/api/v1/holds/", {"event": shop.event.pk, "seats": [s[0]]}, format="json"
    )
    assert held.status_code == 201
    admin_client.post(
        f"/api/v1/events/{shop.event.pk}/blocks/",
        {"seats": [s[1]], "reason": "camera"},
        format="json",
    )
    (result,) = push_ops(manager, change(shop, box_office, add_seats=s[:3]))
    assert (result["status"], result["code"]) == ("rejected", "seats_unavailable"), result
    assert result["details"]["seats"] == {str(s[0]): "held", str(s[1]): "blocked"}
    assert not Allocation.objects.exists()

    push_ops(manager, change(shop, box_office, add_seats=[s[2]]))
    other, _token, _key = register_counter("Bar")
    (result,) = push_ops(manager, change(shop, other, add_seats=[s[2], s[3]]))
    assert result["details"]["seats"] == {str(s[2]): "allocated"}
    assert Allocation.objects.count() == 1


def test_bad_changes_are_rejected_with_the_reason(manager, shop, box_office):
    from support.factories import sales_setup

    s, floor = shop.seats, shop.areas["Floor"]
    other = sales_setup(name="Other")
    retired, _t, _k = register_counter("Old")
    from enturf_server.accounts.device_services import retire_device

    retire_device(actor=None, device=retired)
    cases = [
        (change(shop, box_office, add_seats=[other.seats[0]]), "unknown_seats"),
        (change(shop, box_office, add_seats=[2**40]), "unknown_seats"),
        (change(shop, box_office, add_seats=list(range(1, 5002))), "too_many_seats"),
        (change(shop, box_office, remove_seats=[s[0]]), "not_allocated"),
        (change(shop, box_office, add_seats=[s[0], s[0]]), "duplicate_seats"),
        (change(shop, box_office), "empty_allocation"),
        (change(shop, box_office, areas={"floor": 3}), "invalid"),
        (change(shop, box_office, areas={str(floor): -1}), "invalid_quantity"),
        (change(shop, box_office, areas={str(floor): 51}), "conflict"),
        (change(shop, box_office, add_seats="all"), "invalid"),
        (change(shop, retired, add_seats=[s[0]]), "device_retired"),
        (
            ("allocation_change", {"event": shop.event.pk, "device": 2**40, "add_seats": [s[0]]}),
            "unknown_device",
        ),
        (("allocation_change", {"event": 999_999, "device": box_office.pk}), "not_found"),
        (("allocation_change", {"device": box_office.pk}), "invalid"),
    ]
    results = push_ops(manager, *[op for op, _code in cases])
    assert [(r["status"], r.get("code")) for r in results] == [
        ("rejected", code) for _op, code in cases
    ], results
    assert all(r["reason"] for r in results)
    assert not Allocation.objects.exists()


def test_only_administrators_allocate(counter, shop, box_office):
    _device, cashier, _key = counter
    (result,) = push_ops(cashier, change(shop, box_office, add_seats=shop.seats[:1]))
    assert (result["status"], result["code"]) == ("rejected", "permission_denied")
    assert not Allocation.objects.exists()


def test_no_malformed_payload_makes_a_server_error(manager, shop, box_office):
    payload = change(
        shop,
        box_office,
        add_seats=shop.seats[:2],
        remove_seats=[],
        areas={str(shop.areas["Floor"]): 2},
    )[1]
    results = push_ops(manager, *[("allocation_change", p) for p in junk_variants(payload)])
    assert server_errors(results) == []
