"""SeatMapEditor (objectName ``seatMapEditor``): the manager window's "Seat maps" tab.

A manager opens or starts a draft (kept in the local database, offline too), draws on
the cashier's canvas with the tools on the left, and publishes the draft as the next
version of the venue's map (a queued ``seatmap_publish`` op). Every change is one
editcore ``Edit`` on a ``QUndoStack`` (a run of arrow-key moves of one selection is one
step); an import, or the server's version taken into the draft, is one step too. The
draft is saved after each change (debounced) and when the tab is hidden. The checks run
after each change and are shown on the map and in the checks list; publishing is
refused while they report errors.

The widget needs only the POS context; the window connects ``publishQueued`` to sync.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from enturf_core.seatmap_editing.checks import ERROR, Problem, check_document
from enturf_core.seatmap_editing.document import SeatMapDocument
from enturf_core.seatmap_editing.edits import Edit, Selection
from enturf_pos.services.catalog import seatmap_drafts
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.seat_map_editor import file_io
from enturf_pos.ui.seat_map_editor.add_tools import AddTools
from enturf_pos.ui.seat_map_editor.background_checks import BackgroundChecks
from enturf_pos.ui.seat_map_editor.canvas import EditorCanvas
from enturf_pos.ui.seat_map_editor.checks_panel import ChecksPanel
from enturf_pos.ui.seat_map_editor.commands import EditCommand, ReplaceCommand
from enturf_pos.ui.seat_map_editor.draft_saver import DraftSaver
from enturf_pos.ui.seat_map_editor.drafts_panel import DraftsPanel
from enturf_pos.ui.seat_map_editor.editor_actions import EditorActions
from enturf_pos.ui.seat_map_editor.editor_files import export_from, import_into
from enturf_pos.ui.seat_map_editor.map_view import MapView
from enturf_pos.ui.seat_map_editor.tool_actions import ToolActions
from enturf_pos.ui.seat_map_editor.tool_panels import (
    PaintPanel,
    SectionPanel,
    SelectionPanel,
    VenuePanel,
)

AUTOSAVE_MS = 800
BIG_MAP_AUTOSAVE_MS = 3000  # a big map's draft is written on a thread, after a pause
BIG_MAP = 20_000
CHECKS_MS = 250
TOOL_COLUMN_WIDTH = 380


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def _ask(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, "Seat maps", text)
    return answer == QMessageBox.StandardButton.Yes


def _pick_colour(parent: QWidget, current: str) -> str | None:
    """A colour from Qt's dialog as "#rrggbb" (None: cancelled)."""
    colour = QColorDialog.getColor(QColor(current), parent, "Category colour")
    return colour.name() if colour.isValid() else None


class SeatMapEditor(QWidget):
    publishQueued = Signal()  # a seatmap_publish op waits in the outbox: sync may send it

    def __init__(self, ctx: PosContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatMapEditor")
        self.ctx = ctx
        self.file_dialogs = file_io.FileDialogs()  # tests replace these seams
        self.confirm = lambda text: _ask(self, text)
        self.pick_colour = lambda current: _pick_colour(self, current)
        self.document: SeatMapDocument | None = None
        self.draft_id: uuid.UUID | None = None
        self.selection = Selection()
        self.problems: list[Problem] = []
        self.import_errors: list[str] = []
        self._unsaved = False
        self._infos: dict[uuid.UUID, seatmap_drafts.DraftInfo] = {}
        self._opened: seatmap_drafts.DraftInfo | None = None  # the open draft, when opened
        self._quiet = False  # clearing the undo stack is no change of the document
        self._locked = ""  # why the open draft cannot change now ("" : it can)
        # a run of like edits (arrow-key moves) merges while this number stays: a new
        # selection, an undo or redo, or another draft starts a new one
        self._run_number = 0
        self._pushing = False

        self.canvas = EditorCanvas()
        self.map = MapView(self.canvas)
        self.undo_stack = QUndoStack(self)
        self.drafts = DraftsPanel()
        self.section_panel = SectionPanel()
        self.selection_panel = SelectionPanel()
        self.paint_panel = PaintPanel()
        self.venue_panel = VenuePanel()
        self.checks = ChecksPanel()
        self.message = fw.message_label("editorMessage")
        self.message.setWordWrap(True)
        self.title = QLabel("No draft open", objectName="editorTitle")

        self.tools = QTabWidget(objectName="editorTools")
        for panel, text in (
            (self.drafts, "Drafts"),
            (self.section_panel, "Section"),
            (self.selection_panel, "Select"),
            (self.paint_panel, "Paint"),
            (self.venue_panel, "Venue"),
        ):
            self.tools.addTab(_scrolled(panel), text)
        self.tools.setFixedWidth(TOOL_COLUMN_WIDTH)
        self.tools.setUsesScrollButtons(False)  # every tab in sight, narrowed if need be
        self.tools.tabBar().setExpanding(False)

        self.toolbar = QToolBar("Seat map", objectName="editorToolbar")
        self.toolbar.setIconSize(QSize(16, 16))
        actions = EditorActions(self, self.undo_stack, self.toolbar)
        self.undo_action, self.redo_action = actions.undo, actions.redo
        self.fit_action, self.publish_action = actions.fit, actions.publish
        self.import_action, self.export_action = actions.import_, actions.export
        self.export_pretix_action = actions.export_pretix
        actions.focus_map.triggered.connect(self.canvas.setFocus)
        for k, tab in enumerate(actions.tabs):
            tab.triggered.connect(lambda _c=False, k=k: self._show_tab(k))

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.toolbar)
        column.addLayout(head)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.canvas)
        split.addWidget(self.checks)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 80])
        column.addWidget(split, 1)
        column.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.tools)
        layout.addWidget(right, 1)

        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self._save_soon)
        self._changes = 0  # changes made, so a save knows whether it is the newest
        self.saver = DraftSaver(ctx, self)
        self.saver.finished.connect(self._saved)
        self._checks_timer = QTimer(self, singleShot=True, interval=CHECKS_MS)
        self._checks_timer.timeout.connect(self._check_in_background)
        self.background_checks = BackgroundChecks(self)
        self.background_checks.checked.connect(lambda _n, problems: self._show_problems(problems))
        self.actions_ = ToolActions(self)
        self.add_tools = AddTools(self)
        self.errors_dialog: QDialog | None = None  # the last import's problems
        self.canvas.has_selection = lambda: bool(self.selection)
        self._connect()
        self._set_editing(False)
        self.refresh()

    def _connect(self) -> None:
        self.drafts.newRequested.connect(self.new_draft)
        self.drafts.openRequested.connect(self.open_draft)
        self.drafts.discardRequested.connect(self.discard_draft)
        self.checks.problemChosen.connect(self.show_problem)
        self.fit_action.triggered.connect(self.canvas.fit)
        self.import_action.triggered.connect(self.import_file)
        self.export_action.triggered.connect(lambda: self.export_file(file_io.ENTURF))
        self.export_pretix_action.triggered.connect(lambda: self.export_file(file_io.PRETIX))
        self.publish_action.triggered.connect(self.publish)
        self.undo_stack.indexChanged.connect(lambda _i: self._document_changed())
        self.undo_stack.indexChanged.connect(lambda _i: self._end_run_unless_pushing())
        self.tools.currentChanged.connect(self._tab_shown)
        self.actions_.connect()
        self.add_tools.connect()

    def _tab_shown(self, index: int) -> None:
        panel = self.tools.widget(index).widget()
        self.map.show_stage_point(panel is self.venue_panel)
        if panel is self.selection_panel:
            self.actions_.section_shown()

    def _show_tab(self, index: int) -> None:
        self.tools.setCurrentIndex(index)
        panel = self.tools.currentWidget().widget()
        for child in panel.findChildren(QWidget):  # the tab's first field
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isEnabled():
                child.setFocus()
                break

    def _set_editing(self, editing: bool) -> None:
        for panel in (self.section_panel, self.selection_panel, self.paint_panel, self.venue_panel):
            panel.setEnabled(editing)
        for act in (
            self.fit_action,
            self.import_action,
            self.export_action,
            self.export_pretix_action,
            self.publish_action,
        ):
            act.setEnabled(editing)

    # -- messages --------------------------------------------------------------------------

    def say(self, text: str | None, *, error: bool = False) -> None:
        fw.show_message(self.message, text)
        fw.restyle(self.message, error=error)

    # -- drafts ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the drafts, venues and synced maps (after a sync)."""
        venues = seatmap_drafts.venues(ctx=self.ctx)
        maps = seatmap_drafts.seat_maps(ctx=self.ctx)
        self.drafts.set_venues(venues, maps)
        names = {v.id: v.name for v in venues}
        drafts = seatmap_drafts.list_drafts(ctx=self.ctx)
        self._infos = {d.id: d for d in drafts}
        self.drafts.set_drafts(drafts, names, self.draft_id)
        if self.draft_id is not None:
            info = next((d for d in drafts if d.id == self.draft_id), None)
            opened = self._opened
            if info is None:
                self._close_document()
                self.say("The draft was published or discarded.")
            elif opened is not None and info.base_seat_map_id != opened.base_seat_map_id:
                self._take_servers_version(info)
            else:
                self._show_state(info)

    def _take_servers_version(self, info: seatmap_drafts.DraftInfo) -> None:
        """The decisions dialog started the draft again from the server's version: it
        replaces the drawing as one undoable step (undo brings the drawing back into
        the draft, to publish over the server's)."""
        self._autosave.stop()
        self.saver.wait()
        self._unsaved = False  # the draft holds the server's version: not written over
        try:
            data = seatmap_drafts.load_draft(ctx=self.ctx, draft_id=info.id)
        except seatmap_drafts.DraftMissing as error:
            self.say(str(error), error=True)
            return
        self._opened = info
        self._show_state(info)
        document = SeatMapDocument.from_file_dict(data)
        if self.replace_document(document, "Start again from the server's"):
            self.say("The draft is now the server's version (Undo brings your drawing back).")

    def _show_state(self, info: seatmap_drafts.DraftInfo) -> None:
        state = info.state
        self._locked = (
            "This draft is being published: wait for the server's answer."
            if state == "publishing"
            else ""
        )
        words = {"conflict": " · changed on the server meanwhile", "rejected": " · refused"}
        self.title.setText(f"{info.name}{words.get(state, '')}")
        if info.message:
            self.say(info.message, error=state in ("rejected", "conflict"))

    def new_draft(self, venue_id: int, base_id: int | None, name: str) -> None:
        self.save_now()
        try:
            info = seatmap_drafts.new_draft(
                ctx=self.ctx, venue_id=venue_id, name=name, from_seat_map_id=base_id
            )
        except ValueError as error:
            self.say(str(error), error=True)
            return
        self.refresh()
        self.open_draft(info.id)
        self.tools.setCurrentIndex(1)  # on to drawing

    def open_draft(self, draft_id: uuid.UUID) -> None:
        if draft_id == self.draft_id and self.document is not None:
            return
        self.save_now()
        try:
            data = seatmap_drafts.load_draft(ctx=self.ctx, draft_id=draft_id)
            info = self._infos.get(draft_id) or seatmap_drafts.draft_info(
                ctx=self.ctx, draft_id=draft_id
            )
        except seatmap_drafts.DraftMissing as error:
            self.say(str(error), error=True)
            self.refresh()
            return
        document = SeatMapDocument.from_file_dict(data)
        self.draft_id = draft_id
        self._opened = info
        self._show_document(document)
        self._show_state(info)
        self.say(f"Opened {info.name}: {document.seat_count:,} seats.")

    def _clear_undo(self) -> None:
        self._quiet = True
        try:
            self.undo_stack.clear()
        finally:
            self._quiet = False

    def _show_document(self, document: SeatMapDocument) -> None:
        self._clear_undo()
        self.document = document
        self.selection = Selection()
        self.map.open(document)
        self.actions_.document_opened()
        self._set_editing(True)
        self._show_problems([])
        self._checks_timer.start()  # after the first paint
        self.canvas.setFocus()

    def _close_document(self) -> None:
        self._clear_undo()
        self.document = None
        self.draft_id = None
        self.map.close()
        self._set_editing(False)
        self.title.setText("No draft open")
        self.checks.show_problems([], 0)

    def discard_draft(self, draft_id: uuid.UUID) -> None:
        if not self.confirm("Discard this draft? Its drawing is lost."):
            return
        if draft_id == self.draft_id:
            self._autosave.stop()
            self.saver.wait()
            self._unsaved = False
            self._close_document()
        seatmap_drafts.discard_draft(ctx=self.ctx, draft_id=draft_id)
        self.refresh()
        self.say("Draft discarded.")

    @property
    def locked(self) -> str:
        """Why the open draft cannot change now ("" : it can)."""
        return self._locked

    def has_unsaved_changes(self) -> bool:
        return self._unsaved

    def save_now(self) -> bool:
        """Write the document to its draft now (autosave does this after each change)."""
        self._autosave.stop()
        self.saver.wait()  # a save on its way lands first
        if not self._unsaved or self.document is None or self.draft_id is None:
            return True
        try:
            seatmap_drafts.save_draft(
                ctx=self.ctx, draft_id=self.draft_id, document=self.document.to_file_dict()
            )
        except (ValueError, seatmap_drafts.DraftMissing) as error:
            self.say(f"Not saved: {error}", error=True)
            return False
        self._unsaved = False
        return True

    def _save_soon(self) -> None:
        """Autosave: a big map on a thread, a small one at once."""
        document = self.document
        if document is None or self.draft_id is None or not self._unsaved:
            return
        if document.seat_count <= BIG_MAP:
            self.save_now()
        elif self.saver.running:
            self._autosave.start(AUTOSAVE_MS)  # after the one being written
        else:
            self.saver.start(self.draft_id, document, self._changes)

    def _saved(self, draft_id: uuid.UUID, number: int, error: str) -> None:
        if error:
            self.say(f"Not saved: {error}", error=True)
        elif draft_id == self.draft_id and number == self._changes:
            self._unsaved = False

    def hideEvent(self, event) -> None:
        self.save_now()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        self.save_now()
        super().closeEvent(event)

    # -- editing ---------------------------------------------------------------------------

    def edit(self, edit: Edit | None, *, merge: str = "") -> bool:
        """Do one edit as an undoable step (None: nothing to change). Edits with the
        same ``merge`` name (the arrow keys' moves) merge into one step while the
        selection stays and nothing else comes between."""
        if self._locked and self.document is not None:
            self.say(self._locked, error=True)
            return False
        if edit is None or self.document is None:
            return False
        run: Hashable | None = (merge, self.selection, self._run_number) if merge else None
        self._push(EditCommand(self.document, edit, self.selection, self._select, run))
        return True

    def _push(self, command: QUndoCommand) -> None:
        self._pushing = True
        try:
            self.undo_stack.push(command)
        finally:
            self._pushing = False

    def _end_run_unless_pushing(self) -> None:
        """An undo or redo (or a cleared stack) ends a run of merging edits."""
        if not self._pushing:
            self._run_number += 1

    def _select(self, selection: Selection) -> None:
        self.selection = selection

    def _document_changed(self) -> None:
        """After an edit, undo or redo: redraw, save soon, check soon."""
        if self.document is None or self._quiet:
            return
        if self.map.document is self.document:
            self.map.changed(self.selection)
        else:  # another document (an import, or its undo): drawn from scratch
            self.map.open(self.document)
            self.map.show_selection(self.selection)
            self.actions_.document_opened()
            self._show_problems([])  # the other document's
        self.actions_.selection_shown()
        self._unsaved = True
        self._changes += 1
        big = self.document.seat_count > BIG_MAP
        self._autosave.start(BIG_MAP_AUTOSAVE_MS if big else AUTOSAVE_MS)
        self.background_checks.newer()  # an answer about the document before this change
        self._checks_timer.start()

    def set_selection(self, selection: Selection) -> None:
        if selection != self.selection:
            self._run_number += 1  # a run of moves ends with its selection
        self.selection = selection
        self.map.show_selection(selection)
        self.actions_.selection_shown()

    # -- checks and publishing -------------------------------------------------------------

    def _pitch(self) -> float | None:
        layout = self.canvas.state.layout
        return layout.pitch if layout is not None and len(layout) else None

    def run_checks(self) -> list[Problem]:
        """Check the document now, and show what was found."""
        self._checks_timer.stop()
        self.background_checks.newer()  # a check still running is out of date
        if self.document is None:
            return []
        return self._show_problems(check_document(self.document, pitch=self._pitch()))

    def _check_in_background(self) -> None:
        if self.document is not None:
            self.background_checks.start(self.document, self._pitch())

    def _show_problems(self, problems: list[Problem]) -> list[Problem]:
        self.problems = problems
        errors = sum(1 for p in problems if p.severity == ERROR)
        self.checks.show_problems(problems, errors)
        self.map.show_problems(problems)
        return problems

    def show_problem(self, problem: Problem) -> None:
        self.map.zoom_to(problem)
        if problem.seat_uids and self.document is not None:
            self.set_selection(Selection.of(seats=problem.seat_uids))

    def publish(self) -> None:
        if self.document is None or self.draft_id is None:
            self.say("Open a draft first.", error=True)
            return
        errors = [p for p in self.run_checks() if p.severity == ERROR]
        if errors:
            first = "; ".join(p.message for p in errors[:3])
            more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
            self.say(f"Not published: fix {len(errors)} errors first: {first}{more}.", error=True)
            return
        if not self.save_now():
            return
        result = seatmap_drafts.publish_draft(ctx=self.ctx, draft_id=self.draft_id)
        self.say(result.message, error=not result.ok)
        if result.ok:
            self.publishQueued.emit()
            self.refresh()

    def replace_document(self, document: SeatMapDocument, text: str) -> bool:
        """Another drawing in the open draft (an import) as one undoable step, saved at
        once."""
        if self.document is None:
            return False
        if self._locked:
            self.say(self._locked, error=True)
            return False
        self._push(ReplaceCommand(text, self.document, document, self.selection, self._show))
        self.save_now()
        return True

    def _show(self, document: SeatMapDocument, selection: Selection) -> None:
        """A replace command's: the editor's document is this one now (drawn anew by
        ``_document_changed``)."""
        self.document = document
        self.selection = selection

    # -- files -----------------------------------------------------------------------------

    def import_file(self) -> None:
        import_into(self)

    def export_file(self, kind: str) -> None:
        export_from(self, kind)


__all__ = ["SeatMapEditor"]
