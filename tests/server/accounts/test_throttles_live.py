"""Throttles hold across gunicorn workers: the real server with 4 worker processes, sent
concurrent attempts from several loopback addresses (127.0.0.x). Once on the database
cache (a one-box install) and, when ENTURF_REDIS_URL is set, once on Redis."""

from __future__ import annotations

import os
import re
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from requests.adapters import HTTPAdapter
from support.server_process import USERS, running_server

LOGIN = "/api/v1/auth/login/"
REGISTER = "/api/v1/auth/register/"

CACHES = [
    "database",
    pytest.param(
        "redis",
        marks=pytest.mark.skipif(
            not os.environ.get("ENTURF_REDIS_URL"), reason="ENTURF_REDIS_URL is not set"
        ),
    ),
]


@pytest.fixture(scope="module", params=CACHES)
def server(request, tmp_path_factory):
    env = {
        "ENTURF_LOGIN_RATE": "10/min",  # per user name
        "ENTURF_LOGIN_ADDRESS_RATE": "12/min",
        "ENTURF_REGISTER_RATE": "20/hour",
    }
    if request.param == "database":
        env["ENTURF_REDIS_URL"] = ""
    with running_server(
        tmp_path_factory.mktemp(f"throttles-{request.param}"), extra_env=env, workers=4
    ) as server:
        yield server


class _FromAddress(HTTPAdapter):
    """Connections from one loopback address (every 127.x.y.z is this machine)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _session(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _FromAddress(address))
    return session


def _concurrently(count: int, attempt) -> list[int]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return sorted(pool.map(attempt, range(count)))


def _login(server, address: str, username: str, password: str, **headers) -> int:
    return (
        _session(address)
        .post(
            f"{server.base_url}{LOGIN}",
            json={"username": username, "password": password},
            headers=headers,
            timeout=60,
        )
        .status_code
    )


def _address() -> str:
    """A loopback address of its own for each test (the module's server is shared)."""
    return f"127.{secrets.randbelow(200) + 20}.{secrets.randbelow(250) + 1}.{secrets.randbelow(250) + 1}"


def test_login_limit_per_user_name_holds_across_workers_and_forwarded_for(server):
    address = _address()
    codes = _concurrently(
        16,
        lambda i: _login(
            server, address, "retired", "wrong", **{"X-Forwarded-For": f"198.51.100.{i}"}
        ),
    )
    assert codes == [401] * 10 + [429] * 6
    # the right password, from another address, is refused while the name is locked
    assert _login(server, _address(), "retired", USERS["retired"][1]) == 429


def test_login_limit_per_address_holds_across_workers(server):
    address = _address()
    codes = _concurrently(14, lambda i: _login(server, address, f"nobody-{i}", "wrong"))
    assert codes == [401] * 12 + [429] * 2
    # the customer's right password from the locked address is refused; elsewhere it works
    assert _login(server, address, "customer", USERS["customer"][1]) == 429
    assert _login(server, _address(), "customer", USERS["customer"][1]) == 200


def test_admin_login_is_locked_out_too(server):
    browser = _session(_address())
    url = f"{server.base_url}/admin/login/"

    def post(password: str) -> requests.Response:
        page = browser.get(url, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return browser.post(
            url,
            data={"username": "admin", "password": password, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=60,
        )

    for _ in range(10):
        assert post("wrong").status_code == 200
    r = post(USERS["admin"][1])
    assert r.status_code == 200  # the form again, not the redirect into the admin
    assert "Too many login attempts" in r.text
    assert "sessionid" not in browser.cookies


def test_registration_allows_exactly_20_an_hour_across_workers(server):
    session_address = _address()

    def register(i: int) -> int:
        return (
            _session(session_address)
            .post(
                f"{server.base_url}{REGISTER}",
                # refused for its password after the throttle counted it: no hashing cost
                json={"username": f"fan-{i}", "password": "short", "email": f"f{i}@x.org"},
                timeout=60,
            )
            .status_code
        )

    codes = _concurrently(24, register)
    assert codes == [400] * 20 + [429] * 4
