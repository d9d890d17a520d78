"""Small building blocks shared by the screens and panels."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
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
    layout = QVBoxLayout(outer)
    layout.addStretch(1)
    layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
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
