"""DraftsPanel: the drafts on this counter (``editorDrafts``) and a new draft's venue,
starting map and name. It only shows and emits; the editor calls the drafts service."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services.catalog.seatmap_drafts import DraftInfo, SeatMapRow, VenueRow

DraftRole = Qt.ItemDataRole.UserRole
STATE_WORDS = {
    "draft": "draft",
    "publishing": "publishing…",
    "conflict": "changed on the server: decide",
    "rejected": "refused by the server",
}


class DraftsPanel(QWidget):
    newRequested = Signal(int, object, str)  # venue id, seat map id or None, name
    openRequested = Signal(object)  # draft id
    discardRequested = Signal(object)  # draft id
    venueChanged = Signal(int)

    def __init__(self) -> None:
        super().__init__(objectName="editorDraftsPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.list = QListWidget(objectName="editorDrafts")
        self.list.setAccessibleName("Seat-map drafts on this counter")
        self.open = QPushButton("Open", objectName="editorOpenDraft")
        self.discard = QPushButton("Discard…", objectName="editorDiscardDraft")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open)
        buttons.addWidget(self.discard)
        self.venue = QComboBox(objectName="editorDraftVenue")
        self.venue.setAccessibleName("Venue of the new draft")
        self.base = QComboBox(objectName="editorDraftBase")
        self.base.setAccessibleName("Start the new draft from")
        self.name = QLineEdit(objectName="editorDraftName")
        self.name.setPlaceholderText("Main layout")
        self.name.setAccessibleName("Seat map name")
        self.create = QPushButton("New draft", objectName="editorNewDraft")
        form = QFormLayout()
        form.addRow("&Venue", self.venue)
        form.addRow("Start &from", self.base)
        form.addRow("Na&me", self.name)
        layout.addWidget(QLabel("Drafts", objectName="sectionTitle"))
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("New draft", objectName="sectionTitle"))
        layout.addLayout(form)
        layout.addWidget(self.create)
        self.open.clicked.connect(self._open)
        self.list.itemActivated.connect(lambda _item: self._open())
        self.discard.clicked.connect(self._discard)
        self.create.clicked.connect(self._create)
        self.name.returnPressed.connect(self._create)
        self.venue.currentIndexChanged.connect(self._venue_changed)
        self._maps: list[SeatMapRow] = []

    def set_drafts(self, drafts: Sequence[DraftInfo], venue_names: dict[int, str], current) -> None:
        self.list.clear()
        for draft in drafts:
            state = STATE_WORDS.get(draft.state, draft.state)
            venue = venue_names.get(draft.venue_id, f"venue {draft.venue_id}")
            text = f"{draft.name} · {venue} · {state}"
            if draft.message:
                text += f"\n{draft.message}"
            item = QListWidgetItem(text)
            item.setData(DraftRole, draft.id)
            self.list.addItem(item)
            if draft.id == current:
                self.list.setCurrentItem(item)
        enabled = self.list.count() > 0
        self.open.setEnabled(enabled)
        self.discard.setEnabled(enabled)

    def set_venues(self, venues: Sequence[VenueRow], maps: Sequence[SeatMapRow]) -> None:
        self._maps = list(maps)
        chosen = self.venue.currentData()
        self.venue.blockSignals(True)
        self.venue.clear()
        for venue in venues:
            self.venue.addItem(venue.name, venue.id)
        index = self.venue.findData(chosen)
        self.venue.setCurrentIndex(max(0, index))
        self.venue.blockSignals(False)
        self._venue_changed()
        self.create.setEnabled(bool(venues))

    def _venue_changed(self) -> None:
        venue = self.venue.currentData()
        self.base.clear()
        self.base.addItem("An empty map", None)
        for m in self._maps:
            if m.venue_id == venue:
                self.base.addItem(f"{m.name} v{m.version} ({m.seat_count:,} seats)", m.id)
        if venue is not None:
            self.venueChanged.emit(venue)

    def current_draft(self):
        item = self.list.currentItem()
        return None if item is None else item.data(DraftRole)

    def _open(self) -> None:
        draft = self.current_draft()
        if draft is not None:
            self.openRequested.emit(draft)

    def _discard(self) -> None:
        draft = self.current_draft()
        if draft is not None:
            self.discardRequested.emit(draft)

    def _create(self) -> None:
        venue = self.venue.currentData()
        if venue is None:
            return
        base = self.base.currentData()
        name = self.name.text().strip()
        if not name and base is not None:
            name = self.base.currentText().split(" v")[0]
        self.newRequested.emit(int(venue), base, name or "Main layout")
