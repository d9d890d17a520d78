"""Type a number, then B: that many best seats ("4 B"). Digits 0-9 are window actions
(objectNames ``seatCountDigit0`` … ``seatCountDigit9``), so they count only where no
text is being typed (a line edit takes its digits first); two digits make 10-20. The
number waits for B until another key than a digit or B is used or a few seconds pass."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from enturf_pos.ui.main_window_base import action

PENDING_MS = 4000


class SeatCountKeys(QObject):
    def __init__(self, window, *, maximum: int, notify: Callable[[str], None]) -> None:
        super().__init__(window)
        self._maximum = maximum
        self._notify = notify
        self._typed = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PENDING_MS)
        self._timer.timeout.connect(self.forget)
        self.actions = []
        for digit in range(10):
            act = action(
                window, f"seatCountDigit{digit}", f"{digit} seats", str(digit), "Seats for B"
            )
            act.triggered.connect(lambda _c=False, d=digit: self._digit(d))
            window.addAction(act)
            self.actions.append(act)

    def _digit(self, digit: int) -> None:
        typed = f"{self._typed}{digit}".lstrip("0")
        if typed and int(typed) > self._maximum:
            typed = str(digit) if digit else ""  # a new number starts
        self._typed = typed
        self._timer.start()
        if typed:
            count = int(typed)
            self._notify(f"{count} seat{'s' if count != 1 else ''}: press B for the best ones.")

    def take(self) -> int | None:
        """The number typed before B (then forgotten), or None."""
        count = int(self._typed) if self._typed else None
        self.forget()
        return count

    def forget(self) -> None:
        self._typed = ""
        self._timer.stop()
