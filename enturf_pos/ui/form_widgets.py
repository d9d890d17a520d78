"""Small building blocks shared by the screens and panels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
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
