"""The section generator (enturf_core.seatmap_editing.generate): counts, spacing, curved
rows round one centre, fans, rotation, numbering and the outline round the seats."""

from __future__ import annotations

import itertools
import math

import pytest

from enturf_core.seatmap_editing.checks import SEAT_OUTSIDE_SECTION, check_document
from enturf_core.seatmap_editing.document import SeatMapDocument, Section
from enturf_core.seatmap_editing.generate import (
    CURVED,
    FAN,
    MAX_OUTLINE_POINTS,
    SectionSpec,
    generate_section,
    outline_for_section,
)
from enturf_core.seatmap_editing.numbering import ODD_EVEN, RowScheme, SeatScheme


def _generate(spec: SectionSpec) -> Section:
    return generate_section(spec, itertools.count(1).__next__)


def _gaps(points: list[tuple[float, float]]) -> list[float]:
    return [math.dist(a, b) for a, b in itertools.pairwise(points)]


def _rows(section: Section) -> list[list[tuple[float, float]]]:
    return [[(s.x, s.y) for s in row.seats] for row in section.rows]


def _outline_holds_its_seats(section: Section) -> bool:
    doc = SeatMapDocument(sections={section.uid: section})
    return not [p for p in check_document(doc) if p.kind == SEAT_OUTSIDE_SECTION]


def test_a_straight_block_has_its_counts_spacing_and_labels():
    section = _generate(
        SectionSpec("Stalls", rows=20, seats_per_row=100, seat_spacing=9, row_spacing=11)
    )
    assert section.seat_count == 2000
    assert [row.label for row in section.rows][:3] == ["A", "B", "C"]
    assert [s.label for s in section.rows[0].seats][:3] == ["1", "2", "3"]
    rows = _rows(section)
    assert all(g == pytest.approx(9) for row in rows for g in _gaps(row))
    # the front row's middle is the origin; rows go back (y grows) by the row spacing
    assert sum(x for x, _ in rows[0]) / 100 == pytest.approx(0)
    assert [row[0][1] for row in rows[:3]] == pytest.approx([0, 11, 22])
    assert len({s.uid for s in section.seats()} | {r.uid for r in section.rows}) == 2020
    assert _outline_holds_its_seats(section)


def test_seats_per_row_can_vary_and_the_numbering_follows_the_schemes():
    section = _generate(
        SectionSpec(
            rows=3,
            seats_per_row=[4, 5, 6],
            row_scheme=RowScheme(start=11),
            seat_scheme=SeatScheme(order=ODD_EVEN),
        )
    )
    assert [len(row.seats) for row in section.rows] == [4, 5, 6]
    assert [row.label for row in section.rows] == ["K", "L", "M"]
    assert [s.label for s in section.rows[0].seats] == ["3", "1", "2", "4"]
    with pytest.raises(ValueError):
        _generate(SectionSpec(rows=3, seats_per_row=[4, 5]))


def test_curved_rows_are_arcs_round_one_centre():
    spec = SectionSpec(
        rows=10, seats_per_row=30, seat_spacing=10, row_spacing=12, shape=CURVED, radius=200
    )
    section = _generate(spec)
    centre = (0.0, -200.0)  # the radius in front of the origin, towards the stage
    for r, row in enumerate(_rows(section)):
        assert [math.dist(centre, p) for p in row] == pytest.approx([200 + 12 * r] * 30)
        assert _gaps(row) == pytest.approx([10] * 29, rel=1e-3)  # chord ~ arc length
    # the ends of a row come forward, towards the stage
    front = _rows(section)[0]
    assert front[0][1] < front[15][1] and front[-1][1] < front[15][1]
    assert _outline_holds_its_seats(section)


def test_a_curve_given_by_its_arc_angle():
    section = _generate(
        SectionSpec(rows=2, seats_per_row=21, seat_spacing=10, shape=CURVED, arc_angle=90)
    )
    front = _rows(section)[0]
    radius = 20 * 10 / math.radians(90)
    centre = (0.0, -radius)
    left, right = (math.atan2(p[0] - centre[0], p[1] - centre[1]) for p in (front[0], front[-1]))
    assert math.degrees(right - left) == pytest.approx(90)


def test_a_fan_keeps_its_opening_and_grows_towards_the_back():
    spec = SectionSpec(
        rows=8, seat_spacing=10, row_spacing=14, shape=FAN, radius=300, arc_angle=60, rotation=15
    )
    section = _generate(spec)
    counts = [len(row.seats) for row in section.rows]
    assert counts == sorted(counts) and counts[-1] > counts[0]
    turn = math.radians(15)
    centre = (300 * math.sin(turn), -300 * math.cos(turn))  # rotated with the section
    for r, row in enumerate(_rows(section)):
        radius = 300 + 14 * r
        assert [math.dist(centre, p) for p in row] == pytest.approx([radius] * len(row))
        assert counts[r] == math.floor(math.radians(60) * radius / 10) + 1
        angles = [math.atan2(p[0] - centre[0], p[1] - centre[1]) for p in row]
        assert abs(angles[-1] - angles[0]) == pytest.approx(math.radians(60))
        pitches = [b - a for a, b in itertools.pairwise(angles)]
        assert pitches == pytest.approx([pitches[0]] * len(pitches))  # constant in the row
        assert min(_gaps(row)) >= 10 - 1e-9
    assert _outline_holds_its_seats(section)


def test_a_fan_from_its_front_row():
    section = _generate(SectionSpec(rows=3, seats_per_row=11, shape=FAN, radius=100))
    assert [len(row.seats) for row in section.rows] == [11, 12, 13]


def test_rotation_turns_the_section_about_its_origin():
    plain = _rows(_generate(SectionSpec(rows=4, seats_per_row=8, origin=(100, 50))))
    turned = _rows(_generate(SectionSpec(rows=4, seats_per_row=8, origin=(100, 50), rotation=90)))
    for (x, y), (tx, ty) in zip(plain[2], turned[2], strict=True):
        # clockwise on screen: (dx, dy) -> (-dy, dx)
        assert (tx, ty) == pytest.approx((100 - (y - 50), 50 + (x - 100)))


def test_outlines_hold_their_seats_in_every_shape_and_stay_small():
    for spec in (
        SectionSpec(rows=1, seats_per_row=1),
        SectionSpec(rows=1, seats_per_row=12, shape=CURVED, radius=40, rotation=200),
        SectionSpec(rows=30, seats_per_row=60, shape=FAN, arc_angle=120, rotation=-45),
        SectionSpec(rows=600, seats_per_row=3, row_spacing=5),
    ):
        section = _generate(spec)
        assert 3 <= len(section.outline or ()) <= MAX_OUTLINE_POINTS
        assert _outline_holds_its_seats(section)
    redrawn = outline_for_section(_generate(SectionSpec(rows=5, shape=CURVED, radius=90)))
    assert redrawn and len(redrawn) > 4
    assert _generate(SectionSpec(outline=False)).outline is None


@pytest.mark.parametrize(
    "spec",
    [
        SectionSpec(rows=0),
        SectionSpec(seat_spacing=0),
        SectionSpec(shape=CURVED),
        SectionSpec(shape="spiral"),
        SectionSpec(shape=FAN, radius=-5),
        SectionSpec(shape=CURVED, arc_angle=400),
    ],
)
def test_impossible_specs_are_refused(spec):
    with pytest.raises(ValueError):
        _generate(spec)


def test_a_full_circle_is_a_ring_with_no_seat_twice():
    curved = _generate(SectionSpec(rows=2, seats_per_row=36, shape=CURVED, arc_angle=360))
    fan = _generate(SectionSpec(rows=3, seat_spacing=10, shape=FAN, radius=100, arc_angle=360))
    # a curved section keeps the seat spacing, so its front row closes the ring; a fan
    # fills the ring in every row
    for row in [_rows(curved)[0], *_rows(fan)]:
        gaps = [*_gaps(row), math.dist(row[-1], row[0])]  # round the ring
        assert gaps == pytest.approx([gaps[0]] * len(gaps))  # evenly, no seat twice
        assert 9.9 < gaps[0] < 10.5
    assert [len(r.seats) for r in fan.rows] == [62, 70, 77]  # floor(2 pi r / 10)
    assert curved.outline is None and fan.outline is None  # a ring is no simple polygon
    almost = _generate(SectionSpec(rows=2, seats_per_row=31, shape=CURVED, arc_angle=300))
    assert almost.outline is not None and _outline_holds_its_seats(almost)
