"""Devices: create with a setup code, register with a public key, login on a counter, retire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from enturf_core.ticket_codes import SigningKey

pytestmark = pytest.mark.django_db


def _create(admin_client, name="Counter 1", **extra) -> dict:
    r = admin_client.post("/api/v1/devices/", {"name": name, **extra}, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def _register(code: str, key: SigningKey | None = None, name="Front desk"):
    key = key or SigningKey.generate()
    return APIClient().post(
        "/api/v1/devices/register/",
        {"setup_code": code, "name": name, "signing_public_key": key.public_key_base64()},
        format="json",
    )


def test_create_register_and_list(admin_client, settings):
    settings.ENTURF_GATEWAY_URL = "http://127.0.0.1:4242"
    settings.ENTURF_GATEWAY_RESTRICTED_KEY = "rk_test_counter_x"
    created = _create(admin_client, reader_id="tmr_front")
    code = created["setup_code"]
    assert created["state"] == "pending"
    assert len(code.replace("-", "")) == 10

    key = SigningKey.generate()
    # typed in lower case with spaces instead of the dash: still the same code
    r = _register(code.lower().replace("-", " "), key)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["device_id"] == created["id"]
    assert body["signing_key_id"] == key.key_id
    assert body["gateway"] == {
        "base_url": "http://127.0.0.1:4242",
        "restricted_key": "rk_test_counter_x",
        "reader_id": "tmr_front",
    }
    assert len(body["device_token"]) >= 40

    from enturf_server.accounts.models import Device

    device = Device.objects.get(pk=created["id"])
    # only digests are stored
    assert body["device_token"] not in (device.token_digest, device.setup_code_digest)
    assert device.signing_public_key == key.public_key_base64()

    listed = admin_client.get("/api/v1/devices/").json()["results"]
    assert [(d["name"], d["state"]) for d in listed] == [("Front desk", "active")]
    assert "setup_code" not in listed[0]


def test_used_wrong_and_expired_codes_are_refused(admin_client):
    code = _create(admin_client)["setup_code"]
    assert _register(code).status_code == 201

    used = _register(code)
    assert used.status_code == 400
    assert used.json()["error"]["code"] == "setup_code_invalid"
    assert "already used" in used.json()["error"]["message"]

    wrong = _register("ZZZZZ-ZZZZZ")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "setup_code_invalid"

    from enturf_server.accounts.models import Device

    expiring = _create(admin_client, name="Counter 2")
    Device.objects.filter(pk=expiring["id"]).update(
        setup_code_expires_at=timezone.now() - timedelta(seconds=1)
    )
    expired = _register(expiring["setup_code"])
    assert expired.status_code == 400
    assert expired.json()["error"]["code"] == "setup_code_invalid"
    assert "expired" in expired.json()["error"]["message"]
    assert Device.objects.get(pk=expiring["id"]).registered_at is None


def test_register_refuses_bad_key_and_a_key_already_registered(admin_client):
    code = _create(admin_client)["setup_code"]
    r = APIClient().post(
        "/api/v1/devices/register/",
        {"setup_code": code, "name": "x", "signing_public_key": "bm90IGEga2V5"},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_public_key"

    key = SigningKey.generate()
    assert _register(code, key).status_code == 201  # the bad attempt did not use the code
    other = _create(admin_client, name="Counter 2")["setup_code"]
    r = _register(other, key)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "signing_key_in_use"


def test_registration_is_throttled(admin_client, settings):
    codes = [_register("AAAAA-AAAAA").status_code for _ in range(11)]
    assert codes[:10] == [400] * 10
    assert codes[10] == 429


def test_only_admins_manage_devices(employee_client, customer_client, anon_client):
    for client in (employee_client, customer_client):
        assert client.post("/api/v1/devices/", {"name": "x"}, format="json").status_code == 403
        assert client.get("/api/v1/devices/").status_code == 403
        assert client.delete("/api/v1/devices/1/").status_code == 403
    assert anon_client.get("/api/v1/devices/").status_code == 401


def _registered(admin_client) -> tuple[int, str]:
    code = _create(admin_client)["setup_code"]
    body = _register(code).json()
    return body["device_id"], body["device_token"]


def test_login_on_a_counter_binds_the_token_to_the_device(admin_client, make_user):
    from enturf_server.accounts.models import ApiToken, token_digest

    device_id, device_token = _registered(admin_client)
    make_user("cashier", "employee", password="cashier-pass-123")
    client = APIClient()
    client.credentials(HTTP_X_ENTURF_DEVICE=device_token)
    r = client.post(
        "/api/v1/auth/login/",
        {"username": "cashier", "password": "cashier-pass-123"},
        format="json",
    )
    assert r.status_code == 200, r.content
    token = ApiToken.objects.get(digest=token_digest(r.json()["token"]))
    assert token.device_id == device_id
    session = r.json()["token"]

    # that session cannot be used from another counter
    _other_id, other_token = _registered(admin_client)
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {r.json()['token']}", HTTP_X_ENTURF_DEVICE=other_token
    )
    r = client.get("/api/v1/auth/me/")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "device_mismatch"

    # nor without the counter's device header (issue 11, item 12)
    client.credentials(HTTP_AUTHORIZATION=f"Token {session}")
    r = client.get("/api/v1/auth/me/")
    assert (r.status_code, r.json()["error"]["code"]) == (403, "device_required")


def test_retired_device_is_refused_and_its_sessions_end(admin_client, make_user):
    device_id, device_token = _registered(admin_client)
    make_user("cashier", "employee", password="cashier-pass-123")
    client = APIClient()
    client.credentials(HTTP_X_ENTURF_DEVICE=device_token)
    login = client.post(
        "/api/v1/auth/login/",
        {"username": "cashier", "password": "cashier-pass-123"},
        format="json",
    ).json()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {login['token']}", HTTP_X_ENTURF_DEVICE=device_token
    )
    assert client.get("/api/v1/auth/me/").status_code == 200

    r = admin_client.delete(f"/api/v1/devices/{device_id}/")
    assert r.status_code == 200
    assert r.json()["state"] == "retired"

    r = client.get("/api/v1/auth/me/")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "device_revoked"
    assert "retired" in r.json()["error"]["message"]
    # logging in again from the retired counter is refused too
    client.credentials(HTTP_X_ENTURF_DEVICE=device_token)
    r = client.post(
        "/api/v1/auth/login/",
        {"username": "cashier", "password": "cashier-pass-123"},
        format="json",
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "device_revoked"
    # the session opened on it does not work without the device header either
    client.credentials(HTTP_AUTHORIZATION=f"Token {login['token']}")
    r = client.get("/api/v1/auth/me/")
    assert (r.status_code, r.json()["error"]["code"]) == (403, "device_required")


def test_unknown_device_token_is_refused(employee_client):
    employee_client.credentials(
        HTTP_AUTHORIZATION=employee_client._credentials["HTTP_AUTHORIZATION"],
        HTTP_X_ENTURF_DEVICE="not-a-device-token",
    )
    r = employee_client.get("/api/v1/auth/me/")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "device_unknown"


def test_retired_key_stays_listed_for_verification(admin_client):
    from enturf_server.accounts.device_selectors import ticket_key_devices

    device_id, _token = _registered(admin_client)
    admin_client.delete(f"/api/v1/devices/{device_id}/")
    (device,) = ticket_key_devices()
    assert device.pk == device_id
    assert device.retired_at is not None
    assert device.signing_public_key


def test_retiring_a_counter_returns_its_allocations_once_its_last_push_is_in(
    admin_client, customer_client, make_user, shop
):
    """Issue 11, item 12: the seats a retired counter held go back on sale after the
    push that brings what it sold before it was retired; a counter that can push no more
    (no session open on it) gives them back at once; the admin may confirm at once."""
    from support.counters import (
        PUSH,
        allocated,
        pos_client,
        register_counter,
        sale_line,
        sale_payload,
        statuses,
    )
    from support.counters import push as push_sale

    device, token, key = register_counter("Counter 1")
    cashier = pos_client(make_user("cashier", "employee"), token)
    s = shop.seats
    allocated(admin_client, shop, device, s[:3])
    sold_offline = sale_payload(shop, [sale_line(shop, "standard", seat=s[0], key=key)])

    retired = admin_client.delete(f"/api/v1/devices/{device.pk}/")
    assert (retired.status_code, retired.json()["state"]) == (200, "retired")
    # not yet on sale: the counter may still push what it sold from them
    assert [statuses(customer_client, shop)[x] for x in s[:3]] == ["allocated"] * 3
    # the retired counter can do nothing else, and nobody logs in on it any more
    for refused in (cashier.get("/api/v1/auth/me/"), cashier.get("/api/v1/sync/changes/")):
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "device_revoked")
    [sale] = push_sale(cashier, sold_offline)
    assert sale["status"] == "applied", sale
    assert [statuses(customer_client, shop)[x] for x in s[:3]] == [
        "sold",
        "available",
        "available",
    ]
    # a session opened elsewhere cannot push for it
    other = APIClient()
    other.credentials(
        HTTP_AUTHORIZATION=admin_client._credentials["HTTP_AUTHORIZATION"],
        HTTP_X_ENTURF_DEVICE=token,
    )
    assert other.post(PUSH, {"ops": []}, format="json").json()["error"]["code"] == "device_revoked"

    # nobody logged in on it: nothing more can come, the seats return at once
    idle, _idle_token, _ = register_counter("Counter 2")
    allocated(admin_client, shop, idle, s[3:5])
    assert admin_client.delete(f"/api/v1/devices/{idle.pk}/").status_code == 200
    assert [statuses(customer_client, shop)[x] for x in s[3:5]] == ["available"] * 2

    # a lost counter with a session still open: the admin's second retire confirms
    lost, lost_token = register_counter("Counter 3")[:2]
    pos_client(make_user("eve", "employee"), lost_token)
    allocated(admin_client, shop, lost, s[5:7])
    assert admin_client.delete(f"/api/v1/devices/{lost.pk}/").status_code == 200
    assert [statuses(customer_client, shop)[x] for x in s[5:7]] == ["allocated"] * 2
    assert admin_client.delete(f"/api/v1/devices/{lost.pk}/").status_code == 200
    assert [statuses(customer_client, shop)[x] for x in s[5:7]] == ["available"] * 2
