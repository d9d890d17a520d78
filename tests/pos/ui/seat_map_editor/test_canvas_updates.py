"""The editor's canvas after many edits, undos and redos is what a fresh build of the
document gives: the incremental layout (only changed sections rebuilt, the seat index
updated in place) has the same seats in the same order, and the scene's tiles cover
every seat once, each where its seats are."""

from __future__ import annotations

import random

from support.seat_map_editor import new_draft

from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.edits import Selection
from enturf_core.seatmap_editing.generate import CURVED, SectionSpec, generate_section


def assert_canvas_matches(editor) -> None:
    doc = editor.document
    fresh = doc.to_layout()
    shown = editor.canvas.state.layout
    assert list(shown.ids) == list(fresh.ids)
    assert list(shown.xs) == list(fresh.xs) and list(shown.ys) == list(fresh.ys)
    assert shown.flags == fresh.flags and list(shown.labels) == list(fresh.labels)
    names = [shown.categories[c] for c in shown.category_of]
    assert names == [fresh.categories[c] for c in fresh.category_of]
    assert [(s.name, s.seats, s.rows) for s in shown.sections] == [
        (s.name, s.seats, s.rows) for s in fresh.sections
    ]
    assert [(r.label, r.seats, r.section) for r in shown.rows] == [
        (r.label, r.seats, r.section) for r in fresh.rows
    ]
    assert shown.index_of == fresh.index_of
    tiles = editor.canvas.map_scene.tiles
    covered = [i for t in tiles for i in t.seats]
    assert covered == list(range(len(shown)))
    for tile in tiles:
        box = tile.boundingRect()
        assert all(box.contains(shown.xs[i], shown.ys[i]) for i in tile.seats)
        assert len({shown.section_of[i] for i in tile.seats}) == 1
    grid = editor.canvas.state.grid
    for i in range(0, len(shown), 7):  # this seat, or one drawn on the same spot
        found = grid.seat_at(shown.xs[i], shown.ys[i], 0.01)
        assert (shown.xs[found], shown.ys[found]) == (shown.xs[i], shown.ys[i])
    selected = Selection.seat_uids(editor.selection, doc)
    assert set(editor.canvas.state.selection()) == selected


def test_many_edits_undos_and_redos_keep_the_canvas_true(qtbot, editor):
    rng = random.Random(14)
    new_draft(qtbot, editor, "Shuffle")
    doc = editor.document
    for k in range(3):
        spec = SectionSpec(f"S{k}", rows=3 + k, seats_per_row=5 + k, origin=(0, 80.0 * k))
        editor.edit(edits.add_section(doc, generate_section(spec, doc.new_uid)))
    curved = SectionSpec(
        "Curve", rows=4, seats_per_row=9, shape=CURVED, radius=120, origin=(0, 400)
    )
    editor.edit(edits.add_section(doc, generate_section(curved, doc.new_uid)))
    assert_canvas_matches(editor)

    def some_seats() -> Selection:
        uids = list(doc.seat_uids())
        return Selection.of(seats=rng.sample(uids, min(len(uids), rng.randint(1, 12))))

    for _step in range(40):
        choice = rng.randrange(9)
        sel = some_seats() if doc.seat_count else Selection()
        if choice == 0:
            edit = edits.paint(doc, sel, rng.choice(["standard", "premium", "box"]))
        elif choice == 1:
            edit = edits.move(doc, sel, rng.uniform(-20, 20), rng.uniform(-20, 20))
        elif choice == 2:
            edit = edits.delete(doc, sel)
        elif choice == 3:
            edit = edits.duplicate(doc, sel, (150.0, 0.0))
        elif choice == 4:
            edit = edits.rotate(doc, sel, rng.choice([15, -30, 90]))
        elif choice == 5:
            spec = SectionSpec("New", rows=2, seats_per_row=rng.randint(2, 8), origin=(300, 0))
            edit = edits.add_section(doc, generate_section(spec, doc.new_uid))
        elif choice == 6 and editor.undo_stack.canUndo():
            editor.undo_stack.undo()
            edit = None
        elif choice == 7 and editor.undo_stack.canRedo():
            editor.undo_stack.redo()
            edit = None
        else:
            editor.set_selection(sel)
            edit = None
        if edit is not None:
            editor.set_selection(sel)
            editor.edit(edit)
        assert_canvas_matches(editor)
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert doc.seat_count == 0
    assert_canvas_matches(editor)
