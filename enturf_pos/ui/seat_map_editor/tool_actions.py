"""ToolActions: what the tool panels and the canvas's mouse and keys do, each as one
editcore edit (or a new selection) of the editor's document."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout

from enturf_core.seating.layout import ACCESSIBLE, AISLE, COMPANION, OBSTRUCTED
from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.document import DEFAULT_CATEGORY, Area, bbox_of
from enturf_core.seatmap_editing.edits import Selection
from enturf_core.seatmap_editing.generate import (
    STRAIGHT,
    SectionSpec,
    generate_section,
    seat_positions,
)
from enturf_core.seatmap_editing.numbering import RowScheme, SeatScheme

if TYPE_CHECKING:
    from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor

FLAG_BITS = {
    "accessible": ACCESSIBLE,
    "companion": COMPANION,
    "obstructed": OBSTRUCTED,
    "aisle": AISLE,
}
GAP_ROWS = 3  # a new section or area sits this many row spacings below the map


def numbers(text: str) -> frozenset[int]:
    return frozenset(int(n) for n in re.findall(r"\d+", text))


class ToolActions:
    def __init__(self, editor: SeatMapEditor) -> None:
        self.editor = editor
        self.errors_dialog: QDialog | None = None

    @property
    def doc(self):
        return self.editor.document

    def connect(self) -> None:
        e = self.editor
        canvas = e.canvas
        canvas.clicked.connect(self.click)
        canvas.rowRequested.connect(self.select_row)
        canvas.rectSelected.connect(self.select_rect)
        canvas.partClicked.connect(self.select_part)
        canvas.moveRequested.connect(self.move)
        canvas.dragged.connect(self.drag)
        canvas.rotateRequested.connect(self.rotate_key)
        canvas.mirrorRequested.connect(self.mirror)
        canvas.duplicateRequested.connect(self.duplicate)
        canvas.deleteRequested.connect(self.delete)
        canvas.selectAllRequested.connect(self.select_all)
        canvas.escapePressed.connect(lambda: e.set_selection(Selection()))
        e.section_panel.add.clicked.connect(self.add_section)
        s = e.selection_panel
        s.rotate_left.clicked.connect(lambda: self.rotate(-s.angle.value()))
        s.rotate_right.clicked.connect(lambda: self.rotate(s.angle.value()))
        s.duplicate.clicked.connect(self.duplicate)
        s.mirror.clicked.connect(self.mirror)
        s.delete.clicked.connect(self.delete)
        s.select_sections.clicked.connect(self.select_sections)
        s.renumber.clicked.connect(self.renumber)
        p = e.paint_panel
        p.paint.clicked.connect(self.paint)
        p.category.lineEdit().returnPressed.connect(self.paint)
        for flag in FLAG_BITS:
            p.flag_on[flag].clicked.connect(lambda _c=False, f=flag: self.set_flag(f, True))
            p.flag_off[flag].clicked.connect(lambda _c=False, f=flag: self.set_flag(f, False))
        v = e.venue_panel
        v.stage.clicked.connect(self.pick_stage_point)
        v.stage_shape.clicked.connect(self.add_stage_shape)
        v.add_decoration.clicked.connect(self.pick_decoration_point)
        v.add_area.clicked.connect(self.add_area)
        v.apply_area.clicked.connect(self.apply_area)

    # -- shown state -----------------------------------------------------------------------

    def document_opened(self) -> None:
        self.fill_categories()
        self.selection_shown()

    def fill_categories(self) -> None:
        doc = self.doc
        combo = self.editor.paint_panel.category
        current = combo.currentText()
        names = [c.name for c in doc.categories] if doc else []
        layout = self.editor.canvas.state.layout
        if doc is not None and layout is not None:  # seats' categories not listed yet
            names += [name for name in layout.categories if name not in names]
        if [combo.itemText(i) for i in range(combo.count())] == names:
            return
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(names)
        combo.setEditText(current if current else (names[0] if names else DEFAULT_CATEGORY))
        combo.blockSignals(False)

    def selection_shown(self) -> None:
        doc, selection = self.doc, self.editor.selection
        self.fill_categories()
        label = self.editor.selection_panel.summary
        if doc is None or not selection:
            label.setText("Nothing selected. Click a seat, drag a rectangle, double-click a row.")
            return
        whole = [doc.sections[u] for u in selection.sections if u in doc.sections]
        seats = len(selection.seats) + sum(s.seat_count for s in whole)
        parts = [f"{seats:,} seats"] if seats else []
        if whole:
            parts.append(f"{len(whole)} whole sections")
        if selection.areas:
            parts.append(f"{len(selection.areas)} standing areas")
        if selection.decorations:
            parts.append(f"{len(selection.decorations)} shapes")
        label.setText("Selected: " + ", ".join(parts))

    # -- selecting -------------------------------------------------------------------------

    def _seats(self) -> set[int]:
        return self.editor.selection.seat_uids(self.doc) if self.doc else set()

    def click(self, uid: int | None, shift: bool) -> None:
        e = self.editor
        if uid is None:
            if not shift:
                e.set_selection(Selection())
            return
        if not shift:
            e.set_selection(Selection.of(seats=[uid]))
            return
        seats = self._seats()
        seats ^= {uid}
        current = e.selection
        e.set_selection(
            Selection.of(seats=seats, areas=current.areas, decorations=current.decorations)
        )

    def select_row(self, uid: int, shift: bool) -> None:
        doc = self.doc
        if doc is None or not doc.has_seat(uid):
            return
        row = Selection.of_rows(doc, [doc.row_of_seat(uid).uid])
        self.editor.set_selection(self.editor.selection | row if shift else row)

    def select_rect(self, uids: list[int], shift: bool) -> None:
        chosen = Selection.of(seats=uids)
        self.editor.set_selection(self.editor.selection | chosen if shift else chosen)

    def select_part(self, uid: int, shift: bool) -> None:
        doc = self.doc
        if doc is None:
            return
        part = Selection.of(areas=[uid]) if uid in doc.areas else Selection.of(decorations=[uid])
        self.editor.set_selection(self.editor.selection | part if shift else part)
        self.area_selected()

    def select_all(self) -> None:
        if self.doc is not None:
            self.editor.set_selection(Selection.everything(self.doc))

    def select_sections(self) -> None:
        doc = self.doc
        if doc is None:
            return
        current = self.editor.selection
        sections = current.by_section(doc)
        self.editor.set_selection(
            Selection.of(sections=sections, areas=current.areas, decorations=current.decorations)
        )

    # -- changing the selection ------------------------------------------------------------

    def show_selected(self) -> None:
        """Bring what an edit added into view."""
        bounds = edits.selection_bounds(self.doc, self.editor.selection)
        if bounds is not None:
            left, top, right, bottom = bounds
            self.editor.canvas.show_rect(QRectF(left, top, right - left, bottom - top))

    def _need_selection(self) -> bool:
        if self.doc is None:
            return False
        if not self.editor.selection:
            self.editor.say("Select seats, a row or a section first.", error=True)
            return False
        return True

    def move(self, steps_x: int, steps_y: int) -> None:
        if not self._need_selection():
            return
        panel = self.editor.selection_panel
        snap = panel.snap.isChecked()
        step = panel.grid_size.value() if snap else panel.step.value()
        grid = panel.grid_size.value() if snap else None
        self.editor.edit(
            edits.move(self.doc, self.editor.selection, steps_x * step, steps_y * step, grid=grid)
        )

    def drag(self, dx: float, dy: float) -> None:
        if not self._need_selection():
            return
        panel = self.editor.selection_panel
        grid = panel.grid_size.value() if panel.snap.isChecked() else None
        self.editor.edit(edits.move(self.doc, self.editor.selection, dx, dy, grid=grid))

    def rotate_key(self, sign: float) -> None:
        angle = self.editor.selection_panel.angle.value()
        self.rotate(angle if sign > 0 else -angle)

    def rotate(self, degrees: float) -> None:
        if self._need_selection():
            self.editor.edit(edits.rotate(self.doc, self.editor.selection, degrees))

    def mirror(self) -> None:
        if self._need_selection():
            self.editor.edit(edits.mirror(self.doc, self.editor.selection))

    def duplicate(self) -> None:
        if not self._need_selection():
            return
        bounds = edits.selection_bounds(self.doc, self.editor.selection)
        if bounds is None:
            return
        pitch = self._pitch()
        offset = (bounds[2] - bounds[0] + pitch * 3, 0.0)
        if self.editor.edit(edits.duplicate(self.doc, self.editor.selection, offset)):
            self.show_selected()

    def delete(self) -> None:
        if self._need_selection():
            self.editor.edit(edits.delete(self.doc, self.editor.selection))

    def paint(self) -> None:
        name = self.editor.paint_panel.category.currentText().strip()
        if not name:
            self.editor.say("Type or choose a category to paint.", error=True)
            return
        if self._need_selection():
            self.editor.edit(edits.paint(self.doc, self.editor.selection, name))

    def set_flag(self, flag: str, on: bool) -> None:
        if self._need_selection():
            self.editor.edit(edits.set_flags(self.doc, self.editor.selection, FLAG_BITS[flag], on))

    def renumber(self) -> None:
        if not self._need_selection():
            return
        panel = self.editor.selection_panel
        scheme = SeatScheme(order=panel.seat_order.currentData(), start=panel.seat_start.value())
        self.editor.edit(edits.renumber(self.doc, self.editor.selection, scheme))

    # -- adding ----------------------------------------------------------------------------

    def _pitch(self) -> float:
        layout = self.editor.canvas.state.layout
        return layout.pitch if layout is not None and len(layout) else 10.0

    def _bottom(self) -> float | None:
        """The lowest y of everything drawn so far (None: nothing yet)."""
        doc = self.doc
        layout = self.editor.canvas.state.layout
        ys: list[float] = []
        if layout is not None and len(layout):
            ys.append(layout.bounds[3])
        ys += [p[1] for a in doc.areas.values() for p in a.points]
        ys += [p[1] for d in doc.decorations.values() for p in d.points]
        return max(ys) if ys else None

    def section_spec(self) -> SectionSpec:
        p = self.editor.section_panel
        shape = p.shape.currentData()
        radius = arc = None
        if shape != STRAIGHT:
            if p.curve_kind.currentData() == "radius":
                radius = p.curve.value()
            else:
                arc = min(360.0, p.curve.value())
        skip = p.row_skip.text()
        category = self.editor.paint_panel.category.currentText().strip() or DEFAULT_CATEGORY
        return SectionSpec(
            name=p.name.text().strip() or "Section",
            rows=p.rows.value(),
            seats_per_row=p.seats.value(),
            seat_spacing=p.seat_spacing.value(),
            row_spacing=p.row_spacing.value(),
            rotation=p.rotation.value(),
            shape=shape,
            radius=radius,
            arc_angle=arc,
            category=category,
            row_scheme=RowScheme(
                style=p.row_style.currentData(),
                start=p.row_start.value(),
                skip_letters="".join(c for c in skip if c.isalpha()),
                skip=numbers(skip),
            ),
            seat_scheme=SeatScheme(
                order=p.seat_order.currentData(),
                start=p.seat_start.value(),
                skip=numbers(p.seat_skip.text()),
            ),
        )

    def add_section(self) -> None:
        doc = self.doc
        if doc is None:
            return
        try:
            spec = self.section_spec()
            rows = seat_positions(spec)
        except ValueError as error:
            self.editor.say(f"Cannot make this section: {error}.", error=True)
            return
        left, top, right, _bottom = bbox_of(p for row in rows for p in row)
        below = self._bottom()
        target_top = (
            doc.stage_y + spec.row_spacing * 2
            if below is None
            else below + spec.row_spacing * GAP_ROWS
        )
        origin = (doc.stage_x - (left + right) / 2, target_top - top)
        panel = self.editor.selection_panel
        if panel.snap.isChecked():
            origin = edits.snap_point(origin, panel.grid_size.value())
        section = generate_section(replace(spec, origin=origin), doc.new_uid)
        if self.editor.edit(edits.add_section(doc, section)):
            self.show_selected()
            self.editor.say(
                f"Added {section.name}: {section.seat_count:,} seats. Arrows move it, R turns it."
            )
            self.editor.canvas.setFocus()

    def _point_then(self, prompt: str, taker) -> None:
        if self.doc is None:
            return
        self.editor.say(prompt + " (Enter: the middle of the view; Escape: cancel)")
        self.editor.canvas.wait_for_point(taker)
        self.editor.canvas.setFocus()

    def _snapped(self, x: float, y: float) -> tuple[float, float]:
        panel = self.editor.selection_panel
        if panel.snap.isChecked():
            return edits.snap_point((x, y), panel.grid_size.value())
        return (x, y)

    def pick_stage_point(self) -> None:
        def put(x: float, y: float) -> None:
            x, y = self._snapped(x, y)
            self.editor.edit(edits.set_stage(self.doc, x, y))
            self.editor.say("The stage point is set: best seats are measured from it.")

        self._point_then("Click the map where the stage is.", put)

    def add_stage_shape(self) -> None:
        doc = self.doc
        if doc is None:
            return
        layout = self.editor.canvas.state.layout
        pitch = self._pitch()
        width = (
            max(pitch * 12, (layout.bounds[2] - layout.bounds[0]) * 0.3)
            if layout and len(layout)
            else pitch * 20
        )
        height = pitch * 4
        x, y = doc.stage_x, doc.stage_y
        points = Area.rectangle_points(x - width / 2, y - height / 2, width, height)
        self.editor.edit(edits.add_decoration(doc, "stage", points, "Stage"))

    def pick_decoration_point(self) -> None:
        venue = self.editor.venue_panel
        kind = venue.shape_kind.currentData()
        text = venue.text.text()

        def put(x: float, y: float) -> None:
            x, y = self._snapped(x, y)
            p = self._pitch()
            if kind == "label":
                points: tuple = ((x, y),)
            elif kind == "line":
                points = ((x - 4 * p, y), (x + 4 * p, y))
            elif kind == "ellipse":
                points = ((x - 4 * p, y - 2 * p), (x + 4 * p, y + 2 * p))
            else:
                points = Area.rectangle_points(x - 4 * p, y - 2 * p, 8 * p, 4 * p)
            self.editor.edit(edits.add_decoration(self.doc, kind, points, text))

        self._point_then("Click the map where it goes.", put)

    def add_area(self) -> None:
        doc = self.doc
        if doc is None:
            return
        v = self.editor.venue_panel
        width, depth = v.area_width.value(), v.area_height.value()
        below = self._bottom()
        top = doc.stage_y + depth * 0.2 if below is None else below + self._pitch() * GAP_ROWS
        x = doc.stage_x - width / 2
        if v.area_shape.currentData() == "polygon":
            inset = width * 0.15
            points = (
                (x, top),
                (x + width, top),
                (x + width - inset, top + depth),
                (x + inset, top + depth),
            )
        else:
            points = Area.rectangle_points(x, top, width, depth)
        name = doc.unique_area_name(v.area_name.text().strip() or "Standing")
        if self.editor.edit(edits.add_area(doc, name, v.area_capacity.value(), points)):
            self.show_selected()

    def apply_area(self) -> None:
        """The Venue tab's name and capacity onto the selected standing areas."""
        doc = self.doc
        if doc is None:
            return
        chosen = [uid for uid in self.editor.selection.areas if uid in doc.areas]
        if len(chosen) != 1:
            self.editor.say("Select one standing area on the map first.", error=True)
            return
        v = self.editor.venue_panel
        name = v.area_name.text().strip() or doc.areas[chosen[0]].name
        self.editor.edit(
            edits.edit_area(doc, chosen[0], name=name, capacity=v.area_capacity.value())
        )

    def area_selected(self) -> None:
        """A selected area's name and capacity into the Venue tab's fields."""
        doc = self.doc
        chosen = [uid for uid in self.editor.selection.areas if doc and uid in doc.areas]
        if len(chosen) == 1:
            area = doc.areas[chosen[0]]
            v = self.editor.venue_panel
            v.area_name.setText(area.name)
            v.area_capacity.setValue(area.capacity)

    # -- import errors ---------------------------------------------------------------------

    def show_import_errors(self, path: str, problems: list[str]) -> None:
        dialog = QDialog(self.editor, objectName="editorImportErrors")
        dialog.setWindowTitle("The file was not imported")
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(f"{path}\nhas these problems; nothing was imported:"))
        listing = QListWidget(objectName="editorImportErrorList")
        listing.addItems(problems)
        layout.addWidget(listing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(560, 360)
        self.errors_dialog = dialog
        dialog.open()
