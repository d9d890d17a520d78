""" "Best available" on the demo venues: the venue's ranking, or centre-facing sections
and the middle of the sweet row by default (never the side block beside the stage)."""

from __future__ import annotations

import itertools
from typing import Any

from enturf_core.seating.best_available import Tier, best_seats
from enturf_core.seating.layout import SeatMapLayout
from enturf_core.seating.states import mask_from
from enturf_server.catalog.demo_venues import enturf_arena, theatre_royal


def _with_ids(venue: dict[str, Any]) -> dict[str, Any]:
    ids = itertools.count(1)
    for section in venue["sections"]:
        for row in section["rows"]:
            for seat in row["seats"]:
                seat["id"] = next(ids)
    return venue


def _picked(layout: SeatMapLayout, seat_ids) -> list[tuple[str, str, str]]:
    return [
        (seat.section, seat.row, seat.label)
        for seat in (layout.seat(layout.index(i)) for i in seat_ids)
    ]


def _all_free(layout: SeatMapLayout) -> bytearray:
    return bytearray([1]) * len(layout)


def _free_outside(layout: SeatMapLayout, sections: set[str]) -> bytearray:
    """Every seat free but those of `sections` (sold)."""
    return mask_from(
        layout, lambda seat_id: layout.seat(layout.index(seat_id)).section not in sections
    )


def test_the_arena_picks_centre_facing_lower_tier_seats_a_few_rows_back():
    layout = SeatMapLayout.from_api(_with_ids(enturf_arena()))
    for n in (1, 2, 4, 8):
        result = best_seats(layout, _all_free(layout), n)
        assert result.tier is Tier.TOGETHER
        picked = _picked(layout, result.seat_ids)
        # the two sections facing the stage head-on, in the lower tier
        assert {section for section, _row, _seat in picked} <= {"Lower 104", "Lower 105"}
        (row,) = {row for _section, row, _seat in picked}
        assert 3 <= int(row) <= 8  # near the front, but not the very front row
        # the middle of the row, not its ends
        labels = [int(seat) for *_rest, seat in picked]
        row_size = len(layout.rows[layout.row_of[layout.index(result.seat_ids[0])]].seats)
        middle = (row_size + 1) / 2
        assert all(abs(label - middle) <= n for label in labels), (labels, row_size)


def test_when_the_facing_sections_are_sold_the_next_best_faces_the_stage_too():
    layout = SeatMapLayout.from_api(_with_ids(enturf_arena()))
    free = _free_outside(layout, {"Lower 104", "Lower 105"})
    picked = _picked(layout, best_seats(layout, free, 2).seat_ids)
    assert {section for section, *_ in picked} <= {"Lower 103", "Lower 106"}, picked


def test_the_venues_own_ranking_comes_first():
    venue = _with_ids(enturf_arena())
    for section in venue["sections"]:
        section["rank"] = {"Upper 204": 1, "Upper 205": 1, "Lower 101": 2}.get(section["name"])
    layout = SeatMapLayout.from_api(venue)
    picked = _picked(layout, best_seats(layout, _all_free(layout), 2).seat_ids)
    assert {section for section, *_ in picked} <= {"Upper 204", "Upper 205"}, picked
    # once the rank-1 sections are gone, rank 2 before every unranked section
    free = _free_outside(layout, {"Upper 204", "Upper 205"})
    picked = _picked(layout, best_seats(layout, free, 2).seat_ids)
    assert {section for section, *_ in picked} == {"Lower 101"}, picked


def test_the_theatre_picks_the_middle_of_the_front_stalls_row():
    layout = SeatMapLayout.from_api(_with_ids(theatre_royal()))
    picked = _picked(layout, best_seats(layout, _all_free(layout), 2).seat_ids)
    assert [(section, row) for section, row, _seat in picked] == [("Stalls", "A")] * 2
    row_size = len(layout.sections[0].seats) and len(layout.rows[0].seats)
    assert all(abs(int(seat) - (row_size + 1) / 2) <= 1 for *_rest, seat in picked)


def test_ranks_survive_the_flat_seat_rows_of_the_local_database():
    venue = _with_ids(theatre_royal())
    seats = [
        {**seat, "section": section["name"], "row": row["label"]}
        for section in venue["sections"]
        for row in section["rows"]
        for seat in row["seats"]
    ]
    meta = {**venue, "section_ranks": {"Circle": 1}}
    layout = SeatMapLayout.from_seat_rows(seats, seat_map=meta)
    assert [s.rank for s in layout.sections] == [None, 1, None]
    picked = _picked(layout, best_seats(layout, _all_free(layout), 2).seat_ids)
    assert {section for section, *_ in picked} == {"Circle"}
