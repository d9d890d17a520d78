"""The API client against the real server: error shape, credentials, unreachable cases."""

from __future__ import annotations

import pytest

from enturf_pos.services.session.api_client import (
    ApiClient,
    ApiError,
    ServerUnreachable,
    normalize_server_url,
)


def test_errors_come_in_the_servers_shape(proxy):
    client = ApiClient(proxy.base_url)
    with pytest.raises(ApiError) as raised:
        client.get("/api/v1/auth/me/")
    assert raised.value.status == 401 and raised.value.code == "not_authenticated"
    with pytest.raises(ApiError) as raised:
        client.post("/api/v1/auth/login/", {"username": "x"}, authenticated=False)
    assert raised.value.status == 400 and raised.value.message.startswith("password")
    assert "Traceback" not in str(raised.value)


def test_the_user_and_device_tokens_are_sent(server, proxy):
    client = ApiClient(proxy.base_url, user_token=server.login("cashier"))
    assert client.get("/api/v1/auth/me/")["username"] == "cashier"
    client.device_token = "not-a-device-token"
    with pytest.raises(ApiError) as raised:
        client.get("/api/v1/auth/me/")
    assert raised.value.code == "device_unknown"


def test_a_server_that_is_down_was_not_sent_anything(proxy):
    proxy.down()
    client = ApiClient(proxy.base_url)
    with pytest.raises(ServerUnreachable) as raised:
        client.post("/api/v1/auth/login/", {"username": "a", "password": "b"})
    assert not raised.value.request_sent
    assert "cannot be reached" in raised.value.message
    assert not client.ping()


def test_a_dropped_answer_means_the_server_may_have_acted(server, proxy):
    client = ApiClient(proxy.base_url)
    proxy.drop_responses(1, match=b"/api/v1/auth/login/")
    with pytest.raises(ServerUnreachable) as raised:
        client.post(
            "/api/v1/auth/login/",
            {"username": "cashier", "password": "whatever-pw"},
            authenticated=False,
        )
    assert raised.value.request_sent
    assert proxy.responses_dropped == 1


def test_a_slow_server_times_out_as_unreachable(proxy):
    proxy.delay = 1.5
    client = ApiClient(proxy.base_url, timeout=(2.0, 0.3))
    with pytest.raises(ServerUnreachable) as raised:
        client.get("/api/v1/auth/me/")
    assert raised.value.request_sent and "too long" in raised.value.message


def test_ping_counts_any_answer_as_reachable(proxy):
    assert ApiClient(proxy.base_url).ping()  # 401 without a token is an answer


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("192.168.1.10:8000", "http://192.168.1.10:8000"),
        ("boxoffice.example.org", "https://boxoffice.example.org"),
        ("http://localhost:8000/", "http://localhost:8000"),
        (" https://tickets.example.org/enturf/ ", "https://tickets.example.org/enturf"),
        ("till-server:8000", "http://till-server:8000"),
    ],
)
def test_server_addresses_are_normalised(typed, expected):
    assert normalize_server_url(typed) == expected
