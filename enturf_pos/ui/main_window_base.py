"""What the cashier and manager windows share: toolbar actions and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QStyle,
    QTableView,
    QToolBar,
    QToolButton,
    QWidget,
)

from enturf_core.staff_rights import ROLE_LABELS, Right
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.ui.manager.tab_rights import may_open_manager
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.sync_status_widget import SyncStatusWidget
from enturf_pos.ui.table_models import RawRole, RowTableModel
from enturf_pos.ui.theme import themed

# A window manager's title bar and borders, before a window's first show tells them.
FRAME_ALLOWANCE = QSize(16, 48)


def action(parent: QWidget, name: str, text: str, shortcut: str, tip: str) -> QAction:
    act = QAction(text, parent)
    act.setObjectName(name)
    act.setShortcut(QKeySequence(shortcut))
    act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    act.setToolTip(
        f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
    )
    return act


def table_view(
    name: str,
    model: RowTableModel,
    accessible: str,
    *,
    stretch_column: int,
    sort_column: int | None = None,
) -> QTableView:
    """A read-only, sortable table with large rows; `sort_column` None keeps the model's order."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(RawRole)
    view = QTableView(objectName=name)
    view.setModel(proxy)
    view.setAccessibleName(accessible)
    view.setSortingEnabled(True)
    view.sortByColumn(-1 if sort_column is None else sort_column, Qt.SortOrder.AscendingOrder)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(42)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.setWordWrap(False)
    return view


class MainWindowBase(QMainWindow):
    logoutRequested = Signal()
    lockRequested = Signal()
    syncRequested = Signal()
    doorRequested = Signal()  # the Door action: scan tickets at a gate with this counter
    managerRequested = Signal()  # the Back office action (a user with a manager tab's right)
    pinRequested = Signal()  # "Set unlock PIN…"
    offers_door = True  # the door window itself does not
    offers_manager = True  # the manager window itself does not

    def __init__(self, *, user: CurrentUser, sync: SyncController, title: str) -> None:
        super().__init__()
        self.user = user
        self.setWindowTitle(f"Enturf — {title} — {user.display_name or user.username}")
        self.resize(1200, 760)

        self.toolbar = QToolBar("Main", objectName="mainToolbar")
        self.toolbar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.sync_action = action(
            self, "syncNowAction", "Sync now", "F5", "Send and receive changes now"
        )
        self.refresh_action = action(
            self, "refreshAction", "Reload", "Ctrl+R", "Reload from this counter's data"
        )
        self.sync_action.triggered.connect(self.syncRequested)
        self.lock_action = action(self, "lockAction", "Lock", "Ctrl+L", "Lock the screen")
        self.logout_action = action(self, "logoutAction", "Log out", "Ctrl+Shift+L", "Log out")
        self.refresh_action.triggered.connect(self.refresh)
        self.door_action = action(
            self, "openDoorAction", "Door", "Ctrl+Shift+G", "Scan tickets at a gate (door window)"
        )
        self.door_action.triggered.connect(self.doorRequested)
        self.manager_action = action(
            self, "openManagerAction", "Back office", "Ctrl+Shift+M", "Open the manager window"
        )
        self.manager_action.triggered.connect(self.managerRequested)
        self.pin_action = action(
            self,
            "setPinAction",
            "Set unlock PIN…",
            "Ctrl+Shift+P",
            "A 4 to 8 digit PIN that unlocks this counter for you (kept on this counter only)",
        )
        self.pin_action.triggered.connect(self.pinRequested)
        self.lock_action.triggered.connect(self.lockRequested)
        self.logout_action.triggered.connect(self.logoutRequested)

        self.sync_status = SyncStatusWidget(sync)
        role = ROLE_LABELS.get(user.staff_role, user.role) if user.staff_role else user.role
        mode = " · offline login" if user.offline else ""
        self.user_label = QLabel(
            f"{user.display_name or user.username} ({role}){mode}", objectName="userLabel"
        )
        # a newer counter version (said at login, `counter_update`) or why sync stopped: a
        # banner above the toolbar that wraps and never takes the focus from the sale;
        # `dismissUpdateButton` hides it until there is something new to say
        self.update_banner = QFrame(objectName="updateBanner")
        self.update_banner.setStyleSheet(
            themed(
                "#updateBanner { background: ${WARNING_BACK}; "
                "border-bottom: 1px solid ${WARNING_EDGE}; }"
                "#updateNotice { color: ${WARNING_TEXT}; }"
            )
        )
        self.update_notice = QLabel("", objectName="updateNotice")
        self.update_notice.setWordWrap(True)
        self.update_notice.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        dismiss = QToolButton(objectName="dismissUpdateButton")
        dismiss.setText("Dismiss")
        dismiss.setToolTip("Hide this notice")
        dismiss.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        dismiss.clicked.connect(lambda: self.update_banner.hide())
        banner = QHBoxLayout(self.update_banner)
        banner.setContentsMargins(12, 6, 12, 6)
        banner.addWidget(self.update_notice, 1)
        banner.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.setMenuWidget(self.update_banner)  # these windows have no menu bar
        self.update_banner.hide()
        self._update_text = ""
        self._refusal = ""
        sync.refusalChanged.connect(self._show_refusal)
        self._show_refusal(sync.refusal)
        self.statusBar().addPermanentWidget(self.sync_status, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().setSizeGripEnabled(False)

    def show_update_notice(self, text: str) -> None:
        """A newer counter version is available ("" hides it); never modal."""
        self._update_text = text
        self._show_banner()

    def _show_refusal(self, refusal: str) -> None:
        """Sync stopped until this counter is updated (the wire formats do not meet)."""
        self._refusal = refusal
        self._show_banner()

    def _show_banner(self) -> None:
        text = "\n".join(t for t in (self._refusal, self._update_text) if t)
        self.update_notice.setText(text)
        self.update_banner.setVisible(bool(text))

    def place_on(self, screen: QScreen) -> None:
        """Before the first show: on `screen`'s free area (without the task bar), centred
        at the window's own size when that fits, else maximized there."""
        area = screen.availableGeometry()
        room = area.size() - FRAME_ALLOWANCE
        wanted = self.size()
        size = wanted.boundedTo(room).expandedTo(self.minimumSizeHint())
        self.resize(size)
        frame = QStyle.alignedRect(
            Qt.LayoutDirection.LeftToRight,
            Qt.AlignmentFlag.AlignCenter,
            size + FRAME_ALLOWANCE,
            area,
        )
        self.move(max(frame.left(), area.left()), max(frame.top(), area.top()))
        if wanted.width() > room.width() or wanted.height() > room.height():
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def finish_toolbar(self, *extra: QAction) -> None:
        for act in extra:
            self.toolbar.addAction(act)
        if self.offers_manager:
            self.toolbar.addAction(self.manager_action)
        if self.offers_door:
            self.toolbar.addAction(self.door_action)
        self.toolbar.addAction(self.sync_action)
        self.toolbar.addAction(self.refresh_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addAction(self.lock_action)
        self.toolbar.addAction(self.logout_action)
        self.addAction(self.pin_action)  # its shortcut; the menu of the user's name shows it
        self._user_menu()
        self._show_actions_by_right()

    def apply_rights(self) -> None:
        """The user's grant changed (`WindowFlow.rightsChanged`): show what they may do
        now. Windows add their own gates."""
        self._show_actions_by_right()

    def _show_actions_by_right(self) -> None:
        """*Back office* for a user holding a manager tab's right, *Door* for a scanner; a
        hidden action's shortcut is off too."""
        self.manager_action.setVisible(self.offers_manager and may_open_manager(self.user))
        self.door_action.setVisible(self.offers_door and self.user.can(Right.DOOR_SCAN))

    def _user_menu(self) -> None:
        """The user's name in the status bar opens their menu (Set unlock PIN…)."""
        self.user_button = QToolButton(objectName="userMenuButton")
        self.user_button.setText("▾")
        self.user_button.setToolTip("Your options on this counter")
        self.user_button.setAutoRaise(True)
        self.user_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.user_button)
        menu.setObjectName("userMenu")
        menu.addAction(self.pin_action)
        menu.addSeparator()
        menu.addAction(self.lock_action)
        menu.addAction(self.logout_action)
        self.user_button.setMenu(menu)
        self.statusBar().addPermanentWidget(self.user_button)

    def refresh(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError
