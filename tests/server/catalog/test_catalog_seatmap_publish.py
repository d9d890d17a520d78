"""Push op `seatmap_publish`: a manager's draft becomes the next seat-map version, once
per draft; a map changed on the server meanwhile is a conflict unless published as the
newer; a bad layout is refused naming the place; only admins publish."""

from __future__ import annotations

import json
import uuid

import pytest
from support.catalog_data import drawn_layout, grid_layout, make_venue
from support.counters import PUSH, pos_client, push_ops, register_counter

from enturf_server.audit.models import AuditEntry
from enturf_server.catalog.models import SeatMap

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    """An admin logged in on a counter (the manager window)."""
    _device, token, _key = register_counter("Office")
    return pos_client(make_user("manager", "admin"), token)


@pytest.fixture
def venue():
    return make_venue()


def publish(venue, layout=None, *, draft=None, name="Main", **extra) -> tuple[str, dict]:
    payload = {
        "draft": str(draft or uuid.uuid4()),
        "venue": venue if isinstance(venue, int) else venue.pk,
        "name": name,
        "layout": drawn_layout() if layout is None else layout,
        **extra,
    }
    return ("seatmap_publish", payload)


def test_a_draft_is_published_as_a_seat_map_with_its_drawing(manager, venue):
    draft = uuid.uuid4()
    layout = drawn_layout()
    layout.update(stage_x=150, stage_y=-280)
    [result] = push_ops(manager, publish(venue, layout, draft=draft))
    assert result["status"] == "applied", result
    seat_map = SeatMap.objects.get(pk=result["seat_map"])
    assert result["version"] == seat_map.version == 1
    assert (seat_map.venue, seat_map.name, seat_map.origin) == (venue, "Main", draft)
    assert (seat_map.stage_x, seat_map.stage_y) == (150, -280)
    detail = manager.get(f"/api/v1/seatmaps/{seat_map.pk}/").json()
    assert detail["seat_count"] == 24
    assert detail["drawing"]["categories"] == layout["categories"]
    assert detail["sections"][0]["rows"][0]["seats"][0]["aisle"] is True
    audit = AuditEntry.objects.get(action="seatmap.publish")
    assert audit.details == {"version": 1, "seats": 24, "draft": str(draft)}


def test_a_replay_of_the_draft_answers_the_same_seat_map(manager, venue):
    draft = uuid.uuid4()
    op_id = uuid.uuid4()
    [first] = push_ops(manager, publish(venue, draft=draft), op_ids=[op_id])
    [same_op] = push_ops(manager, publish(venue, draft=draft), op_ids=[op_id])
    [same_draft] = push_ops(manager, publish(venue, draft=draft, as_newer=True))
    assert first["status"] == "applied"
    assert same_op["status"] == "duplicate"
    assert same_draft["status"] == "applied"
    assert same_draft["seat_map"] == first["seat_map"] and same_draft["version"] == 1
    assert SeatMap.objects.filter(venue=venue).count() == 1


def test_a_map_changed_since_the_draft_is_a_conflict_unless_published_as_newer(manager, venue):
    [v1] = push_ops(manager, publish(venue))
    [v2] = push_ops(manager, publish(venue, base_seat_map=v1["seat_map"]))
    assert (v1["version"], v2["version"]) == (1, 2)

    # started from version 1 while version 2 was published
    stale_draft = uuid.uuid4()
    [stale] = push_ops(manager, publish(venue, draft=stale_draft, base_seat_map=v1["seat_map"]))
    assert stale["status"] == "conflict", stale
    assert stale["code"] == "seat_map_changed"
    assert stale["server"] == {"seat_map": v2["seat_map"], "version": 2}
    # a new map of a name that exists already
    [fresh] = push_ops(manager, publish(venue))
    assert fresh["status"] == "conflict"
    assert fresh["server"] == {"seat_map": v2["seat_map"], "version": 2}
    assert SeatMap.objects.filter(venue=venue).count() == 2

    # the manager chose to publish over it
    [newer] = push_ops(
        manager, publish(venue, draft=stale_draft, base_seat_map=v1["seat_map"], as_newer=True)
    )
    assert newer["status"] == "applied", newer
    assert newer["version"] == 3
    # another name of the same venue is its own map
    [other] = push_ops(manager, publish(venue, name="Concert"))
    assert other["status"] == "applied" and other["version"] == 1


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda L: L["sections"][0]["rows"][0]["seats"][1].update(x="left"),
            "sections[0].rows[0].seats[1].x",
        ),
        (
            lambda L: L["sections"][1]["rows"][2]["seats"][0].update(aisle="yes"),
            "sections[1].rows[2].seats[0].aisle",
        ),
        (lambda L: L["sections"][0].update(outline=[[0, 0], [1, 1]]), "sections[0].outline"),
        (lambda L: L.update(sections=[], areas=[]), "sections"),
        (lambda L: L.update(stage_x="middle"), "stage_x"),
    ],
)
def test_a_bad_layout_is_rejected_naming_the_place(manager, venue, change, path):
    layout = drawn_layout()
    change(layout)
    [result] = push_ops(manager, publish(venue, layout))
    assert result["status"] == "rejected", result
    assert result["code"] == "invalid_seat_map"
    assert result["details"]["path"] == path
    assert not SeatMap.objects.filter(venue=venue).exists()


def test_only_an_admin_publishes(make_user, venue):
    _device, token, _key = register_counter("Counter 1")
    cashier = pos_client(make_user("cashier", "employee"), token)
    [result] = push_ops(cashier, publish(venue))
    assert result["status"] == "rejected"
    assert result["code"] == "permission_denied"
    assert not SeatMap.objects.exists()


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"venue": 1, "name": "M", "layout": {}}, "invalid"),  # no draft
        ({"draft": "not-a-uuid", "venue": 1, "name": "M", "layout": {}}, "invalid"),
        ({"draft": str(uuid.uuid4()), "venue": 1, "name": "M", "layout": [1, 2]}, "invalid"),
        ({"draft": str(uuid.uuid4()), "venue": "x", "name": "M", "layout": {}}, "invalid"),
        ({"draft": str(uuid.uuid4()), "venue": 2**40, "name": "M", "layout": {}}, "not_found"),
        ({"draft": str(uuid.uuid4()), "venue": None, "name": "M", "layout": {}}, "invalid"),
        ("a string", "invalid_op"),
    ],
)
def test_a_malformed_op_is_rejected(manager, venue, payload, code):
    [result] = push_ops(manager, ("seatmap_publish", payload))
    assert result["status"] == "rejected", result
    assert result["code"] == code


def test_a_bad_name_an_unknown_venue_and_too_many_seats_are_rejected(manager, venue):
    from enturf_server.catalog import seatmap_layout

    [long_name] = push_ops(manager, publish(venue, name="x" * 201))
    assert (long_name["code"], long_name["details"]["path"]) == ("invalid_seat_map", "name")
    [blank] = push_ops(manager, publish(venue, name="  "))
    assert blank["code"] == "invalid_seat_map"
    [missing] = push_ops(manager, publish(999_999))
    assert missing["code"] == "not_found"
    original = seatmap_layout.MAX_SEATS
    seatmap_layout.MAX_SEATS = 10
    try:
        [large] = push_ops(manager, publish(venue, grid_layout(sections=1, rows=3, seats=4)))
    finally:
        seatmap_layout.MAX_SEATS = original
    assert large["code"] == "seat_map_too_large"


def test_a_push_over_the_body_limit_is_answered_413(manager, venue, settings):
    layout = grid_layout(sections=4, rows=50, seats=100)
    body = json.dumps(
        {
            "ops": [
                {
                    "id": str(uuid.uuid4()),
                    "type": "seatmap_publish",
                    "payload": publish(venue, layout)[1],
                }
            ]
        }
    )
    limit = settings.ENTURF_BODY_LIMIT_LARGE[PUSH]
    body = body.replace(
        '"category"',
        '"category"' + " " * (limit // 20_000),
    )
    assert len(body) > limit
    r = manager.post(PUSH, body, content_type="application/json")
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "request_too_large"
