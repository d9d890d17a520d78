"""The editor's QUndoStack commands.

* :class:`EditCommand`: one editcore :class:`Edit` (redo applies it, undo reverts it),
  with the selection before and after. Commands given the same ``run`` key merge into
  one step through Qt's own ``id()`` / ``mergeWith()`` (``edits.merge``): the arrow
  keys' moves of one selection. The editor makes the key, and a new one ends the run.
* :class:`ReplaceCommand`: another whole document in the open draft (an import, the
  server's version): redo shows the new document, undo the one it replaced, the same
  object, as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtGui import QUndoCommand

from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.document import SeatMapDocument
from enturf_core.seatmap_editing.edits import Edit, Selection

Changed = Callable[[Selection], None]  # the editor redraws, then selects this
Shown = Callable[[SeatMapDocument, Selection], None]  # the editor shows this document
RUN_ID = 1  # QUndoCommand.id() of the commands that may merge (the same run key)


class EditCommand(QUndoCommand):
    def __init__(
        self,
        document: SeatMapDocument,
        edit: Edit,
        before: Selection,
        changed: Changed,
        run: Hashable | None = None,
    ) -> None:
        super().__init__(edit.text)
        self.document = document
        self.edit: Edit | None = edit  # None: merged into nothing (Qt drops the command)
        self.before = before
        self.after = edit.selection if edit.selection is not None else before
        self.run = run
        self._changed = changed

    def id(self) -> int:
        return -1 if self.run is None else RUN_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Take in ``other`` (pushed and done right after this one) when it is of the
        same run; a run that ends where it began is obsolete (Qt removes it)."""
        if not isinstance(other, EditCommand) or other.run != self.run or self.edit is None:
            return False
        assert other.edit is not None
        self.edit = edits.merge(self.edit, other.edit)
        self.after = other.after
        self.setObsolete(self.edit is None)
        return True

    def redo(self) -> None:
        if self.edit is not None:
            edits.apply(self.document, self.edit)
        self._changed(self.after)

    def undo(self) -> None:
        if self.edit is not None:
            edits.revert(self.document, self.edit)
        self._changed(self.before)


class ReplaceCommand(QUndoCommand):
    def __init__(
        self,
        text: str,
        before: SeatMapDocument,
        after: SeatMapDocument,
        selection: Selection,
        show: Shown,
    ) -> None:
        super().__init__(text)
        self.before, self.after = before, after
        self.selection = selection  # the replaced document's, given back by undo
        self._show = show

    def redo(self) -> None:
        self._show(self.after, Selection())

    def undo(self) -> None:
        self._show(self.before, self.selection)
