"""ToolActions: what the tool panels and the canvas's mouse and keys do, each as one
editcore edit (or a new selection) of the editor's document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from enturf_core.seating.layout import ACCESSIBLE, AISLE, COMPANION, OBSTRUCTED
from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.document import DEFAULT_CATEGORY
from enturf_core.seatmap_editing.edits import Selection
from enturf_core.seatmap_editing.numbering import SeatScheme

if TYPE_CHECKING:
    from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor

FLAG_BITS = {
    "accessible": ACCESSIBLE,
    "companion": COMPANION,
    "obstructed": OBSTRUCTED,
    "aisle": AISLE,
}


class ToolActions:
    def __init__(self, editor: SeatMapEditor) -> None:
        self.editor = editor

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
        s = e.selection_panel
        s.rotate_left.clicked.connect(lambda: self.rotate(-s.angle.value()))
        s.rotate_right.clicked.connect(lambda: self.rotate(s.angle.value()))
        s.duplicate.clicked.connect(self.duplicate)
        s.mirror.clicked.connect(self.mirror)
        s.delete.clicked.connect(self.delete)
        s.select_sections.clicked.connect(self.select_sections)
        s.renumber.clicked.connect(self.renumber)
        s.apply_section.clicked.connect(self.apply_section)
        s.section_name.returnPressed.connect(self.apply_section)
        p = e.paint_panel
        p.paint.clicked.connect(self.paint)
        p.category.lineEdit().returnPressed.connect(self.paint)
        p.category.currentTextChanged.connect(lambda _t: self.show_swatch())
        p.colour.clicked.connect(self.choose_colour)
        for flag in FLAG_BITS:
            p.flag_on[flag].clicked.connect(lambda _c=False, f=flag: self.set_flag(f, True))
            p.flag_off[flag].clicked.connect(lambda _c=False, f=flag: self.set_flag(f, False))

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
        self.show_swatch()

    def selection_shown(self) -> None:
        doc, selection = self.doc, self.editor.selection
        self.fill_categories()
        if self.editor.tools.currentWidget().widget() is self.editor.selection_panel:
            self.section_shown()  # (it reads every selected seat: only when in sight)
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
        self.editor.add_tools.area_selected()

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
            edits.move(self.doc, self.editor.selection, steps_x * step, steps_y * step, grid=grid),
            merge="arrow keys",  # a run of presses is one undo step
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
        pitch = self.editor.add_tools.pitch()
        offset = (bounds[2] - bounds[0] + pitch * 3, 0.0)
        if self.editor.edit(edits.duplicate(self.doc, self.editor.selection, offset)):
            self.editor.add_tools.show_selected()

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

    def choose_colour(self) -> None:
        """The category's colour, from the editor's colour picker (a seam tests replace)."""
        doc = self.doc
        name = self.editor.paint_panel.category.currentText().strip()
        if doc is None or not name:
            self.editor.say("Type or choose a category first.", error=True)
            return
        chosen = self.editor.pick_colour(doc.category_colour(name))
        if chosen:
            self.editor.edit(edits.set_category(doc, name, chosen.upper()))
            self.show_swatch()

    def show_swatch(self) -> None:
        doc = self.doc
        panel = self.editor.paint_panel
        name = panel.category.currentText().strip()
        listed = doc.category(name) if doc is not None and name else None
        colour = listed.colour if listed is not None else ""
        panel.swatch.setStyleSheet(f"background: {colour}; border: 1px solid;" if colour else "")
        panel.swatch.setToolTip(colour or "Not listed yet: painting lists it with a new colour")

    def set_flag(self, flag: str, on: bool) -> None:
        if self._need_selection():
            self.editor.edit(edits.set_flags(self.doc, self.editor.selection, FLAG_BITS[flag], on))

    def _one_section(self):
        doc = self.doc
        uids = list(self.editor.selection.by_section(doc)) if doc else []
        return doc.sections[uids[0]] if len(uids) == 1 else None

    def apply_section(self) -> None:
        """The Select tab's name and rank onto the one section the selection is in."""
        section = self._one_section()
        if section is None:
            self.editor.say("Select seats of one section first.", error=True)
            return
        panel = self.editor.selection_panel
        name = panel.section_name.text().strip()
        rank = panel.section_rank.value() or None
        if name and name != section.name and self.doc.section_named(name) is not None:
            self.editor.say(f"There is a section {name} already.", error=True)
            return
        stack = self.editor.undo_stack
        stack.beginMacro(f"Section {name or section.name}")  # one undo step for both
        if name and name != section.name:
            self.editor.edit(edits.rename_section(self.doc, section.uid, name))
        if rank != section.rank:  # made after the rename is in
            self.editor.edit(edits.set_section_rank(self.doc, section.uid, rank))
        stack.endMacro()

    def section_shown(self) -> None:
        """The selected section's name and rank into the Select tab's fields."""
        section = self._one_section()
        panel = self.editor.selection_panel
        panel.apply_section.setEnabled(section is not None)
        if section is not None:
            panel.section_name.setText(section.name)
            panel.section_rank.setValue(section.rank or 0)

    def renumber(self) -> None:
        if not self._need_selection():
            return
        panel = self.editor.selection_panel
        scheme = SeatScheme(order=panel.seat_order.currentData(), start=panel.seat_start.value())
        self.editor.edit(edits.renumber(self.doc, self.editor.selection, scheme))
