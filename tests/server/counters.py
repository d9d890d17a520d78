"""Registered counters and the API clients a cashier uses on them."""

from __future__ import annotations

from datetime import timedelta

from rest_framework.test import APIClient

from enturf_core.ticket_codes import SigningKey


def register_counter(name: str = "Counter 1"):
    """A registered counter that keeps its private signing key: (device, token, key)."""
    from enturf_server.accounts import device_services

    key = SigningKey.generate()
    issued = device_services.create_device(actor=None, name=name)
    reg = device_services.register_device(
        setup_code=issued.setup_code, name=name, signing_public_key=key.public_key_base64()
    )
    return reg.device, reg.device_token, key


def pos_client(user, device_token: str) -> APIClient:
    """A counter's client: the user's token (issued on that device) and the device token."""
    from enturf_server.accounts.device_auth import device_for_token
    from enturf_server.accounts.models import ApiToken

    _token, key = ApiToken.issue(user, timedelta(hours=1), device=device_for_token(device_token))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_X_ENTURF_DEVICE=device_token)
    client.user = user
    return client
