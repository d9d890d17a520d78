"""Enturf's seat-map file (enturf_core/seatmap_editing/file_format.py): a whole file with
every drawing addition parses and writes back the same, each bad value is refused with
its JSON path, and problems() lists them all for the import dialog."""

from __future__ import annotations

import copy
import json
import math
import random
from typing import Any

import pytest

from enturf_core.seatmap_editing import file_format as ff
from enturf_core.seatmap_editing.file_format import FileProblem, SeatMapFileError


def theatre() -> dict[str, Any]:
    """The example of docs/seat-map.md, "File format", with a second seat and row."""
    return {
        "format": "enturf-seatmap/1",
        "name": "Main layout",
        "stage_x": 500,
        "stage_y": 60,
        "width": 1000,
        "height": 700,
        "categories": [
            {"name": "premium", "colour": "#B03A2E"},
            {"name": "standard", "colour": "#1f5fbf"},
        ],
        "sections": [
            {
                "name": "Stalls",
                "rank": 1,
                "outline": [[380, 80], [640, 80], [640, 300], [380, 300]],
                "rows": [
                    {
                        "label": "A",
                        "seats": [
                            {
                                "label": "1",
                                "x": 410.5,
                                "y": 100.0,
                                "category": "premium",
                                "aisle": True,
                            },
                            {
                                "label": 2,
                                "x": 421,
                                "y": 100,
                                "category": "premium",
                                "accessible": True,
                            },
                        ],
                    },
                    {
                        "label": "B",
                        "seats": [
                            {
                                "key": "b-1",
                                "label": "1",
                                "x": 410.5,
                                "y": 112.0,
                                "obstructed": True,
                            },
                        ],
                    },
                ],
            }
        ],
        "areas": [
            {
                "name": "Floor Standing",
                "capacity": 2000,
                "x": 800,
                "y": 420,
                "width": 600,
                "height": 560,
                "polygon": [[800, 420], [1400, 420], [1300, 980], [800, 980]],
            }
        ],
        "decorations": [
            {
                "kind": "stage",
                "points": [[300, 0], [700, 0], [700, 50], [300, 50]],
                "text": "Stage",
            },
            {"kind": "label", "points": [[120, 40]], "text": "Exit", "rotation": 0},
            {"kind": "ellipse", "points": [[10, 10], [50, 30]], "rotation": 45},
        ],
    }


def test_a_whole_file_parses_with_its_drawing():
    layout = ff.parse_file(theatre())
    (stalls,) = layout.sections
    assert (stalls.name, stalls.rank, [r.label for r in stalls.rows]) == ("Stalls", 1, ["A", "B"])
    first, second = stalls.rows[0].seats
    assert (first.key, first.label, first.x, first.aisle, first.accessible) == (
        "Stalls/A/1",
        "1",
        410.5,
        True,
        False,
    )
    assert (second.label, second.x, type(second.x), second.category, second.accessible) == (
        "2",
        421.0,
        float,
        "premium",
        True,
    )
    other = stalls.rows[1].seats[0]
    assert (other.key, other.category, other.obstructed, other.aisle) == (
        "b-1",
        "standard",
        True,
        False,
    )
    assert layout.seat_count == 3
    (floor,) = layout.areas
    assert (floor.name, floor.capacity, floor.width) == ("Floor Standing", 2000, 600)
    assert layout.drawing == {
        "categories": [
            {"name": "premium", "colour": "#B03A2E"},
            {"name": "standard", "colour": "#1f5fbf"},
        ],
        "outlines": {"Stalls": [[380.0, 80.0], [640.0, 80.0], [640.0, 300.0], [380.0, 300.0]]},
        "area_polygons": {
            "Floor Standing": [[800.0, 420.0], [1400.0, 420.0], [1300.0, 980.0], [800.0, 980.0]]
        },
        "decorations": [
            {
                "kind": "stage",
                "points": [[300.0, 0.0], [700.0, 0.0], [700.0, 50.0], [300.0, 50.0]],
                "text": "Stage",
                "rotation": 0.0,
            },
            {"kind": "label", "points": [[120.0, 40.0]], "text": "Exit", "rotation": 0.0},
            {
                "kind": "ellipse",
                "points": [[10.0, 10.0], [50.0, 30.0]],
                "text": "",
                "rotation": 45.0,
            },
        ],
    }
    assert ff.problems(theatre()) == []


def test_a_plain_import_format_file_is_a_valid_draft():
    plain = {
        "name": "Hall",
        "sections": [
            {"name": "S", "rows": [{"label": "1", "seats": [{"label": "1", "x": 0, "y": 0}]}]}
        ],
    }
    layout = ff.parse_file(plain)
    assert layout.drawing == ff.empty_drawing()
    assert layout.sections[0].rows[0].seats[0].category == "standard"


def test_written_back_it_reads_the_same():
    layout = ff.parse_file(theatre())
    written = ff.layout_to_file(
        layout, name="Main layout", stage_x=500, stage_y=60, width=1000, height=700
    )
    again = ff.parse_file(json.loads(json.dumps(written)))
    assert again == layout
    seat = written["sections"][0]["rows"][0]["seats"][0]
    assert seat == {"label": "1", "x": 410.5, "y": 100.0, "category": "premium", "aisle": True}
    assert written["sections"][0]["rows"][1]["seats"][0]["key"] == "b-1"  # not the default


def test_an_area_polygon_gives_the_box_when_none_is_written():
    data = {"areas": [{"name": "Pit", "capacity": 50, "polygon": [[10, 20], [110, 20], [60, 90]]}]}
    (pit,) = ff.parse_layout(data).areas
    assert (pit.x, pit.y, pit.width, pit.height) == (10, 20, 100, 70)


def _edit(path: list[Any], value: Any) -> dict[str, Any]:
    data = theatre()
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


S0 = ["sections", 0]
SEAT = [*S0, "rows", 0, "seats", 0]


@pytest.mark.parametrize(
    ("edit", "path", "words"),
    [
        (_edit(["format"], "pretix"), "format", "is not 'enturf-seatmap/1'"),
        (_edit(["categories", 1, "colour"], "blue"), "categories[1].colour", "#RRGGBB"),
        (_edit(["categories", 1, "name"], "premium"), "categories[1].name", "listed twice"),
        (_edit(["categories", 0, "price"], 10), "categories[0]", "unknown field price"),
        (_edit([*S0, "outline"], [[0, 0], [1, 1]]), "sections[0].outline", "at least 3"),
        (_edit([*S0, "outline"], [[0, 0], [1, 1], [2]]), "sections[0].outline[2]", "[x, y]"),
        (
            _edit([*S0, "outline"], [[0, 0], [1, 1], [2, "2"]]),
            "sections[0].outline[2][1]",
            "number",
        ),
        (_edit([*SEAT, "aisle"], "yes"), "sections[0].rows[0].seats[0].aisle", "true or false"),
        (_edit([*SEAT, "x"], "12.5"), "sections[0].rows[0].seats[0].x", "not str '12.5'"),
        (_edit([*SEAT, "label"], "2"), "sections[0].rows[0].seats[1].label", "used twice"),
        (_edit(["areas", 0, "polygon"], [[0, 0]]), "areas[0].polygon", "at least 3"),
        (_edit(["decorations", 0, "kind"], "tree"), "decorations[0].kind", "one of stage, label"),
        (
            _edit(["decorations", 2, "points"], [[0, 0], [1, 1], [2, 2]]),
            "decorations[2].points",
            "two points",
        ),
        (_edit(["decorations", 1, "points"], []), "decorations[1].points", "must not be empty"),
        (_edit(["decorations", 1, "text"], "x" * 201), "decorations[1].text", "at most 200"),
        (_edit(["decorations", 1, "rotation"], "90"), "decorations[1].rotation", "number"),
        (_edit(["width"], -1), "width", "at least 0"),
        (_edit(["colour"], "red"), "", "unknown field colour"),
    ],
)
def test_each_bad_value_is_refused_with_its_path(edit, path, words):
    with pytest.raises(SeatMapFileError) as refused:
        ff.parse_file(edit)
    assert refused.value.path == path
    assert words in refused.value.message
    assert refused.value.code == "invalid_seat_map"
    assert refused.value.details == {"path": path}
    assert ff.problems(edit) == [FileProblem(path, refused.value.message)]


def test_the_layout_check_leaves_the_maps_own_fields_to_the_caller():
    data = theatre() | {"venue": 3, "colour": "red", "width": -1}
    assert ff.parse_layout(data).seat_count == 3
    with pytest.raises(SeatMapFileError):
        ff.parse_file(data)


def test_messages_name_the_seat():
    data = _edit([*SEAT, "x"], "12.5")
    with pytest.raises(SeatMapFileError) as refused:
        ff.parse_layout(data)
    assert refused.value.message == (
        "section 'Stalls', row 'A', seat '1': must be a number, not str '12.5'"
    )


def test_problems_lists_every_problem_in_file_order_up_to_a_cap():
    data = theatre()
    data["categories"][0]["colour"] = "red"
    seats = data["sections"][0]["rows"][0]["seats"]
    seats[0]["x"] = None
    seats[1]["label"] = "1"
    data["sections"][0]["rows"][1]["label"] = "A"
    data["areas"][0]["capacity"] = 0
    data["decorations"][0]["kind"] = "tree"
    found = ff.problems(data)
    assert [p.path for p in found] == [
        "categories[0].colour",
        "sections[0].rows[0].seats[0].x",
        "sections[0].rows[1].label",
        "areas[0].capacity",
        "decorations[0].kind",
    ]
    # seat '1' with x missing is skipped, so the second seat '1' is the first of its label
    assert (
        found[1].message == "section 'Stalls', row 'A', seat '1': is missing (a number is needed)"
    )

    many = copy.deepcopy(theatre())
    many["sections"][0]["rows"][0]["seats"] = [
        {"label": str(n), "x": "far", "y": 0} for n in range(1, 200)
    ]
    assert len(ff.problems(many)) == ff.MAX_PROBLEMS
    assert len(ff.problems(many, limit=5)) == 5


def test_not_an_object_and_no_seats():
    assert ff.problems([1, 2]) == [FileProblem("", "seat map: must be a JSON object, not list")]
    assert ff.problems({"sections": []})[0].path == "sections"
    with pytest.raises(SeatMapFileError) as refused:
        ff.parse_layout({"sections": None})
    assert "at least one section" in refused.value.message


def test_too_many_seats():
    with pytest.raises(SeatMapFileError) as refused:
        ff.parse_layout(theatre(), max_seats=2)
    assert refused.value.code == "seat_map_too_large"
    assert refused.value.details == {"path": "sections[0].rows[1].seats", "limit": 2}


def test_no_mangled_file_ends_in_a_traceback():
    rng = random.Random(14)
    junk = [None, "", "x", -1, 1e300, math.nan, True, [], {}, [1], {"x": 1}, [[1, 2]], "a" * 300]
    for _ in range(500):
        data = theatre()
        for _ in range(rng.randint(1, 3)):
            parent, key = _random_place(data, rng)
            parent[key] = copy.deepcopy(rng.choice(junk))
        found = ff.problems(data)
        try:
            ff.parse_file(data)
        except SeatMapFileError as refused:
            assert found and found[0] == FileProblem(refused.path, refused.message)
        else:
            assert found == []


def _random_place(node: Any, rng: random.Random) -> tuple[Any, Any]:
    """A random (container, key) inside `node`."""
    while True:
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        key = rng.choice(keys)
        child = node[key]
        if isinstance(child, dict | list) and child and rng.random() < 0.75:
            node = child
            continue
        return node, key
