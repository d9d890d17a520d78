"""What a seat looks like: its *look* (free, in my cart, held, sold...) and colours.

A seat's paint code is one byte: ``look << 5 | category`` (categories beyond 32 share
colours). Free seats take their category's colour from a colour-blind-safe palette; the
other looks have fixed colours chosen to differ in lightness as well as hue, and the cart
and "allocated here" also differ in shape (a ring), so no state depends on hue alone. The
colours are `enturf_core.palette`'s, as QColors.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtGui import QColor

from enturf_core import palette as colours
from enturf_core.seating.states import SeatState


class Look(IntEnum):
    FREE = 0
    FREE_HERE = 1  # allocated to this counter: free, outlined
    DIMMED = 2  # free but not pickable here now (offline: not in our allocation)
    CART = 3  # selected at this counter
    HELD = 4  # in someone else's cart
    SOLD = 5
    BLOCKED = 6
    OTHER_COUNTER = 7  # allocated to another counter


CATEGORY_BITS = 5
CATEGORY_MASK = (1 << CATEGORY_BITS) - 1

# state -> look of a seat that is not in the cart, before pickability
LOOK_OF_STATE = {
    SeatState.AVAILABLE: Look.FREE,
    SeatState.ALLOCATED_HERE: Look.FREE_HERE,
    SeatState.HELD: Look.HELD,
    SeatState.SOLD: Look.SOLD,
    SeatState.BLOCKED: Look.BLOCKED,
    SeatState.ALLOCATED_OTHER: Look.OTHER_COUNTER,
}

CATEGORY_COLOURS = colours.CATEGORY_COLOURS

BACKGROUND = QColor(colours.MAP_BACKGROUND)
SECTION_FILL = QColor(colours.SURFACE)
SECTION_EDGE = QColor(colours.LINE)
STAGE_FILL = QColor(colours.MAP_STAGE)
STAGE_TEXT = QColor(colours.WHITE)
AREA_FILL = QColor(colours.MAP_AREA)
AREA_EDGE = QColor(colours.MAP_AREA_EDGE)
AREA_TEXT = QColor(colours.MAP_AREA_TEXT)
AREA_OFF_SALE = QColor(colours.MAP_AREA_OFF_SALE)  # a standing area no ticket sells: faded
AREA_OFF_SALE_TEXT = QColor(colours.MAP_AREA_EDGE)
LABEL_TEXT = QColor(colours.TEXT)
ROW_LABEL_TEXT = QColor(colours.TEXT_HINT)
MESSAGE_TEXT = QColor(colours.MAP_MESSAGE)
CURSOR = QColor(colours.BLUE)
FOCAL = QColor(colours.MAP_FOCAL)
MARK = QColor(colours.WHITE)  # the wheelchair ring on a seat
MARK_DARK = QColor(colours.TEXT)  # the restricted-view corner of a seat
HALO = QColor(colours.WHITE)  # under the cursor's and the focal point's rings

CART_FILL = QColor(colours.SEAT_CART)
CART_RING = QColor(colours.TEXT_STRONG)
HERE_RING = QColor(colours.TEXT)
STATE_COLOURS = {
    Look.HELD: QColor(colours.SEAT_HELD),
    Look.SOLD: QColor(colours.SEAT_SOLD),
    Look.BLOCKED: QColor(colours.SEAT_BLOCKED),
    Look.OTHER_COUNTER: QColor(colours.SEAT_OTHER_COUNTER),
}
DIM_TOWARDS = QColor(colours.WHITE)
DIM_AMOUNT = 0.72

LOOK_NAMES = {
    Look.FREE: "Available",
    Look.FREE_HERE: "Allocated to this counter",
    Look.DIMMED: "Not sellable from this counter now",
    Look.CART: "In your cart",
    Look.HELD: "Held by someone else",
    Look.SOLD: "Sold",
    Look.BLOCKED: "Blocked",
    Look.OTHER_COUNTER: "Allocated to another counter",
}


def code(look: Look | int, category: int) -> int:
    return (int(look) << CATEGORY_BITS) | (category & CATEGORY_MASK)


def look_of(paint_code: int) -> Look:
    return Look(paint_code >> CATEGORY_BITS)


Own = Sequence[str] | None  # a map's own colours by category number ("#RRGGBB" data)


def category_colour(category: int, own: Own = None) -> QColor:
    if own and category < len(own):
        colour = QColor(own[category])
        if colour.isValid():
            return colour
    return QColor(CATEGORY_COLOURS[category % len(CATEGORY_COLOURS)])


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def fill_colour(paint_code: int, own: Own = None) -> QColor:
    look = look_of(paint_code)
    category = paint_code & CATEGORY_MASK
    if look in (Look.FREE, Look.FREE_HERE):
        return category_colour(category, own)
    if look == Look.DIMMED:
        return _mix(category_colour(category, own), DIM_TOWARDS, DIM_AMOUNT)
    if look == Look.CART:
        return QColor(CART_FILL)
    return QColor(STATE_COLOURS[look])


def ring_colour(paint_code: int) -> QColor | None:
    """The outline drawn round a seat, or None."""
    look = look_of(paint_code)
    if look == Look.CART:
        return QColor(CART_RING)
    if look == Look.FREE_HERE:
        return QColor(HERE_RING)
    return None


def text_colour(fill: QColor) -> QColor:
    """Black or white, whichever reads better on ``fill`` (WCAG relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = (
        0.2126 * channel(fill.redF())
        + 0.7152 * channel(fill.greenF())
        + 0.0722 * channel(fill.blueF())
    )
    return QColor(colours.TEXT_STRONG) if lum > 0.22 else QColor(colours.WHITE)


def availability_colour(category: int, free_share: float, own: Own = None) -> QColor:
    """A section's overview colour: its category's colour, paler as it sells out, grey
    when nothing is left."""
    if free_share <= 0:
        return QColor(STATE_COLOURS[Look.SOLD])
    return _mix(category_colour(category, own), DIM_TOWARDS, 0.75 * (1 - free_share) + 0.1)
