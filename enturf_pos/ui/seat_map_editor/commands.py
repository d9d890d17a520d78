"""EditCommand: one editcore :class:`Edit` on the editor's QUndoStack (redo applies it,
undo reverts it), with the selection before and after."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.document import SeatMapDocument
from enturf_core.seatmap_editing.edits import Edit, Selection

Changed = Callable[[Selection], None]  # the editor redraws, then selects this


class EditCommand(QUndoCommand):
    def __init__(
        self, document: SeatMapDocument, edit: Edit, before: Selection, changed: Changed
    ) -> None:
        super().__init__(edit.text)
        self.document = document
        self.edit = edit
        self.before = before
        self.after = edit.selection if edit.selection is not None else before
        self._changed = changed

    def redo(self) -> None:
        edits.apply(self.document, self.edit)
        self._changed(self.after)

    def undo(self) -> None:
        edits.revert(self.document, self.edit)
        self._changed(self.before)
