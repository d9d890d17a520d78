"""The counter version a server publishes (GET /api/v1/counter-version/) and the sync
endpoints' wire-format check: an incompatible counter is told why (426
``wire_version_unsupported``) and nothing it pushed is applied."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from support.catalog_data import make_event, make_seat_map, make_venue
from support.counters import pos_client
from support.sync_api import CHANGES, PUSH, edit, register_device

from enturf_core.wire import version as wire
from enturf_server.counters.version_views import server_version

pytestmark = pytest.mark.django_db
URL = "/api/v1/counter-version/"


@pytest.fixture
def counter(make_user):
    _device, token = register_device()
    return pos_client(make_user("manager", "admin"), token)


def test_a_counter_reads_the_version_expected_and_the_wire_range(counter, settings):
    answer = counter.get(URL)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "latest": server_version(),
        "download_url": "",
        "wire_version": wire.WIRE_VERSION,
        "min_wire_version": wire.MIN_WIRE_VERSION,
    }
    settings.ENTURF_COUNTER_LATEST_VERSION = "2.1.0"
    settings.ENTURF_COUNTER_DOWNLOAD_URL = "https://boxoffice.example/counter/"
    body = counter.get(URL).json()
    assert body["latest"] == "2.1.0"
    assert body["download_url"] == "https://boxoffice.example/counter/"


def test_a_device_token_alone_or_staff_may_ask_nobody_else(
    anon_client, employee_client, customer_client
):
    _device, token = register_device("Counter 2")
    device_only = APIClient()
    device_only.credentials(HTTP_X_ENTURF_DEVICE=token)
    assert device_only.get(URL).status_code == 200  # before anyone logs in on it
    assert employee_client.get(URL).status_code == 200
    assert anon_client.get(URL).status_code in (401, 403)
    assert customer_client.get(URL).status_code == 403
    bogus = APIClient()
    bogus.credentials(HTTP_X_ENTURF_DEVICE="not-a-device-token")
    assert bogus.get(URL).status_code in (401, 403)


def test_the_schema_documents_it(admin_client):
    schema = admin_client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/counter-version/" in paths
    for path, method in (("/api/v1/sync/changes/", "get"), ("/api/v1/sync/push/", "post")):
        headers = [p["name"] for p in paths[path][method]["parameters"] if p["in"] == "header"]
        assert headers == ["X-Enturf-Wire"]


def test_a_counter_with_a_served_wire_version_or_none_syncs(counter):
    assert counter.get(CHANGES, {"after": "0"}, HTTP_X_ENTURF_WIRE="1").status_code == 200
    assert counter.get(CHANGES, {"after": "0"}).status_code == 200  # from before the header


@pytest.mark.parametrize("sent", ["2", "99999"])
def test_an_incompatible_counter_is_refused_with_why_and_nothing_applied(counter, sent):
    event = make_event(make_seat_map(make_venue(), sections=1, rows=1, seats=2), name="Gala")
    op = edit("event", event, {"name": "Renamed"}, base={"name": "Gala"})
    pushed = counter.post(PUSH, {"ops": [op]}, format="json", HTTP_X_ENTURF_WIRE=sent)
    assert pushed.status_code == 426, pushed.content
    error = pushed.json()["error"]
    assert error["code"] == "wire_version_unsupported"
    assert error["details"] == {
        "counter_wire_version": int(sent),
        "wire_version": wire.WIRE_VERSION,
        "min_wire_version": wire.MIN_WIRE_VERSION,
    }
    assert "sync format" in error["message"]
    event.refresh_from_db()
    assert event.name == "Gala"
    feed = counter.get(CHANGES, {"after": "0"}, HTTP_X_ENTURF_WIRE=sent)
    assert feed.status_code == 426
    # the same op from the updated counter applies: nothing was recorded for its id
    again = counter.post(PUSH, {"ops": [op]}, format="json", HTTP_X_ENTURF_WIRE="1")
    assert again.json()["results"][0]["status"] == "applied"


@pytest.mark.parametrize(
    "sent", ["abc", "0", "-1", "1.5", "1" * 50, "\u00b2", "\u0661"]
)  # ², Arabic-Indic one
def test_a_malformed_wire_header_is_a_400(counter, sent):
    answer = counter.get(CHANGES, {"after": "0"}, HTTP_X_ENTURF_WIRE=sent)
    assert answer.status_code == 400
    assert answer.json()["error"]["details"] == {"header": "X-Enturf-Wire"}


def test_a_server_that_still_serves_older_counters(counter, monkeypatch):
    """A server of wire 3 that still serves 2: a counter of 1 is refused, of 2 served."""
    monkeypatch.setattr(wire, "WIRE_VERSION", 3)
    monkeypatch.setattr(wire, "MIN_WIRE_VERSION", 2)
    old = counter.get(CHANGES, {"after": "0"}, HTTP_X_ENTURF_WIRE="1")
    assert old.status_code == 426
    assert "accepts formats 2 to 3" in old.json()["error"]["message"]
    assert counter.get(CHANGES, {"after": "0"}, HTTP_X_ENTURF_WIRE="2").status_code == 200
    assert counter.get(URL).json()["min_wire_version"] == 2
