"""Reversible edits (enturf_core.seatmap_editing.edits): each one changes what it says,
reverting it gives back exactly the document before (its file dict, and the very
objects), and applying it again gives the same result as the first time."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import pytest
from support.seatmap_documents import theatre_document

from enturf_core import palette
from enturf_core.seating.layout import ACCESSIBLE, AISLE, COMPANION, OBSTRUCTED
from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.document import Area, SeatMapDocument
from enturf_core.seatmap_editing.edits import Selection
from enturf_core.seatmap_editing.generate import CURVED, SectionSpec, generate_section
from enturf_core.seatmap_editing.numbering import RIGHT_TO_LEFT, ROW_NUMBERS, RowScheme, SeatScheme


def _section(doc: SeatMapDocument, name: str):
    section = doc.section_named(name)
    assert section is not None
    return section


def _row_seats(doc: SeatMapDocument, section: str, row: int = 0) -> Selection:
    return Selection.of(seats=[s.uid for s in _section(doc, section).rows[row].seats])


def _consistent(doc: SeatMapDocument) -> None:
    """The document's seat and row index agrees with its sections."""
    count = 0
    for section in doc.sections.values():
        for row in section.rows:
            assert row.seats, "no empty rows"
            assert doc.section_of_row(row.uid) is section
            for seat in row.seats:
                assert doc.seat(seat.uid) is seat
                assert doc.section_of_seat(seat.uid) is section
                count += 1
    assert doc.seat_count == count


def _add_stalls_copy(doc):
    spec = SectionSpec("Stalls", rows=3, seats_per_row=5, origin=(900, 300), category="box")
    return edits.add_section(doc, generate_section(spec, doc.new_uid))


EDITS: dict[str, Callable[[SeatMapDocument], edits.Edit | None]] = {
    "add a section": _add_stalls_copy,
    "delete some seats": lambda d: edits.delete(
        d,
        Selection.of(
            seats=[s.uid for s in _section(d, "Stalls").rows[3].seats[:3]]
            + [s.uid for s in _section(d, "Stalls").rows[4].seats]
        ),
    ),
    "delete a section, an area and a shape": lambda d: edits.delete(
        d,
        Selection.of(
            sections=[_section(d, "Circle").uid],
            areas=list(d.areas),
            decorations=list(d.decorations)[:1],
        ),
    ),
    "move": lambda d: edits.move(d, Selection.everything(d), 12.5, -3),
    "move seats on a grid": lambda d: edits.move(d, _row_seats(d, "Circle", 2), 7, 7, grid=5),
    "rotate": lambda d: edits.rotate(
        d, Selection.of(sections=[_section(d, "Balcony Left").uid], decorations=d.decorations), 33
    ),
    "mirror": lambda d: edits.mirror(d, Selection.of(sections=[_section(d, "Stalls").uid])),
    "mirror upside down": lambda d: edits.mirror(d, Selection.everything(d), edits.VERTICAL),
    "duplicate": lambda d: edits.duplicate(
        d,
        Selection.of(sections=[_section(d, "Circle").uid], areas=d.areas)
        | _row_seats(d, "Stalls", 1),
    ),
    "paint": lambda d: edits.paint(d, _row_seats(d, "Stalls", 5), "standard"),
    "paint a new category": lambda d: edits.paint(d, Selection.everything(d), "gala"),
    "set flags": lambda d: edits.set_flags(d, _row_seats(d, "Circle"), OBSTRUCTED | AISLE),
    "clear flags": lambda d: edits.clear_flags(d, Selection.everything(d), ACCESSIBLE),
    "renumber": lambda d: edits.renumber(
        d, _row_seats(d, "Stalls", 2), SeatScheme(order=RIGHT_TO_LEFT)
    ),
    "relabel rows": lambda d: edits.relabel_rows(
        d, Selection.of(sections=[_section(d, "Circle").uid]), RowScheme(style=ROW_NUMBERS)
    ),
    "add an area": lambda d: edits.add_area(d, "Bar", 30, [(0, 0), (50, 0), (25, 40)]),
    "edit an area": lambda d: edits.edit_area(d, next(iter(d.areas)), capacity=0, name="Pit"),
    "add a shape": lambda d: edits.add_decoration(d, "ellipse", [(0, 0), (40, 20)]),
    "edit a shape": lambda d: edits.edit_decoration(
        d, next(iter(d.decorations)), text="Stage (extended)", rotation=3
    ),
    "set the stage": lambda d: edits.set_stage(d, 480, 75.5),
    "map properties": lambda d: edits.set_properties(d, name="Theatre 2", width=None),
    "rename a section": lambda d: edits.rename_section(d, _section(d, "Circle").uid, "Dress"),
    "rank a section": lambda d: edits.set_section_rank(d, _section(d, "Circle").uid, None),
    "rename a row": lambda d: edits.rename_row(d, _section(d, "Circle").rows[0].uid, "AA"),
    "set an outline": lambda d: edits.set_outline(d, _section(d, "Circle").uid, None),
    "redraw outlines": lambda d: edits.redraw_outlines(d, [_section(d, "Stalls").uid]),
    "add a category": lambda d: edits.set_category(d, "vip"),
    "recolour a category": lambda d: edits.set_category(d, "premium", palette.CATEGORY_COLOURS[5]),
    "remove a category": lambda d: edits.remove_category(d, "economy"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_is_undone_exactly_and_redone_the_same(name):
    doc = theatre_document()
    before = doc.to_file_dict()
    sections, areas, decorations = dict(doc.sections), dict(doc.areas), dict(doc.decorations)
    edit = EDITS[name](doc)
    assert edit is not None and edit.text
    assert doc.to_file_dict() == before  # making an edit changes nothing
    edits.apply(doc, edit)
    after = doc.to_file_dict()
    assert after != before
    _consistent(doc)
    edits.revert(doc, edit)
    assert doc.to_file_dict() == before
    _consistent(doc)
    for mine, old in ((doc.sections, sections), (doc.areas, areas), (doc.decorations, decorations)):
        assert list(mine) == list(old)
        assert all(mine[uid] is old[uid] for uid in old)  # the very same objects
    edits.apply(doc, edit)
    assert doc.to_file_dict() == after
    _consistent(doc)


def test_a_stack_of_edits_undoes_in_reverse_order():
    doc = theatre_document()
    start = doc.to_file_dict()
    done = []
    # the circle keeps its name and stays until the end: the later edits look for it
    names = [n for n in EDITS if n != "rename a section" and not n.startswith("delete a sec")]
    for name in [*names, "rename a section"]:
        edit = EDITS[name](doc)
        if edit is not None:
            edits.apply(doc, edit)
            done.append(edit)
    assert len(done) > 20
    _consistent(doc)
    for edit in reversed(done):
        edits.revert(doc, edit)
    assert doc.to_file_dict() == start
    _consistent(doc)


def test_edits_that_change_nothing_are_none():
    doc = theatre_document()
    stalls = _section(doc, "Stalls")
    premium = Selection.of(sections=[stalls.uid])
    empty = Selection()
    assert edits.paint(doc, premium, "premium") is None
    assert edits.move(doc, premium, 0, 0) is None
    assert edits.rotate(doc, premium, 360) is None
    assert edits.rotate(doc, empty, 10) is None
    assert edits.mirror(doc, empty) is None
    assert edits.delete(doc, empty) is None
    assert edits.duplicate(doc, empty) is None
    assert edits.set_flags(doc, empty, ACCESSIBLE) is None
    assert edits.clear_flags(doc, premium, OBSTRUCTED) is None
    assert edits.renumber(doc, premium) is None  # already 1.. from the left
    assert edits.relabel_rows(doc, premium) is None
    assert edits.rename_section(doc, stalls.uid, "Stalls") is None
    assert edits.rename_row(doc, stalls.rows[0].uid, "A") is None
    assert edits.set_stage(doc, 500, 60) is None
    assert edits.set_category(doc, "premium") is None
    assert edits.remove_category(doc, "gala") is None
    assert edits.redraw_outlines(doc, []) is None


def test_painting_gives_the_category_and_lists_it_with_a_palette_colour():
    doc = theatre_document()
    row = _row_seats(doc, "Circle", 3)
    edit = edits.paint(doc, row, "gala")
    assert edit is not None and edit.text == f"Paint {len(row.seats)} seats gala"
    assert edit.same_seats and edit.seat_uids >= row.seats
    edits.apply(doc, edit)
    assert {doc.seat(uid).category for uid in row.seats} == {"gala"}
    assert doc.category("gala").colour == palette.CATEGORY_COLOURS[3]
    others = _section(doc, "Circle").rows[2].seats
    assert {s.category for s in others} == {"standard"}


def test_flags_are_set_and_cleared_bit_by_bit():
    doc = theatre_document()
    front = _row_seats(doc, "Stalls")
    edits.apply(doc, edits.set_flags(doc, front, OBSTRUCTED))
    flags = [doc.seat(uid).flags for uid in sorted(front.seats)]
    assert all(f & OBSTRUCTED for f in flags)
    assert sum(1 for f in flags if f & ACCESSIBLE) == 4  # kept
    edits.apply(doc, edits.clear_flags(doc, front, ACCESSIBLE | COMPANION))
    assert {doc.seat(uid).flags for uid in front.seats} == {OBSTRUCTED}


def test_deleting_drops_rows_and_sections_left_empty():
    doc = theatre_document()
    balcony = _section(doc, "Balcony Left")
    edits.apply(doc, edits.delete(doc, _row_seats(doc, "Balcony Left", 0)))
    assert [r.label for r in doc.sections[balcony.uid].rows] == ["B", "C", "D"]
    every_seat = Selection.of(seats=[s.uid for s in doc.sections[balcony.uid].seats()])
    edit = edits.delete(doc, every_seat)
    assert edit is not None and edit.text == "Delete 36 seats"
    edits.apply(doc, edit)
    assert balcony.uid not in doc.sections
    _consistent(doc)


def test_moving_on_a_grid_puts_the_top_left_corner_on_it():
    doc = theatre_document()
    row = _row_seats(doc, "Circle", 4)
    edits.apply(doc, edits.move(doc, row, 3, 4, grid=25))
    left, top, _, _ = edits.selection_bounds(doc, row)
    assert left % 25 == pytest.approx(0, abs=1e-9) or left % 25 == pytest.approx(25)
    assert top % 25 == pytest.approx(0, abs=1e-9) or top % 25 == pytest.approx(25)
    assert edits.snap(37, 25) == 25 and edits.snap_point((13, 38), 25) == (25, 50)
    assert edits.snap(37, 0) == 37
    stalls = Selection.of(sections=[_section(doc, "Stalls").uid])
    edits.apply(doc, edits.snap_to_grid(doc, stalls, 10))
    assert edits.selection_bounds(doc, stalls)[0] % 10 == pytest.approx(0, abs=1e-6)


def test_a_whole_section_moves_with_its_outline_and_a_few_seats_without():
    doc = theatre_document()
    circle = _section(doc, "Circle")
    edits.apply(doc, edits.move(doc, Selection.of(sections=[circle.uid]), 10, 0))
    assert doc.sections[circle.uid].outline == tuple((x + 10, y) for x, y in circle.outline)
    moved = doc.sections[circle.uid]
    edits.apply(doc, edits.move(doc, _row_seats(doc, "Circle", 0), 0, 5))
    assert doc.sections[circle.uid].outline == moved.outline


def _positions(doc: SeatMapDocument) -> list[float]:
    return [v for s in doc.seats() for v in (s.x, s.y)]


def test_rotating_and_mirroring_keep_distances_and_come_back():
    doc = theatre_document()
    stalls = Selection.of(sections=[_section(doc, "Stalls").uid])
    start = _positions(doc)
    for _ in range(4):
        edits.apply(doc, edits.rotate(doc, stalls, 90, centre=(500, 300)))
    assert _positions(doc) == pytest.approx(start)
    before = [(s.x, s.y) for s in _section(doc, "Stalls").seats()]
    edits.apply(doc, edits.rotate(doc, stalls, 30))
    after = [(s.x, s.y) for s in _section(doc, "Stalls").seats()]
    for (a, b), (c, d) in itertools.pairwise(zip(before, after, strict=True)):
        assert math.dist(a, c) == pytest.approx(math.dist(b, d))
    assert math.dist(before[0], after[0]) > 10
    doc = theatre_document()
    everything = Selection.everything(doc)
    for axis in (edits.HORIZONTAL, edits.HORIZONTAL, edits.VERTICAL, edits.VERTICAL):
        edits.apply(doc, edits.mirror(doc, everything, axis))
    assert _positions(doc) == pytest.approx(start)
    with pytest.raises(ValueError):
        edits.mirror(doc, everything, "diagonal")


def test_duplicates_get_new_uids_unique_names_and_no_keys():
    doc = SeatMapDocument.from_file_dict(
        {
            "name": "Hall",
            "sections": [
                {
                    "name": "Stalls",
                    "outline": [[-10, -10], [30, -10], [30, 10], [-10, 10]],
                    "rows": [
                        {
                            "label": "A",
                            "seats": [
                                {"key": "k1", "label": "1", "x": 0, "y": 0},
                                {"key": "k2", "label": "2", "x": 10, "y": 0},
                                {"key": "k3", "label": "3", "x": 20, "y": 0},
                            ],
                        }
                    ],
                }
            ],
            "areas": [{"name": "Bar", "capacity": 5, "x": 0, "y": 50, "width": 10, "height": 10}],
        }
    )
    (stalls,) = doc.sections.values()
    everything = Selection.everything(doc)
    edit = edits.duplicate(doc, everything, offset=(0, 100))
    edits.apply(doc, edit)
    copy = doc.section_named("Stalls 2")
    assert copy is not None and copy.uid in edit.selection.sections
    assert [(s.label, s.x, s.y, s.key) for s in copy.seats()] == [
        ("1", 0, 100, ""),
        ("2", 10, 100, ""),
        ("3", 20, 100, ""),
    ]
    assert copy.outline == ((-10, 90), (30, 90), (30, 110), (-10, 110))
    assert not set(copy.locations) & set(stalls.locations)
    assert [a.name for a in doc.areas.values()] == ["Bar", "Bar 2"]
    edits.apply(doc, edits.duplicate(doc, Selection.of(seats=[stalls.rows[0].seats[0].uid])))
    assert doc.section_named("Stalls 3").seat_count == 1
    edits.apply(doc, edits.duplicate(doc, Selection.of(sections=[copy.uid])))
    assert doc.section_named("Stalls 4") is not None
    _consistent(doc)


def test_adding_a_section_with_a_taken_name_makes_it_unique():
    doc = theatre_document()
    edit = _add_stalls_copy(doc)
    edits.apply(doc, edit)
    (uid,) = edit.selection.sections
    assert doc.sections[uid].name == "Stalls 2"
    assert doc.category("box") is not None


def test_renumbering_a_selection_counts_along_each_row():
    doc = theatre_document()
    circle = _section(doc, "Circle")
    picked = {s.uid for row in circle.rows[:2] for s in row.seats[:4]}
    edits.apply(doc, edits.renumber(doc, Selection.of(seats=picked), SeatScheme(start=101)))
    for row in _section(doc, "Circle").rows[:2]:
        assert [s.label for s in row.seats[:5]] == ["101", "102", "103", "104", "5"]
    edits.apply(
        doc,
        edits.relabel_rows(doc, Selection.of(seats=picked), RowScheme(start=11)),
    )
    assert [r.label for r in _section(doc, "Circle").rows[:3]] == ["K", "L", "C"]


def test_a_curved_rotated_row_is_renumbered_along_its_curve():
    doc = SeatMapDocument()
    spec = SectionSpec(rows=1, seats_per_row=9, shape=CURVED, radius=40, rotation=170)
    section = generate_section(spec, doc.new_uid)
    edits.apply(doc, edits.add_section(doc, section))
    everything = Selection.of(sections=[section.uid])
    edits.apply(doc, edits.renumber(doc, everything))
    row = next(iter(doc.sections.values())).rows[0]
    by_label = sorted(row.seats, key=lambda s: int(s.label))
    assert [s.x for s in by_label] == sorted(s.x for s in by_label)  # left to right as drawn


def test_areas_and_decorations():
    doc = theatre_document()
    edit = edits.add_area(doc, "Pit", 80, Area.rectangle_points(0, 0, 40, 20))
    edits.apply(doc, edit)
    (uid,) = edit.selection.areas
    assert doc.areas[uid].is_rectangle and doc.areas[uid].bbox == (0, 0, 40, 20)
    edits.apply(doc, edits.edit_area(doc, uid, capacity=120))
    assert doc.areas[uid].capacity == 120
    with pytest.raises(ValueError):
        edits.add_decoration(doc, "hexagon", [(0, 0)])
    with pytest.raises(ValueError):
        edits.edit_decoration(doc, next(iter(doc.decorations)), kind="hexagon")


def test_the_steps_of_a_drag_merge_into_one_edit():
    doc = theatre_document()
    start = doc.to_file_dict()
    circle = Selection.of(sections=[_section(doc, "Circle").uid])
    merged = None
    for _ in range(5):
        step = edits.move(doc, circle, 4, 1)
        edits.apply(doc, step)
        merged = step if merged is None else edits.merge(merged, step)
    end = doc.to_file_dict()
    assert merged is not None and merged.text == "Move" and len(merged.sections) == 1
    edits.revert(doc, merged)
    assert doc.to_file_dict() == start
    edits.apply(doc, merged)
    assert doc.to_file_dict() == end
    back = edits.move(doc, circle, -20, -5)
    edits.apply(doc, back)
    there_and_back = edits.merge(merged, back)
    assert there_and_back is not None  # new objects, though in (about) the same place
    edits.revert(doc, there_and_back)
    assert doc.to_file_dict() == start
    added = edits.add_area(doc, "Bar", 10, [(0, 0), (5, 0), (5, 5)])
    edits.apply(doc, added)
    removed = edits.delete(doc, added.selection)
    assert edits.merge(added, removed) is None


def test_selections_combine():
    a = Selection.of(seats=[1, 2], areas=[7])
    b = Selection.of(seats=[2, 3], decorations=[9])
    assert a | b == Selection.of(seats=[1, 2, 3], areas=[7], decorations=[9])
    assert a - b == Selection.of(seats=[1], areas=[7])
    assert not Selection() and a
    doc = theatre_document()
    row = _section(doc, "Circle").rows[1]
    assert Selection.of_rows(doc, [row.uid]).seats == {s.uid for s in row.seats}


def _flat(points) -> list[float]:
    return [v for p in points for v in p]


def test_decorations_turn_as_they_are_drawn():
    """A decoration is drawn turned by its rotation about its points' middle: a shape
    without one turns point by point, an ellipse or a label moves its middle and turns."""
    doc = SeatMapDocument()
    for kind, points in (
        ("rect", [(0, 0), (20, 0), (20, 10), (0, 10)]),
        ("ellipse", [(0, 0), (20, 10)]),
        ("label", [(10, 5)]),
    ):
        edits.apply(doc, edits.add_decoration(doc, kind, points, text=kind))
    edits.apply(doc, edits.rotate(doc, Selection.everything(doc), 90, centre=(0, 0)))
    turned = {d.kind: d for d in doc.decorations.values()}
    assert _flat(turned["rect"].points) == pytest.approx([0, 0, 0, 20, -10, 20, -10, 0])
    assert turned["rect"].rotation == 0
    # the ellipse's middle (10, 5) goes to (-5, 10); its box keeps its shape
    assert _flat(turned["ellipse"].points) == pytest.approx([-15, 5, 5, 15])
    assert turned["ellipse"].rotation == 90
    assert _flat(turned["label"].points) == pytest.approx([-5, 10])
    assert turned["label"].rotation == 90
    edits.apply(doc, edits.mirror(doc, Selection.everything(doc)))
    assert {d.kind: d.rotation for d in doc.decorations.values()} == {
        "rect": 0,
        "ellipse": 270,
        "label": 270,
    }


def test_shapes_need_their_points_and_areas_a_capacity_of_zero_or_more():
    doc = theatre_document()
    with pytest.raises(ValueError, match="3 to 1,000 points"):
        edits.add_area(doc, "Pit", 10, [(0, 0), (1, 1)])
    with pytest.raises(ValueError, match="negative"):
        edits.add_area(doc, "Pit", -1, Area.rectangle_points(0, 0, 5, 5))
    with pytest.raises(ValueError):
        edits.edit_area(doc, next(iter(doc.areas)), points=[(0, 0)] * 1001)
    with pytest.raises(ValueError, match="a shape needs 1"):
        edits.add_decoration(doc, "label", [])
    edit = edits.add_area(doc, "Standing", 0, Area.rectangle_points(0, 0, 5, 5))
    edits.apply(doc, edit)
    assert [a.name for a in doc.areas.values()] == ["Standing", "Standing 2"]
