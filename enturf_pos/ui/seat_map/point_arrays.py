"""QPolygonF of seat centres straight from the layout's coordinate columns.

Making one ``QPointF`` per seat costs about 2 µs in Python: 0.2 s for 100,000 seats,
most of a big map's first paint. A QPolygonF is a C++ array of (x, y) doubles, so the
two columns are interleaved into one ``array('d')`` and copied into a polygon of the
right size in one ``memmove``. A self-check at import falls back to the point-by-point
way where a QPointF is not two doubles (Qt built with ``qreal`` = float).
"""

from __future__ import annotations

import ctypes
from array import array
from itertools import compress

import shiboken6
from PySide6.QtCore import QPointF
from PySide6.QtGui import QPolygonF

_ONE_OF: dict[int, bytes] = {}  # byte value -> translate table: 1 where equal, else 0


def _copied(xs: array, ys: array) -> QPolygonF:
    n = len(xs)
    polygon = QPolygonF()
    if not n:
        return polygon
    polygon.resize(n)
    pairs = array("d", bytes(16 * n))
    pairs[0::2] = xs
    pairs[1::2] = ys
    address = shiboken6.getCppPointer(polygon.data())[0]
    ctypes.memmove(address, pairs.buffer_info()[0], 16 * n)
    return polygon


def _one_by_one(xs: array, ys: array) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in zip(xs, ys, strict=True)])


def _copy_works() -> bool:
    try:
        polygon = _copied(array("d", [1.5, -2.0]), array("d", [3.25, 4.0]))
    except Exception:
        return False
    return polygon.size() == 2 and polygon.at(1) == QPointF(-2.0, 4.0)


polygon_of = _copied if _copy_works() else _one_by_one


def polygon_where(xs: array, ys: array, mask: bytes) -> QPolygonF:
    """The points whose ``mask`` byte is non-zero."""
    return polygon_of(array("d", compress(xs, mask)), array("d", compress(ys, mask)))


def equal_to(values: bytes | bytearray, value: int) -> bytes:
    """A 0/1 mask of where ``values`` holds ``value`` (C speed)."""
    table = _ONE_OF.get(value)
    if table is None:
        table = _ONE_OF[value] = bytes(1 if i == value else 0 for i in range(256))
    return bytes(values).translate(table)


def groups_by_code(xs: array, ys: array, codes: bytes | bytearray) -> list[tuple[int, QPolygonF]]:
    """Points grouped by their code byte, in code order."""
    present = sorted(set(codes))
    if len(present) == 1:
        return [(present[0], polygon_of(xs, ys))]
    return [(c, polygon_where(xs, ys, equal_to(codes, c))) for c in present]
