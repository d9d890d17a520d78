"""The code field (objectName ``scanInput``): a USB or Bluetooth scanner types the code and
Enter, like a keyboard. Pasted text works too (its line break, if any, submits it)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit


class ScanInput(QLineEdit):
    scanned = Signal(str)  # a code, stripped, never empty

    def __init__(self) -> None:
        super().__init__(objectName="scanInput")
        self.setPlaceholderText("Scan a ticket (or type its code and press Enter)")
        self.setAccessibleName("Ticket code")
        self.setClearButtonEnabled(False)
        self.returnPressed.connect(self.submit)

    def submit(self) -> None:
        code = self.text().strip()
        self.clear()
        if code:
            self.scanned.emit(code)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_code(QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def paste_code(self, text: str) -> None:
        """A QLineEdit keeps only the first line of pasted text; a code copied with its line
        break is submitted like a scanner's."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            return
        self.insert(lines[0])
        if text.rstrip(" \t") != text.rstrip():  # it ended with a line break
            self.submit()
