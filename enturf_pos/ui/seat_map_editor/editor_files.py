"""The editor's *Import…* and *Export…*: a file into the open draft (its problems listed,
nothing imported from a file that has any), the draft out as Enturf or pretix JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout

from enturf_core.seatmap_editing.document import SeatMapDocument
from enturf_core.seatmap_editing.file_format import SeatMapFileError
from enturf_pos.ui.seat_map_editor import file_io

if TYPE_CHECKING:
    from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor


def import_into(editor: SeatMapEditor) -> None:
    if editor.document is None:
        editor.say("Open or start a draft to import into.", error=True)
        return
    if editor.locked:
        editor.say(editor.locked, error=True)
        return
    path = editor.file_dialogs.open_path(editor, "Import a seat map")
    if not path:
        return
    result = file_io.read_file(path)
    if result.document is None:
        editor.import_errors = result.problems
        editor.errors_dialog = show_import_errors(editor, path, result.problems)
        editor.say(f"Not imported: the file has {len(result.problems)} problems.", error=True)
        return
    editor.import_errors = []
    document = SeatMapDocument.from_file_dict(result.document)
    document.name = editor.document.name  # the draft is the venue's map of its name
    kind = "pretix plan" if result.kind == file_io.PRETIX else "seat map"
    if not editor.replace_document(document, f"Import the {kind}"):
        return
    notes = f" Not kept: {'; '.join(result.notes)}." if result.notes else ""
    editor.say(f"Imported the {kind}: {document.seat_count:,} seats.{notes}")


def export_from(editor: SeatMapEditor, kind: str) -> None:
    document = editor.document
    if document is None:
        return
    suffix = ".pretix.json" if kind == file_io.PRETIX else ".enturf.json"
    path = editor.file_dialogs.save_path(
        editor, "Export the seat map", kind, document.name + suffix
    )
    if not path:
        return
    try:
        notes = file_io.write_file(path, document.to_file_dict(), kind)
    except (OSError, SeatMapFileError) as error:
        editor.say(f"Not exported: {error}", error=True)
        return
    lost = f" pretix cannot hold: {'; '.join(notes)}." if notes else ""
    editor.say(f"Exported to {path}.{lost}")


def show_import_errors(editor: SeatMapEditor, path: str, problems: list[str]) -> QDialog:
    """The file's problems listed in a dialog (window-modal, not blocking)."""
    dialog = QDialog(editor, objectName="editorImportErrors")
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
    dialog.open()
    return dialog
