"""ChecksPanel: the checks' problems as a list (``editorChecks``); choosing one (click,
or Enter) asks the editor to zoom to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

ProblemRole = Qt.ItemDataRole.UserRole


class ChecksPanel(QWidget):
    problemChosen = Signal(object)  # the problem

    def __init__(self) -> None:
        super().__init__(objectName="editorChecksPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("Checks", objectName="editorChecksTitle")
        self.list = QListWidget(objectName="editorChecks")
        self.list.setAccessibleName("Problems found by the checks")
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)

    def show_problems(self, problems: Sequence[Any], error_count: int) -> None:
        self.list.clear()
        for problem in problems:
            error = problem.severity == "error"
            item = QListWidgetItem(("Error: " if error else "Warning: ") + problem.message)
            item.setData(ProblemRole, problem)
            item.setToolTip(problem.message)
            self.list.addItem(item)
        warnings = len(problems) - error_count
        if not problems:
            self.title.setText("Checks: no problems")
        else:
            self.title.setText(f"Checks: {error_count} errors, {warnings} warnings")

    def _chosen(self, item: QListWidgetItem) -> None:
        self.problemChosen.emit(item.data(ProblemRole))
