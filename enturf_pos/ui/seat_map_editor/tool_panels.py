"""The editor's tool panels: plain widgets with their objectNames, no behaviour (the
editor wires them). Each panel is one tab of the tool column.

* :class:`SectionPanel`: a new section of rows x seats (spacing, shape, curve, numbering).
* :class:`SelectionPanel`: rotate, move, duplicate, mirror, delete, renumber the selection.
* :class:`PaintPanel`: a category and its paint, the seat flags.
* :class:`VenuePanel`: the stage point, labels and shapes, standing areas.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from enturf_core.seatmap_editing.generate import CURVED, FAN, STRAIGHT
from enturf_core.seatmap_editing.numbering import (
    LEFT_TO_RIGHT,
    ODD_EVEN,
    RIGHT_TO_LEFT,
    ROW_LETTER_PAIRS,
    ROW_LETTERS,
    ROW_NUMBERS,
)

ROW_STYLES = {
    ROW_LETTERS: "A, B … Z, AA, BB",
    ROW_LETTER_PAIRS: "A … Z, AA, AB",
    ROW_NUMBERS: "1, 2, 3",
}
SEAT_ORDERS = {
    LEFT_TO_RIGHT: "Left to right",
    RIGHT_TO_LEFT: "Right to left",
    ODD_EVEN: "Odd and even sides",
}
SHAPE_NAMES = {STRAIGHT: "Straight rows", CURVED: "Curved rows", FAN: "Fan"}
CURVE_KINDS = {"radius": "Radius", "arc": "Arc angle (°)"}


def spin(name: str, low: int, high: int, value: int, tip: str) -> QSpinBox:
    box = QSpinBox(objectName=name)
    box.setRange(low, high)
    box.setValue(value)
    box.setAccessibleName(tip)
    box.setToolTip(tip)
    return box


def real(
    name: str, low: float, high: float, value: float, tip: str, decimals: int = 1
) -> QDoubleSpinBox:
    box = QDoubleSpinBox(objectName=name)
    box.setDecimals(decimals)
    box.setRange(low, high)
    box.setValue(value)
    box.setAccessibleName(tip)
    box.setToolTip(tip)
    return box


def combo(name: str, items: dict[str, str], tip: str) -> QComboBox:
    box = QComboBox(objectName=name)
    for key, text in items.items():
        box.addItem(text, key)
    box.setAccessibleName(tip)
    box.setToolTip(tip)
    return box


def push(name: str, text: str, tip: str) -> QPushButton:
    button = QPushButton(text, objectName=name)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    return button


def _form(parent: QWidget) -> QFormLayout:
    form = QFormLayout(parent)
    form.setContentsMargins(8, 8, 8, 8)
    form.setVerticalSpacing(4)
    return form


class SectionPanel(QWidget):
    def __init__(self) -> None:
        super().__init__(objectName="editorSectionPanel")
        form = _form(self)
        self.name = QLineEdit("Stalls", objectName="editorSectionName")
        self.name.setAccessibleName("Section name")
        self.rows = spin("editorRows", 1, 500, 10, "Rows")
        self.seats = spin("editorSeatsPerRow", 1, 2000, 20, "Seats per row")
        self.seat_spacing = real("editorSeatSpacing", 0.5, 500, 10, "Seat spacing")
        self.row_spacing = real("editorRowSpacing", 0.5, 500, 12, "Row spacing")
        self.shape = combo("editorShape", SHAPE_NAMES, "Shape of the rows")
        self.curve_kind = combo("editorCurveKind", CURVE_KINDS, "Curve given as")
        self.curve = real("editorCurve", 1, 100_000, 300, "Radius of the front row, or arc angle")
        self.rotation = real("editorSectionRotation", -360, 360, 0, "Rotation (degrees)")
        self.row_style = combo("editorRowNumbering", ROW_STYLES, "Row labels")
        self.row_start = spin("editorRowStart", 1, 999, 1, "First row label (1 = A)")
        self.row_start.setToolTip("1: the first label of the style (A or 1); 3: C or 3")
        self.row_skip = QLineEdit("IO", objectName="editorRowSkip")
        self.row_skip.setToolTip("Letters (IO) or numbers (13) never used for rows")
        self.row_skip.setAccessibleName("Row letters to leave out")
        self.seat_order = combo("editorSeatNumbering", SEAT_ORDERS, "Seat numbers")
        self.seat_start = spin("editorSeatStart", 0, 9999, 1, "First seat number")
        self.seat_skip = QLineEdit("", objectName="editorSeatSkip")
        self.seat_skip.setPlaceholderText("e.g. 13")
        self.seat_skip.setAccessibleName("Seat numbers to leave out")
        self.add = push("editorAddSection", "Add section", "Add the section below the map (Enter)")
        self.add.setDefault(True)
        form.addRow("&Name", self.name)
        form.addRow("&Rows", self.rows)
        form.addRow("&Seats per row", self.seats)
        form.addRow("Seat spacing", self.seat_spacing)
        form.addRow("Row spacing", self.row_spacing)
        form.addRow("S&hape", self.shape)
        form.addRow("Curve given as", self.curve_kind)
        form.addRow("Cur&ve", self.curve)
        form.addRow("Rotation (°)", self.rotation)
        form.addRow("Row &labels", self.row_style)
        form.addRow("First row", self.row_start)
        form.addRow("Leave out rows", self.row_skip)
        form.addRow("Seat n&umbers", self.seat_order)
        form.addRow("First seat", self.seat_start)
        form.addRow("Leave out seats", self.seat_skip)
        form.addRow(self.add)
        self.shape.currentIndexChanged.connect(self._shape_changed)
        self._shape_changed()

    def _shape_changed(self) -> None:
        curved = self.shape.currentData() != STRAIGHT
        self.curve.setEnabled(curved)
        self.curve_kind.setEnabled(curved)


class SelectionPanel(QWidget):
    def __init__(self) -> None:
        super().__init__(objectName="editorSelectionPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.summary = QLabel("Nothing selected", objectName="editorSelectionSummary")
        self.summary.setWordWrap(True)
        grid = QGridLayout()
        self.rotate_left = push(
            "editorRotateLeft", "Rotate ⟲", "Rotate the selection left (Shift+R)"
        )
        self.rotate_right = push("editorRotateRight", "Rotate ⟳", "Rotate the selection right (R)")
        self.duplicate = push("editorDuplicate", "Duplicate", "Duplicate the selection (Ctrl+D)")
        self.mirror = push("editorMirror", "Mirror", "Mirror the selection left to right (M)")
        self.delete = push("editorDelete", "Delete", "Delete the selection (Delete)")
        self.select_sections = push(
            "editorSelectSections", "Whole sections", "Select the whole sections of the selection"
        )
        for k, button in enumerate(
            [
                self.rotate_left,
                self.rotate_right,
                self.duplicate,
                self.mirror,
                self.delete,
                self.select_sections,
            ]
        ):
            grid.addWidget(button, k // 2, k % 2)
        self.angle = real("editorRotateAngle", -360, 360, 15, "Rotate by (degrees)")
        self.step = real("editorMoveStep", 0.1, 1000, 5, "Arrow keys move by")
        self.snap = QCheckBox("Snap to grid", objectName="editorSnap")
        self.snap.setToolTip("Moves and new parts land on the grid")
        self.grid_size = real("editorGridSize", 0.5, 1000, 5, "Grid size")
        form = QFormLayout()
        form.addRow("Rotate by (°)", self.angle)
        form.addRow("Arrows move by", self.step)
        form.addRow(self.snap, self.grid_size)
        renumber = QFormLayout()
        self.row_style = combo("editorRenumberRows", ROW_STYLES, "Row labels")
        self.seat_order = combo("editorRenumberSeats", SEAT_ORDERS, "Seat numbers")
        self.seat_start = spin("editorRenumberStart", 0, 9999, 1, "First seat number")
        self.renumber = push(
            "editorRenumber", "Renumber selection", "Number the selected seats again"
        )
        renumber.addRow("Seats", self.seat_order)
        renumber.addRow("From", self.seat_start)
        renumber.addRow(self.renumber)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        layout.addLayout(form)
        layout.addWidget(QLabel("Renumber", objectName="sectionTitle"))
        layout.addLayout(renumber)
        layout.addStretch(1)


FLAGS = (
    ("accessible", "editorFlagAccessible", "Wheelchair"),
    ("companion", "editorFlagCompanion", "Companion"),
    ("obstructed", "editorFlagObstructed", "Restricted view"),
    ("aisle", "editorFlagAisle", "Aisle"),
)


class PaintPanel(QWidget):
    def __init__(self) -> None:
        super().__init__(objectName="editorPaintPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.category = QComboBox(objectName="editorCategory")
        self.category.setEditable(True)  # type a new category's name
        self.category.setAccessibleName("Category (price zone)")
        self.paint = push(
            "editorPaint", "Paint selection", "Give the selected seats this category (P)"
        )
        layout.addWidget(QLabel("Category", objectName="sectionTitle"))
        layout.addWidget(self.category)
        layout.addWidget(self.paint)
        layout.addWidget(QLabel("Flags of the selection", objectName="sectionTitle"))
        self.flag_on: dict[str, QPushButton] = {}
        self.flag_off: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for k, (flag, name, text) in enumerate(FLAGS):
            on = push(name, text, f"Mark the selected seats: {text.lower()}")
            off = push(f"{name}Clear", "clear", f"Clear {text.lower()} on the selected seats")
            grid.addWidget(on, k, 0)
            grid.addWidget(off, k, 1)
            self.flag_on[flag], self.flag_off[flag] = on, off
        layout.addLayout(grid)
        layout.addStretch(1)


class VenuePanel(QWidget):
    def __init__(self) -> None:
        super().__init__(objectName="editorVenuePanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.stage = push(
            "editorStagePoint", "Set stage point…", "Click the map where the stage is"
        )
        self.stage_shape = push(
            "editorStageShape", "Draw stage", "A stage shape at the stage point"
        )
        layout.addWidget(QLabel("Stage", objectName="sectionTitle"))
        layout.addWidget(self.stage)
        layout.addWidget(self.stage_shape)
        layout.addWidget(QLabel("Labels and shapes", objectName="sectionTitle"))
        self.text = QLineEdit("Exit", objectName="editorLabelText")
        self.text.setAccessibleName("Label text")
        self.shape_kind = combo(
            "editorShapeKind",
            {"label": "Label", "rect": "Rectangle", "ellipse": "Ellipse", "line": "Line"},
            "Kind of decoration",
        )
        self.add_decoration = push("editorAddDecoration", "Place…", "Click the map where it goes")
        form = QFormLayout()
        form.addRow("Text", self.text)
        form.addRow("Kind", self.shape_kind)
        layout.addLayout(form)
        layout.addWidget(self.add_decoration)
        layout.addWidget(QLabel("Standing area", objectName="sectionTitle"))
        self.area_name = QLineEdit("Standing", objectName="editorAreaName")
        self.area_name.setAccessibleName("Standing area name")
        self.area_capacity = spin("editorAreaCapacity", 1, 1_000_000, 500, "Capacity")
        self.area_shape = combo(
            "editorAreaShape", {"rect": "Rectangle", "polygon": "Polygon (trapezium)"}, "Area shape"
        )
        self.area_width = real("editorAreaWidth", 1, 100_000, 200, "Width")
        self.area_height = real("editorAreaHeight", 1, 100_000, 120, "Depth")
        self.add_area = push("editorAddArea", "Add standing area", "Add it below the map")
        self.apply_area = push(
            "editorApplyArea",
            "Apply to selected area",
            "Give the selected area this name and capacity",
        )
        form = QFormLayout()
        form.addRow("Name", self.area_name)
        form.addRow("Capacity", self.area_capacity)
        form.addRow("Shape", self.area_shape)
        form.addRow("Width", self.area_width)
        form.addRow("Depth", self.area_height)
        layout.addLayout(form)
        layout.addWidget(self.add_area)
        layout.addWidget(self.apply_area)
        layout.addStretch(1)
