"""Small building blocks shared by the screens and panels."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def title(text: str) -> QLabel:
    label = QLabel(text, objectName="screenTitle")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def subtitle(text: str, name: str = "screenSubtitle") -> QLabel:
    label = QLabel(text, objectName=name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def message_label(name: str) -> QLabel:
    """A hidden message box (error, warning, notice); `show_message` fills and shows it."""
    label = QLabel(objectName=name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_message(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setAccessibleDescription(text or "")
    label.setVisible(bool(text))


def restyle(widget: QWidget, **properties: object) -> None:
    """Set the properties the style sheet selects on and re-apply it (Qt does not
    re-evaluate property selectors by itself)."""
    for name, value in properties.items():
        widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def field(name: str, placeholder: str, accessible: str, *, password: bool = False) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    edit.setPlaceholderText(placeholder)
    edit.setAccessibleName(accessible)
    edit.setMinimumWidth(360)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def button(name: str, text: str, *, primary: bool = False) -> QPushButton:
    widget = QPushButton(text, objectName=name)
    widget.setProperty("primary", primary)
    widget.setAutoDefault(True)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def centred_card(outer: QWidget, width: int = 520) -> QVBoxLayout:
    """Lay `outer` out as a centred white card; returns the card's layout to fill."""
    card = QFrame(objectName="card")
    card.setFixedWidth(width)
    inner = QVBoxLayout(card)
    inner.setContentsMargins(36, 32, 36, 32)
    inner.setSpacing(12)
    # centred by stretches, not by an alignment flag: a layout item with an alignment
    # takes its height from sizeHint() and ignores heightForWidth(), which cut wrapped
    # messages (the keyring warning) to one line
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card)
    row.addStretch(1)
    layout = QVBoxLayout(outer)
    layout.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(2)
    return inner


class ElidedLabel(QLabel):
    """A one-line label that may be narrower than its text: the end is elided (…) and the
    whole text is the tooltip, so a long name never widens its window."""

    def __init__(self, text: str = "", parent: QWidget | None = None, **kwargs) -> None:
        super().__init__("", parent, **kwargs)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            text,
            self.foregroundRole(),
        )
        painter.end()


class FlowLayout(QLayout):
    """Items left to right, wrapping onto the next line when the width runs out (Qt's
    flow layout example): a row of entries that never makes its window wider."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 12, line_gap: int = 2):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing, self._line_gap = spacing, line_gap
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._lay_out(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._lay_out(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _lay_out(self, rect: QRect, *, move: bool) -> int:
        """Place the items in `rect` (when `move`); the height they take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:  # the next line
                x, y, line_height = area.x(), y + line_height + self._line_gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()
