"""pretix's seating plan format (enturf_core/seatmap_editing/pretix_format.py): a plan
imports with its seats where pretix puts them, both round trips keep the seats, what
is lost is said, and anything else is refused with its problems listed by path.

The plans here are our own, written in the shape of pretix's schema
(`src/pretix/static/seating/seating-plan.schema.json` in pretix's repository)."""

from __future__ import annotations

import copy
import json
import math
import random
from typing import Any

import pytest

from enturf_core import palette
from enturf_core.seatmap_editing import file_format as ff
from enturf_core.seatmap_editing.file_format import SeatMapFileError
from enturf_core.seatmap_editing.pretix_format import from_pretix, to_pretix

# The parts of pretix's seating-plan.schema.json (draft-07) an export must satisfy,
# transcribed by hand from that file in pretix's repository (pretix/pretix,
# src/pretix/static/seating/seating-plan.schema.json): the required fields, the types,
# and additionalProperties false; descriptions and optional fields we never write left out.
_POSITION = {
    "type": "object",
    "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
    "required": ["x", "y"],
    "additionalProperties": False,
}
_TEXT = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "color": {"type": "string"},
        "size": {"type": "integer"},
        "position": _POSITION,
    },
    "required": ["text", "position"],
    "additionalProperties": False,
}
PRETIX_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "zones": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "zone_id": {"type": "string"},
                    "uuid": {"type": "string"},
                    "position": _POSITION,
                    "rows": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "row_number": {"type": "string"},
                                "row_label": {"type": ["string", "null"]},
                                "seat_label": {"type": ["string", "null"]},
                                "uuid": {"type": "string"},
                                "row_number_position": {"enum": ["start", "end", "both", None]},
                                "position": _POSITION,
                                "seats": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "seat_guid": {"type": "string"},
                                            "seat_number": {"type": "string"},
                                            "uuid": {"type": "string"},
                                            "start_direction": {"type": ["string", "null"]},
                                            "radius": {"type": "integer"},
                                            "position": _POSITION,
                                            "category": {"type": "string"},
                                        },
                                        "required": [
                                            "seat_guid",
                                            "seat_number",
                                            "position",
                                            "category",
                                        ],
                                        "additionalProperties": False,
                                    },
                                },
                            },
                            "required": ["seats", "row_number"],
                            "additionalProperties": False,
                        },
                    },
                    "areas": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "color": {"type": "string"},
                                "border_color": {"type": "string"},
                                "rotation": {"type": "number"},
                                "position": _POSITION,
                                "uuid": {"type": "string"},
                                "shape": {
                                    "enum": ["polygon", "rectangle", "ellipse", "circle", "text"]
                                },
                                "polygon": {
                                    "type": "object",
                                    "properties": {"points": {"type": "array", "items": _POSITION}},
                                    "required": ["points"],
                                    "additionalProperties": False,
                                },
                                "rectangle": {
                                    "type": "object",
                                    "properties": {
                                        "width": {"type": "integer"},
                                        "height": {"type": "integer"},
                                    },
                                    "required": ["width", "height"],
                                    "additionalProperties": False,
                                },
                                "ellipse": {
                                    "type": "object",
                                    "properties": {"radius": _POSITION},
                                    "required": ["radius"],
                                    "additionalProperties": False,
                                },
                                "circle": {
                                    "type": "object",
                                    "properties": {"radius": {"type": "integer"}},
                                    "required": ["radius"],
                                    "additionalProperties": False,
                                },
                                "text": _TEXT,
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["position", "rows"],
                "additionalProperties": False,
            },
        },
        "categories": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "color": {"type": "string"}},
                "required": ["name"],
                "additionalProperties": False,
            },
        },
        "size": {
            "type": "object",
            "properties": {"width": {"type": "integer"}, "height": {"type": "integer"}},
            "required": ["width", "height"],
            "additionalProperties": False,
        },
    },
    "required": ["zones", "name", "categories", "size"],
    "additionalProperties": False,
}


def _seat(guid: str, number: str, x: float, category: str, **extra: Any) -> dict[str, Any]:
    return {
        "seat_guid": guid,
        "seat_number": number,
        "position": {"x": x, "y": 0},
        "category": category,
        **extra,
    }


def small_hall() -> dict[str, Any]:
    """A plan as pretix's editor writes one: zones, rows and seats placed relative to
    their parents, a row of one number in two pieces (either side of an aisle), shapes
    of every kind, and a category without a colour."""
    return {
        "name": "Small hall",
        "categories": [
            {"name": "Front", "color": "#AA3300"},
            {"name": "Back", "color": "#0a6"},
            {"name": "Box"},
        ],
        "size": {"width": 800, "height": 600},
        "zones": [
            {
                "name": "Stalls",
                "zone_id": "stalls",
                "uuid": "6f0b6f1e-0000-4000-8000-000000000001",
                "position": {"x": 100, "y": 200},
                "rows": [
                    {
                        "row_number": "1",
                        "row_label": "Row 1",
                        "seat_label": "Seat %s",
                        "position": {"x": 10, "y": 0},
                        "row_number_position": "both",
                        "seats": [
                            _seat("stalls-1-1", "1", 0, "Front", radius=10),
                            _seat("stalls-1-2", "2", 25.5, "Front", start_direction=">"),
                        ],
                    },
                    {
                        "row_number": "1",
                        "position": {"x": 200, "y": 0},
                        "seats": [_seat("stalls-1-3", "3", 0, "Front")],
                    },
                    {
                        "row_number": "2",
                        "position": {"x": 10, "y": 30},
                        "seats": [
                            _seat("stalls-2-1", "1", 0, "Back"),
                            _seat("stalls-2-2", "2", 25, "Back"),
                        ],
                    },
                ],
                "areas": [
                    {
                        "shape": "rectangle",
                        "position": {"x": 0, "y": -150},
                        "rectangle": {"width": 300, "height": 60},
                        "color": "#cccccc",
                        "text": {"text": "STAGE", "position": {"x": 150, "y": 30}},
                    },
                    {
                        "shape": "polygon",
                        "position": {"x": 400, "y": 0},
                        "rotation": 90,
                        "polygon": {
                            "points": [{"x": 0, "y": 0}, {"x": 40, "y": 0}, {"x": 0, "y": 20}]
                        },
                    },
                ],
            },
            {
                "name": "Box",
                "position": {"x": 600, "y": 50},
                "rows": [
                    {
                        "row_number": "A",
                        "seats": [
                            _seat("box-a-1", "1", 0, "Box"),
                            {**_seat("box-a-2", "2", 20, "Box"), "position": {"x": 20, "y": 5.25}},
                        ],
                    }
                ],
                "areas": [
                    {
                        "shape": "rectangle",
                        "position": {"x": 0, "y": 0},
                        "rotation": 90,
                        "rectangle": {"width": 40, "height": 20},
                    },
                    {"shape": "circle", "position": {"x": 50, "y": 50}, "circle": {"radius": 10}},
                    {
                        "shape": "ellipse",
                        "position": {"x": 80, "y": 50},
                        "rotation": 30,
                        "ellipse": {"radius": {"x": 20, "y": 10}},
                    },
                    {
                        "shape": "text",
                        "position": {"x": 0, "y": 100},
                        "text": {"text": "Exit", "position": {"x": 5, "y": 0}, "size": 16},
                    },
                ],
            },
        ],
    }


def _seats_of_file(data: dict[str, Any]) -> dict[str, tuple]:
    """key -> (section, row, label, x, y, category)."""
    return {
        seat.get("key", f"{s['name']}/{r['label']}/{seat['label']}"): (
            s["name"],
            r["label"],
            seat["label"],
            seat["x"],
            seat["y"],
            seat.get("category", "standard"),
        )
        for s in data["sections"]
        for r in s["rows"]
        for seat in r["seats"]
    }


def _seats_of_plan(plan: dict[str, Any]) -> dict[str, tuple]:
    """seat_guid -> (zone, row_number, seat_number, x, y, category), x and y summed as
    pretix sums them."""
    out = {}
    for z in plan["zones"]:
        for r in z["rows"]:
            rpos = r.get("position", {"x": 0, "y": 0})
            for s in r["seats"]:
                x = z["position"]["x"] + rpos["x"] + s["position"]["x"]
                y = z["position"]["y"] + rpos["y"] + s["position"]["y"]
                out[s["seat_guid"]] = (
                    z["name"],
                    r["row_number"],
                    s["seat_number"],
                    x,
                    y,
                    s["category"],
                )
    return out


def test_a_pretix_plan_imports_with_its_seats_where_pretix_puts_them():
    data, warnings = from_pretix(small_hall())
    layout = ff.parse_file(data)
    assert data["name"] == "Small hall" and (data["width"], data["height"]) == (800, 600)
    assert [s.name for s in layout.sections] == ["Stalls", "Box"]
    stalls = layout.sections[0]
    assert [r.label for r in stalls.rows] == ["1", "2"]  # the two pieces of row 1 are one row
    assert [(s.key, s.label, s.x, s.y) for s in stalls.rows[0].seats] == [
        ("stalls-1-1", "1", 110.0, 200.0),
        ("stalls-1-2", "2", 135.5, 200.0),
        ("stalls-1-3", "3", 300.0, 200.0),
    ]
    assert _seats_of_file(data) == _seats_of_plan(small_hall())
    assert layout.drawing["categories"] == [
        {"name": "Front", "colour": "#AA3300"},
        {"name": "Back", "colour": "#00aa66"},
        {"name": "Box", "colour": palette.CATEGORY_COLOURS[2]},  # none: the palette's third
    ]

    stage, wedge, box, circle, ellipse, label = layout.drawing["decorations"]
    assert stage == {
        "kind": "stage",
        "points": [[100.0, 50.0], [400.0, 50.0], [400.0, 110.0], [100.0, 110.0]],
        "text": "STAGE",
        "rotation": 0.0,
    }
    assert (data["stage_x"], data["stage_y"]) == (250.0, 80.0)  # the stage's centre
    # turned 90 degrees clockwise about its position: (40, 0) goes to (0, 40)
    assert wedge["kind"] == "polygon" and wedge["rotation"] == 0
    assert _rounded(wedge["points"]) == [[500, 200], [500, 240], [480, 200]]
    # a rectangle turned about its corner is a box turned about its centre
    assert box["kind"] == "rect" and box["rotation"] == 90
    assert _rounded(box["points"]) == [[570, 60], [610, 80]]
    assert circle == {
        "kind": "ellipse",
        "points": [[640.0, 90.0], [660.0, 110.0]],
        "text": "",
        "rotation": 0.0,
    }
    assert ellipse["points"] == [[660.0, 90.0], [700.0, 110.0]] and ellipse["rotation"] == 30
    assert label == {"kind": "label", "points": [[605.0, 150.0]], "text": "Exit", "rotation": 0.0}

    said = "\n".join(warnings)
    for lost in ("row_label", "seat_label", "radius", "start_direction", "color"):
        assert lost in said


def _rounded(points: list[list[float]]) -> list[list[float]]:
    return [[round(x, 9) + 0.0, round(y, 9) + 0.0] for x, y in points]


def test_exported_back_to_pretix_every_seat_is_the_same():
    plan = small_hall()
    data, _ = from_pretix(plan)
    again = to_pretix(data)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(again, PRETIX_SCHEMA)
    assert _seats_of_plan(again) == _seats_of_plan(plan)
    assert again["categories"] == [
        {"name": "Front", "color": "#AA3300"},
        {"name": "Back", "color": "#00aa66"},
        {"name": "Box", "color": palette.CATEGORY_COLOURS[2]},
    ]
    assert again["size"] == {"width": 800, "height": 600}
    # the shapes come back where they were
    data_again, _ = from_pretix(again)
    assert _decorations(data_again) == _decorations(data)
    assert (data_again["stage_x"], data_again["stage_y"]) == (data["stage_x"], data["stage_y"])


def _decorations(data: dict[str, Any]) -> list[tuple]:
    return [
        (d["kind"], _rounded(d["points"]), d["text"], round(d["rotation"], 9))
        for d in ff.parse_file(data).drawing["decorations"]
    ]


def enturf_theatre() -> dict[str, Any]:
    return {
        "format": "enturf-seatmap/1",
        "name": "Theatre",
        "stage_x": 500,
        "stage_y": 60,
        "width": 1000.5,
        "height": 700,
        "categories": [{"name": "premium", "colour": "#B03A2E"}],
        "sections": [
            {
                "name": "Stalls",
                "rank": 1,
                "outline": [[380, 80], [640, 80], [640, 300], [380, 300]],
                "rows": [
                    {
                        "label": "A",
                        "seats": [
                            {"label": "1", "x": 410.5, "y": 100.1, "category": "premium"},
                            {"label": "2", "x": 421.25, "y": 100.1, "accessible": True},
                            {"key": "a-3", "label": "3", "x": 433, "y": 101, "aisle": True},
                        ],
                    }
                ],
            },
            {
                "name": "Circle",
                "rows": [{"label": "AA", "seats": [{"label": "7", "x": 0.1, "y": 0.2}]}],
            },
        ],
        "areas": [
            {"name": "Floor", "capacity": 2000, "x": 800, "y": 420, "width": 600, "height": 560},
            {"name": "Pit", "capacity": 50, "polygon": [[0, 0], [30, 0], [15, 20]]},
        ],
        "decorations": [
            {"kind": "stage", "points": [[300, 0], [700, 0], [700, 50], [300, 50]]},
            {"kind": "label", "points": [[120, 40]], "text": "Exit", "rotation": 15},
            {"kind": "rect", "points": [[10, 10], [50, 30]], "text": "Bar", "rotation": 30},
            {"kind": "ellipse", "points": [[10, 10], [50, 30]], "rotation": 45},
            {"kind": "polygon", "points": [[0, 0], [10, 0], [10, 10]], "text": "Ramp"},
            {"kind": "line", "points": [[0, 500], [100, 500]]},
        ],
    }


def test_an_enturf_file_exported_and_imported_gives_the_same_seats():
    warnings: list[str] = []
    plan = to_pretix(enturf_theatre(), warnings=warnings)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(plan, PRETIX_SCHEMA)
    json.dumps(plan)  # plain JSON
    back, _ = from_pretix(plan)
    assert _seats_of_file(back) == _seats_of_file(enturf_theatre()) | {
        "Stalls/A/2": ("Stalls", "A", "2", 421.25, 100.1, "standard")
    }
    assert plan["size"] == {"width": 1001, "height": 700}
    assert {c["name"] for c in plan["categories"]} == {"premium", "standard"}

    said = "\n".join(warnings)
    assert "'accessible' on 1 seat" in said and "'aisle' on 1 seat" in said
    assert "'Floor' (2,000 places)" in said and "'Pit' (50 places)" in said
    assert "ranks of 1 section" in said and "1 line" in said

    # decorations come back where they were (the line as a closed polygon); outlines and
    # standing areas come back as shapes
    kept = _decorations(back)
    original = _decorations(enturf_theatre())
    assert kept[-6:] == [(k, p, "Stage" if k == "stage" else t, r) for k, p, t, r in original]
    assert ("polygon", [[380, 80], [640, 80], [640, 300], [380, 300]], "", 0) in kept
    assert ("rect", [[800, 420], [1400, 980]], "Floor (2,000 standing)", 0) in kept
    assert (back["stage_x"], back["stage_y"]) == (500, 25)  # the stage's centre


def test_a_plan_that_is_not_pretix_shaped_is_refused_with_its_problems():
    with pytest.raises(SeatMapFileError) as refused:
        from_pretix(enturf_theatre())
    assert [p.path for p in refused.value.problems] == ["zones", "zones"]
    assert "looks like an Enturf seat-map file" in refused.value.message

    plan = small_hall()
    seats = plan["zones"][0]["rows"][0]["seats"]
    del seats[0]["seat_guid"]
    seats[1]["position"] = {"x": "25", "y": 0}
    plan["zones"][1]["rows"][0]["row_number"] = None
    plan["zones"][1]["areas"][0]["shape"] = "star"
    with pytest.raises(SeatMapFileError) as refused:
        from_pretix(plan)
    assert [p.path for p in refused.value.problems] == [
        "zones[0].rows[0].seats[0].seat_guid",
        "zones[0].rows[0].seats[1].position.x",
        "zones[1].areas[0].shape",
        "zones[1].rows[0].row_number",
    ]
    assert refused.value.path == "zones[0].rows[0].seats[0].seat_guid"
    assert refused.value.message.startswith("This is not a pretix seating plan")
    assert "and 3 more problems" in refused.value.message

    for junk in (None, [], "plan", 3, {"zones": "all"}):
        with pytest.raises(SeatMapFileError):
            from_pretix(junk)


def test_what_enturf_cannot_hold_is_refused_by_the_plans_path():
    plan = small_hall()
    plan["zones"][1]["rows"][0]["seats"][1]["seat_number"] = "1"
    plan["zones"][0]["rows"][2]["seats"][0]["seat_guid"] = "g" * 65
    with pytest.raises(SeatMapFileError) as refused:
        from_pretix(plan)
    assert [p.path for p in refused.value.problems] == [
        "zones[0].rows[2].seats[0].seat_guid",
        "zones[1].rows[0].seats[1].seat_number",
    ]
    assert "at most 64" in refused.value.problems[0].message
    assert "used twice" in refused.value.problems[1].message


def test_a_bad_enturf_file_is_not_exported():
    data = enturf_theatre()
    data["sections"][0]["rows"][0]["seats"][0]["x"] = "left"
    with pytest.raises(SeatMapFileError) as refused:
        to_pretix(data)
    assert refused.value.path == "sections[0].rows[0].seats[0].x"


def test_no_mangled_plan_ends_in_a_traceback():
    rng = random.Random(14)
    junk = [None, "", "x", -1, 1.5, math.inf, True, [], {}, [1], {"x": 1}]
    for _ in range(300):
        plan = copy.deepcopy(small_hall())
        for _ in range(rng.randint(1, 3)):
            parent, key = _random_place(plan, rng)
            parent[key] = rng.choice(junk)
        try:
            data, _ = from_pretix(plan)
        except SeatMapFileError as refused:
            assert refused.problems and all(p.path is not None for p in refused.problems)
        else:
            ff.parse_file(data)
            to_pretix(data)


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
