"""What one undo step is in the seat-map editor, driven by mouse and keys: a drag of
the selection is one step however far the pointer wanders (the next drag is another),
and a run of arrow presses on one selection is one step until the selection changes,
another step comes between, or an undo."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from support.seat_map_editor import (
    add_section,
    click,
    click_seat,
    key,
    new_draft,
    seat_point,
    seats_by_place,
    trigger,
)

from enturf_core.seating.layout import ACCESSIBLE
from enturf_core.seatmap_editing import edits

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton


def drag(qtbot, editor, uid: int, by: QPoint, steps: int = 8) -> None:
    """Press on a seat, move the pointer there in ``steps`` steps, release."""
    viewport = editor.canvas.viewport()
    grab = seat_point(editor, uid)
    qtbot.mousePress(viewport, LEFT, pos=grab)
    for k in range(1, steps + 1):
        qtbot.mouseMove(viewport, grab + by * k / steps)
    qtbot.mouseRelease(viewport, LEFT, pos=grab + by)


def stalls(editor):
    found = editor.document.section_named("Stalls")
    assert found is not None
    return found


def a_seat_selected(qtbot, editor, draft: str, rows: int, seats: int, which: int):
    """A new draft with a Stalls section, one seat of its front row selected."""
    new_draft(qtbot, editor, draft)
    add_section(qtbot, editor, "Stalls", rows, seats)
    seat = stalls(editor).rows[0].seats[which]
    click_seat(qtbot, editor, seat.uid)
    return seat


def test_a_drag_is_one_undo_step_and_the_next_drag_another(qtbot, editor):
    new_draft(qtbot, editor, "Drags")
    add_section(qtbot, editor, "Stalls", 4, 10)
    row = stalls(editor).rows[1]
    click_seat(qtbot, editor, row.seats[3].uid, double=True)  # the whole row
    start = seats_by_place(editor.document)
    steps = editor.undo_stack.count()

    drag(qtbot, editor, row.seats[3].uid, QPoint(60, 0))
    after_first = seats_by_place(editor.document)
    assert after_first != start
    drag(qtbot, editor, row.seats[3].uid, QPoint(0, 40))
    assert seats_by_place(editor.document) != after_first
    assert editor.undo_stack.count() == steps + 2

    key(qtbot, editor, Qt.Key.Key_Z, CTRL)  # the second drag only
    assert seats_by_place(editor.document) == after_first
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)  # the first, every pointer move of it
    assert seats_by_place(editor.document) == start
    assert editor.selection.seats == {s.uid for s in row.seats}
    key(qtbot, editor, Qt.Key.Key_Z, CTRL | SHIFT)
    assert seats_by_place(editor.document) == after_first

    # arrow presses after a drag are a step of their own
    key(qtbot, editor, Qt.Key.Key_Right)
    key(qtbot, editor, Qt.Key.Key_Right)
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert seats_by_place(editor.document) == after_first


def test_five_arrow_presses_are_one_undo_step(qtbot, editor):
    seat = a_seat_selected(qtbot, editor, "Nudges", 3, 8, 2)
    steps = editor.undo_stack.count()

    for _ in range(4):
        key(qtbot, editor, Qt.Key.Key_Right)  # the step is 5
    key(qtbot, editor, Qt.Key.Key_Down, SHIFT)  # ten steps
    moved = editor.document.seat(seat.uid)
    assert (moved.x, moved.y) == (seat.x + 20, seat.y + 50)
    assert editor.undo_stack.count() == steps + 1
    assert editor.undo_action.toolTip() == "Undo Move (Ctrl+Z)"

    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert editor.document.seat(seat.uid) == seat
    assert editor.canvas.state.selection() == [seat.uid]  # still selected
    key(qtbot, editor, Qt.Key.Key_Z, CTRL | SHIFT)
    assert editor.document.seat(seat.uid) == moved
    assert len(editor.canvas.state.layout) == 24


def test_a_run_of_arrow_presses_ends_with_its_selection_another_step_or_an_undo(qtbot, editor):
    new_draft(qtbot, editor, "Runs")
    add_section(qtbot, editor, "Stalls", 3, 8)
    row = stalls(editor).rows[0]
    first, second = row.seats[0], row.seats[5]
    start = seats_by_place(editor.document)
    steps = editor.undo_stack.count()

    click_seat(qtbot, editor, first.uid)
    key(qtbot, editor, Qt.Key.Key_Up)
    key(qtbot, editor, Qt.Key.Key_Up)
    click_seat(qtbot, editor, second.uid)  # another selection: another run
    key(qtbot, editor, Qt.Key.Key_Up)
    key(qtbot, editor, Qt.Key.Key_Up)
    assert editor.undo_stack.count() == steps + 2
    click(qtbot, editor, "editorFlagAccessible")  # another step comes between
    key(qtbot, editor, Qt.Key.Key_Up)
    assert editor.undo_stack.count() == steps + 4

    key(qtbot, editor, Qt.Key.Key_Z, CTRL)  # the press after the flag
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)  # the flag
    key(qtbot, editor, Qt.Key.Key_Up)  # after an undo: a new run, not the last one's
    assert editor.undo_stack.count() == steps + 3
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert editor.document.seat(second.uid).y == second.y - 10
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert editor.document.seat(second.uid) == second
    assert editor.document.seat(first.uid).y == first.y - 10
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert seats_by_place(editor.document) == start
    trigger(editor, "editorUndo")  # the section
    assert editor.document.seat_count == 0 and not editor.undo_action.isEnabled()


def test_a_run_that_ends_where_it_began_leaves_no_step(qtbot, editor):
    """Qt drops a merged command that changes nothing (QUndoCommand.setObsolete)."""
    seat = a_seat_selected(qtbot, editor, "Back again", 2, 4, 0)
    steps = editor.undo_stack.count()
    section = stalls(editor)
    forth = edits.set_flags(editor.document, editor.selection, ACCESSIBLE)
    assert forth is not None
    editor.edit(forth, merge="test")
    ((uid, before, after),) = forth.sections
    back = edits.Edit("Back", sections=((uid, after, before),), same_seats=True)
    editor.edit(back, merge="test")  # the very section objects of before: no change
    assert editor.undo_stack.count() == steps
    assert stalls(editor) is section and editor.document.seat(seat.uid) == seat
