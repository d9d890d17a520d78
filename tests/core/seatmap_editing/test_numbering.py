"""Row labels and seat numbers (enturf_core.seatmap_editing.numbering)."""

from __future__ import annotations

import pytest

from enturf_core.seatmap_editing.document import Seat
from enturf_core.seatmap_editing.numbering import (
    ALONG_X,
    ODD_EVEN,
    RIGHT_TO_LEFT,
    ROW_LETTER_PAIRS,
    ROW_NUMBERS,
    RowScheme,
    SeatScheme,
    order_along_row,
    row_label,
    row_labels,
    seat_labels,
)


def test_rows_are_lettered_then_doubled_after_z():
    labels = row_labels(30)
    assert labels[:3] == ["A", "B", "C"]
    assert labels[25:] == ["Z", "AA", "BB", "CC", "DD"]
    assert row_label(52) == "AAA"


def test_rows_can_skip_i_and_o():
    labels = row_labels(26, RowScheme(skip_letters="IO"))
    assert "I" not in labels and "O" not in labels
    assert labels[7:9] == ["H", "J"]
    assert labels[24:] == ["AA", "BB"]  # 24 letters, then doubled


def test_spreadsheet_style_pairs_and_a_later_start():
    assert row_labels(3, RowScheme(style=ROW_LETTER_PAIRS, start=26)) == ["Z", "AA", "AB"]
    assert row_labels(2, RowScheme(start=3)) == ["C", "D"]


def test_numbered_rows_with_a_skip_and_back_to_front():
    assert row_labels(4, RowScheme(style=ROW_NUMBERS, skip=frozenset({13}), start=11)) == [
        "11",
        "12",
        "14",
        "15",
    ]
    assert row_labels(3, RowScheme(front_to_back=False)) == ["C", "B", "A"]


def test_seats_left_to_right_and_right_to_left():
    assert seat_labels(4) == ["1", "2", "3", "4"]
    assert seat_labels(4, SeatScheme(order=RIGHT_TO_LEFT)) == ["4", "3", "2", "1"]
    assert seat_labels(3, SeatScheme(start=101, prefix="B")) == ["B101", "B102", "B103"]


def test_a_skipped_number_is_never_used():
    assert seat_labels(14, SeatScheme(skip=frozenset({13})))[11:] == ["12", "14", "15"]


def test_odd_and_even_sides_count_out_from_the_centre():
    assert seat_labels(6, SeatScheme(order=ODD_EVEN)) == ["5", "3", "1", "2", "4", "6"]
    assert seat_labels(5, SeatScheme(order=ODD_EVEN)) == ["5", "3", "1", "2", "4"]
    assert seat_labels(5, SeatScheme(order=ODD_EVEN, odd_side="right")) == [
        "4",
        "2",
        "1",
        "3",
        "5",
    ]
    skipped = seat_labels(16, SeatScheme(order=ODD_EVEN, skip=frozenset({13})))
    assert "13" not in skipped and "15" in skipped and len(set(skipped)) == 16


def test_unknown_schemes_are_refused():
    with pytest.raises(ValueError):
        seat_labels(3, SeatScheme(order="spiral"))
    with pytest.raises(ValueError):
        row_label(0, RowScheme(style="roman"))


def _seat(uid: int, x: float, y: float) -> Seat:
    return Seat(uid, str(uid), x, y)


def test_seats_are_ordered_along_the_row_as_drawn():
    # a row stored right to left, turned 30 degrees: ordered from the left as drawn
    row = [_seat(1, 30, 17), _seat(2, 20, 11.5), _seat(3, 10, 6), _seat(4, 0, 0)]
    assert [s.uid for s in order_along_row(row)] == [4, 3, 2, 1]
    assert [s.uid for s in order_along_row(row, {1, 3})] == [3, 1]
    # a curved row: along the curve, not by x alone
    arc = [_seat(1, 0, 0), _seat(2, 9, 4), _seat(3, 18, 5), _seat(4, 27, 4), _seat(5, 36, 0)]
    assert [s.uid for s in order_along_row(arc)] == [1, 2, 3, 4, 5]
    # a vertical row runs downwards
    column = [_seat(1, 0, 20), _seat(2, 0, 10), _seat(3, 0, 0)]
    assert [s.uid for s in order_along_row(column)] == [3, 2, 1]


def test_seats_can_be_ordered_by_x_instead():
    # a row bent back on itself: along the chord the middle seat (3) sorts last
    row = [_seat(1, 0, 0), _seat(2, 10, 3), _seat(3, 25, 40), _seat(4, 20, 3), _seat(5, 12, -1)]
    assert [s.uid for s in order_along_row(row, along=ALONG_X)] == [1, 2, 5, 4, 3]
    assert [s.uid for s in order_along_row(row, {3, 5}, along=ALONG_X)] == [5, 3]
    with pytest.raises(ValueError):
        order_along_row(row, along="spiral")
