"""A device's duty (counter or door): set by admins (create, PATCH), told to the device at
registration and login, and in the `device` feed entity."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from support.sync_api import read_all

from enturf_core.ticket_codes import SigningKey
from enturf_core.wire import feed

pytestmark = pytest.mark.django_db


def test_a_door_device_knows_its_duty(admin_client, make_user):
    created = admin_client.post(
        "/api/v1/devices/", {"name": "Door 1", "duty": "door"}, format="json"
    ).json()
    assert created["duty"] == "door"
    reg = APIClient().post(
        "/api/v1/devices/register/",
        {
            "setup_code": created["setup_code"],
            "signing_public_key": SigningKey.generate().public_key_base64(),
        },
        format="json",
    )
    assert reg.status_code == 201 and reg.json()["duty"] == "door"
    token = reg.json()["device_token"]
    make_user("steward", "employee", password="steward-pw-123")
    door = APIClient()
    door.credentials(HTTP_X_ENTURF_DEVICE=token)
    login = door.post(
        "/api/v1/auth/login/", {"username": "steward", "password": "steward-pw-123"}, format="json"
    )
    assert login.status_code == 200, login.content
    assert login.json()["device"] == {"id": created["id"], "name": "Door 1", "duty": "door"}

    r = admin_client.patch(f"/api/v1/devices/{created['id']}/", {"duty": "counter"}, format="json")
    assert (r.status_code, r.json()["duty"], r.json()["name"]) == (200, "counter", "Door 1")
    door.credentials(
        HTTP_X_ENTURF_DEVICE=token, HTTP_AUTHORIZATION=f"Token {login.json()['token']}"
    )
    changes, _ = read_all(door)
    devices = [feed.Device.from_wire(c["data"]) for c in changes if c["entity"] == "device"]
    assert devices[-1].duty == "counter"


def test_only_admins_set_a_duty_and_only_known_ones(admin_client, employee_client):
    device = admin_client.post("/api/v1/devices/", {"name": "D"}, format="json").json()
    url = f"/api/v1/devices/{device['id']}/"
    assert employee_client.patch(url, {"duty": "door"}, format="json").status_code == 403
    for body in ({"duty": "bar"}, {}, {"duty": ["door"]}):
        r = admin_client.patch(url, body, format="json")
        assert r.status_code == 400 and r.json()["error"]["code"], r.content
