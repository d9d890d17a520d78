"""The seat-map editor's files and drafts: export and import give the same seats (in
Enturf's JSON and through pretix's format), a pretix plan imports, a file with mistakes
is refused with every mistake listed, and a draft survives closing the editor."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from sqlalchemy import select
from support.back_office_feed import SEAT_MAP
from support.seat_map_editor import (
    FakeDialogs,
    add_section,
    build_theatre,
    child,
    choose,
    click,
    click_seat,
    key,
    new_draft,
    seat_colour,
    seats_by_place,
    trigger,
    type_into,
)

from enturf_core.seating.layout import ACCESSIBLE
from enturf_pos.models import OutboxOp, SeatMapDraft
from enturf_pos.services.catalog import seatmap_drafts
from enturf_pos.ui.seat_map_editor import editor as editor_module
from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def drawing(document) -> tuple:
    areas = [(a.name, a.capacity, a.points) for a in document.areas.values()]
    decorations = [(d.kind, d.points, d.text) for d in document.decorations.values()]
    return areas, decorations, [(c.name, c.colour) for c in document.categories]


def test_export_then_import_gives_the_same_seats(qtbot, editor, tmp_path):
    build_theatre(qtbot, editor)
    drawn = editor.document
    path = tmp_path / "theatre.enturf.json"
    editor.file_dialogs.save = path
    trigger(editor, "editorExport")
    assert editor.file_dialogs.asked == [("enturf", "Theatre Royal.enturf.json")]
    assert json.loads(path.read_text())["format"] == "enturf-seatmap/1"

    new_draft(qtbot, editor, "Theatre copy")
    assert editor.document.seat_count == 0
    editor.file_dialogs.open = path
    trigger(editor, "editorImport")
    assert editor.message.text().startswith("Imported the seat map: 672 seats")
    assert seats_by_place(editor.document) == seats_by_place(drawn)
    assert drawing(editor.document) == drawing(drawn)
    assert editor.document.name == "Theatre copy"  # the draft's name, not the file's
    assert len(editor.canvas.state.layout) == 672


def test_a_round_trip_through_pretix_keeps_the_seats(qtbot, editor, tmp_path):
    build_theatre(qtbot, editor)
    drawn = {k: v[:3] for k, v in seats_by_place(editor.document).items()}
    path = tmp_path / "theatre.pretix.json"
    editor.file_dialogs.save = path
    trigger(editor, "editorExportPretix")
    assert "pretix cannot hold" in editor.message.text()  # the wheelchair row
    assert "zones" in json.loads(path.read_text())

    new_draft(qtbot, editor, "From pretix")
    editor.file_dialogs.open = path
    trigger(editor, "editorImport")
    assert editor.message.text().startswith("Imported the pretix plan: 672 seats")
    again = {k: v[:3] for k, v in seats_by_place(editor.document).items()}
    assert again == drawn
    assert not any(s.flags & ACCESSIBLE for s in editor.document.seats())


def pretix_plan() -> dict:
    """A plan in the shape of pretix's seating-plan.schema.json: zones placed on the
    map, rows in them, seats in the rows, a stage shape."""

    def seat(guid: str, number: str, x: float, category: str) -> dict:
        return {
            "seat_guid": guid,
            "seat_number": number,
            "position": {"x": x, "y": 0},
            "category": category,
        }

    return {
        "name": "Studio",
        "categories": [{"name": "Front", "color": "#AA3300"}, {"name": "Back", "color": "#0a6"}],
        "size": {"width": 600, "height": 400},
        "zones": [
            {
                "name": "Floor",
                "position": {"x": 100, "y": 150},
                "rows": [
                    {
                        "row_number": "1",
                        "position": {"x": 0, "y": 0},
                        "seats": [seat(f"f-1-{n}", str(n), 30 * n, "Front") for n in range(1, 7)],
                    },
                    {
                        "row_number": "2",
                        "position": {"x": 0, "y": 35},
                        "seats": [seat(f"f-2-{n}", str(n), 30 * n, "Back") for n in range(1, 7)],
                    },
                ],
                "areas": [
                    {
                        "shape": "rectangle",
                        "position": {"x": 0, "y": -120},
                        "rectangle": {"width": 240, "height": 50},
                        "text": {"text": "STAGE", "position": {"x": 120, "y": 25}},
                    }
                ],
            }
        ],
    }


def test_a_pretix_plan_imports(qtbot, editor, tmp_path):
    path = tmp_path / "studio.json"
    path.write_text(json.dumps(pretix_plan()))
    new_draft(qtbot, editor, "Studio")
    editor.file_dialogs.open = path
    trigger(editor, "editorImport")

    doc = editor.document
    assert editor.message.text().startswith("Imported the pretix plan: 12 seats")
    (floor,) = doc.sections.values()
    assert floor.name == "Floor" and [r.label for r in floor.rows] == ["1", "2"]
    first = floor.rows[0].seats[0]
    assert (first.label, first.x, first.y, first.category, first.key) == (
        "1",
        130,
        150,
        "Front",
        "f-1-1",
    )
    assert [d.kind for d in doc.decorations.values()] == ["stage"]
    assert len(editor.canvas.state.layout) == 12
    assert not [p for p in editor.run_checks() if p.severity == "error"]


def test_a_file_with_mistakes_is_refused_and_its_mistakes_listed(qtbot, editor, tmp_path):
    new_draft(qtbot, editor, "Hall C")
    add_section(qtbot, editor, "Stalls", 2, 5)
    bad = {
        "format": "enturf-seatmap/1",
        "name": "Bad",
        "categories": [{"name": "premium", "colour": "red"}],
        "sections": [
            {"name": "Stalls", "rows": [{"label": "A", "seats": [{"label": "1", "x": 0}]}]},
            {"name": "Stalls", "rows": []},
        ],
        "areas": [{"name": "Floor", "capacity": -5, "x": 0, "y": 0, "width": 10, "height": 10}],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    editor.file_dialogs.open = path
    trigger(editor, "editorImport")

    assert editor.message.text().startswith("Not imported")
    dialog = editor.findChild(type(editor.errors_dialog), "editorImportErrors")
    assert dialog is not None and dialog.isVisible()
    listing = child(dialog, QListWidget, "editorImportErrorList")
    errors = [listing.item(i).text() for i in range(listing.count())]
    assert len(errors) >= 3 and errors == editor.import_errors
    joined = "\n".join(errors)
    assert "categories[0]" in joined and "sections[0].rows[0].seats[0]" in joined
    assert "areas[0]" in joined
    assert editor.document.seat_count == 10  # nothing was imported

    path.write_text("{ not json")
    trigger(editor, "editorImport")
    assert editor.import_errors[0].startswith("line 1, column 3: not JSON")


def labels(document) -> list[tuple[str, str, list[str]]]:
    return [
        (section.name, row.label, [seat.label for seat in row.seats])
        for section in document.sections.values()
        for row in section.rows
    ]


@pytest.mark.parametrize("kind", ["enturf", "pretix"])
def test_an_import_is_one_step_undone_and_redone_by_keys(qtbot, editor, ctx, tmp_path, kind):
    path = tmp_path / "plan.json"
    if kind == "pretix":
        path.write_text(json.dumps(pretix_plan()))
    else:
        new_draft(qtbot, editor, "Elsewhere")
        add_section(qtbot, editor, "Gallery", 3, 9)
        editor.file_dialogs.save = path
        trigger(editor, "editorExport")
    new_draft(qtbot, editor, "Hall A")
    add_section(qtbot, editor, "Stalls", 2, 5)
    click_seat(qtbot, editor, editor.document.section_named("Stalls").rows[0].seats[1].uid)
    type_into(qtbot, editor, "editorCategory", "premium")
    click(qtbot, editor, "editorPaint")
    old = editor.document
    drawn = old.to_file_dict()
    old_labels = labels(old)
    steps = editor.undo_stack.count()

    editor.file_dialogs.open = path
    key(qtbot, editor, Qt.Key.Key_O, CTRL)
    imported = editor.document
    count = 12 if kind == "pretix" else 27
    assert imported.seat_count == count and editor.undo_stack.count() == steps + 1
    assert not editor.has_unsaved_changes()  # saved at once
    assert editor.undo_action.toolTip().startswith("Undo Import the ")
    again = imported.to_file_dict()

    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert editor.document.seat_count == 10 and labels(editor.document) == old_labels
    assert editor.document.to_file_dict() == drawn  # as it was, the premium seat too
    assert len(editor.canvas.state.layout) == 10
    assert editor.selection.seats == {old.section_named("Stalls").rows[0].seats[1].uid}
    assert editor.save_now()
    assert seatmap_drafts.load_draft(ctx=ctx, draft_id=editor.draft_id) == drawn
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)  # on back through the draft's own steps
    assert editor.document.section_named("Stalls").rows[0].seats[1].category == "standard"

    key(qtbot, editor, Qt.Key.Key_Z, CTRL | SHIFT)
    key(qtbot, editor, Qt.Key.Key_Z, CTRL | SHIFT)  # the import again
    assert editor.document.seat_count == count and editor.document.to_file_dict() == again
    assert len(editor.canvas.state.layout) == count
    assert not editor.redo_action.isEnabled()
    assert editor.save_now()
    assert seatmap_drafts.load_draft(ctx=ctx, draft_id=editor.draft_id) == again


def test_a_draft_survives_closing_the_editor_and_can_be_discarded(qtbot, editor, ctx):
    new_draft(qtbot, editor, "Arena floor")
    add_section(qtbot, editor, "Block A", 5, 12)
    drawn = seats_by_place(editor.document)
    editor.close()  # saves at once
    assert not editor.has_unsaved_changes()

    again = SeatMapEditor(ctx)
    again.file_dialogs = FakeDialogs()
    again.confirm = lambda _text: True
    qtbot.addWidget(again)
    again.show()
    drafts = child(again, QListWidget, "editorDrafts")
    texts = [drafts.item(i).text() for i in range(drafts.count())]
    assert texts == ["Arena floor · Hall · draft"]
    drafts.setCurrentRow(0)
    click(qtbot, again, "editorOpenDraft")
    assert seats_by_place(again.document) == drawn

    click(qtbot, again, "editorDiscardDraft")
    assert again.document is None and drafts.count() == 0
    assert again.message.text() == "Draft discarded."


def test_a_draft_started_again_from_the_servers_map_reopens_with_it(qtbot, editor, ctx):
    """The server had a newer map (a conflict); the manager chose its version in the
    decisions dialog: after the next refresh the editor shows it."""
    new_draft(qtbot, editor, "Main")
    add_section(qtbot, editor, "Mine", 2, 4)
    editor.save_now()
    with ctx.db.transaction() as session:  # what sync records for a conflict
        draft = session.get(SeatMapDraft, editor.draft_id)
        draft.state, draft.server = "conflict", {"seat_map": SEAT_MAP, "version": 2}
    editor.refresh()
    assert "changed on the server" in editor.title.text()
    assert seatmap_drafts.start_again_from_server(ctx=ctx, draft_id=editor.draft_id).ok

    editor.refresh()
    assert [s.name for s in editor.document.sections.values()] == ["Stalls", "Circle"]
    assert editor.document.seat_count == 16 and len(editor.canvas.state.layout) == 16
    assert editor.title.text() == "Main"
    assert "Undo brings your drawing back" in editor.message.text()
    servers = editor.document.to_file_dict()
    # one undoable step: the drawing comes back into the draft, and goes again
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert [s.name for s in editor.document.sections.values()] == ["Mine"]
    assert len(editor.canvas.state.layout) == 8
    assert editor.save_now()
    saved = seatmap_drafts.load_draft(ctx=ctx, draft_id=editor.draft_id)
    assert [s["name"] for s in saved["sections"]] == ["Mine"]
    key(qtbot, editor, Qt.Key.Key_Z, CTRL | SHIFT)
    assert editor.document.to_file_dict() == servers
    editor.refresh()  # no second "start again"
    assert editor.document.to_file_dict() == servers and not editor.redo_action.isEnabled()


def test_seats_are_drawn_in_their_categorys_own_colour(qtbot, editor, tmp_path):
    """A plan's categories keep their colours on the canvas (pretix's #AA3300, #0a6)."""
    path = tmp_path / "studio.json"
    path.write_text(json.dumps(pretix_plan()))
    new_draft(qtbot, editor, "Studio")
    editor.file_dialogs.open = path
    trigger(editor, "editorImport")
    trigger(editor, "editorFit")
    qtbot.wait(20)
    front = editor.document.section_named("Floor").rows[0].seats[2]
    back = editor.document.section_named("Floor").rows[1].seats[2]
    for seat, colour in ((front, "#aa3300"), (back, "#00aa66")):
        assert seat_colour(editor, seat.uid) == colour


def test_a_draft_from_a_synced_map_is_its_next_version(qtbot, editor, ctx):
    choose(editor, "editorDraftBase", "Main v2 (16 seats)")
    click(qtbot, editor, "editorNewDraft")  # the name: the map's
    doc = editor.document
    assert doc.name == "Main" and doc.seat_count == 16
    assert [s.name for s in doc.sections.values()] == ["Stalls", "Circle"]
    assert [a.name for a in doc.areas.values()] == ["Floor"]
    stalls = doc.section_named("Stalls")
    click_seat(qtbot, editor, stalls.rows[0].seats[0].uid)
    type_into(qtbot, editor, "editorCategory", "premium")
    click(qtbot, editor, "editorPaint")
    trigger(editor, "editorPublish")
    assert "Queued" in editor.message.text()
    with ctx.db.transaction() as s:
        (op,) = s.scalars(select(OutboxOp).where(OutboxOp.type == "seatmap_publish"))
        assert op.payload["base_seat_map"] == SEAT_MAP and op.payload["name"] == "Main"
    # being published, the draft cannot change
    click(qtbot, editor, "editorPaint")
    assert "being published" in editor.message.text()
    editor.file_dialogs.open = "/nonexistent.json"
    trigger(editor, "editorImport")
    assert "being published" in editor.message.text()


def test_a_big_maps_draft_is_saved_on_a_thread_in_order(qtbot, editor, ctx, monkeypatch):
    monkeypatch.setattr(editor_module, "BIG_MAP", 10)  # "big" from 11 seats
    monkeypatch.setattr(editor_module, "BIG_MAP_AUTOSAVE_MS", 20)
    new_draft(qtbot, editor, "Big")
    add_section(qtbot, editor, "Stalls", 3, 8)
    qtbot.waitUntil(lambda: editor.saver.running or not editor.has_unsaved_changes())
    add_section(qtbot, editor, "Circle", 2, 8)  # while the first may still be written
    qtbot.waitUntil(lambda: not editor.has_unsaved_changes(), timeout=5000)
    assert not editor.saver.running
    saved = seatmap_drafts.load_draft(ctx=ctx, draft_id=editor.draft_id)
    assert [s["name"] for s in saved["sections"]] == ["Stalls", "Circle"]
    add_section(qtbot, editor, "Balcony", 1, 8)
    assert editor.save_now() and not editor.has_unsaved_changes()  # waits, then writes
    saved = seatmap_drafts.load_draft(ctx=ctx, draft_id=editor.draft_id)
    assert [s["name"] for s in saved["sections"]] == ["Stalls", "Circle", "Balcony"]
