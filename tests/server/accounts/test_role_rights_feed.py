"""The cashier's refund limit in the change feed (`role_rights`) is the one the server
enforces: the grant's own, else `SiteSettings.employee_refund_limit`; a change of that
setting reaches counters as a new version of the cashier's row. Read through the real
sync pull API, as a counter does."""

from __future__ import annotations

import pytest
from support.counters import pos_client, register_counter
from support.sync_api import read_all

from enturf_core.wire import feed

pytestmark = pytest.mark.django_db

SETTINGS = "/api/v1/settings/"


@pytest.fixture
def counter_feed(make_user):
    _device, token, _key = register_counter("Counter 1")
    return pos_client(make_user("till", "employee"), token)


def _role_rights(changes) -> dict[str, tuple[int, int | None]]:
    """role -> (version, refund_limit_cents) of the last item of each role."""
    items = [c for c in changes if c["entity"] == feed.ROLE_RIGHTS]
    return {c["id"]: (c["version"], c["data"]["refund_limit_cents"]) for c in items}


def test_the_feed_sends_the_cashiers_effective_limit_and_follows_the_setting(
    counter_feed, admin_client
):
    snapshot, cursor = read_all(counter_feed)
    first = _role_rights(snapshot)
    assert first["employee"][1] == 10000  # the setting's 100.00, not null
    assert first["manager"][1] is None and first["admin"][1] is None
    login = counter_feed.get("/api/v1/auth/me/").json()
    assert login["refund_limit_cents"] == first["employee"][1]  # what the server enforces

    r = admin_client.patch(SETTINGS, {"employee_refund_limit": "25.00"}, format="json")
    assert r.status_code == 200, r.content
    changes, cursor = read_all(counter_feed, after=cursor)
    resent = _role_rights(changes)
    assert list(resent) == ["employee"]  # only the row that goes by the setting
    assert resent["employee"][1] == 2500
    assert resent["employee"][0] > first["employee"][0]  # a counter takes the newer version
    assert counter_feed.get("/api/v1/auth/me/").json()["refund_limit_cents"] == 2500

    # a setting saved unchanged sends no grant again
    r = admin_client.patch(SETTINGS, {"employee_refund_limit": "25.00"}, format="json")
    assert r.status_code == 200
    changes, cursor = read_all(counter_feed, after=cursor)
    assert _role_rights(changes) == {}

    # a limit of the grant's own wins, and the setting no longer moves it
    body = {"rights": ["discount", "door_scan", "refund", "sell"], "refund_limit_cents": 5000}
    assert admin_client.put("/api/v1/roles/employee/", body, format="json").status_code == 200
    changes, cursor = read_all(counter_feed, after=cursor)
    assert _role_rights(changes)["employee"][1] == 5000
    r = admin_client.patch(SETTINGS, {"employee_refund_limit": "60.00"}, format="json")
    assert r.status_code == 200
    changes, cursor = read_all(counter_feed, after=cursor)
    assert _role_rights(changes) == {}
