"""SeatMapPanel (objectName ``seatMapPanel``): toolbar + legend + map, for the cashier
window to embed.

Toolbar: ``seatCount`` (how many seats), ``accessibleCheck`` (wheelchair space),
``bestSeatsButton``, ``zoomOutButton``, ``zoomInButton``, ``fitButton``, and
``seatMapMessage`` (what best-available found, or the cart's size).
Shortcuts while the panel has focus: B best seats, the map's own keys otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from enturf_core.seating.best_available import BestSeats
from enturf_pos.ui.form_widgets import ElidedLabel
from enturf_pos.ui.seat_map.legend import SeatMapLegend
from enturf_pos.ui.seat_map.map_state import SeatMapState
from enturf_pos.ui.seat_map.view import SeatMapView

MAX_SEATS_PER_PICK = 20


class SeatMapPanel(QWidget):
    def __init__(self, state: SeatMapState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatMapPanel")
        self.view = SeatMapView(state, self)
        self.state = self.view.state
        self.legend = SeatMapLegend(self.state, self)

        self.seat_count = QSpinBox(objectName="seatCount")
        self.seat_count.setRange(1, MAX_SEATS_PER_PICK)
        self.seat_count.setValue(2)
        self.seat_count.setAccessibleName("Number of seats")
        self.seat_count.setMinimumHeight(40)
        self.accessible = QCheckBox("Wheelchair space", objectName="accessibleCheck")
        self.best_button = QPushButton("Best seats (B)", objectName="bestSeatsButton")
        self.best_button.setProperty("primary", True)
        self.best_button.setToolTip(
            "Pick the best seats together, nearest the stage or the point you right-clicked"
        )
        self.zoom_out_button = _tool("\u2212", "zoomOutButton", "Zoom out (-)")
        self.zoom_in_button = _tool("+", "zoomInButton", "Zoom in (+)")
        self.fit_button = _tool("Fit", "fitButton", "Show the whole map (F)")
        self.message = ElidedLabel("", objectName="seatMapMessage")
        self.message.setStyleSheet("font-size: 14px; color: #30363f;")

        seats_label = QLabel("Seats")
        seats_label.setBuddy(self.seat_count)
        toolbar = QHBoxLayout()
        toolbar.setSpacing(8)
        toolbar.addWidget(seats_label)
        toolbar.addWidget(self.seat_count)
        toolbar.addWidget(self.accessible)
        toolbar.addWidget(self.best_button)
        toolbar.addWidget(self.message, 1)
        toolbar.addWidget(self.zoom_out_button)
        toolbar.addWidget(self.zoom_in_button)
        toolbar.addWidget(self.fit_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(toolbar)
        layout.addWidget(self.legend)
        layout.addWidget(self.view, 1)

        self.best_button.clicked.connect(self.best_seats)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.fit_button.clicked.connect(self.view.fit)
        self.state.selectionChanged.connect(self._selection_message)
        # another event's map: what was said of the last one's seats no longer holds
        self.state.layoutChanged.connect(lambda: self.message.setText(""))
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_B), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.best_seats)
        self.setFocusProxy(self.view)

    def best_seats(self) -> BestSeats:
        """Replace the cart with the best seats for the toolbar's count and options."""
        result = self.view.request_best_seats(
            self.seat_count.value(), accessible=self.accessible.isChecked()
        )
        self.message.setText(result.message)
        self.view.setFocus()
        return result

    def _selection_message(self, seat_ids: list[int]) -> None:
        n = len(seat_ids)
        if n and not self.message.text().startswith(f"{n} seat"):
            self.message.setText(f"{n} seat{'s' if n != 1 else ''} in the cart.")
        elif not n:
            self.message.setText("")


def _tool(text: str, name: str, tip: str) -> QToolButton:
    button = QToolButton(objectName=name)
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setMinimumSize(40, 40)
    return button
