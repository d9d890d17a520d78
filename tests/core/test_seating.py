"""enturf_core.seating: layout columns, seat states, the spatial grid and best available."""

from __future__ import annotations

import math
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.seat_map_fixtures import (
    all_seat_ids,
    arena_seat_map,
    availability_statuses,
    theatre_seat_map,
)

from enturf_core.seating import best_available
from enturf_core.seating.best_available import Tier, best_seats
from enturf_core.seating.grid import SeatGrid
from enturf_core.seating.layout import ACCESSIBLE, COMPANION, OBSTRUCTED, SeatMapLayout
from enturf_core.seating.states import SeatState, SeatStates, mask_and, mask_from, sellable_mask
from enturf_core.wire.feed import Ticket


def picture_layout(picture: str, *, pitch: float = 10.0) -> tuple[SeatMapLayout, bytearray]:
    """A one-section map drawn in text, front row first, stage above the middle:
    `.` free, `X` sold, `A` free wheelchair space, `C` free companion seat, `o` free
    with a restricted view, a space is an aisle (no seat, and seats across it are apart).
    Returns the layout and its free mask."""
    rows = textwrap.dedent(picture).strip("\n").splitlines()
    width = max(len(r) for r in rows)
    out_rows, free, next_id = [], bytearray(), 501
    for r, line in enumerate(rows):
        seats = []
        for j, ch in enumerate(line):
            if ch == " ":
                continue
            seats.append(
                {
                    "id": next_id,
                    "key": f"S/{r + 1}/{j + 1}",
                    "label": str(j + 1),
                    "x": j * pitch,
                    "y": 100 + r * pitch,
                    "category": "standard",
                    "accessible": ch == "A",
                    "companion": ch == "C",
                    "obstructed": ch == "o",
                }
            )
            free.append(0 if ch == "X" else 1)
            next_id += 1
        out_rows.append({"id": r + 1, "label": str(r + 1), "seats": seats})
    data = {
        "id": 9,
        "name": "picture",
        "stage_x": (width - 1) * pitch / 2,
        "stage_y": 0.0,
        "width": width * pitch,
        "height": 100 + len(rows) * pitch,
        "sections": [{"id": 1, "name": "S", "rows": out_rows}],
        "areas": [],
    }
    return SeatMapLayout.from_api(data), free


def positions(layout: SeatMapLayout, seat_ids) -> list[tuple[str, str]]:
    """(row label, seat label) of each seat."""
    return [
        (layout.seat(layout.index(i)).row, layout.seat(layout.index(i)).label) for i in seat_ids
    ]


# -- layout ------------------------------------------------------------------------------


def test_layout_from_the_api_stores_seats_column_wise_in_section_row_order():
    data = theatre_seat_map()
    layout = SeatMapLayout.from_api(data)

    assert len(layout) == 1_500
    assert [s.name for s in layout.sections] == ["Stalls", "Circle", "Balcony"]
    assert [len(s.seats) for s in layout.sections] == [800, 450, 250]
    assert layout.categories == ("premium", "standard")
    # rows are contiguous index ranges in order, and each seat knows its row and section
    assert layout.rows[0].seats.start == 0
    for a, b in zip(layout.rows, layout.rows[1:], strict=False):
        assert a.seats.stop == b.seats.start
    first_seat = data["sections"][1]["rows"][2]["seats"][4]
    info = layout.seat(layout.index(first_seat["id"]))
    assert (info.section, info.row, info.label, info.key) == ("Circle", "C", "5", "Circle/C/5")
    assert (info.x, info.y) == (first_seat["x"], first_seat["y"])
    assert layout.sections[layout.section_of[info.index]].name == "Circle"
    # flags: the stalls' back row ends are wheelchair spaces with companions beside them
    back = layout.rows[layout.sections[0].rows.stop - 1].seats
    assert layout.flags[back.start] == ACCESSIBLE
    assert layout.flags[back.start + 1] == COMPANION
    assert sum(1 for f in layout.flags if f & OBSTRUCTED) == 6
    assert layout.pitch == pytest.approx(11.0, abs=0.1)
    assert (layout.stage_x, layout.stage_y) == (500.0, 60.0)


def test_layout_from_flat_seat_rows_matches_the_nested_one():
    data = theatre_seat_map()
    nested = SeatMapLayout.from_api(data)
    flat = []
    for section in data["sections"]:
        for row in section["rows"]:
            # listed back to front: `position` puts a row's seats in order
            for position, seat in reversed(list(enumerate(row["seats"]))):
                flags = [n for n in ("accessible", "companion", "obstructed") if seat[n]]
                flat.append(
                    {
                        "id": seat["id"],
                        "label": seat["label"],
                        "section": section["name"],
                        "row": row["label"],
                        "position": position,
                        "x": seat["x"],
                        "y": seat["y"],
                        "category": seat["category"],
                        "flags": flags,
                    }
                )
    layout = SeatMapLayout.from_seat_rows(flat, seat_map=data)

    assert len(layout) == len(nested)
    assert [s.name for s in layout.sections] == [s.name for s in nested.sections]
    for row, nested_row in zip(layout.rows, nested.rows, strict=True):
        assert [layout.ids[i] for i in row.seats] == [nested.ids[i] for i in nested_row.seats]
    assert layout.flags == nested.flags


def test_a_seat_id_twice_is_refused():
    data = theatre_seat_map()
    data["sections"][0]["rows"][0]["seats"][1]["id"] = data["sections"][0]["rows"][0]["seats"][0][
        "id"
    ]
    with pytest.raises(ValueError, match="twice"):
        SeatMapLayout.from_api(data)


def test_aisles_split_rows_into_segments():
    layout, _free = picture_layout("....  ....")
    assert layout.segments == ((0, 4), (4, 8))


# -- states ------------------------------------------------------------------------------


def test_seat_states_apply_status_words_and_report_only_changes():
    layout = SeatMapLayout.from_api(theatre_seat_map())
    states = SeatStates(layout)
    a, b, c = layout.ids[0], layout.ids[1], layout.ids[2]

    changed = states.apply({a: "sold", b: "held", c: "available", 999_999: "sold"})
    assert changed == [0, 1]  # c was already available; an unknown seat is ignored
    assert states.state(0) is SeatState.SOLD and states.state(1) is SeatState.HELD
    assert states.apply({a: "sold"}) == []
    assert states.apply({a: SeatState.BLOCKED}) == [0]
    with pytest.raises(ValueError, match="unknown seat status"):
        states.apply({a: "reserved"})


def test_allocated_seats_are_ours_only_when_in_this_counters_allocation():
    layout = SeatMapLayout.from_api(theatre_seat_map())
    states = SeatStates(layout)
    ours, theirs = layout.ids[10], layout.ids[11]
    states.set_allocation([ours])
    states.apply({ours: "allocated", theirs: "allocated"})
    assert states.state(10) is SeatState.ALLOCATED_HERE
    assert states.state(11) is SeatState.ALLOCATED_OTHER

    # the allocation changes: states follow without a new status
    assert sorted(states.set_allocation([theirs])) == [10, 11]
    assert states.state(10) is SeatState.ALLOCATED_OTHER
    assert states.state(11) is SeatState.ALLOCATED_HERE
    assert SeatState.ALLOCATED_HERE.status == "allocated"


def test_sellable_mask_online_and_offline():
    layout = SeatMapLayout.from_api(theatre_seat_map())
    states = SeatStates(layout)
    ids = layout.ids
    states.set_allocation([ids[3]])
    states.apply({ids[0]: "sold", ids[1]: "held", ids[2]: "blocked", ids[3]: "allocated"})
    states.apply({ids[4]: "allocated"})

    online = sellable_mask(states)
    assert list(online[:6]) == [0, 0, 0, 1, 0, 1]
    assert online.count(1) == 1_500 - 4
    offline = sellable_mask(states, offline=True)
    assert offline.count(1) == 1 and offline[3] == 1


def test_masks_from_ids_and_predicates_and_their_and():
    layout = SeatMapLayout.from_api(theatre_seat_map())
    by_ids = mask_from(layout, [layout.ids[5], layout.ids[7], 1])
    by_predicate = mask_from(layout, lambda seat_id: seat_id in {layout.ids[7], layout.ids[9]})
    assert [i for i, v in enumerate(by_ids) if v] == [5, 7]
    assert [i for i, v in enumerate(mask_and(by_ids, by_predicate)) if v] == [7]


def test_a_ticket_from_the_api_keeps_money_exact():
    ticket = Ticket.from_wire(
        {"id": 3, "name": "Adult", "price": "45.10", "currency": "EUR", "category": "premium"}
    )
    assert str(ticket.price) == "45.10" and ticket.category == "premium" and ticket.area is None


# -- spatial grid ------------------------------------------------------------------------


def test_grid_hit_tests_seat_centres_and_misses_the_space_between():
    layout = SeatMapLayout.from_api(theatre_seat_map())
    grid = SeatGrid(layout)
    for i in (0, 1, 799, 800, 1_499):
        assert grid.seat_at(layout.xs[i], layout.ys[i]) == i
        assert grid.seat_at(layout.xs[i] + 3, layout.ys[i] - 2) == i  # on the seat
    assert grid.seat_at(500.0, 60.0) is None  # the stage
    assert grid.seat_at(-1_000.0, -1_000.0) is None


@settings(max_examples=60, deadline=None)
@given(
    x=st.floats(150, 850),
    y=st.floats(50, 700),
    w=st.floats(0, 300),
    h=st.floats(0, 300),
)
def test_grid_rectangle_query_matches_a_scan_of_every_seat(x, y, w, h):
    layout = _theatre()
    grid = _theatre_grid()
    expected = [
        i for i in range(len(layout)) if x <= layout.xs[i] <= x + w and y <= layout.ys[i] <= y + h
    ]
    assert grid.in_rect(x, y, x + w, y + h) == expected
    assert grid.in_rect(x + w, y + h, x, y) == expected


def test_grid_nearest_seat_in_a_direction_crosses_to_the_next_row():
    layout, _free = picture_layout("......\n......")
    grid = SeatGrid(layout)
    assert grid.nearest_in_direction(2, 0, 1) == 8  # straight behind
    assert grid.nearest_in_direction(8, 0, -1) == 2
    assert grid.nearest_in_direction(2, 0, -1) is None  # nothing in front of row 1


_cache: dict[str, object] = {}


def _theatre() -> SeatMapLayout:
    if "theatre" not in _cache:
        _cache["theatre"] = SeatMapLayout.from_api(theatre_seat_map())
    return _cache["theatre"]  # type: ignore[return-value]


def _theatre_grid() -> SeatGrid:
    if "grid" not in _cache:
        _cache["grid"] = SeatGrid(_theatre())
    return _cache["grid"]  # type: ignore[return-value]


# -- best available: tiers ---------------------------------------------------------------


def test_best_seats_are_together_in_the_front_row_middle():
    layout, free = picture_layout(
        """
        ..........
        ..........
        """
    )
    result = best_seats(layout, free, 4)
    assert result.tier is Tier.TOGETHER
    assert positions(layout, result.seat_ids) == [("1", "4"), ("1", "5"), ("1", "6"), ("1", "7")]
    assert result.message == "4 seats: together in one row."


def test_best_seats_never_leave_a_single_empty_seat():
    # the middle of row 1 has room for 3 only by leaving one seat beside the block;
    # row 2 fits 3 exactly with no single gap
    layout, free = picture_layout(
        """
        XXX....XXX
        XX.....XXX
        """
    )
    three = best_seats(layout, free, 3)
    # row 1's run of 4 would leave one stranded seat: the 5-run in row 2 (gap 0 and 2) wins
    assert three.tier is Tier.TOGETHER
    assert positions(layout, three.seat_ids)[0][0] == "2"
    row2 = [s for r, s in positions(layout, three.seat_ids)]
    assert row2 in (["3", "4", "5"], ["5", "6", "7"])  # a gap of 0 on one side, 2 on the other

    four = best_seats(layout, free, 4)
    assert positions(layout, four.seat_ids) == [("1", "4"), ("1", "5"), ("1", "6"), ("1", "7")]


def test_a_single_gap_is_accepted_only_when_nothing_else_fits():
    layout, free = picture_layout("XX....XXXX")  # four free: two leave one stranded seat
    result = best_seats(layout, free, 3)
    assert result.tier is Tier.TOGETHER_SINGLE_GAP
    assert len(result.seat_ids) == 3
    # and 2 fits without a gap (2 + gap of 2, or the whole run is 4: 2 and 2)
    assert best_seats(layout, free, 2).tier is Tier.TOGETHER


def test_aisles_break_a_block():
    layout, free = picture_layout("XX..  ..XX")
    result = best_seats(layout, free, 4)  # four free seats, but an aisle between them
    assert result.tier is Tier.SCATTERED


def test_split_over_two_rows_when_no_row_holds_them_all():
    layout, free = picture_layout(
        """
        XXX...XXXX
        XXXX...XXX
        X.X.X.X.X.
        """
    )
    result = best_seats(layout, free, 6)
    assert result.tier is Tier.TWO_ROWS
    assert sorted(positions(layout, result.seat_ids)) == [
        ("1", "4"), ("1", "5"), ("1", "6"), ("2", "5"), ("2", "6"), ("2", "7"),
    ]  # fmt: skip


def test_scattered_nearest_seats_as_the_last_resort_and_none_when_too_few():
    layout, free = picture_layout(
        """
        X.X.X.X.X.
        XXXXXXXXXX
        .X.X.X.X.X
        """
    )
    result = best_seats(layout, free, 3)
    assert result.tier is Tier.SCATTERED
    # the free seats nearest the middle of the front row: two beside it, then the middle
    # of row 3 (nearer than row 1's outer seats)
    assert positions(layout, result.seat_ids) == [("1", "4"), ("1", "6"), ("3", "5")]
    assert result.message.startswith("3 seats: not together")

    none = best_seats(layout, free, 11)
    assert none.tier is Tier.NONE and none.seat_ids == () and not none
    assert none.message == "No seats found: not enough free seats."


def test_focal_point_moves_the_pick():
    layout, free = picture_layout("\n".join(["............"] * 8))
    back_left = best_seats(layout, free, 2, focal=(0.0, 100 + 7 * 10.0))
    assert positions(layout, back_left.seat_ids) == [("8", "1"), ("8", "2")]
    default = best_seats(layout, free, 2)
    assert {r for r, _s in positions(layout, default.seat_ids)} == {"1"}


def test_restricted_view_seats_are_avoided_when_a_clear_block_is_as_near():
    layout, free = picture_layout(
        """
        XXooooXXXX
        XX....XXXX
        """
    )
    result = best_seats(layout, free, 4)
    assert {r for r, _s in positions(layout, result.seat_ids)} == {"2"}


def test_accessible_mode_finds_a_wheelchair_space_with_its_companion():
    layout = SeatMapLayout.from_api(theatre_seat_map())
    free = sellable_mask(SeatStates(layout))
    result = best_seats(layout, free, 2, accessible=True)
    assert result.accessible is True and result.tier is Tier.TOGETHER
    flags = sorted(layout.flags[layout.index(i)] for i in result.seat_ids)
    assert flags == [ACCESSIBLE, COMPANION]
    assert "wheelchair" in result.message

    # without it, the front row
    plain = best_seats(layout, free, 2)
    assert {layout.seat(layout.index(i)).row for i in plain.seat_ids} == {"A"}


def test_accessible_mode_falls_back_to_plain_seats_when_no_space_is_free():
    layout = SeatMapLayout.from_api(theatre_seat_map())
    states = SeatStates(layout)
    spaces = [layout.ids[i] for i in range(len(layout)) if layout.flags[i] & ACCESSIBLE]
    states.apply(dict.fromkeys(spaces, "sold"))
    result = best_seats(layout, sellable_mask(states), 2, accessible=True)
    assert result.accessible is False and result.tier is Tier.TOGETHER
    assert len(result.seat_ids) == 2


def test_pickable_mask_limits_the_pick_to_this_counters_allocation():
    layout = SeatMapLayout.from_api(theatre_seat_map())
    states = SeatStates(layout)
    allocation = [layout.ids[i] for i in layout.rows[-1].seats][:6]  # back of the balcony
    states.set_allocation(allocation)
    states.apply(dict.fromkeys(allocation, "allocated"))
    offline = sellable_mask(states, offline=True)

    result = best_seats(layout, sellable_mask(states), 3, pickable=offline)
    assert set(result.seat_ids) <= set(allocation) and result.tier is Tier.TOGETHER
    assert best_seats(layout, sellable_mask(states), 7, pickable=offline).tier is Tier.NONE


def test_bad_requests_are_refused():
    layout, free = picture_layout("....")
    with pytest.raises(ValueError, match="at least one"):
        best_seats(layout, free, 0)
    with pytest.raises(ValueError, match="covers 3 seats"):
        best_seats(layout, free[:3], 2)


# -- best available: properties against a brute-force search -----------------------------


def _target(layout: SeatMapLayout, focal, index: int):
    """The point (and penalty) a seat is measured from: the cashier's focal point, or
    without one the venue's default for the seat's section."""
    if focal is not None:
        return (focal[0], focal[1], 0.0)
    return best_available.search_index(layout).default_targets[layout.section_of[index]]


def _brute_force(layout: SeatMapLayout, free, n: int, focal, no_single_gap: bool):
    """Every allowed block, scored with the module's own formula."""
    index = best_available.search_index(layout)
    best = (math.inf, None)
    for a, b in layout.segments:
        for s in range(a, b - n + 1):
            if not all(free[s : s + n]):
                continue
            gap_l = 0
            while s - gap_l - 1 >= a and free[s - gap_l - 1]:
                gap_l += 1
            gap_r = 0
            while s + n + gap_r < b and free[s + n + gap_r]:
                gap_r += 1
            if no_single_gap and (gap_l == 1 or gap_r == 1):
                continue
            score = best_available._block_score(index, s, n, _target(layout, focal, s), (a, b))
            best = min(best, (score, s))
    return best


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(st.text(alphabet=".X", min_size=4, max_size=14), min_size=1, max_size=6),
    n=st.integers(1, 5),
    focal=st.none() | st.tuples(st.floats(-20, 150), st.floats(0, 180)),
)
def test_best_block_is_the_best_allowed_block(rows, n, focal):
    layout, free = picture_layout("\n".join(rows))
    result = best_seats(layout, free, n, focal=focal)
    for tier, no_gap in ((Tier.TOGETHER, True), (Tier.TOGETHER_SINGLE_GAP, False)):
        expected_score, expected_start = _brute_force(layout, free, n, focal, no_gap)
        if expected_start is not None:
            assert result.tier is tier
            start = layout.index(result.seat_ids[0])
            got = best_available._block_score(
                best_available.search_index(layout),
                start,
                n,
                _target(layout, focal, start),
                _segment_of(layout, start),
            )
            assert got == pytest.approx(expected_score)
            indices = [layout.index(i) for i in result.seat_ids]
            assert indices == list(range(start, start + n))
            assert all(free[i] for i in indices)
            return
    assert result.tier in (Tier.TWO_ROWS, Tier.SCATTERED, Tier.NONE)
    indices = [layout.index(i) for i in result.seat_ids]
    assert all(free[i] for i in indices) and len(set(indices)) == len(indices)
    assert len(indices) == (n if free.count(1) >= n else 0)


def _segment_of(layout: SeatMapLayout, index: int) -> tuple[int, int]:
    return next(seg for seg in layout.segments if seg[0] <= index < seg[1])


def test_best_seats_in_a_big_arena_are_free_and_adjacent():
    data = arena_seat_map(20_000)
    layout = SeatMapLayout.from_api(data)
    states = SeatStates(layout)
    states.apply(availability_statuses(data, sold=0.7, held=0.05, blocked=0.02))
    free = sellable_mask(states)
    for n in (1, 2, 5, 9):
        result = best_seats(layout, free, n)
        indices = [layout.index(i) for i in result.seat_ids]
        assert result.tier is Tier.TOGETHER
        assert indices == list(range(indices[0], indices[0] + n))
        assert all(free[i] for i in indices)
        assert len({layout.row_of[i] for i in indices}) == 1
    assert len(all_seat_ids(data)) == 20_000
