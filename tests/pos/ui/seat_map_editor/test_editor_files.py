"""The seat-map editor's files and drafts: export and import give the same seats (in
Enturf's JSON and through pretix's format), a pretix plan imports, a file with mistakes
is refused with every mistake listed, and a draft survives closing the editor."""

from __future__ import annotations

import json

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget
from support.back_office_feed import SEAT_MAP
from support.seat_map_editor import (
    FakeDialogs,
    add_section,
    build_theatre,
    child,
    click,
    new_draft,
    seats_by_place,
    trigger,
)

from enturf_core.seating.layout import ACCESSIBLE
from enturf_pos.models import SeatMapDraft
from enturf_pos.services.catalog import seatmap_drafts
from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor


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
    dialog = editor.findChild(type(editor.actions_.errors_dialog), "editorImportErrors")
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


def test_seats_are_drawn_in_their_categorys_own_colour(qtbot, editor, tmp_path):
    """A plan's categories keep their colours on the canvas (pretix's #AA3300, #0a6)."""
    path = tmp_path / "studio.json"
    path.write_text(json.dumps(pretix_plan()))
    new_draft(qtbot, editor, "Studio")
    editor.file_dialogs.open = path
    trigger(editor, "editorImport")
    trigger(editor, "editorFit")
    qtbot.wait(20)
    image = editor.canvas.viewport().grab().toImage()
    front = editor.document.section_named("Floor").rows[0].seats[2]
    back = editor.document.section_named("Floor").rows[1].seats[2]
    for seat, colour in ((front, "#aa3300"), (back, "#00aa66")):
        where = editor.canvas.mapFromScene(QPointF(seat.x, seat.y))
        assert QColor(image.pixel(where)).name() == colour
