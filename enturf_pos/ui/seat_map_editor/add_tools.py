"""AddTools: what adds to the map: a generated section below everything drawn, the stage
point and a stage shape, labels and shapes where the manager clicks, standing areas
(and a selected area's name and capacity), each as one editcore edit."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF

from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.document import DEFAULT_CATEGORY, Area, bbox_of
from enturf_core.seatmap_editing.generate import (
    STRAIGHT,
    SectionSpec,
    generate_section,
    seat_positions,
)
from enturf_core.seatmap_editing.numbering import RowScheme, SeatScheme

if TYPE_CHECKING:
    from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor

GAP_ROWS = 3  # a new section or area sits this many row spacings below the map


def numbers(text: str) -> frozenset[int]:
    return frozenset(int(n) for n in re.findall(r"\d+", text))


class AddTools:
    def __init__(self, editor: SeatMapEditor) -> None:
        self.editor = editor

    @property
    def doc(self):
        return self.editor.document

    def connect(self) -> None:
        e = self.editor
        e.section_panel.add.clicked.connect(self.add_section)
        v = e.venue_panel
        v.stage.clicked.connect(self.pick_stage_point)
        v.stage_shape.clicked.connect(self.add_stage_shape)
        v.add_decoration.clicked.connect(self.pick_decoration_point)
        v.add_area.clicked.connect(self.add_area)
        v.apply_area.clicked.connect(self.apply_area)
        v.apply_decoration.clicked.connect(self.apply_decoration)

    def show_selected(self) -> None:
        """Bring what an edit added into view."""
        bounds = edits.selection_bounds(self.doc, self.editor.selection)
        if bounds is not None:
            left, top, right, bottom = bounds
            self.editor.canvas.show_rect(QRectF(left, top, right - left, bottom - top))

    def pitch(self) -> float:
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
        pitch = self.pitch()
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
        if kind == "polygon":
            self._corners_then(
                lambda corners: self.editor.edit(
                    edits.add_decoration(self.doc, "polygon", corners, text)
                )
            )
            return

        def put(x: float, y: float) -> None:
            x, y = self._snapped(x, y)
            p = self.pitch()
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
        if v.area_shape.currentData() == "corners":
            self._corners_then(self._add_area_at)
            return
        width, depth = v.area_width.value(), v.area_height.value()
        below = self._bottom()
        top = doc.stage_y + depth * 0.2 if below is None else below + self.pitch() * GAP_ROWS
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
        self._add_area_at(points)

    def _add_area_at(self, points) -> None:
        doc, v = self.doc, self.editor.venue_panel
        name = doc.unique_area_name(v.area_name.text().strip() or "Standing")
        if self.editor.edit(edits.add_area(doc, name, v.area_capacity.value(), points)):
            self.show_selected()

    def _corners_then(self, taker) -> None:
        """A polygon clicked corner by corner on the map, then ``taker(corners)``."""
        self.editor.say(
            "Click the corners on the map; Enter or a double click ends it, Backspace takes"
            " the last corner back, Escape cancels."
        )

        def done(corners: list[tuple[float, float]]) -> None:
            taker([self._snapped(x, y) for x, y in corners])

        self.editor.canvas.wait_for_polygon(done)
        self.editor.canvas.setFocus()

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

    def apply_decoration(self) -> None:
        """The Venue tab's text onto the selected label or shape."""
        doc = self.doc
        if doc is None:
            return
        chosen = [uid for uid in self.editor.selection.decorations if uid in doc.decorations]
        if len(chosen) != 1:
            self.editor.say("Select one label or shape on the map first.", error=True)
            return
        text = self.editor.venue_panel.text.text()
        self.editor.edit(edits.edit_decoration(doc, chosen[0], text=text))

    def area_selected(self) -> None:
        """A selected area's name and capacity, or a selected shape's text, into the
        Venue tab's fields."""
        doc = self.doc
        if doc is None:
            return
        selection = self.editor.selection
        v = self.editor.venue_panel
        areas = [uid for uid in selection.areas if uid in doc.areas]
        if len(areas) == 1:
            area = doc.areas[areas[0]]
            v.area_name.setText(area.name)
            v.area_capacity.setValue(area.capacity)
        shapes = [uid for uid in selection.decorations if uid in doc.decorations]
        if len(shapes) == 1:
            v.text.setText(doc.decorations[shapes[0]].text)
