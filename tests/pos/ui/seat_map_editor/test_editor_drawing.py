"""The seat-map editor driven like a manager: a theatre drawn from nothing (curved
stalls, circle, balcony, a wheelchair row, premium seats, a standing area, the stage),
every step undone and redone by keys, a planted mistake shown on the map and refusing
the publishing, and the publishing queued as a push op."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from sqlalchemy import select
from support.artifacts import ARTIFACTS
from support.seat_map_editor import (
    add_section,
    build_theatre,
    child,
    choose,
    click,
    click_seat,
    key,
    new_draft,
    seat_colour,
    seat_point,
    set_spin,
    trigger,
    type_into,
)

from enturf_core.seating.layout import ACCESSIBLE
from enturf_core.seatmap_editing.checks import DUPLICATE_SEAT_LABEL, ERROR, OVERLAPPING_SEATS
from enturf_core.wire import ops as wire
from enturf_pos.models import OutboxOp
from enturf_pos.services.catalog import seatmap_drafts
from enturf_pos.ui.seat_map_editor.checks_panel import ProblemRole

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def section(editor, name: str):
    found = editor.document.section_named(name)
    assert found is not None, f"no section {name}"
    return found


def outbox(ctx) -> list[OutboxOp]:
    with ctx.db.transaction() as s:
        rows = list(s.scalars(select(OutboxOp).where(OutboxOp.type == wire.SEATMAP_PUBLISH)))
        s.expunge_all()
        return rows


def test_a_manager_draws_a_theatre_and_publishes_it(qtbot, editor, ctx):
    build_theatre(qtbot, editor)
    doc = editor.document

    assert [s.name for s in doc.sections.values()] == ["Stalls", "Circle", "Balcony"]
    assert doc.seat_count == 12 * 28 + 6 * 32 + 4 * 36
    stalls, circle = section(editor, "Stalls"), section(editor, "Circle")
    front, back = stalls.rows[0].seats, stalls.rows[-1].seats
    assert [r.label for r in stalls.rows][:3] == ["A", "B", "C"]
    assert [s.label for s in front[:3]] == ["1", "2", "3"]
    assert front[0].y < front[14].y  # curved: the row's ends come forward
    assert min(s.y for s in circle.seats()) > max(s.y for s in back)  # behind the stalls
    assert all(s.flags & ACCESSIBLE for s in front)
    assert not any(s.flags & ACCESSIBLE for s in stalls.rows[1].seats)
    premium = [s for s in doc.seats() if s.category == "premium"]
    assert len(premium) == 16 and {s.label for s in premium} == {str(n) for n in range(11, 19)}
    assert [c.name for c in doc.categories] == ["standard", "premium"]
    (area,) = doc.areas.values()
    assert (area.name, area.capacity, area.is_rectangle) == ("Promenade", 300, False)
    assert [d.kind for d in doc.decorations.values()] == ["stage"]

    # on the canvas: every seat drawn, premium in its own colour, the area, the stage
    layout = editor.canvas.state.layout
    assert len(layout) == doc.seat_count and layout.categories[:2] == ("standard", "premium")
    assert sum(len(t.seats) for t in editor.canvas.map_scene.tiles) == doc.seat_count
    assert [item.area.name for item in editor.canvas.map_scene.areas] == ["Promenade"]
    trigger(editor, "editorFit")
    editor.run_checks()
    editor.grab().save(str(ARTIFACTS / "seat-map-editor-theatre.png"))

    # the draft is saved as drawn, then publishing queues the op
    qtbot.waitUntil(lambda: not editor.has_unsaved_changes())
    saved = seatmap_drafts.load_draft(ctx=ctx, draft_id=editor.draft_id)
    assert [s["name"] for s in saved["sections"]] == ["Stalls", "Circle", "Balcony"]
    assert not [p for p in editor.run_checks() if p.severity == ERROR]
    trigger(editor, "editorPublish")
    assert "Queued" in editor.message.text()
    (op,) = outbox(ctx)
    assert op.payload["name"] == "Theatre Royal" and op.payload.get("base_seat_map") is None
    layout_sent = op.payload["layout"]
    assert [s["name"] for s in layout_sent["sections"]] == ["Stalls", "Circle", "Balcony"]
    assert layout_sent["areas"][0]["capacity"] == 300 and "polygon" in layout_sent["areas"][0]
    assert seatmap_drafts.draft_info(ctx=ctx, draft_id=editor.draft_id).state == "publishing"


def test_every_step_undoes_and_redoes_by_keys(qtbot, editor):
    new_draft(qtbot, editor, "Hall B")
    add_section(qtbot, editor, "Stalls", 4, 10)
    stalls = section(editor, "Stalls")
    seat = stalls.rows[0].seats[0]
    before = (seat.x, seat.y)
    click_seat(qtbot, editor, seat.uid)
    key(qtbot, editor, Qt.Key.Key_Right)  # move by the step (5)
    key(qtbot, editor, Qt.Key.Key_Right, SHIFT)  # ten steps
    assert editor.document.seat(seat.uid).x == before[0] + 55
    key(qtbot, editor, Qt.Key.Key_Delete)
    assert not editor.document.has_seat(seat.uid)
    assert editor.document.seat_count == 39
    assert len(editor.canvas.state.layout) == 39

    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert editor.document.seat(seat.uid).x == before[0] + 55
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)  # both presses: one step
    assert (editor.document.seat(seat.uid).x, editor.document.seat(seat.uid).y) == before
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert editor.document.seat_count == 0 and len(editor.canvas.state.layout) == 0
    assert not editor.undo_action.isEnabled()

    for _ in range(3):
        key(qtbot, editor, Qt.Key.Key_Z, CTRL | SHIFT)
    assert editor.document.seat_count == 39 and not editor.redo_action.isEnabled()
    assert len(editor.canvas.state.layout) == 39
    # the rest: rotate, mirror, duplicate, each one step
    click_seat(qtbot, editor, section(editor, "Stalls").rows[1].seats[2].uid, double=True)
    key(qtbot, editor, Qt.Key.Key_R)
    key(qtbot, editor, Qt.Key.Key_M)
    key(qtbot, editor, Qt.Key.Key_D, CTRL)
    assert [s.name for s in editor.document.sections.values()] == ["Stalls", "Stalls 2"]
    assert editor.undo_stack.count() == 6
    for _ in range(3):
        trigger(editor, "editorUndo")
    assert [s.name for s in editor.document.sections.values()] == ["Stalls"]
    assert section(editor, "Stalls").rows[1] == stalls.rows[1]


def test_a_planted_mistake_is_shown_on_the_map_and_stops_publishing(qtbot, editor, ctx):
    new_draft(qtbot, editor, "Studio")
    add_section(qtbot, editor, "Stalls", 3, 8)
    row = section(editor, "Stalls").rows[0]
    # seat 2 pushed onto seat 1 (two Left steps of 5 with seats 10 apart)
    click_seat(qtbot, editor, row.seats[1].uid)
    key(qtbot, editor, Qt.Key.Key_Left)
    key(qtbot, editor, Qt.Key.Key_Left)
    # seats 6-8 of row B numbered again from 3: 3, 4, 5 twice
    seats = section(editor, "Stalls").rows[1].seats
    click_seat(qtbot, editor, seats[5].uid)
    click_seat(qtbot, editor, seats[6].uid, shift=True)
    click_seat(qtbot, editor, seats[7].uid, shift=True)
    set_spin(qtbot, editor, "editorRenumberStart", 3)
    click(qtbot, editor, "editorRenumber")
    assert [s.label for s in section(editor, "Stalls").rows[1].seats] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "3",
        "4",
        "5",
    ]

    problems = editor.run_checks()
    kinds = {p.kind for p in problems}
    assert {OVERLAPPING_SEATS, DUPLICATE_SEAT_LABEL} <= kinds
    listing = child(editor, type(editor.checks.list), "editorChecks")
    texts = [listing.item(i).text() for i in range(listing.count())]
    assert any(t.startswith("Error:") for t in texts) and any(
        t.startswith("Warning:") for t in texts
    )
    assert len(editor.map.marks.marks) == len(problems)
    assert any(error for _x, _y, error in editor.map.marks.marks)

    trigger(editor, "editorPublish")
    message = editor.message.text()
    assert message.startswith("Not published") and "row 'B' has 2 seats numbered '3'" in message
    assert outbox(ctx) == []

    # choosing the problem in the list zooms to it and selects its seats
    fit_px = editor.canvas.seat_px()
    item = next(
        listing.item(i)
        for i in range(listing.count())
        if listing.item(i).data(ProblemRole).kind == DUPLICATE_SEAT_LABEL
    )
    qtbot.mouseClick(
        listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center()
    )
    problem = item.data(ProblemRole)
    assert editor.canvas.seat_px() >= min(fit_px, 24)
    viewport = editor.canvas.viewport().rect()
    assert all(viewport.contains(seat_point(editor, uid)) for uid in problem.seat_uids)
    assert editor.canvas.state.selection() == sorted(problem.seat_uids)
    assert editor.map.marks.current is not None

    # fixed: renumbered from 6, publishing goes ahead
    set_spin(qtbot, editor, "editorRenumberStart", 6)
    click_seat(qtbot, editor, seats[5].uid)
    click_seat(qtbot, editor, seats[6].uid, shift=True)
    click_seat(qtbot, editor, seats[7].uid, shift=True)
    click(qtbot, editor, "editorRenumber")
    trigger(editor, "editorPublish")
    assert "Queued" in editor.message.text()
    assert len(outbox(ctx)) == 1


def test_the_keyboard_alone_selects_moves_and_paints(qtbot, editor):
    new_draft(qtbot, editor, "Keys")
    add_section(qtbot, editor, "Stalls", 3, 6)
    key(qtbot, editor, Qt.Key.Key_Escape)  # nothing selected: arrows walk the cursor
    assert not editor.selection
    key(qtbot, editor, Qt.Key.Key_Down)
    first = editor.canvas.cursor_index
    assert first is not None
    key(qtbot, editor, Qt.Key.Key_Right)
    key(qtbot, editor, Qt.Key.Key_Space)
    seat_uid = editor.canvas.state.layout.ids[editor.canvas.cursor_index]
    assert editor.selection.seats == {seat_uid}
    key(qtbot, editor, Qt.Key.Key_Right, CTRL)  # Ctrl: the cursor walks, the seat stays
    key(qtbot, editor, Qt.Key.Key_Space, SHIFT)
    assert len(editor.selection.seats) == 2
    key(qtbot, editor, Qt.Key.Key_Return, SHIFT)  # and its whole row
    row = editor.document.row_of_seat(editor.canvas.state.layout.ids[editor.canvas.cursor_index])
    assert {s.uid for s in row.seats} <= editor.selection.seats
    before = editor.document.seat(seat_uid).y
    key(qtbot, editor, Qt.Key.Key_Down)  # with a selection, arrows move it
    assert editor.document.seat(seat_uid).y == before + 5
    # Alt+4: the Paint tab, its category first; type, Enter paints
    qtbot.keyClick(editor.canvas, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert editor.tools.currentIndex() == 3
    assert editor.focusWidget() is editor.paint_panel.category
    editor.paint_panel.category.lineEdit().selectAll()
    qtbot.keyClicks(editor.focusWidget(), "vip")
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Return)
    assert editor.document.seat(seat_uid).category == "vip"
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_F6)
    assert editor.canvas.hasFocus()


def test_a_rectangle_dragged_selects_and_an_area_is_edited(qtbot, editor):
    new_draft(qtbot, editor, "Drag")
    add_section(qtbot, editor, "Stalls", 4, 10)
    click(qtbot, editor, "editorAddArea")
    rows = section(editor, "Stalls").rows
    # drag from just outside row B's first seat to row C's fifth
    start = seat_point(editor, rows[1].seats[0].uid) - QPoint(4, 4)
    end = seat_point(editor, rows[2].seats[4].uid) + QPoint(4, 4)
    viewport = editor.canvas.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))  # clear
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, (start + end) / 2)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    expected = {s.uid for row in rows[1:3] for s in row.seats[:5]}
    assert editor.selection.seats == expected
    assert set(editor.canvas.state.selection()) == expected
    # dragging a selected seat moves the whole selection, one undo step
    seat = rows[1].seats[2]
    grab = seat_point(editor, seat.uid)
    scale = editor.canvas.scale_factor()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(viewport, grab + QPoint(20, 0))
    qtbot.mouseMove(viewport, grab + QPoint(40, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=grab + QPoint(40, 0))
    moved = editor.document.seat(seat.uid)
    assert abs(moved.x - (seat.x + 40 / scale)) < 1 / scale and moved.y == seat.y
    assert editor.document.seat(rows[0].seats[2].uid) == rows[0].seats[2]  # not selected
    assert editor.selection.seats == expected
    trigger(editor, "editorUndo")
    assert editor.document.seat(seat.uid) == seat

    # the standing area: clicked, renamed and given another capacity, undone
    (area,) = editor.document.areas.values()
    left, top, right, bottom = area.bbox
    where = editor.canvas.mapFromScene(QPointF((left + right) / 2, (top + bottom) / 2))
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=where)
    assert editor.selection.areas == {area.uid} and not editor.selection.seats
    type_into(qtbot, editor, "editorAreaName", "Pit")
    set_spin(qtbot, editor, "editorAreaCapacity", 250)
    click(qtbot, editor, "editorApplyArea")
    changed = editor.document.areas[area.uid]
    assert (changed.name, changed.capacity) == ("Pit", 250)
    assert editor.canvas.map_scene.areas[0].area.capacity == 250
    trigger(editor, "editorUndo")
    assert editor.document.areas[area.uid].capacity == area.capacity


def test_a_section_is_renamed_and_ranked_in_one_step(qtbot, editor):
    new_draft(qtbot, editor, "Ranks")
    add_section(qtbot, editor, "Stalls", 2, 6)
    add_section(qtbot, editor, "Circle", 2, 6)
    stalls = section(editor, "Stalls")
    click_seat(qtbot, editor, stalls.rows[0].seats[1].uid)
    qtbot.keyClick(editor.canvas, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # Select tab
    assert editor.selection_panel.section_name.text() == "Stalls"
    type_into(qtbot, editor, "editorSelectedSectionName", "Circle")
    click(qtbot, editor, "editorApplySection")
    assert "There is a section Circle already" in editor.message.text()
    type_into(qtbot, editor, "editorSelectedSectionName", "Orchestra")
    set_spin(qtbot, editor, "editorSectionRank", 1)
    steps = editor.undo_stack.count()
    click(qtbot, editor, "editorApplySection")
    renamed = editor.document.sections[stalls.uid]
    assert (renamed.name, renamed.rank) == ("Orchestra", 1)
    assert editor.undo_stack.count() == steps + 1
    assert [s.name for s in editor.canvas.state.layout.sections] == ["Orchestra", "Circle"]
    trigger(editor, "editorUndo")
    assert editor.document.sections[stalls.uid] == stalls


def test_a_category_gets_its_colour_and_the_seats_show_it(qtbot, editor):
    new_draft(qtbot, editor, "Colours")
    add_section(qtbot, editor, "Stalls", 2, 6)  # "standard", listed with a palette colour
    editor.pick_colour = lambda current: "#7a1f5c"  # the manager's choice in the dialog
    click(qtbot, editor, "editorCategoryColour")
    assert editor.document.category("standard").colour == "#7A1F5C"
    assert editor.canvas.state.category_colours[0] == "#7A1F5C"
    key(qtbot, editor, Qt.Key.Key_Escape)  # the new section was selected: unselect it
    trigger(editor, "editorFit")
    qtbot.wait(20)
    seat = section(editor, "Stalls").rows[0].seats[2]
    assert seat_colour(editor, seat.uid) == "#7a1f5c"
    trigger(editor, "editorUndo")
    assert editor.canvas.state.category_colours[0] != "#7A1F5C"


def test_a_seats_tooltip_says_where_it_is_its_category_and_flags(qtbot, editor):
    new_draft(qtbot, editor, "Tips")
    add_section(qtbot, editor, "Stalls", 2, 4)
    seat = section(editor, "Stalls").rows[0].seats[0]
    click_seat(qtbot, editor, seat.uid)
    click(qtbot, editor, "editorFlagAisle")
    index = editor.canvas.state.layout.index(seat.uid)
    assert editor.canvas.state.describe(index) == "Stalls · Row A · Seat 1\nstandard\nAisle"


def test_a_standing_area_drawn_corner_by_corner(qtbot, editor):
    new_draft(qtbot, editor, "Polygon")
    add_section(qtbot, editor, "Stalls", 2, 6)
    type_into(qtbot, editor, "editorAreaName", "Pit")
    choose(editor, "editorAreaShape", "Polygon: click its corners")
    click(qtbot, editor, "editorAddArea")
    viewport = editor.canvas.viewport()
    corners = [QPoint(100, 300), QPoint(300, 300), QPoint(340, 420), QPoint(60, 420), QPoint(9, 9)]
    for corner in corners:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=corner)
    key(qtbot, editor, Qt.Key.Key_Backspace)  # the stray last corner
    assert not editor.document.areas  # not yet ended
    expected = [editor.canvas.mapToScene(c) for c in corners[:4]]  # before it refits
    key(qtbot, editor, Qt.Key.Key_Return)
    (area,) = editor.document.areas.values()
    assert area.name == "Pit" and not area.is_rectangle
    assert [(round(x, 6), round(y, 6)) for x, y in area.points] == [
        (round(p.x(), 6), round(p.y(), 6)) for p in expected
    ]
    assert editor.selection.areas == {area.uid}


def test_a_label_is_placed_and_its_text_changed(qtbot, editor):
    new_draft(qtbot, editor, "Labels")
    add_section(qtbot, editor, "Stalls", 2, 6)
    type_into(qtbot, editor, "editorLabelText", "Exit")
    choose(editor, "editorShapeKind", "Label")
    click(qtbot, editor, "editorAddDecoration")
    key(qtbot, editor, Qt.Key.Key_Return)  # at the middle of the view
    (label,) = editor.document.decorations.values()
    assert (label.kind, label.text) == ("label", "Exit")
    assert editor.selection.decorations == {label.uid}
    type_into(qtbot, editor, "editorLabelText", "Exit B")
    click(qtbot, editor, "editorApplyDecoration")
    assert editor.document.decorations[label.uid].text == "Exit B"
    trigger(editor, "editorUndo")
    assert editor.document.decorations[label.uid].text == "Exit"
