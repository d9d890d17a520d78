"""Seat maps: import in one call, refusals that name the bad seat, immutability, versions."""

from __future__ import annotations

import copy
import json

import pytest
from support.catalog_data import (
    grid_layout,
    make_booking,
    make_event,
    make_seat_map,
    make_venue,
    user_client,
)

from enturf_server.catalog.models import Area, Row, Seat, SeatMap, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(client_for):
    return user_client("admin", client_for)


def _import(client, venue, layout, name="Main", **extra):
    return client.post(
        "/api/v1/seatmaps/", {"venue": venue.pk, "name": name, **extra, **layout}, format="json"
    )


def test_import_stores_the_whole_layout_and_detail_returns_it(admin_api):
    venue = make_venue()
    layout = grid_layout(sections=2, rows=3, seats=4)
    seat = layout["sections"][1]["rows"][2]["seats"][3]
    seat.update(key="custom-key", accessible=True, companion=False, obstructed=True)
    r = _import(admin_api, venue, layout, stage_x=15, stage_y=-250)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["version"] == 1
    assert body["seat_count"] == 24
    assert body["categories"] == ["premium", "standard"]
    assert body["areas"][0]["name"] == "Floor" and body["areas"][0]["capacity"] == 100
    assert body["in_use"] is False
    assert (body["stage_x"], body["stage_y"]) == (15, -250)
    assert body["width"] == 300 and body["height"] == 1024  # fitted round seats and areas

    detail = admin_api.get(f"/api/v1/seatmaps/{body['id']}/").json()
    assert [s["name"] for s in detail["sections"]] == ["S1", "S2"]
    row = detail["sections"][1]["rows"][2]
    assert row["label"] == "R3"
    assert [s["label"] for s in row["seats"]] == ["1", "2", "3", "4"]
    assert row["seats"][0]["key"] == "S2/R3/1"  # the default, stable key
    last = row["seats"][3]
    assert last["key"] == "custom-key"
    assert (last["accessible"], last["companion"], last["obstructed"]) == (True, False, True)
    assert (last["x"], last["y"], last["category"]) == (30.0, 1024.0, "premium")


def test_same_venue_and_name_creates_the_next_version(admin_api):
    venue = make_venue()
    first = _import(admin_api, venue, grid_layout()).json()
    second = _import(admin_api, venue, grid_layout(rows=2)).json()
    other = _import(admin_api, venue, grid_layout(), name="Concert").json()
    assert (first["version"], second["version"], other["version"]) == (1, 2, 1)
    assert second["seat_count"] == 16


@pytest.mark.slow
def test_import_of_100000_seats_in_one_request(admin_api):
    venue = make_venue()
    layout = grid_layout(sections=10, rows=100, seats=100, area_capacity=5000)
    payload = json.dumps({"venue": venue.pk, "name": "Stadium", **layout})
    assert len(payload) > 5_000_000  # well over the default body limit, under the seat-map one
    r = admin_api.post("/api/v1/seatmaps/", payload, content_type="application/json")
    assert r.status_code == 201, r.content[:500]
    seat_map = SeatMap.objects.get(pk=r.json()["id"])
    assert r.json()["seat_count"] == 100_000
    assert Seat.objects.filter(seat_map=seat_map).count() == 100_000
    assert Row.objects.filter(section__seat_map=seat_map).count() == 1_000
    assert Seat.objects.filter(seat_map=seat_map, key="S10/R100/100").exists()

    detail = admin_api.get(f"/api/v1/seatmaps/{seat_map.pk}/").json()
    assert sum(len(row["seats"]) for s in detail["sections"] for row in s["rows"]) == 100_000
    assert detail["sections"][9]["rows"][99]["seats"][99]["label"] == "100"


def _bad(layout_change):
    layout = grid_layout(sections=2, rows=2, seats=3)
    layout_change(layout)
    return layout


def _seat(layout, s=1, r=1, n=2):
    return layout["sections"][s]["rows"][r]["seats"][n]


BAD_LAYOUTS = [
    (
        "duplicate key",
        lambda lay: _seat(lay).update(key="S1/R1/1"),
        "seat '3'",
        "sections[1].rows[1].seats[2].key",
    ),
    (
        "duplicate seat label",
        lambda lay: _seat(lay).update(label="1"),
        "used twice",
        "sections[1].rows[1].seats[2].label",
    ),
    (
        "non-numeric x",
        lambda lay: _seat(lay).update(x="12"),
        "must be a number",
        "sections[1].rows[1].seats[2].x",
    ),
    (
        "boolean y",
        lambda lay: _seat(lay).update(y=True),
        "must be a number",
        "sections[1].rows[1].seats[2].y",
    ),
    (
        "missing x",
        lambda lay: _seat(lay).pop("x"),
        "is missing",
        "sections[1].rows[1].seats[2].x",
    ),
    (
        "missing rows",
        lambda lay: lay["sections"][1].pop("rows"),
        "section 'S2'",
        "sections[1].rows",
    ),
    (
        "empty rows",
        lambda lay: lay["sections"][0].update(rows=[]),
        "must not be empty",
        "sections[0].rows",
    ),
    (
        "huge label",
        lambda lay: _seat(lay).update(label="x" * 5000),
        "at most 20",
        "sections[1].rows[1].seats[2].label",
    ),
    (
        "seat is a list",
        lambda lay: lay["sections"][1]["rows"][1]["seats"].__setitem__(2, [1, 2]),
        "must be an object",
        "sections[1].rows[1].seats[2]",
    ),
    (
        "sections not a list",
        lambda lay: lay.update(sections={"a": 1}),
        "must be a list",
        "sections",
    ),
    (
        "unknown seat field",
        lambda lay: _seat(lay).update(colour="red"),
        "unknown field colour",
        "sections[1].rows[1].seats[2]",
    ),
    (
        "flag not boolean",
        lambda lay: _seat(lay).update(accessible="yes"),
        "true or false",
        "sections[1].rows[1].seats[2].accessible",
    ),
    (
        "duplicate row",
        lambda lay: lay["sections"][0]["rows"][1].update(label="R1"),
        "row 'R1'",
        "sections[0].rows[1].label",
    ),
    (
        "duplicate section",
        lambda lay: lay["sections"][1].update(name="S1"),
        "another section",
        "sections[1].name",
    ),
    (
        "area capacity zero",
        lambda lay: lay["areas"][0].update(capacity=0),
        "area 'Floor'",
        "areas[0].capacity",
    ),
    ("nothing at all", lambda lay: lay.update(sections=[], areas=[]), "at least one", "sections"),
    ("rank zero", lambda lay: lay["sections"][0].update(rank=0), "from 1", "sections[0].rank"),
    ("rank text", lambda lay: lay["sections"][1].update(rank="1"), "whole", "sections[1].rank"),
    ("rank huge", lambda lay: lay["sections"][0].update(rank=2**40), "999", "sections[0].rank"),
]


@pytest.mark.parametrize(
    ("change", "message", "path"),
    [pytest.param(*row[1:], id=row[0]) for row in BAD_LAYOUTS],
)
def test_bad_layout_is_refused_naming_the_place(admin_api, change, message, path):
    venue = make_venue()
    r = _import(admin_api, venue, _bad(change))
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert message in error["message"]
    assert error["details"]["path"] == path
    assert not SeatMap.objects.exists() and not Seat.objects.exists()


def test_bad_seat_message_names_section_row_and_seat(admin_api):
    r = _import(admin_api, make_venue(), _bad(lambda lay: _seat(lay).update(x=None)))
    assert r.json()["error"]["message"] == (
        "section 'S2', row 'R2', seat '3': is missing (a number is needed)"
    )


def test_non_finite_numbers_and_bad_json_are_refused(admin_api):
    venue = make_venue()
    body = json.dumps({"venue": venue.pk, "name": "M", **grid_layout()})
    body = body.replace('"x": 0.0', '"x": NaN', 1)
    r = admin_api.post("/api/v1/seatmaps/", body, content_type="application/json")
    assert r.status_code == 400
    r = admin_api.post("/api/v1/seatmaps/", "[1, 2]", content_type="application/json")
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "The request body must be a JSON object."
    r = admin_api.post("/api/v1/seatmaps/", {"name": "M", **grid_layout()}, format="json")
    assert r.status_code == 400 and "venue" in r.json()["error"]["message"]
    r = _import(admin_api, type("V", (), {"pk": 999_999})(), grid_layout())
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "There is no venue with id 999999."


def test_too_many_seats_is_refused(admin_api, settings):
    from enturf_server.catalog import seatmap_layout

    layout = grid_layout(sections=1, rows=3, seats=4)
    original = seatmap_layout.MAX_SEATS
    seatmap_layout.MAX_SEATS = 10
    try:
        r = _import(admin_api, make_venue(), layout)
    finally:
        seatmap_layout.MAX_SEATS = original
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "seat_map_too_large"


def test_used_seat_map_is_immutable(admin_api):
    seat_map = make_seat_map()
    url = f"/api/v1/seatmaps/{seat_map.pk}/"
    assert admin_api.patch(url, {"stage_x": 99}, format="json").status_code == 200
    make_event(seat_map)

    for method, body in [("patch", {"name": "X"}), ("put", grid_layout(rows=1)), ("delete", None)]:
        r = getattr(admin_api, method)(url, body, format="json")
        assert r.status_code == 409, (method, r.content)
        assert r.json()["error"]["code"] == "seat_map_in_use"
        if method != "delete":
            assert "new version" in r.json()["error"]["message"]
            assert f"/api/v1/seatmaps/{seat_map.pk}/new-version/" in r.json()["error"]["message"]
    seat_map.refresh_from_db()
    assert seat_map.name == "Main" and seat_map.stage_x == 99
    assert Seat.objects.filter(seat_map=seat_map).count() == 24
    assert admin_api.get(url).json()["in_use"] is True


def test_put_replaces_layout_of_unused_seat_map(admin_api):
    seat_map = make_seat_map()
    r = admin_api.put(
        f"/api/v1/seatmaps/{seat_map.pk}/", grid_layout(sections=1, rows=1, seats=2), format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["seat_count"] == 2
    assert Section.objects.filter(seat_map=seat_map).count() == 1
    assert Seat.objects.filter(seat_map=seat_map).count() == 2
    assert r.json()["revision"] == 2


def test_new_version_copies_the_layout_with_stable_keys(admin_api):
    seat_map = make_seat_map()
    make_booking(make_event(seat_map))
    r = admin_api.post(f"/api/v1/seatmaps/{seat_map.pk}/new-version/", {}, format="json")
    assert r.status_code == 201, r.content
    new = SeatMap.objects.get(pk=r.json()["id"])
    assert (new.venue_id, new.name, new.version) == (seat_map.venue_id, "Main", 2)
    assert (new.stage_x, new.stage_y, new.width, new.height) == (
        seat_map.stage_x,
        seat_map.stage_y,
        seat_map.width,
        seat_map.height,
    )

    def seats(m):
        return list(
            Seat.objects.filter(seat_map=m)
            .order_by("key")
            .values_list("key", "label", "x", "y", "category", "accessible", "row__label")
        )

    assert seats(new) == seats(seat_map)
    assert list(Area.objects.filter(seat_map=new).values_list("name", "capacity")) == [
        ("Floor", 100)
    ]
    # the copy is unused, so it may be edited
    r = admin_api.patch(f"/api/v1/seatmaps/{new.pk}/", {"stage_y": -10}, format="json")
    assert r.status_code == 200


def test_new_version_with_a_new_layout_keeps_unchanged_keys(admin_api):
    seat_map = make_seat_map()
    make_event(seat_map)
    old_ids = dict(Seat.objects.filter(seat_map=seat_map).values_list("key", "id"))
    layout = grid_layout()
    layout["sections"][0]["rows"][0]["seats"].append({"label": "5", "x": 40, "y": 0})
    r = admin_api.post(f"/api/v1/seatmaps/{seat_map.pk}/new-version/", layout, format="json")
    assert r.status_code == 201, r.content
    new_keys = set(Seat.objects.filter(seat_map_id=r.json()["id"]).values_list("key", flat=True))
    assert new_keys == set(old_ids) | {"S1/R1/5"}
    assert r.json()["version"] == 2 and r.json()["seat_count"] == 25


def test_seat_map_list_filters_by_venue(admin_api):
    a, b = make_venue("A"), make_venue("B")
    make_seat_map(a)
    make_seat_map(b)
    make_seat_map(b, name="Other")
    r = admin_api.get(f"/api/v1/seatmaps/?venue={b.pk}")
    assert r.status_code == 200
    assert sorted(m["name"] for m in r.json()["results"]) == ["Main", "Other"]
    assert all(m["seat_count"] == 24 for m in r.json()["results"])


def test_the_layout_is_not_changed_by_import(admin_api):
    layout = grid_layout()
    before = copy.deepcopy(layout)
    _import(admin_api, make_venue(), layout)
    assert layout == before


def test_section_ranks_are_stored_returned_and_copied_to_a_new_version(admin_api, client_for):
    layout = grid_layout(sections=3, rows=2, seats=3)
    layout["sections"][0]["rank"] = 2
    layout["sections"][1]["rank"] = 1  # the venue's best section; the third is unranked
    r = _import(admin_api, make_venue(), layout)
    assert r.status_code == 201, r.content
    seat_map = SeatMap.objects.get(pk=r.json()["id"])
    detail = admin_api.get(f"/api/v1/seatmaps/{seat_map.pk}/").json()
    assert [s["rank"] for s in detail["sections"]] == [2, 1, None]
    make_booking(make_event(seat_map))  # used: a change needs a new version
    r = admin_api.post(f"/api/v1/seatmaps/{seat_map.pk}/new-version/", {}, format="json")
    assert r.status_code == 201, r.content
    copied = Section.objects.filter(seat_map_id=r.json()["id"]).order_by("position")
    assert [s.rank for s in copied] == [2, 1, None]
