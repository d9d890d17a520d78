"""Row and seat numbering schemes.

Rows: letters ``A, B, ... Z`` then the theatre convention ``AA, BB, ... ZZ``, then
``AAA, BBB...`` (the doubled letter reads aloud unambiguously: "double A"); or the
spreadsheet convention ``AA, AB, AC...`` (``ROW_LETTER_PAIRS``); or numbers ``1, 2...``.
Letters can be left out (``skip_letters="IO"``: I and O look like 1 and 0).

Seats, along a row as drawn on the map: left to right, right to left, or odd and even
sides (odd numbers on one side, even on the other, both counting out from the centre:
``... 5 3 1 2 4 6 ...``). A start number, and numbers that are never used (``skip={13}``).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from enturf_core.seatmap_editing.document import Seat

__all__ = [
    "ALONG_CURVE",
    "ALONG_X",
    "LEFT_TO_RIGHT",
    "ODD_EVEN",
    "RIGHT_TO_LEFT",
    "ROW_LETTERS",
    "ROW_LETTER_PAIRS",
    "ROW_NUMBERS",
    "RowScheme",
    "SeatScheme",
    "order_along_row",
    "row_label",
    "row_labels",
    "seat_labels",
]

ROW_LETTERS = "letters"  # A..Z, AA, BB, CC.. ZZ, AAA..
ROW_LETTER_PAIRS = "letter_pairs"  # A..Z, AA, AB, AC.. AZ, BA..
ROW_NUMBERS = "numbers"  # 1, 2, 3..

LEFT_TO_RIGHT = "left_to_right"
RIGHT_TO_LEFT = "right_to_left"
ODD_EVEN = "odd_even"

ALONG_CURVE = "curve"  # order a row's seats along its chord (follows curves and turns)
ALONG_X = "x"  # order them by x


@dataclass(frozen=True)
class RowScheme:
    style: str = ROW_LETTERS
    start: int = 1  # 1: the first label of the style (A or 1); 3: C or 3
    skip_letters: str = ""  # letters never used, e.g. "IO"
    skip: frozenset[int] = frozenset()  # numbers never used (ROW_NUMBERS)
    front_to_back: bool = True  # the front row (nearest the stage) gets the first label


@dataclass(frozen=True)
class SeatScheme:
    order: str = LEFT_TO_RIGHT  # or RIGHT_TO_LEFT, ODD_EVEN
    start: int = 1
    skip: frozenset[int] = frozenset()  # numbers never used, e.g. {13}
    odd_side: str = "left"  # ODD_EVEN: odd numbers on this side as drawn ("left"/"right")
    prefix: str = ""  # "B" makes B1, B2...


def _alphabet(skip_letters: str) -> str:
    skip = set(skip_letters.upper())
    return "".join(c for c in string.ascii_uppercase if c not in skip)


def row_label(index: int, scheme: RowScheme | None = None) -> str:
    """The label of the row ``index`` places after the scheme's first row."""
    scheme = scheme or RowScheme()
    if scheme.style == ROW_NUMBERS:
        return str(_numbers(scheme.start, scheme.skip, index + 1)[-1])
    alphabet = _alphabet(scheme.skip_letters)
    k = index + scheme.start - 1
    if scheme.style == ROW_LETTER_PAIRS:
        label = ""
        k += 1
        while k > 0:  # bijective base len(alphabet): A..Z, AA, AB..
            k, rest = divmod(k - 1, len(alphabet))
            label = alphabet[rest] + label
        return label
    if scheme.style != ROW_LETTERS:
        raise ValueError(f"unknown row style {scheme.style!r}")
    times, rest = divmod(k, len(alphabet))
    return alphabet[rest] * (times + 1)


def row_labels(count: int, scheme: RowScheme | None = None) -> list[str]:
    """Labels of ``count`` rows, front row first (reversed when not ``front_to_back``)."""
    scheme = scheme or RowScheme()
    if scheme.style == ROW_NUMBERS:
        labels = [str(n) for n in _numbers(scheme.start, scheme.skip, count)]
    else:
        labels = [row_label(i, scheme) for i in range(count)]
    return labels if scheme.front_to_back else labels[::-1]


def _numbers(start: int, skip: Iterable[int], count: int, step: int = 1) -> list[int]:
    skipped = set(skip)
    out: list[int] = []
    n = start
    while len(out) < count:
        if n not in skipped:
            out.append(n)
        n += step
    return out


def seat_labels(count: int, scheme: SeatScheme | None = None) -> list[str]:
    """Labels of ``count`` seats in a row, listed from the left as drawn."""
    scheme = scheme or SeatScheme()
    if scheme.order == ODD_EVEN:
        odd_first = scheme.start if scheme.start % 2 else scheme.start + 1
        even_first = scheme.start + 1 if scheme.start % 2 else scheme.start
        odd_count = (count + 1) // 2  # the odd side takes the middle seat
        odds = _numbers(odd_first, scheme.skip, odd_count, 2)
        evens = _numbers(even_first, scheme.skip, count - odd_count, 2)
        numbers = odds[::-1] + evens if scheme.odd_side == "left" else evens[::-1] + odds
    else:
        numbers = _numbers(scheme.start, scheme.skip, count)
        if scheme.order == RIGHT_TO_LEFT:
            numbers.reverse()
        elif scheme.order != LEFT_TO_RIGHT:
            raise ValueError(f"unknown seat order {scheme.order!r}")
    return [f"{scheme.prefix}{n}" for n in numbers]


def order_along_row(
    row_seats: Sequence[Seat], subset: Iterable[int] | None = None, along: str = ALONG_CURVE
) -> list[Seat]:
    """The row's seats (or those of ``subset``, seat uids) from the left as drawn.
    ``ALONG_CURVE``: along the chord from one end seat of the row to the other, so a
    curved or rotated row is ordered along its curve; the chord is turned to point
    rightwards (downwards when it is vertical); rows curving through more than a half
    circle are not ordered well. ``ALONG_X``: by x, then y."""
    if along == ALONG_X:
        wanted = None if subset is None else set(subset)
        return sorted(
            (s for s in row_seats if wanted is None or s.uid in wanted), key=lambda s: (s.x, s.y)
        )
    if along != ALONG_CURVE:
        raise ValueError(f"unknown order {along!r}")
    seats = list(row_seats)
    if subset is not None:
        wanted = set(subset)
        chosen = [s for s in seats if s.uid in wanted]
    else:
        chosen = seats
    if len(seats) < 2:
        return chosen
    dx, dy = seats[-1].x - seats[0].x, seats[-1].y - seats[0].y
    if abs(dx) < 1e-9 and abs(dy) < 1e-9:
        dx, dy = 1.0, 0.0
    if dx < -1e-9 or (abs(dx) <= 1e-9 and dy < 0):
        dx, dy = -dx, -dy
    return sorted(chosen, key=lambda s: s.x * dx + s.y * dy)
