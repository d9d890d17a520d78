"""In, out and inside now for the chosen list (objectName ``checkinCounts``; its figures
``countIn``, ``countOut``, ``countInside``, also as the properties in / out / inside)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel


class CheckinCounts(QFrame):
    def __init__(self) -> None:
        super().__init__(objectName="checkinCounts")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 8, 14, 8)
        self.figures: dict[str, QLabel] = {}
        for column, (key, name, caption) in enumerate(
            (
                ("in", "countIn", "In"),
                ("out", "countOut", "Out"),
                ("inside", "countInside", "Inside now"),
            )
        ):
            figure = QLabel("-", objectName=name)
            figure.setProperty("figure", True)
            figure.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label = QLabel(caption)
            label.setProperty("figureCaption", True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(figure, 0, column)
            grid.addWidget(label, 1, column)
            self.figures[key] = figure
        self.show_counts(None)

    def show_counts(self, counts: tuple[int, int, int] | None) -> None:
        """(in, out, inside), or None: no list chosen."""
        values = counts or (None, None, None)
        for key, value in zip(("in", "out", "inside"), values, strict=True):
            self.figures[key].setText("-" if value is None else f"{value:,}")
            self.setProperty(key, value)
        if counts:
            self.setAccessibleName(f"In {counts[0]}, out {counts[1]}, inside now {counts[2]}")
