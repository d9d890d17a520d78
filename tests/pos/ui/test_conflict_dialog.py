"""The decisions dialog for a manager's set-up: a seat-map publishing conflict shows both
sides and is settled by a click; refused set-up ops are listed with the server's reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from support.back_office_feed import (
    EVENT,
    SEAT_MAP,
    VENUE,
    answer_pushes,
    apply,
    layout,
    seat_map_entry,
    seed,
)

from enturf_pos.services.catalog import seat_blocks, seatmap_drafts
from enturf_pos.services.sync import sync_conflicts
from enturf_pos.ui.conflict_dialog import ConflictDialog

CONFLICT = {
    "status": "conflict",
    "code": "seat_map_changed",
    "reason": "Version 3 of this map was published meanwhile.",
    "server": {"seat_map": 11, "version": 3},
}


@pytest.fixture
def conflict(ctx):
    seed(ctx)
    draft = seatmap_drafts.new_draft(
        ctx=ctx, venue_id=VENUE, name="Main", from_seat_map_id=SEAT_MAP
    )
    assert seatmap_drafts.publish_draft(ctx=ctx, draft_id=draft.id).ok
    answer_pushes(ctx, lambda op: CONFLICT)
    newer = layout(100)
    newer["sections"][1]["rows"].pop()  # the server's Circle lost row B
    apply(ctx, seat_map_entry(11, version=3, seats_layout=newer))
    return ctx


def figures(dialog, name: str) -> dict[str, str]:
    return {w.property("figure"): w.text() for w in dialog.findChildren(QLabel, name)}


def test_both_sides_of_a_seat_map_conflict_are_shown(qtbot, conflict):
    dialog = ConflictDialog(conflict)
    qtbot.addWidget(dialog)
    dialog.show()
    assert len(dialog.issues) == 1
    assert "Seat map “Main”" in dialog.findChild(QLabel, "issueTitle").text()
    assert "published meanwhile" in dialog.findChild(QLabel, "issueReason").text()
    assert figures(dialog, "draftFigure") == {"seats": "16", "sections": "2", "areas": "1"}
    assert figures(dialog, "serverFigure") == {"seats": "12", "sections": "2", "areas": "1"}
    assert dialog.findChild(QLabel, "differingSections").text() == "Sections that differ: Circle"
    assert dialog.findChild(QPushButton, "keepServerButton") is None


def test_publishing_as_the_newer_version_queues_it_again(qtbot, conflict):
    dialog = ConflictDialog(conflict)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.resolved):
        qtbot.mouseClick(
            dialog.findChild(QPushButton, "publishAsNewerButton"), Qt.MouseButton.LeftButton
        )
    assert dialog.findChild(QLabel, "noIssues") is not None
    (draft,) = seatmap_drafts.list_drafts(ctx=conflict)
    assert draft.state == "publishing"
    sent = answer_pushes(conflict, lambda op: {"status": "applied", "seat_map": 12, "version": 4})
    assert sent.sent[0]["payload"]["as_newer"] is True


def test_starting_again_from_the_servers_version(qtbot, conflict):
    dialog = ConflictDialog(conflict)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.resolved):
        qtbot.mouseClick(
            dialog.findChild(QPushButton, "startFromServerButton"), Qt.MouseButton.LeftButton
        )
    (draft,) = seatmap_drafts.list_drafts(ctx=conflict)
    assert (draft.state, draft.base_seat_map_id, draft.base_version) == ("draft", 11, 3)
    assert sync_conflicts.open_issues(ctx=conflict) == []


def test_a_refused_block_is_listed_with_the_servers_reason(qtbot, ctx):
    seed(ctx)
    assert seat_blocks.block_seats(ctx=ctx, event_id=EVENT, seat_ids=[9], reason="kill").ok
    answer_pushes(
        ctx,
        lambda op: {
            "status": "rejected",
            "code": "seats_unavailable",
            "reason": "Circle A 1 is sold.",
            "details": {"seats": {"9": "sold"}},
        },
    )
    dialog = ConflictDialog(ctx)
    qtbot.addWidget(dialog)
    title = dialog.findChild(QLabel, "issueTitle").text()
    assert title == "Blocked seats “Circle A 1” of “Hamlet”"
    assert dialog.findChild(QLabel, "issueReason").text() == "Circle A 1 is sold."
    with qtbot.waitSignal(dialog.resolved):
        qtbot.mouseClick(dialog.findChild(QPushButton, "dismissButton"), Qt.MouseButton.LeftButton)
    assert dialog.issues == []
