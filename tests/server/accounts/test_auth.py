"""Accounts: register, login, logout, me, staff management, settings, token expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_register_login_me_logout(anon_client):
    r = anon_client.post(
        "/api/v1/auth/register/",
        {"username": "newbie", "password": "a-good-long-pass", "email": "n@example.org"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["user"]["role"] == "customer"

    r = anon_client.post(
        "/api/v1/auth/login/", {"username": "newbie", "password": "a-good-long-pass"}, format="json"
    )
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"token", "expires_at", "user"}
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert anon_client.get("/api/v1/auth/me/").json()["username"] == "newbie"
    assert anon_client.post("/api/v1/auth/logout/").status_code == 204
    r = anon_client.get("/api/v1/auth/me/")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "token_invalid"


def test_register_refuses_weak_password_and_taken_name(anon_client, make_user):
    make_user("taken")
    r = anon_client.post(
        "/api/v1/auth/register/",
        {"username": "x1", "password": "123", "email": "x@example.org"},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "weak_password"
    r = anon_client.post(
        "/api/v1/auth/register/",
        {"username": "taken", "password": "a-good-long-pass", "email": "x@example.org"},
        format="json",
    )
    assert r.status_code == 409


def test_wrong_password_and_disabled_account(anon_client, make_user):
    user = make_user("bob", "employee", password="right-password-9")
    r = anon_client.post(
        "/api/v1/auth/login/", {"username": "bob", "password": "wrong"}, format="json"
    )
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_credentials"
    user.is_active = False
    user.save()
    r = anon_client.post(
        "/api/v1/auth/login/", {"username": "bob", "password": "right-password-9"}, format="json"
    )
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "account_disabled"


def test_login_is_throttled(anon_client, make_user, settings):
    make_user("target")
    codes = [
        anon_client.post(
            "/api/v1/auth/login/", {"username": "target", "password": "nope"}, format="json"
        ).status_code
        for _ in range(12)
    ]
    assert codes[:10] == [401] * 10
    assert codes[-1] == 429
    r = anon_client.post(
        "/api/v1/auth/login/", {"username": "target", "password": "x"}, format="json"
    )
    assert r.status_code == 429
    assert int(r["Retry-After"]) > 0
    assert r.json()["error"]["code"] == "throttled"


def test_expired_token_refused(make_user, client_for):
    from enturf_server.accounts.models import ApiToken

    client = client_for(make_user("old"))
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    r = client.get("/api/v1/auth/me/")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "token_expired"


def test_admin_manages_staff(admin_client, employee_client):
    r = admin_client.post(
        "/api/v1/users/",
        {"username": "newcashier", "password": "cashier-pass-123", "role": "employee"},
        format="json",
    )
    assert r.status_code == 201, r.content
    uid = r.json()["id"]
    assert employee_client.get("/api/v1/users/").status_code == 403
    r = admin_client.patch(f"/api/v1/users/{uid}/", {"is_active": False}, format="json")
    assert r.status_code == 200 and r.json()["is_active"] is False
    from django.contrib.auth.models import Group

    assert Group.objects.get(name="employee").user_set.filter(id=uid).exists()


def test_settings_admin_only(admin_client, employee_client, customer_client):
    assert employee_client.get("/api/v1/settings/").status_code == 403
    assert customer_client.get("/api/v1/settings/").status_code == 403
    r = admin_client.patch("/api/v1/settings/", {"seller_name": "Globe"}, format="json")
    assert r.status_code == 200
    assert r.json()["seller_name"] == "Globe"
    r = admin_client.patch("/api/v1/settings/", {"hold_ttl_seconds": -5}, format="json")
    assert r.status_code == 400


def test_malformed_json_and_oversized_body(anon_client):
    r = anon_client.generic(
        "POST", "/api/v1/auth/login/", "{not json", content_type="application/json"
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "parse_error"
    r = anon_client.generic(
        "POST", "/api/v1/auth/login/", "x" * (300 * 1024), content_type="application/json"
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "request_too_large"


def test_unknown_path_answers_json_404(anon_client):
    r = anon_client.get("/api/v1/nothing-here/")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_schema_and_docs(anon_client):
    r = anon_client.get("/api/schema/")
    assert r.status_code == 200
    assert b"/api/v1/auth/login/" in r.content
    assert anon_client.get("/api/docs/").status_code == 200
