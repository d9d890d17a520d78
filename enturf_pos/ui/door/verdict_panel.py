"""The verdict (objectName ``scanVerdict``): most of the window, in the verdict's colour
(green admitted or exited, amber already in, red refused), with its words in large type,
the reason (``scanReason``), the place (``scanPlace``: seat, row and section, or the
standing area), the ticket type (``scanTicket``) and, for "already in", when and where
the ticket went in before (``scanPrevious``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from enturf_pos.services import venue_time
from enturf_pos.ui.form_widgets import restyle

WAITING = "waiting"  # the colour property before a verdict (and while the server answers)


def _label(name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel("", objectName=name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def _plain(text: str) -> str:
    return (text or "").strip().rstrip(".").casefold()


class VerdictPanel(QFrame):
    def __init__(self) -> None:
        super().__init__(objectName="scanVerdict")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setProperty("colour", WAITING)
        self.words = _label("scanWords")
        self.reason = _label("scanReason")
        self.place = _label("scanPlace")
        self.ticket = _label("scanTicket")
        self.previous = _label("scanPrevious")
        self.meta = _label("scanMeta")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addStretch(2)
        layout.addWidget(self.words)
        layout.addWidget(self.reason)
        layout.addSpacing(10)
        layout.addWidget(self.place)
        layout.addWidget(self.ticket)
        layout.addWidget(self.previous)
        layout.addStretch(3)
        layout.addWidget(self.meta)
        self.show_waiting("Ready", "Scan a ticket")

    @property
    def colour(self) -> str:
        return str(self.property("colour"))

    def _fill(self, colour: str, words: str, reason: str = "", **lines: str) -> None:
        self.words.setText(words)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        for name in ("place", "ticket", "previous", "meta"):
            label: QLabel = getattr(self, name)
            text = lines.get(name, "")
            label.setText(text)
            label.setVisible(bool(text))
        self.setAccessibleName(f"{words}. {reason}".strip(". "))
        restyle(self, colour=colour)
        for label in self.findChildren(QLabel):  # their colours follow the panel's
            label.style().unpolish(label)
            label.style().polish(label)

    def show_waiting(self, words: str, reason: str = "") -> None:
        self._fill(WAITING, words, reason)

    def show_result(self, result: Any) -> None:
        """A `door_service.ScanResult`."""
        previous = str(result.previous or "")
        at = venue_time.local(result.at).strftime("%H:%M:%S") if result.at else ""
        mode = "online" if result.mode == "online" else "offline, checked on this device"
        meta = f"{at} · {mode}" + (" · overridden by a supervisor" if result.overridden else "")
        colour = str(result.colour)
        reason = result.reason if _plain(result.reason) != _plain(result.words) else ""
        if previous and colour == "amber":
            reason = ""  # "already in" says it with the previous entry, below
        self._fill(
            colour,
            result.words,
            reason,
            place=result.place_text or "",
            ticket=result.ticket_name or "",
            previous=f"Previously: {previous}" if previous else "",
            meta=meta,
        )
