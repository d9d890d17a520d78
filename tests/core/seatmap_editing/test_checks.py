"""Problems before saving (enturf_core.seatmap_editing.checks): none on a clean theatre,
and each planted mistake is found, with its seats and a place on the map."""

from __future__ import annotations

from dataclasses import replace

from support.seatmap_documents import big_document, theatre_document

from enturf_core.seatmap_editing import checks, edits
from enturf_core.seatmap_editing.checks import Problem, check_document
from enturf_core.seatmap_editing.document import Row, Seat, SeatMapDocument, Section
from enturf_core.seatmap_editing.edits import Selection


def _put(doc: SeatMapDocument, section: Section) -> None:
    """Plant a mistake the editor's tools would not make (as an imported file can)."""
    doc.put_section(section)


def _only(problems: list[Problem], kind: str) -> Problem:
    found = [p for p in problems if p.kind == kind]
    assert len(found) == 1, problems
    return found[0]


def test_a_clean_theatre_has_no_problems():
    assert check_document(theatre_document()) == []
    assert check_document(big_document(20_000)) == []


def test_duplicate_seat_and_row_labels():
    doc = theatre_document()
    stalls = doc.section_named("Stalls")
    row_a, row_b = stalls.rows[:2]
    twin = replace(row_a.seats[1], label="1")
    rows = (
        replace(row_a, seats=(row_a.seats[0], twin, *row_a.seats[2:])),
        replace(row_b, label="A"),
    )
    _put(doc, replace(stalls, rows=rows + stalls.rows[2:]))
    problems = check_document(doc)
    seat = _only(problems, checks.DUPLICATE_SEAT_LABEL)
    assert seat.severity == checks.ERROR
    assert seat.seat_uids == (row_a.seats[0].uid, twin.uid)
    assert seat.at == (row_a.seats[0].x, row_a.seats[0].y)
    assert "row 'A'" in seat.message and "'1'" in seat.message
    row = _only(problems, checks.DUPLICATE_ROW_LABEL)
    assert len(row.seat_uids) == len(row_a.seats) + len(row_b.seats)
    assert row.section_uid == stalls.uid


def test_duplicate_section_names_and_seat_keys():
    doc = theatre_document()
    circle = doc.section_named("Circle")
    balcony = doc.section_named("Balcony Left")
    _put(doc, replace(balcony, name="Circle"))
    first, second = circle.rows[0].seats[:2]
    row = replace(
        circle.rows[0],
        seats=(
            replace(first, key="gala-1"),
            replace(second, key="gala-1"),
            *circle.rows[0].seats[2:],
        ),
    )
    _put(doc, replace(circle, rows=(row, *circle.rows[1:])))
    problems = check_document(doc)
    names = _only(problems, checks.DUPLICATE_SECTION_NAME)
    assert len(names.seat_uids) == circle.seat_count + balcony.seat_count
    keys = _only(problems, checks.DUPLICATE_SEAT_KEY)
    assert keys.seat_uids == (first.uid, second.uid)


def test_a_key_that_is_another_seats_default_key():
    doc = theatre_document()
    stalls = doc.section_named("Stalls")
    seat = stalls.rows[0].seats[0]
    row = replace(stalls.rows[1], seats=(replace(stalls.rows[1].seats[0], key="Stalls/A/1"),))
    _put(doc, replace(stalls, rows=(stalls.rows[0], row)))
    keys = _only(check_document(doc), checks.DUPLICATE_SEAT_KEY)
    assert set(keys.seat_uids) == {seat.uid, row.seats[0].uid}


def test_overlapping_seats_are_found_in_clusters():
    doc = theatre_document()
    circle = doc.section_named("Circle")
    edit = edits.duplicate(doc, Selection.of(seats=[s.uid for s in circle.rows[2].seats]), (2, 1))
    edits.apply(doc, edit)
    stalls = doc.section_named("Stalls")
    a, b = stalls.rows[5].seats[3:5]
    pile = replace(b, x=a.x + 0.5, y=a.y)  # two seats in one place
    row = replace(
        stalls.rows[5], seats=(*stalls.rows[5].seats[:4], pile, *stalls.rows[5].seats[5:])
    )
    _put(doc, replace(stalls, rows=(*stalls.rows[:5], row, *stalls.rows[6:])))
    found = [p for p in check_document(doc) if p.kind == checks.OVERLAPPING_SEATS]
    assert all(p.severity == checks.WARNING for p in found)
    clusters = sorted(set(p.seat_uids) for p in found)
    assert {a.uid, b.uid} in clusters
    copies = doc.section_named("Circle 2")
    originals = circle.rows[2].seats
    for original, copy in zip(originals, copies.seats(), strict=True):
        assert {original.uid, copy.uid} in clusters
    assert len(clusters) == len(originals) + 1


def test_a_pile_of_seats_on_one_spot_is_one_problem():
    seats = tuple(Seat(i, str(i), 5.0, 5.0) for i in range(1, 201))
    spread = tuple(Seat(1000 + i, str(i), i * 10.0, 50.0) for i in range(20))
    doc = SeatMapDocument(
        sections={1: Section(1, "S", (Row(500, "A", seats), Row(501, "B", spread)))}
    )
    (problem,) = [p for p in check_document(doc) if p.kind == checks.OVERLAPPING_SEATS]
    assert len(problem.seat_uids) == 200


def test_seats_outside_their_outline():
    doc = theatre_document()
    circle = doc.section_named("Circle")
    edits.apply(
        doc, edits.move(doc, Selection.of(seats=[s.uid for s in circle.rows[-1].seats]), 0, 40)
    )
    problem = _only(check_document(doc), checks.SEAT_OUTSIDE_SECTION)
    assert set(problem.seat_uids) == {s.uid for s in circle.rows[-1].seats}
    assert problem.severity == checks.WARNING and problem.section_uid == circle.uid
    edits.apply(doc, edits.redraw_outlines(doc, [circle.uid]))
    assert not [p for p in check_document(doc) if p.kind == checks.SEAT_OUTSIDE_SECTION]


def test_empty_categories_and_areas_without_capacity():
    doc = theatre_document()
    edits.apply(doc, edits.set_category(doc, "vip"))
    area = next(iter(doc.areas))
    edits.apply(doc, edits.edit_area(doc, area, capacity=0))
    problems = check_document(doc)
    empty = _only(problems, checks.EMPTY_CATEGORY)
    assert empty.severity == checks.WARNING and "'vip'" in empty.message
    capacity = _only(problems, checks.AREA_WITHOUT_CAPACITY)
    assert capacity.severity == checks.ERROR and capacity.area_uid == area
    assert capacity.at == (500, 665)
    assert problems.index(capacity) < problems.index(empty)  # errors first


def test_duplicate_area_names_and_an_empty_map():
    doc = theatre_document()
    (area,) = doc.areas
    edits.apply(doc, edits.duplicate(doc, Selection.of(areas=[area])))
    uid = next(u for u in doc.areas if u != area)
    edits.apply(doc, edits.edit_area(doc, uid, name="Standing"))
    assert _only(check_document(doc), checks.DUPLICATE_AREA_NAME).area_uid == area
    assert [p.kind for p in check_document(SeatMapDocument())] == [checks.EMPTY_MAP]
    assert checks.seat_uids_of(
        [Problem("x", "error", "m", (1, 2)), Problem("y", "error", "m", (3,))]
    ) == {1, 2, 3}
