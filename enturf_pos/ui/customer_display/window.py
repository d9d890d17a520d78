"""CustomerDisplay (objectName ``customerDisplay``): the window on the screen facing the
customer. It draws a `CustomerDisplayState` and nothing else: a welcome page between
sales (the venue's name and logo), else the cart's lines (``customerDisplayLines``), the
total (``customerDisplayTotal``), the cash given and change or the card's status
(``customerDisplayPayment``), and the chosen seats on a small read-only copy of the
cashier's seat map (``customerDisplaySeatMap``, the same `SeatMapState`).

It never takes the keyboard focus: no focus on any of its widgets, shown without
activating (`WA_ShowWithoutActivating`), and its window never accepts focus
(`Qt.WindowDoesNotAcceptFocus`); frameless and full screen on the chosen screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QPixmap, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.ui.customer_display.display_state import (
    CARD_APPROVED,
    CARD_DECLINED,
    THANKS,
    WELCOME,
    CustomerDisplayState,
    DisplayLine,
)
from enturf_pos.ui.seat_map import SeatMapState, SeatMapView
from enturf_pos.ui.theme import themed

Index = QModelIndex | QPersistentModelIndex
LOGO = "logo.svg"  # in `resources`; a venue's own: see `logo_path`
READABLE_SEAT_PX = 14.0  # a seat on the customer's map is at least this wide
OWN_LOGO_NAMES = ("customer-display-logo.png", "customer-display-logo.svg")

STYLE = themed("""
#customerDisplay { background: ${DISPLAY_BACK}; }
#customerDisplay QLabel { color: ${DISPLAY_TEXT}; }
#customerDisplayVenue { font-size: 44px; font-weight: 600; }
#customerDisplayWelcomeText { font-size: 24px; color: ${DISPLAY_MUTED}; }
#customerDisplayHeading { font-size: 28px; font-weight: 600; }
#customerDisplayEvent { font-size: 22px; color: ${DISPLAY_MUTED}; }
#customerDisplayLines { background: ${DISPLAY_PANEL}; color: ${DISPLAY_TEXT}; border: none;
    font-size: 20px; gridline-color: ${DISPLAY_PANEL};
    alternate-background-color: ${DISPLAY_PANEL_ALT}; }
#customerDisplayLines QHeaderView::section { background: ${DISPLAY_BACK};
    color: ${DISPLAY_MUTED}; border: none; font-size: 16px; padding: 4px 8px; }
#customerDisplayTotalCaption { font-size: 28px; color: ${DISPLAY_MUTED}; }
#customerDisplayTotal { font-size: 56px; font-weight: 700; }
#customerDisplayPayment { font-size: 24px; color: ${DISPLAY_AMOUNT}; }
#customerDisplayPayment[state="approved"] { color: ${DISPLAY_OK}; }
#customerDisplayPayment[state="declined"] { color: ${DISPLAY_BAD}; }
#customerDisplaySeatMap { border: 1px solid ${DISPLAY_EDGE}; }
""")


def logo_path(data_dir: Path | None) -> Path | None:
    """A venue's own logo in the counter's data folder, else the one in `resources`."""
    if data_dir is not None:
        for name in OWN_LOGO_NAMES:
            if (data_dir / name).is_file():
                return data_dir / name
    try:
        from importlib.resources import files

        path = Path(str(files("resources") / LOGO))
    except (ModuleNotFoundError, TypeError):
        return None
    return path if path.is_file() else None


class DisplayLinesModel(QAbstractTableModel):
    """The cart's lines as the customer reads them (event, place, ticket, price)."""

    TITLES = ("Event", "Seat / place", "Ticket", "Price")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._lines: list[DisplayLine] = []

    def set_lines(self, lines: list[DisplayLine]) -> None:
        if lines == self._lines:
            return
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.TITLES)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.TITLES[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (line.event, line.place, line.ticket, line.price)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReadOnlySeatMap(SeatMapView):
    """The cashier's seat map state, drawn small: the whole map, the cart's seats marked;
    no clicks, keys, tooltips or focus."""

    def __init__(self, state: SeatMapState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.setObjectName("customerDisplaySeatMap")
        self.setAccessibleName("Your seats")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setInteractive(False)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setMouseTracking(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setMinimumSize(160, 120)
        self._seats: list[int] = []

    def show_seats(self, seat_ids: list[int]) -> None:
        """The whole map when its seats read at this size; else zoomed in on the cart's
        seats (their neighbours around them), so the customer can check where they sit."""
        self._user_zoomed = False
        self.fit()
        layout = self.state.layout
        if layout is None or not seat_ids or self.seat_px() >= READABLE_SEAT_PX:
            return
        indices = [layout.index_of[s] for s in seat_ids if s in layout.index_of]
        self.zoom_to_seats(indices, seat_px=READABLE_SEAT_PX)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.show_seats(self._seats)

    def keyPressEvent(self, event) -> None:
        event.ignore()

    def viewportEvent(self, event) -> bool:
        return QGraphicsView.viewportEvent(self, event)  # no seat tooltips


class CustomerDisplay(QWidget):
    def __init__(
        self,
        state: CustomerDisplayState,
        *,
        seat_map: SeatMapState | None = None,
        logo: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        # a window of its own on its own screen; `parent` (the cashier window) only ties
        # its life to that window's (it goes when the cashier logs out)
        super().__init__(parent)
        self.setObjectName("customerDisplay")
        self.setWindowTitle("Enturf — customer display")
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(STYLE)  # this window only (never the application's)
        self.state = state
        self._give_back: QWidget | None = None  # the window that had the focus before

        self.pages = QStackedWidget()
        self.pages.addWidget(self._welcome_page(logo))
        self.pages.addWidget(self._sale_page(seat_map))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        for child in self.findChildren(QWidget):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        state.subscribe(self.refresh)
        self.refresh()

    # -- pages ----------------------------------------------------------------------

    def _welcome_page(self, logo: Path | None) -> QWidget:
        page = QWidget(objectName="customerDisplayWelcome")
        self.logo = QLabel(objectName="customerDisplayLogo")
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap(str(logo)) if logo is not None else QPixmap()
        if not pixmap.isNull():
            self.logo.setPixmap(
                pixmap.scaled(
                    240,
                    240,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self.venue = QLabel(objectName="customerDisplayVenue")
        self.venue.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.venue.setWordWrap(True)
        welcome = QLabel("Welcome", objectName="customerDisplayWelcomeText")
        welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        layout.addWidget(self.logo)
        layout.addSpacing(24)
        layout.addWidget(self.venue)
        layout.addWidget(welcome)
        layout.addStretch(3)
        return page

    def _sale_page(self, seat_map: SeatMapState | None) -> QWidget:
        page = QWidget(objectName="customerDisplaySale")
        self.heading = QLabel(objectName="customerDisplayHeading")
        self.event = QLabel(objectName="customerDisplayEvent")  # a cart is of one event
        self.event.setWordWrap(True)
        self.lines_model = DisplayLinesModel(self)
        self.lines = QTableView(objectName="customerDisplayLines")
        self.lines.setModel(self.lines_model)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setShowGrid(False)
        self.lines.setAlternatingRowColors(True)
        self.lines.setFrameShape(QFrame.Shape.NoFrame)
        self.lines.verticalHeader().hide()
        self.lines.verticalHeader().setDefaultSectionSize(40)
        self.lines.setWordWrap(False)
        self.lines.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.lines.setColumnHidden(0, True)  # the event: once, above the lines
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)

        caption = QLabel("Total", objectName="customerDisplayTotalCaption")
        self.total = QLabel(objectName="customerDisplayTotal")
        self.total.setAccessibleName("Total to pay")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.payment = QLabel(objectName="customerDisplayPayment")  # short lines, unwrapped
        self.payment.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        totals = QHBoxLayout()
        totals.addWidget(caption, 0, Qt.AlignmentFlag.AlignBottom)
        totals.addStretch(1)
        totals.addWidget(self.total)

        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(self.event)
        left.addWidget(self.lines, 1)
        left.addLayout(totals)
        left.addWidget(self.payment)
        layout = QHBoxLayout(page)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(24)
        layout.addLayout(left, 2)
        self.seat_map: ReadOnlySeatMap | None = None
        if seat_map is not None:
            self.seat_map = ReadOnlySeatMap(seat_map)
            layout.addWidget(self.seat_map, 1)
        return page

    # -- drawing the state ----------------------------------------------------------

    def refresh(self) -> None:
        state = self.state
        self.venue.setText(state.venue or "Welcome to the box office")
        if state.phase == WELCOME:
            self.pages.setCurrentIndex(0)
            return
        self.pages.setCurrentIndex(1)
        self.heading.setText(state.heading())
        events = list(dict.fromkeys(line.event for line in state.lines))
        self.event.setText(" · ".join(events))
        self.lines.setColumnHidden(0, len(events) <= 1)
        self.lines_model.set_lines(state.lines)
        self.total.setText(state.total_text())
        text = state.payment_text()
        self.payment.setText(text)
        self.payment.setVisible(bool(text))
        look = {CARD_APPROVED: "approved", CARD_DECLINED: "declined"}.get(state.card_status, "")
        if state.phase == THANKS and not state.card_status:
            look = "approved"
        if self.payment.property("state") != look:
            self.payment.setProperty("state", look)
            self.payment.style().unpolish(self.payment)
            self.payment.style().polish(self.payment)
        if self.seat_map is not None:
            self.seat_map.setVisible(bool(state.seats))
            if state.seats != self.seat_map._seats:
                self.seat_map._seats = list(state.seats)
                self.seat_map.show_seats(state.seats)

    # -- showing ----------------------------------------------------------------------

    def show_on(self, screen: QScreen) -> None:
        """Full screen on `screen`, without taking the focus from the cashier's window."""
        active = QApplication.activeWindow()
        if active is not None and active is not self:
            self._give_back = active
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        # not showFullScreen(): it activates the window, which would take the focus
        self.setWindowState(self.windowState() | Qt.WindowState.WindowFullScreen)
        self.show()

    def changeEvent(self, event: QEvent) -> None:
        """A platform that activates every window shown (Qt's offscreen one, some window
        managers) ignores the hints above: give the activation straight back to the
        window that had it, whose focus widget (the scan field...) keeps the focus."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            back = self._give_back
            if back is not None and back.isVisible():
                QTimer.singleShot(0, back, back.activateWindow)
