"""Seat-map drafts kept on this counter, and publishing them as a queued op."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from support.back_office_feed import (
    FLOOR_POLYGON,
    SEAT_MAP,
    STALLS_OUTLINE,
    VENUE,
    seed,
)

from enturf_core.wire import ops as wire
from enturf_pos.models import DraftState, OutboxOp, OutboxState
from enturf_pos.services.catalog import seatmap_drafts
from enturf_pos.services.session.pos_context import open_context


@pytest.fixture
def seeded(ctx):
    seed(ctx)
    return ctx


def test_venues_and_synced_seat_maps_are_listed(seeded):
    assert [(v.id, v.name) for v in seatmap_drafts.venues(ctx=seeded)] == [(VENUE, "Hall")]
    (row,) = seatmap_drafts.seat_maps(ctx=seeded, venue_id=VENUE)
    assert (row.id, row.name, row.version, row.seat_count) == (SEAT_MAP, "Main", 2, 16)
    assert seatmap_drafts.seat_maps(ctx=seeded, venue_id=99) == []


def test_a_synced_map_reads_as_the_file_format(seeded):
    doc = seatmap_drafts.seat_map_document(ctx=seeded, seat_map_id=SEAT_MAP)
    assert doc["format"] == "enturf-seatmap/1" and doc["name"] == "Main"
    stalls, circle = doc["sections"]
    assert (stalls["name"], stalls["rank"], stalls["outline"]) == ("Stalls", 1, STALLS_OUTLINE)
    assert [r["label"] for r in stalls["rows"]] == ["A", "B"]
    first, second = stalls["rows"][0]["seats"][:2]
    assert first == {
        "key": "k1",
        "label": "1",
        "x": 0.0,
        "y": 0.0,
        "category": "standard",
        "aisle": True,
    }
    assert second["accessible"] is True
    assert circle["rows"][0]["seats"][0]["category"] == "premium"
    (area,) = doc["areas"]
    assert (area["name"], area["capacity"], area["polygon"]) == ("Floor", 100, FLOOR_POLYGON)
    assert doc["categories"] == [{"name": "premium", "colour": "#B03A2E"}]
    assert doc["decorations"][0]["kind"] == "stage"


def test_a_draft_survives_a_restart_and_publishing_queues_the_op(seeded, pos_config):
    draft = seatmap_drafts.new_draft(
        ctx=seeded, venue_id=VENUE, name="Main", from_seat_map_id=SEAT_MAP
    )
    assert (draft.base_seat_map_id, draft.base_version, draft.state) == (SEAT_MAP, 2, "draft")
    doc = seatmap_drafts.load_draft(ctx=seeded, draft_id=draft.id)
    doc["sections"][0]["rows"][0]["seats"].pop()
    seatmap_drafts.save_draft(ctx=seeded, draft_id=draft.id, document=doc)
    seeded.close()
    reopened = open_context(pos_config)
    try:
        assert [d.id for d in seatmap_drafts.list_drafts(ctx=reopened)] == [draft.id]
        kept = seatmap_drafts.load_draft(ctx=reopened, draft_id=draft.id)
        assert len(kept["sections"][0]["rows"][0]["seats"]) == 3
        result = seatmap_drafts.publish_draft(ctx=reopened, draft_id=draft.id)
        assert result.ok, result.message
        (info,) = seatmap_drafts.list_drafts(ctx=reopened)
        assert info.state == DraftState.PUBLISHING
        with reopened.db.transaction() as s:
            (op,) = s.scalars(select(OutboxOp)).all()
            payload = wire.SeatMapPublish.from_wire(op.payload)
        assert (payload.draft, payload.venue, payload.name) == (draft.id, VENUE, "Main")
        assert payload.base_seat_map == SEAT_MAP and not payload.as_newer
        assert "name" not in payload.layout and payload.layout["sections"][0]["name"] == "Stalls"
        again = seatmap_drafts.publish_draft(ctx=reopened, draft_id=draft.id)
        assert not again.ok and "already being published" in again.message
        with pytest.raises(ValueError, match="being published"):
            seatmap_drafts.save_draft(ctx=reopened, draft_id=draft.id, document=kept)
        seatmap_drafts.discard_draft(ctx=reopened, draft_id=draft.id)
        assert seatmap_drafts.list_drafts(ctx=reopened) == []
        with reopened.db.transaction() as s:
            assert s.scalars(select(OutboxOp.state)).all() == [OutboxState.RESOLVED]
    finally:
        reopened.close()


def test_a_new_map_starts_empty_and_an_empty_one_is_not_published(seeded):
    draft = seatmap_drafts.new_draft(ctx=seeded, venue_id=VENUE, name="Open air")
    assert draft.base_seat_map_id is None
    assert seatmap_drafts.load_draft(ctx=seeded, draft_id=draft.id)["sections"] == []
    result = seatmap_drafts.publish_draft(ctx=seeded, draft_id=draft.id)
    assert not result.ok and "at least one section with seats" in result.message


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"name": "  "}, "needs a name"),
        ({"venue_id": 99}, "Choose a venue"),
        ({"from_seat_map_id": 77}, "not on this counter"),
    ],
)
def test_bad_new_draft_says_what_to_fix(seeded, kwargs, says):
    with pytest.raises(ValueError, match=says):
        seatmap_drafts.new_draft(ctx=seeded, **{"venue_id": VENUE, "name": "Main", **kwargs})


def test_a_missing_draft_says_so(seeded):
    with pytest.raises(seatmap_drafts.DraftMissing):
        seatmap_drafts.load_draft(ctx=seeded, draft_id=uuid.uuid4())


def test_a_draft_with_a_problem_is_not_queued_and_says_where(seeded):
    draft = seatmap_drafts.new_draft(
        ctx=seeded, venue_id=VENUE, name="Main", from_seat_map_id=SEAT_MAP
    )
    doc = seatmap_drafts.load_draft(ctx=seeded, draft_id=draft.id)
    doc["sections"][0]["rows"][0]["seats"][1]["label"] = "1"  # two seats A 1
    seatmap_drafts.save_draft(ctx=seeded, draft_id=draft.id, document=doc)
    result = seatmap_drafts.publish_draft(ctx=seeded, draft_id=draft.id)
    assert not result.ok and "sections[0].rows[0]" in result.message
    assert seatmap_drafts.list_drafts(ctx=seeded)[0].state == "draft"
    with seeded.db.transaction() as s:
        assert s.scalars(select(OutboxOp)).all() == []
