"""The `device` entity of the change feed (`accounts/feed.py`): registered counters, for a
manager to pick one to allocate seats to; sent on register, rename and retire, never with
a secret. And renaming a counter (`PATCH /api/v1/devices/{id}/`)."""

from __future__ import annotations

import pytest
from support.counters import pos_client, register_counter
from support.sync_api import read_all

from enturf_core.wire import feed
from enturf_server.accounts import device_services
from enturf_server.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    device, token, _key = register_counter("Office")
    client = pos_client(make_user("manager", "admin"), token)
    client.device = device
    return client


def devices_of(changes) -> list[tuple[str, dict]]:
    return [(c["id"], c["data"]) for c in changes if c["entity"] == feed.DEVICE]


def test_the_snapshot_lists_registered_counters_without_secrets(manager, admin_client):
    pending = admin_client.post("/api/v1/devices/", {"name": "Not yet"}, format="json").json()
    box, _token, _key = register_counter("Box office")
    snapshot, _ = read_all(manager)
    listed = devices_of(snapshot)
    assert listed == [
        (
            str(manager.device.pk),
            {"id": manager.device.pk, "name": "Office", "active": True, "version": 2},
        ),
        (str(box.pk), {"id": box.pk, "name": "Box office", "active": True, "version": 2}),
    ]
    assert str(pending["id"]) not in dict(listed)
    for _id, data in listed:
        assert feed.Device.from_wire(data)  # exactly the wire type: no token, key or code


def test_register_rename_and_retire_reach_the_feed(manager, admin_client):
    _snapshot, cursor = read_all(manager)
    box, _token, _key = register_counter("Box office")
    changes, cursor = read_all(manager, after=cursor)
    assert devices_of(changes) == [
        (str(box.pk), {"id": box.pk, "name": "Box office", "active": True, "version": 2})
    ]

    r = admin_client.patch(f"/api/v1/devices/{box.pk}/", {"name": " Foyer "}, format="json")
    assert r.status_code == 200 and r.json()["name"] == "Foyer"
    changes, cursor = read_all(manager, after=cursor)
    assert devices_of(changes) == [
        (str(box.pk), {"id": box.pk, "name": "Foyer", "active": True, "version": 3})
    ]
    (key,) = [c["data"] for c in changes if c["entity"] == feed.TICKET_KEY]
    assert key["device_name"] == "Foyer"
    assert AuditEntry.objects.get(action="device.rename").details == {
        "from": "Box office",
        "to": "Foyer",
    }

    # the same name again changes nothing
    assert (
        admin_client.patch(
            f"/api/v1/devices/{box.pk}/", {"name": "Foyer"}, format="json"
        ).status_code
        == 200
    )
    assert admin_client.delete(f"/api/v1/devices/{box.pk}/").status_code == 200
    changes, _ = read_all(manager, after=cursor)
    assert devices_of(changes) == [
        (str(box.pk), {"id": box.pk, "name": "Foyer", "active": False, "version": 4})
    ]


def test_renaming_is_for_administrators_and_needs_a_name(
    admin_client, employee_client, customer_client
):
    box, _token, _key = register_counter("Box office")
    url = f"/api/v1/devices/{box.pk}/"
    for client in (employee_client, customer_client):
        assert client.patch(url, {"name": "Mine"}, format="json").status_code == 403
    for body in ({}, {"name": ""}, {"name": "   "}, {"name": "x" * 101}, {"name": ["a"]}):
        r = admin_client.patch(url, body, format="json")
        assert r.status_code == 400, (body, r.content)
    assert (
        admin_client.patch("/api/v1/devices/999999/", {"name": "X"}, format="json").status_code
        == 404
    )
    box.refresh_from_db()
    assert (box.name, box.version) == ("Box office", 2)


def test_a_pending_device_renamed_or_retired_is_not_sent(manager, admin_client):
    _snapshot, cursor = read_all(manager)
    issued = device_services.create_device(actor=None, name="Spare")
    device_services.rename_device(actor=None, device=issued.device, name="Spare 2")
    device_services.retire_device(actor=None, device=issued.device)
    changes, _ = read_all(manager, after=cursor)
    assert devices_of(changes) == []
