"""Throttles and the login lockout in one process: what counts as the client's address,
per user name and per address, the admin's login form, sign-ups. (Across gunicorn
workers: test_throttles_live.py.)"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
REGISTER = "/api/v1/auth/register/"


def _login(client, username: str, password: str = "wrong-password", **extra) -> int:
    return client.post(
        LOGIN, {"username": username, "password": password}, format="json", **extra
    ).status_code


def test_rotating_x_forwarded_for_does_not_reset_the_limit(anon_client, make_user):
    make_user("target")
    codes = [
        _login(anon_client, f"name-{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}") for i in range(32)
    ]
    assert codes == [401] * 30 + [429] * 2  # 30 a minute per address (ENTURF_LOGIN_ADDRESS_RATE)


def test_behind_one_trusted_proxy_the_address_it_saw_counts(anon_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # the client's own X-Forwarded-For entries come first; the proxy appends what it saw
    spoofed = [
        _login(anon_client, f"n{i}", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 198.51.100.7")
        for i in range(31)
    ]
    assert spoofed[-1] == 429
    other = _login(anon_client, "someone", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other == 401  # another client behind the same proxy is not locked out


def test_one_user_name_is_locked_from_every_address(anon_client, make_user):
    make_user("target", "employee", password="Right-password-77")
    codes = [_login(anon_client, "Target", REMOTE_ADDR=f"192.0.2.{i}") for i in range(10)]
    assert codes == [401] * 10
    assert _login(anon_client, "target", "Right-password-77", REMOTE_ADDR="192.0.2.99") == 429
    # another user from the same addresses is not locked
    make_user("other", "employee", password="Other-password-77")
    assert _login(anon_client, "other", "Other-password-77", REMOTE_ADDR="192.0.2.98") == 200


def test_the_admin_login_shares_the_lockout(make_user):
    user = make_user("root", "admin", password="Root-password-77")
    user.is_superuser = True
    user.save()
    browser = Client()
    for _ in range(10):
        r = browser.post("/admin/login/", {"username": "root", "password": "wrong"})
        assert r.status_code == 200 and "_auth_user_id" not in browser.session
    r = browser.post("/admin/login/", {"username": "root", "password": "Root-password-77"})
    assert r.status_code == 200
    assert "Too many login attempts" in r.content.decode()
    assert "_auth_user_id" not in browser.session
    # the API login of the same name is locked too: one lockout, two doors
    assert _login(APIClient(), "root", "Root-password-77") == 429


def test_the_admin_login_works_within_the_limit(make_user):
    user = make_user("root", "admin", password="Root-password-77")
    user.is_superuser = True
    user.save()
    browser = Client()
    browser.post("/admin/login/", {"username": "root", "password": "wrong"})
    r = browser.post("/admin/login/", {"username": "root", "password": "Root-password-77"})
    assert r.status_code == 302
    assert browser.session["_auth_user_id"] == str(user.pk)


def test_registration_allows_exactly_20_an_hour_per_address(anon_client):
    codes = [
        anon_client.post(
            REGISTER,
            {"username": f"fan{i}", "password": "Fan-password-4821", "email": f"f{i}@x.org"},
            format="json",
        ).status_code
        for i in range(22)
    ]
    assert codes == [201] * 20 + [429] * 2
    r = anon_client.post(REGISTER, {}, format="json")
    assert r.status_code == 429
    assert 3500 <= r.json()["error"]["details"]["retry_after_seconds"] <= 3601


def test_the_database_cache_counts_exactly_and_keeps_the_expiry(settings):
    from django.db import connection

    from enturf_server.api.cache import TABLE, DatabaseCache

    if (
        "LOCATION" in settings.CACHES["default"]
        and "Database" in settings.CACHES["default"]["BACKEND"]
    ):
        assert settings.CACHES["default"]["LOCATION"] == TABLE
    cache = DatabaseCache(TABLE, {"KEY_PREFIX": "t"})  # whatever CACHES says (Redis in CI)

    def expires():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT expires FROM {TABLE} WHERE cache_key LIKE %s", ["%:n"])
            return cursor.fetchall()

    cache.add("n", 0, 30)
    opened = expires()
    assert [cache.incr("n") for _ in range(3)] == [1, 2, 3]
    assert cache.get("n") == 3
    assert expires() == opened  # Django's own incr would move it to the default timeout
    cache.set("gone", 5, -1)  # expired
    with pytest.raises(ValueError):
        cache.incr("gone")
