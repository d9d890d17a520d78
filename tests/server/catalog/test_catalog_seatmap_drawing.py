"""What the editor draws besides seats (category colours, section outlines, aisle seats,
area polygons, decorations): stored by the import, returned by the detail, the export,
new versions, the snapshot and the change feed; and the export imports back."""

from __future__ import annotations

import pytest
from support.catalog_data import drawn_layout, make_venue, user_client
from support.counters import pos_client, register_counter

from enturf_core.wire import feed
from enturf_server.catalog.models import Seat
from enturf_server.sync.models import ChangeLogEntry

pytestmark = pytest.mark.django_db

CHANGES = "/api/v1/sync/changes/"


@pytest.fixture
def admin_api(client_for):
    return user_client("admin", client_for)


def _import(client, venue, layout, name="Main"):
    r = client.post("/api/v1/seatmaps/", {"venue": venue.pk, "name": name, **layout}, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def _expected_drawing(layout) -> dict:
    return {
        "categories": layout["categories"],
        "outlines": {"S1": layout["sections"][0]["outline"]},
        "area_polygons": {"Floor": layout["areas"][0]["polygon"]},
        "decorations": layout["decorations"],
    }


def _seats(detail_or_file) -> list[tuple]:
    """Every seat as (section, row, key, label, x, y, category, flags), in map order (a
    file leaves the default key out)."""
    return [
        (
            section["name"],
            row["label"],
            seat.get("key", f"{section['name']}/{row['label']}/{seat['label']}"),
            seat["label"],
            seat["x"],
            seat["y"],
            seat["category"],
            tuple(f for f in ("accessible", "companion", "obstructed", "aisle") if seat.get(f)),
        )
        for section in detail_or_file["sections"]
        for row in section["rows"]
        for seat in row["seats"]
    ]


def test_the_drawing_is_stored_and_the_detail_returns_it(admin_api):
    layout = drawn_layout()
    summary = _import(admin_api, make_venue(), layout)
    assert summary["drawing"] == _expected_drawing(layout)
    assert Seat.objects.filter(seat_map_id=summary["id"], aisle=True).count() == 6

    detail = admin_api.get(f"/api/v1/seatmaps/{summary['id']}/").json()
    assert detail["drawing"] == _expected_drawing(layout)
    first, second = detail["sections"]
    assert first["outline"] == layout["sections"][0]["outline"]
    assert second["outline"] is None
    row = first["rows"][0]["seats"]
    assert [s["aisle"] for s in row] == [True, False, False, True]
    assert not any(s["aisle"] for r in second["rows"] for s in r["seats"])
    assert detail["areas"][0]["polygon"] == layout["areas"][0]["polygon"]


def test_a_plain_import_has_an_empty_drawing(admin_api):
    layout = drawn_layout()
    for key in ("format", "categories", "decorations"):
        del layout[key]
    del layout["sections"][0]["outline"], layout["areas"][0]["polygon"]
    summary = _import(admin_api, make_venue(), layout)
    assert summary["drawing"] == {
        "categories": [],
        "outlines": {},
        "area_polygons": {},
        "decorations": [],
    }


def test_export_gives_the_file_and_importing_it_gives_the_same_seats(admin_api):
    layout = drawn_layout()
    venue = make_venue()
    original = _import(admin_api, venue, layout)
    r = admin_api.get(f"/api/v1/seatmaps/{original['id']}/export/")
    assert r.status_code == 200, r.content
    assert r["Content-Disposition"] == 'attachment; filename="Hall-Main-v1.enturf.json"'
    exported = r.json()
    assert exported["format"] == "enturf-seatmap/1"
    assert exported["name"] == "Main"
    assert exported["categories"] == layout["categories"]
    assert exported["decorations"] == layout["decorations"]
    assert exported["sections"][0]["outline"] == layout["sections"][0]["outline"]
    assert exported["areas"][0]["polygon"] == layout["areas"][0]["polygon"]
    assert (exported["stage_x"], exported["width"]) == (original["stage_x"], original["width"])

    again = admin_api.post(
        "/api/v1/seatmaps/", {**exported, "venue": venue.pk, "name": "Copy"}, format="json"
    )
    assert again.status_code == 201, again.content
    copy = again.json()
    assert copy["drawing"] == original["drawing"]
    before = admin_api.get(f"/api/v1/seatmaps/{original['id']}/").json()
    after = admin_api.get(f"/api/v1/seatmaps/{copy['id']}/").json()
    assert _seats(after) == _seats(before) == _seats(exported)
    assert len(_seats(after)) == 24


def test_export_in_pretix_format_and_an_unknown_format_is_refused(admin_api):
    seat_map = _import(admin_api, make_venue(), drawn_layout())
    r = admin_api.get(f"/api/v1/seatmaps/{seat_map['id']}/export/?format=pretix")
    assert r.status_code == 200, r.content
    assert r["Content-Disposition"].endswith('.pretix.json"')
    plan = r.json()
    seats = [s for z in plan["zones"] for row in z["rows"] for s in row["seats"]]
    assert len(seats) == 24
    r = admin_api.get(f"/api/v1/seatmaps/{seat_map['id']}/export/?format=svg")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_format"


def test_only_staff_export(client_for, admin_api):
    seat_map = _import(admin_api, make_venue(), drawn_layout())
    customer = user_client("customer", client_for)
    assert customer.get(f"/api/v1/seatmaps/{seat_map['id']}/export/").status_code == 403
    employee = user_client("employee", client_for)
    assert employee.get(f"/api/v1/seatmaps/{seat_map['id']}/export/").status_code == 200


def test_a_new_version_keeps_the_drawing(admin_api):
    layout = drawn_layout()
    first = _import(admin_api, make_venue(), layout)
    r = admin_api.post(f"/api/v1/seatmaps/{first['id']}/new-version/", {}, format="json")
    assert r.status_code == 201, r.content
    second = r.json()
    assert second["version"] == 2 and second["drawing"] == first["drawing"]
    before = admin_api.get(f"/api/v1/seatmaps/{first['id']}/").json()
    after = admin_api.get(f"/api/v1/seatmaps/{second['id']}/").json()
    assert _seats(after) == _seats(before)
    assert after["areas"][0]["polygon"] == before["areas"][0]["polygon"]


def test_replacing_the_layout_replaces_the_drawing(admin_api):
    seat_map = _import(admin_api, make_venue(), drawn_layout())
    layout = drawn_layout()
    layout["categories"] = [{"name": "standard", "colour": "#117733"}]
    layout["decorations"] = []
    r = admin_api.put(f"/api/v1/seatmaps/{seat_map['id']}/", layout, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["drawing"]["categories"] == layout["categories"]
    assert r.json()["drawing"]["decorations"] == []


def _read_all(client, after: str) -> tuple[list[dict], str]:
    changes: list[dict] = []
    while True:
        body = client.get(CHANGES, {"after": after, "limit": 500}).json()
        changes.extend(body["changes"])
        after = body["next"]
        if not body["has_more"]:
            return changes, after


def _seat_map_entry(changes: list[dict], seat_map_id: int) -> dict:
    [entry] = [c for c in changes if c["entity"] == "seatmap" and c["id"] == str(seat_map_id)]
    return entry


def test_the_snapshot_and_the_change_feed_carry_the_drawing_and_aisles(admin_api, make_user):
    _device, token, _key = register_counter("Counter 1")
    pos = pos_client(make_user("cashier", "employee"), token)
    layout = drawn_layout()
    venue = make_venue()
    first = _import(admin_api, venue, layout)

    snapshot, cursor = _read_all(pos, "0")
    entry = _seat_map_entry(snapshot, first["id"])
    parsed = feed.SeatMap.from_wire(entry["data"])  # strict: no unknown field
    assert parsed.drawing == _expected_drawing(layout)
    geometry = entry["data"]["layout"]
    at = geometry["seat_columns"].index("flags")
    flags = [seat[at] for seat in geometry["sections"][0]["rows"][0]["seats"]]
    assert flags == [["aisle"], [], [], ["aisle"]]

    second = _import(admin_api, venue, drawn_layout(), name="Other")
    changes, _ = _read_all(pos, cursor)
    entry = _seat_map_entry(changes, second["id"])
    assert feed.SeatMap.from_wire(entry["data"]).drawing == _expected_drawing(layout)
    assert ChangeLogEntry.objects.filter(entity="seatmap", entity_id=str(second["id"])).exists()
