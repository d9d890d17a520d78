"""Server fixtures: API clients logged in as each role, a shop (an event on sale) and a
counter with a cashier on it."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

PASSWORDS = {
    "admin": "enturf-admin-pw-1",
    "employee": "enturf-employee-pw-1",
    "customer": "enturf-customer-pw-1",
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # users are made per test; the default hasher's deliberate slowness is not under test
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_throttle_counts(settings):
    """Each test counts throttled attempts under a key prefix of its own: on the database
    cache the test's rollback forgets them anyway, on a shared Redis (ENTURF_REDIS_URL)
    nothing is flushed and no other test or run is seen."""
    settings.CACHES = {
        name: {**conf, "KEY_PREFIX": f"enturf-test-{uuid.uuid4().hex}"}
        for name, conf in settings.CACHES.items()
    }


@pytest.fixture
def fresh_signing_key(settings, tmp_path, monkeypatch):
    """The server's ticket-signing key made anew in this test's data folder (none from the
    environment, no key cached from another test)."""
    from enturf_server.ticketing.keys import clear_cache

    monkeypatch.delenv("ENTURF_SIGNING_KEY", raising=False)
    settings.DATA_DIR = tmp_path
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def make_user(db):
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import create_user

    def make(username: str, role: str = "customer", password: str | None = None, **kw):
        return create_user(
            username=username,
            password=password or PASSWORDS.get(role, "a-long-password-1"),
            role=Role(role),
            email=kw.pop("email", f"{username}@example.org"),
            **kw,
        )

    return make


def _client_for(user) -> APIClient:
    from datetime import timedelta

    from enturf_server.accounts.models import ApiToken

    _token, key = ApiToken.issue(user, timedelta(hours=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.user = user
    return client


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def admin_client(make_user) -> APIClient:
    return _client_for(make_user("alice", "admin"))


@pytest.fixture
def employee_client(make_user) -> APIClient:
    return _client_for(make_user("eve", "employee"))


@pytest.fixture
def customer_client(make_user) -> APIClient:
    return _client_for(make_user("carl", "customer"))


@pytest.fixture
def other_customer_client(make_user) -> APIClient:
    return _client_for(make_user("cora", "customer"))


@pytest.fixture
def client_for():
    return _client_for


@pytest.fixture
def shop(db):
    """An event on sale with seats, areas and tickets (`factories.sales_setup`)."""
    from support.factories import sales_setup

    return sales_setup()


@pytest.fixture
def counter(make_user):
    """Counter 1 with a cashier logged in on it: (device, client, key)."""
    from support.counters import pos_client, register_counter

    device, token, key = register_counter("Counter 1")
    return device, pos_client(make_user("cashier", "employee"), token), key
