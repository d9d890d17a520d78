"""A screenshot of the seat-map editor with the demo's Theatre Royal, for the README and
for people to look at (tests/artifacts/seat-map-editor.png; docs/img/seat-map-editor.png
is the committed copy). The theatre comes in through the editor's own import; a row is
selected and a standing area added, and the pixels are checked for the selection's
colour."""

from __future__ import annotations

import json

from PySide6.QtGui import QColor
from support.artifacts import ARTIFACTS
from support.seat_map_editor import click, click_seat, new_draft, trigger, type_into

from enturf_demo.venues import theatre_royal
from enturf_pos.ui.app import style_sheet
from enturf_pos.ui.seat_map import palette


def test_the_editor_with_the_demo_theatre(qtbot, qapp, editor, tmp_path):
    qapp.setStyleSheet(style_sheet())
    try:
        editor.resize(1366, 680)
        path = tmp_path / "theatre-royal.json"
        path.write_text(json.dumps({"format": "enturf-seatmap/1", **theatre_royal()}))
        new_draft(qtbot, editor, "Main")
        editor.file_dialogs.open = path
        trigger(editor, "editorImport")
        assert editor.document.seat_count == 1500
        click(qtbot, editor, "editorStageShape")
        type_into(qtbot, editor, "editorAreaName", "Promenade")
        click(qtbot, editor, "editorAddArea")
        trigger(editor, "editorFit")
        circle = editor.document.section_named("Circle")
        click_seat(qtbot, editor, circle.rows[2].seats[20].uid, double=True)
        editor.tools.setCurrentIndex(3)  # the Paint tab, ready to paint the row
        editor.run_checks()
        qtbot.wait(50)

        image = editor.grab().toImage()
        assert image.save(str(ARTIFACTS / "seat-map-editor.png"))
        cart = palette.CART_FILL
        canvas = editor.canvas.geometry()
        found = sum(
            1
            for x in range(canvas.left(), canvas.right(), 2)
            for y in range(canvas.top(), canvas.bottom(), 2)
            if QColor(image.pixel(x, y)) == cart
        )
        assert found > 20  # the selected row, in the cart's yellow
    finally:
        qapp.setStyleSheet("")
