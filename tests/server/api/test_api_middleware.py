"""The token API skips the browser-only middleware; the admin keeps all of it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_api_answers_skip_session_csrf_and_frame_options(customer_client):
    r = customer_client.get("/api/v1/auth/me/")
    assert r.status_code == 200
    assert "X-Frame-Options" not in r.headers
    assert "Cookie" not in r.headers.get("Vary", "")
    assert not r.cookies
    assert r.wsgi_request.path.startswith("/api/v1/")
    assert not hasattr(r.wsgi_request, "session")


def test_admin_keeps_sessions_csrf_messages_and_frame_options(make_user):
    from django.test import Client

    user = make_user("root", "admin")
    user.is_superuser = True
    user.save()
    client = Client(enforce_csrf_checks=True)
    r = client.get("/admin/login/")
    assert r.status_code == 200 and r.headers["X-Frame-Options"] == "DENY"
    assert "csrftoken" in r.cookies
    # a POST without the CSRF token is refused, with it the login works
    assert client.post("/admin/login/", {"username": "root", "password": "x"}).status_code == 403
    client.force_login(user)
    r = client.get("/admin/")
    assert r.status_code == 200 and hasattr(r.wsgi_request, "session")
    assert r.wsgi_request.user == user
