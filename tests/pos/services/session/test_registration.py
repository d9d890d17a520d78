"""Registering a counter with the real server (subprocess) through the proxy."""

from __future__ import annotations

import base64

import requests
from sqlalchemy import select

from enturf_core.ticket_codes import SigningKey
from enturf_pos.models import Device
from enturf_pos.services.session import device_service
from enturf_pos.services.session.secret_store import Secret


def test_registration_stores_secrets_in_the_keyring_and_the_rest_locally(
    ctx, server, proxy, memory_keyring
):
    device_id, code = server.new_setup_code("Box office 1")
    result = device_service.register_device(
        ctx=ctx, server_url=proxy.base_url, setup_code=code, name="Box office 1"
    )
    assert result.ok, result.message
    assert result.device is not None and result.device.device_id == str(device_id)

    token = ctx.secrets.get(Secret.DEVICE_TOKEN)
    key = SigningKey.from_base64(ctx.secrets.get(Secret.SIGNING_KEY))
    assert token and ctx.secrets.get(Secret.GATEWAY_KEY)
    assert len(memory_keyring.entries) == 3  # device token, gateway key, signing key
    assert all(service == "enturf-pos" for service, _ in memory_keyring.entries)

    with ctx.db.transaction() as s:
        row = s.scalars(select(Device)).one()
        assert (row.server_url, row.name, row.device_id) == (
            proxy.base_url,
            "Box office 1",
            str(device_id),
        )
        assert row.signing_key_id == key.key_id
        assert row.gateway_base_url.startswith("http")

    # The server knows this counter by its token: an authenticated call with it works.
    answer = requests.get(
        f"{server.base_url}/api/v1/auth/me/",
        headers={
            "Authorization": f"Token {server.login('admin')}",
            "X-Enturf-Device": token,
        },
        timeout=10,
    )
    assert answer.status_code == 200
    # and holds the public half of the signing key that stayed here
    devices = requests.get(
        f"{server.base_url}/api/v1/devices/{device_id}/",
        headers={"Authorization": f"Token {server.login('admin')}"},
        timeout=10,
    ).json()
    assert devices["signing_key_id"] == key.key_id
    assert len(base64.urlsafe_b64decode(key.public_key_base64() + "=")) == 32


def test_a_used_setup_code_is_refused_clearly(ctx, server, proxy):
    _id, code = server.new_setup_code("Counter A")
    first = device_service.register_device(
        ctx=ctx, server_url=proxy.base_url, setup_code=code, name="Counter A"
    )
    assert first.ok
    again = device_service.register_device(
        ctx=ctx, server_url=proxy.base_url, setup_code=code, name="Counter B"
    )
    assert not again.ok
    assert "already used" in again.message and "administrator" in again.message
    assert device_service.current_device(ctx=ctx).name == "Counter A"  # nothing overwritten


def test_a_wrong_setup_code_is_refused_clearly(ctx, server, proxy):
    result = device_service.register_device(
        ctx=ctx, server_url=proxy.base_url, setup_code="ZZZZZ-ZZZZZ", name="Counter"
    )
    assert not result.ok
    assert "not valid" in result.message
    assert device_service.current_device(ctx=ctx) is None
    assert ctx.secrets.get(Secret.DEVICE_TOKEN) is None


def test_an_unreachable_server_is_reported_with_its_address(ctx, proxy):
    proxy.down()
    result = device_service.register_device(
        ctx=ctx, server_url=proxy.base_url, setup_code="ABCDE-12345", name="Counter"
    )
    assert not result.ok
    assert "cannot be reached" in result.message and proxy.base_url in result.message


def test_missing_fields_are_refused_before_any_request(ctx):
    for url, code, name, expected in [
        ("", "ABCDE-12345", "C", "server address"),
        ("http://127.0.0.1:9", " ", "C", "setup code"),
        ("http://127.0.0.1:9", "ABCDE-12345", " ", "name"),
        ("ftp://example.org", "ABCDE-12345", "C", "not a server address"),
        ("127.0.0.1:99999", "ABCDE-12345", "C", "port"),
    ]:
        result = device_service.register_device(ctx=ctx, server_url=url, setup_code=code, name=name)
        assert not result.ok and expected in result.message
