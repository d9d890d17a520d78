"""The seat-map editor: the manager window's "Seat maps" tab (docs/seat-map.md, "Editor").

* ``editor``: :class:`SeatMapEditor` (objectName ``seatMapEditor``), the tab itself;
  ``editor_actions`` its QActions, ``editor_files`` its import and export.
* ``canvas``: the cashier's seat map view with the editor's mouse and keys.
* ``canvas_layout``: the document as the canvas's layout, rebuilt per changed section.
* ``map_view``: what the canvas shows of the document (selection, shapes, problems).
* ``overlays``: decorations, areas' shapes, selection boxes, problem marks.
* ``tool_panels``: the tools' widgets; ``tool_actions`` (selecting and changing) and
  ``add_tools`` (sections, stage, shapes, areas): what they do.
* ``drafts_panel``, ``checks_panel``: the drafts list, the checks list.
* ``commands``: an editcore edit as a QUndoCommand.
* ``background_checks``, ``draft_saver``: the checks, and a big map's autosave, on threads.
* ``file_io``: import and export (Enturf and pretix JSON), behind a file-dialog seam.
"""
