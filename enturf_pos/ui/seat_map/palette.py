"""What a seat looks like: its *look* (free, in my cart, held, sold...) and colours.

A seat's paint code is one byte: ``look << 5 | category`` (categories beyond 32 share
colours). Free seats take their category's colour from a colour-blind-safe palette
(Okabe-Ito and Tol's muted set, yellow left out so that the cart stands out); the other
looks have fixed colours chosen to differ in lightness as well as hue, and the cart and
"allocated here" also differ in shape (a ring), so no state depends on hue alone.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtGui import QColor

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

CATEGORY_COLOURS = [
    "#0072B2",  # blue
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
    "#332288",  # indigo
    "#AA4499",  # purple
]

BACKGROUND = QColor("#eef0f3")
SECTION_FILL = QColor("#ffffff")
SECTION_EDGE = QColor("#c5cbd3")
STAGE_FILL = QColor("#262b33")
STAGE_TEXT = QColor("#ffffff")
AREA_FILL = QColor("#e2e6ec")
AREA_EDGE = QColor("#8d96a3")
AREA_OFF_SALE = QColor("#f1f2f4")  # a standing area no ticket sells: faded
AREA_OFF_SALE_TEXT = QColor("#8d96a3")
LABEL_TEXT = QColor("#1b1f24")
ROW_LABEL_TEXT = QColor("#5b6470")
CURSOR = QColor("#1f5fbf")
FOCAL = QColor("#d1495b")

CART_FILL = QColor("#ffd21f")  # vivid yellow, black ring: seen by everyone
CART_RING = QColor("#111111")
HERE_RING = QColor("#1b1f24")
STATE_COLOURS = {
    Look.HELD: QColor("#f3c9a4"),  # pale apricot: taken for now
    Look.SOLD: QColor("#c9ccd1"),  # light grey
    Look.BLOCKED: QColor("#4d535c"),  # dark slate
    Look.OTHER_COUNTER: QColor("#b9cfe3"),  # pale steel blue
}
DIM_TOWARDS = QColor("#ffffff")
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


def category_colour(category: int) -> QColor:
    return QColor(CATEGORY_COLOURS[category % len(CATEGORY_COLOURS)])


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def fill_colour(paint_code: int) -> QColor:
    look = look_of(paint_code)
    category = paint_code & CATEGORY_MASK
    if look in (Look.FREE, Look.FREE_HERE):
        return category_colour(category)
    if look == Look.DIMMED:
        return _mix(category_colour(category), DIM_TOWARDS, DIM_AMOUNT)
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
    return QColor("#111111") if lum > 0.22 else QColor("#ffffff")


def availability_colour(category: int, free_share: float) -> QColor:
    """A section's overview colour: its category's colour, paler as it sells out, grey
    when nothing is left."""
    if free_share <= 0:
        return QColor(STATE_COLOURS[Look.SOLD])
    return _mix(category_colour(category), DIM_TOWARDS, 0.75 * (1 - free_share) + 0.1)
