"""The shared rate limits when their store is down: a clear 503, never a 500, and the
login stays shut (a lockout that opened whenever Redis stopped would be no lockout)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"


@pytest.fixture
def redis_down(settings):
    # nothing listens on port 1: every cache call fails to connect
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }


def test_api_login_answers_503_with_the_reason(redis_down, anon_client, make_user):
    make_user("cashier", "employee", password="Right-password-77")
    response = anon_client.post(
        LOGIN, {"username": "cashier", "password": "Right-password-77"}, format="json"
    )
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "rate_limit_store_unavailable"
    assert "ENTURF_REDIS_URL" in error["message"]
    assert "token" not in response.json()  # not let in uncounted


def test_admin_login_form_says_so(redis_down, make_user):
    make_user("boss", "admin", password="Right-password-77")
    response = Client().post("/admin/login/", {"username": "boss", "password": "Right-password-77"})
    assert response.status_code == 200  # the form again, not a 500 and not logged in
    assert b"rate-limit store is not reachable" in response.content
