"""Bad input that every endpoint shares: bodies that are not objects, JSON nested without
end, the NUL character in text or in a query, out-of-range settings. Each is a 4xx in the
shared error shape, never a 500."""

from __future__ import annotations

import json

import pytest
from support.catalog_data import grid_layout, make_seat_map

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"


def _refused(r, status: int = 400) -> dict:
    assert r.status_code == status, r.content[:300]
    error = r.json()["error"]
    assert set(error) == {"code", "message", "details"}
    return error


@pytest.mark.parametrize("body", ["[null, null]", "5", '"x"', "null", "[]"])
def test_login_with_a_body_that_is_not_an_object_is_a_400(anon_client, body):
    r = anon_client.post(LOGIN, body, content_type="application/json")
    assert _refused(r)["code"] == "invalid"


@pytest.mark.parametrize(
    ("path", "client"),
    [
        (LOGIN, "anon_client"),
        ("/api/v1/auth/register/", "anon_client"),
        ("/api/v1/holds/", "customer_client"),
        ("/api/v1/events/", "admin_client"),
    ],
)
def test_json_nested_50000_deep_is_a_400(request, path, client):
    body = "[" * 50_000 + "]" * 50_000  # 100 KB, under the body limit
    r = request.getfixturevalue(client).post(path, body, content_type="application/json")
    error = _refused(r)
    assert error["code"] == "parse_error"
    assert "nested" in error["message"]


def test_json_nested_a_little_is_still_read(anon_client):
    from enturf_server.api.parsers import MAX_DEPTH

    nested: object = "x"
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    r = anon_client.post(LOGIN, {"username": nested, "password": "p"}, format="json")
    assert _refused(r)["code"] == "invalid"  # parsed; the serializer refuses the list
    r = anon_client.post(LOGIN, {"username": [nested], "password": "p"}, format="json")
    assert _refused(r)["code"] == "parse_error"


def test_nul_in_a_seat_map_area_name_is_a_400(client_for, make_user):
    client = client_for(make_user("ada", "admin"))
    seat_map = make_seat_map()
    layout = grid_layout()
    layout["areas"] = [{"name": "Floor\u0000", "capacity": 10}]
    r = client.post(f"/api/v1/seatmaps/{seat_map.pk}/new-version/", layout, format="json")
    error = _refused(r)
    assert error["code"] == "parse_error" and "NUL" in error["message"]


def test_nul_refused_in_any_json_text_but_an_escaped_backslash_is_fine(admin_client):
    r = admin_client.patch("/api/v1/settings/", {"seller_name": "Globe\u0000"}, format="json")
    _refused(r)
    r = admin_client.patch("/api/v1/settings/", {"\u0000": 1}, format="json")
    _refused(r)
    literal = "C:\\u0000 is not a NUL"  # a backslash, then the letters u0000
    r = admin_client.patch(
        "/api/v1/settings/", json.dumps({"seller_name": literal}), content_type="application/json"
    )
    assert r.status_code == 200
    assert r.json()["seller_name"] == literal


@pytest.mark.parametrize("query", ["search=a%00b", "search=%00", "role=%00"])
def test_nul_in_a_query_is_a_400(admin_client, query):
    r = admin_client.get(f"/api/v1/users/?{query}")
    assert _refused(r)["code"] == "bad_request"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("token_lifetime_hours", 0),
        ("token_lifetime_hours", 2147483647),
        ("token_lifetime_hours", 721),
        ("offline_login_days", 366),
        ("hold_ttl_seconds", 0),
        ("hold_max_seconds", 2**31),
        ("booking_ttl_seconds", 5),
    ],
)
def test_settings_out_of_range_are_refused_and_login_keeps_working(
    admin_client, anon_client, make_user, field, value
):
    r = admin_client.patch("/api/v1/settings/", {field: value}, format="json")
    assert field in _refused(r)["details"]
    make_user("bea", "employee", password="bea-password-12")
    r = anon_client.post(LOGIN, {"username": "bea", "password": "bea-password-12"}, format="json")
    assert r.status_code == 200


def test_settings_at_their_bounds_are_accepted(admin_client):
    r = admin_client.patch(
        "/api/v1/settings/",
        {"token_lifetime_hours": 720, "offline_login_days": 0, "hold_ttl_seconds": 10},
        format="json",
    )
    assert r.status_code == 200, r.content
