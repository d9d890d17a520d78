"""EditorActions: the editor's QActions (undo, redo, fit, files, publish, the keys to
the map and to each tool tab), with their objectNames, shortcuts (while the focus is
in the editor) and tooltips, on the editor's toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QToolBar, QWidget

TOOL_TABS = 5


def editor_action(owner: QWidget, name: str, text: str, tip: str, shortcut: str = "") -> QAction:
    act = QAction(text, owner)
    act.setObjectName(name)
    if shortcut:
        act.setShortcut(QKeySequence(shortcut))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = f"{tip} ({keys})"
    act.setToolTip(tip)
    owner.addAction(act)
    return act


class EditorActions:
    def __init__(self, owner: QWidget, stack: QUndoStack, toolbar: QToolBar) -> None:
        self.undo = editor_action(owner, "editorUndo", "Undo", "Undo", "Ctrl+Z")
        self.redo = editor_action(owner, "editorRedo", "Redo", "Redo", "Ctrl+Shift+Z")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo.triggered.connect(stack.undo)
        self.redo.triggered.connect(stack.redo)
        stack.canUndoChanged.connect(self.undo.setEnabled)
        stack.canRedoChanged.connect(self.redo.setEnabled)
        stack.undoTextChanged.connect(lambda t: self.undo.setToolTip(f"Undo {t} (Ctrl+Z)"))
        stack.redoTextChanged.connect(lambda t: self.redo.setToolTip(f"Redo {t} (Ctrl+Shift+Z)"))
        self.undo.setEnabled(False)
        self.redo.setEnabled(False)
        self.fit = editor_action(owner, "editorFit", "Fit", "Show the whole map", "Ctrl+0")
        self.import_ = editor_action(
            owner,
            "editorImport",
            "Import…",
            "Import a seat-map file (Enturf or pretix JSON)",
            "Ctrl+O",
        )
        self.export = editor_action(
            owner, "editorExport", "Export…", "Export as Enturf JSON", "Ctrl+E"
        )
        self.export_pretix = editor_action(
            owner,
            "editorExportPretix",
            "Export pretix…",
            "Export as a pretix seating plan",
            "Ctrl+Shift+E",
        )
        self.focus_map = editor_action(
            owner, "editorFocusMap", "Map", "Put the keys on the map", "F6"
        )
        self.tabs = [
            editor_action(
                owner, f"editorTab{k + 1}", f"Tab {k + 1}", "Show a tool tab", f"Alt+{k + 1}"
            )
            for k in range(TOOL_TABS)
        ]
        self.publish = editor_action(
            owner,
            "editorPublish",
            "Publish",
            "Publish the draft as the venue's next seat-map version",
            "Ctrl+Shift+P",
        )
        for act in (
            self.undo,
            self.redo,
            self.fit,
            self.import_,
            self.export,
            self.export_pretix,
            self.publish,
        ):
            toolbar.addAction(act)
