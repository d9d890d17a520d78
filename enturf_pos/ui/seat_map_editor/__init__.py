"""The seat-map editor: the manager window's "Seat maps" tab (docs/seat-map.md, "Editor").

* ``editor``: :class:`SeatMapEditor` (objectName ``seatMapEditor``), the tab itself.
* ``canvas``: the cashier's seat map view with the editor's mouse and keys.
* ``canvas_layout``: the document as the canvas's layout, rebuilt per changed section.
* ``map_view``: what the canvas shows of the document (selection, shapes, problems).
* ``overlays``: decorations, areas' shapes, selection boxes, problem marks.
* ``tool_panels``, ``tool_actions``: the tools' widgets and what they do.
* ``drafts_panel``, ``checks_panel``: the drafts list, the checks list.
* ``commands``: an editcore edit as a QUndoCommand.
* ``file_io``: import and export (Enturf and pretix JSON), behind a file-dialog seam.
"""
