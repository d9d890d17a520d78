"""The last scans at this device, newest first (objectName ``recentScansTable``): a Qt
model over `door_service.ScanResult`s, each row's verdict in its colour."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from enturf_core import palette
from enturf_pos.services import venue_time
from enturf_pos.ui.table_models import Column, Index, RowTableModel

RECENT_LIMIT = 10

TEXT_COLOURS = {
    "green": palette.VERDICT_GREEN,
    "amber": palette.WARNING_TEXT,
    "red": palette.DANGER,
}


def _time(result: Any) -> str:
    return venue_time.local(result.at).strftime("%H:%M:%S") if result.at else ""


class RecentScansModel(RowTableModel[Any]):
    columns = (
        Column("Time", lambda r: r.at, display=_time),
        Column("Verdict", lambda r: r.words + (" (override)" if r.overridden else "")),
        # the place first: a narrow column elides the ticket type, not the seat number
        Column("Ticket", lambda r: " · ".join(t for t in (r.place_text, r.ticket_name) if t)),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == 1:
            colour = TEXT_COLOURS.get(str(self.row_at(index.row()).colour))
            return QColor(colour) if colour else None
        return super().data(index, role)
