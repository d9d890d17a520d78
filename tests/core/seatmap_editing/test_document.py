"""The editor's document (enturf_core.seatmap_editing.document): the docs/seat-map.md file
format both ways, lookups by uid, and the cashier's layout built from it."""

from __future__ import annotations

import copy
import json

from support.seat_map_fixtures import theatre_seat_map
from support.seatmap_documents import theatre_document

from enturf_core import palette
from enturf_core.seating.layout import ACCESSIBLE, AISLE, COMPANION, SeatMapLayout
from enturf_core.seatmap_editing import edits, file_format
from enturf_core.seatmap_editing.document import Category, SeatMapDocument

# the example of docs/seat-map.md "File format", with a second seat and a key
EXAMPLE = {
    "format": "enturf-seatmap/1",
    "name": "Main layout",
    "stage_x": 500,
    "stage_y": 60,
    "width": 1000,
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
                        {
                            "label": "1",
                            "x": 410.5,
                            "y": 100.0,
                            "category": "premium",
                            "aisle": True,
                        },
                        {
                            "key": "stalls-a-2",
                            "label": "2",
                            "x": 421.5,
                            "y": 100.2,
                            "category": "premium",
                            "accessible": True,
                            "companion": True,
                        },
                    ],
                }
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
        },
        {"name": "Bar", "capacity": 40, "x": 10, "y": 20, "width": 30, "height": 40},
    ],
    "decorations": [
        {
            "kind": "stage",
            "points": [[300, 0], [700, 0], [700, 50], [300, 50]],
            "text": "Stage",
        },
        {"kind": "label", "points": [[120, 40]], "text": "Exit", "rotation": 15},
    ],
}


def test_the_file_format_round_trips():
    doc = SeatMapDocument.from_file_dict(copy.deepcopy(EXAMPLE))
    assert doc.to_file_dict() == EXAMPLE
    assert json.loads(json.dumps(doc.to_file_dict())) == EXAMPLE
    again = SeatMapDocument.from_file_dict(doc.to_file_dict())
    assert again.to_file_dict() == EXAMPLE


def test_what_the_file_holds_is_read():
    doc = SeatMapDocument.from_file_dict(EXAMPLE)
    (stalls,) = doc.sections.values()
    first, second = stalls.rows[0].seats
    assert (first.flags, first.key) == (AISLE, "")
    assert (second.flags, second.key) == (ACCESSIBLE | COMPANION, "stalls-a-2")
    assert stalls.rank == 1 and stalls.outline == ((380, 80), (640, 80), (640, 300), (380, 300))
    floor, bar = doc.areas.values()
    assert floor.bbox == (800, 420, 1400, 980) and not floor.is_rectangle
    assert bar.points == ((10, 20), (40, 20), (40, 60), (10, 60)) and bar.is_rectangle
    assert doc.categories == (Category("premium", "#B03A2E"),)
    assert [d.kind for d in doc.decorations.values()] == ["stage", "label"]


def test_a_plain_import_file_is_a_document_and_optional_fields_stay_out():
    plain = {
        "name": "Hall",
        "sections": [
            {"name": "S", "rows": [{"label": "A", "seats": [{"label": "1", "x": 1, "y": 2}]}]}
        ],
    }
    out = SeatMapDocument.from_file_dict(plain).to_file_dict()
    assert out == {
        "format": "enturf-seatmap/1",
        "name": "Hall",
        "stage_x": 0,
        "stage_y": 0,
        "categories": [],
        "sections": [
            {
                "name": "S",
                "rows": [
                    {
                        "label": "A",
                        "seats": [{"label": "1", "x": 1, "y": 2, "category": "standard"}],
                    }
                ],
            }
        ],
        "areas": [],
        "decorations": [],
    }


def test_the_servers_detail_shape_reads_too():
    data = theatre_seat_map()
    doc = SeatMapDocument.from_file_dict(data)
    assert doc.seat_count == sum(
        len(row["seats"]) for section in data["sections"] for row in section["rows"]
    )
    seat = data["sections"][0]["rows"][0]["seats"][0]
    assert next(doc.seats()).key == seat["key"]


def test_every_part_has_its_own_uid_and_lookups_find_it():
    doc = theatre_document()
    uids = [s.uid for s in doc.seats()]
    uids += [r.uid for section in doc.sections.values() for r in section.rows]
    uids += [*doc.sections, *doc.areas, *doc.decorations]
    assert len(uids) == len(set(uids)) and max(uids) < doc.next_uid
    for section in doc.sections.values():
        row = section.rows[-1]
        seat = row.seats[-1]
        assert doc.seat(seat.uid) is seat
        assert doc.section_of_seat(seat.uid) is section
        assert doc.row_of_seat(seat.uid) is row
        assert doc.row(row.uid) is row and doc.section_of_row(row.uid) is section
    assert doc.section_named("Circle") is not None and doc.section_named("Pit") is None
    assert doc.unique_section_name("Circle") == "Circle 2"
    assert doc.unique_section_name("Gallery") == "Gallery"


def test_new_categories_take_palette_colours():
    doc = theatre_document()
    assert [c.colour for c in doc.categories] == list(palette.CATEGORY_COLOURS[:3])
    assert doc.next_category_colour() == palette.CATEGORY_COLOURS[3]
    assert doc.category_colour("premium") == palette.CATEGORY_COLOURS[0]


def test_the_layout_is_what_the_server_would_send():
    """to_layout agrees with SeatMapLayout.from_api on the same map with ids = uids."""
    doc = theatre_document()
    layout = doc.to_layout()
    detail = doc.to_file_dict()
    for section, doc_section in zip(detail["sections"], doc.sections.values(), strict=True):
        section["id"] = doc_section.uid
        for row, doc_row in zip(section["rows"], doc_section.rows, strict=True):
            row["id"] = doc_row.uid
            for seat, doc_seat in zip(row["seats"], doc_row.seats, strict=True):
                seat["id"] = doc_seat.uid
    for area, uid in zip(detail["areas"], doc.areas, strict=True):
        area["id"] = uid
    expected = SeatMapLayout.from_api(detail)
    for name in (
        "ids",
        "xs",
        "ys",
        "row_of",
        "section_of",
        "category_of",
        "flags",
        "labels",
        "keys",
    ):
        assert getattr(layout, name) == getattr(expected, name), name
    assert layout.sections == expected.sections
    assert layout.rows == expected.rows
    assert layout.areas == expected.areas
    assert layout.categories == expected.categories
    assert (layout.stage_x, layout.stage_y, layout.width, layout.height) == (500, 60, 1000, 760)
    assert layout.index_of == expected.index_of
    assert layout.seat(layout.index(next(doc.seats()).uid)).accessible
    assert doc.to_layout() is layout  # cached until the document changes


def test_the_drawing_is_what_the_feed_carries():
    doc = SeatMapDocument.from_file_dict(EXAMPLE)
    assert doc.drawing() == {
        "categories": EXAMPLE["categories"],
        "outlines": {"Stalls": EXAMPLE["sections"][0]["outline"]},
        "area_polygons": {"Floor Standing": EXAMPLE["areas"][0]["polygon"]},
        "decorations": EXAMPLE["decorations"],
    }


def test_a_snapshot_stays_as_it_was_while_the_document_is_edited():
    doc = theatre_document()
    snap = doc.snapshot()
    before = doc.to_file_dict()
    edit = edits.delete(doc, edits.Selection.everything(doc))
    edits.apply(doc, edit)
    assert doc.seat_count == 0 and not doc.sections
    assert snap.to_file_dict() == before
    seat = next(snap.seats())
    assert snap.seat(seat.uid) is seat and snap.seat_count == 888


def test_what_the_document_writes_passes_the_file_checker():
    """to_file_dict is a valid file (enturf_core.seatmap_editing.file_format, the one
    checker of the server and the editor), and the checker's own writing of it reads
    back into the same document."""
    doc = theatre_document()
    edits.apply(
        doc,
        edits.set_flags(
            doc, edits.Selection.of_rows(doc, [doc.section_named("Circle").rows[0].uid]), AISLE
        ),
    )
    data = doc.to_file_dict()
    assert file_format.problems(data) == []
    layout = file_format.parse_file(data)
    written = file_format.layout_to_file(
        layout,
        name=doc.name,
        stage_x=doc.stage_x,
        stage_y=doc.stage_y,
        width=doc.width,
        height=doc.height,
    )
    assert SeatMapDocument.from_file_dict(written).to_file_dict() == data


def test_a_document_made_from_parts_hands_out_new_uids():
    doc = theatre_document()
    rebuilt = SeatMapDocument(sections=dict(doc.sections), areas=dict(doc.areas))
    assert rebuilt.seat_count == doc.seat_count
    taken = {s.uid for s in doc.seats()} | set(doc.sections) | set(doc.areas)
    assert rebuilt.new_uid() not in taken
