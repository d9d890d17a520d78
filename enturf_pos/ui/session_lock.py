"""While the counter is locked, none of the logged-in user's windows can act.

Every top-level window but the lock screen is disabled and hidden: the main windows, the
booking lookup, shift dialogs, a refund confirmation waiting for its answer. A dialog
running its own event loop (`exec()`: a print dialog, the printer settings) is rejected,
so the code waiting on it goes on as if it was cancelled. A window that opens while the
counter is locked (a sync's decisions dialog) is put away as well. On unlock the windows
come back as they were, parents before their dialogs, the active one on top.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from shiboken6 import isValid

TRANSIENT = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


def _depth(widget: QWidget) -> int:
    depth, parent = 0, widget.parentWidget()
    while parent is not None:
        depth, parent = depth + 1, parent.parentWidget()
    return depth


class SessionLock(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keep: QWidget | None = None  # the lock screen
        self._hidden: list[tuple[QWidget, bool]] = []  # (window, was enabled)
        self._active: QWidget | None = None

    @property
    def locked(self) -> bool:
        return self._keep is not None

    @property
    def hidden(self) -> list[QWidget]:
        return [widget for widget, _enabled in self._hidden if isValid(widget)]

    def lock(self, keep: QWidget) -> None:
        """Put every visible window away except `keep`, and whatever shows until unlock."""
        self._keep = keep
        self._active = QApplication.activeWindow()
        for widget in QApplication.topLevelWidgets():
            self._put_away(widget)
        QApplication.instance().installEventFilter(self)

    def unlock(self) -> None:
        """Show the windows put away again, as they were."""
        active = self._active
        self._stop()
        hidden, self._hidden = self._hidden, []
        shown = [(w, enabled) for w, enabled in hidden if isValid(w)]
        for widget, enabled in sorted(shown, key=lambda item: _depth(item[0])):
            widget.setEnabled(enabled)
            widget.show()
        if active is not None and isValid(active) and active.isVisible():
            active.raise_()
            active.activateWindow()

    def forget(self) -> None:
        """Logged out from the lock screen: the windows close with their main windows."""
        self._stop()
        self._hidden = []

    def _stop(self) -> None:
        self._keep = self._active = None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _put_away(self, widget: QWidget) -> None:
        keep = self._keep
        if keep is None or widget is keep or keep.isAncestorOf(widget) or not widget.isVisible():
            return
        if any(widget is w for w, _enabled in self._hidden):
            return
        if widget.windowType() in TRANSIENT:  # an open menu or tooltip just closes
            widget.close()
            return
        if isinstance(widget, QDialog) and (
            widget.windowModality() == Qt.WindowModality.ApplicationModal
        ):
            widget.reject()  # its exec() loop ends: the caller sees a cancel
            return
        # its own setting, not inherited from a parent window put away just before
        enabled = not widget.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
        self._hidden.append((widget, enabled))
        widget.setEnabled(False)  # a pending confirmation cannot be clicked, even in code
        widget.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched is not self._keep
        ):
            # after it has finished showing (hiding it inside its show event confuses Qt)
            QTimer.singleShot(0, self, lambda w=watched: isValid(w) and self._put_away(w))
        return False
