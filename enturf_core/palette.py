"""Enturf's colours, as "#rrggbb" strings: the one palette of the counter's screens and
seat map, the printed and e-mailed documents and anything else either side draws.

No Qt and no reportlab here: the POS turns a value into a QColor (`QColor(palette.NAVY)`,
or `${NAVY}` in its style sheets), the PDFs into a reportlab colour
(`enturf_core.pdf_drawing`). A colour is named for its role, so one that must change
changes here, once.
"""

from __future__ import annotations

# -- brand --------------------------------------------------------------------------------
NAVY = "#12263f"  # toolbar, titles, totals
NAVY_HOVER = "#24456e"  # a toolbar button under the pointer
BLUE = "#1f5fbf"  # screen accent: primary buttons, focus rings, selection, the map's cursor
BLUE_DARK = "#174a96"  # a primary button's edge and hover; "held" text
PRINT_BLUE = "#1d4e89"  # paper accent: the ticket's event band, the invoice's header
WHITE = "#ffffff"

# -- text ---------------------------------------------------------------------------------
TEXT = "#1b1f24"  # body text on screen; the ring round seats allocated here
TEXT_STRONG = "#111111"  # dark text on light seats; the ring round seats in the cart
TEXT_SECONDARY = "#4a5361"  # subtitles, event details
TEXT_HINT = "#5b6470"  # hints, empty states, row labels on the map
TEXT_DISABLED = "#6b7380"
INK = "#1f2933"  # body text on paper
INK_MUTED = "#616e7c"  # labels and small print on paper

# -- surfaces and lines ------------------------------------------------------------------
WINDOW = "#f4f5f7"  # window background
SURFACE = WHITE  # cards, fields, tables
SURFACE_ALT = "#f3f6fa"  # a table's alternate rows
SURFACE_HOVER = "#eef2f8"  # a button under the pointer
BAR = "#e9edf3"  # table headers, the status bar
BORDER = "#d5d9e0"  # cards, tables; a disabled button's face
BORDER_FIELD = "#9aa3b0"  # fields and buttons
LINE = "#c4c9d1"  # header rules, disabled edges, seat-map section edges
GRID = "#e1e5eb"  # table grid lines
CASH_PANEL = "#f4f7fb"
CASH_PANEL_EDGE = "#c9d3e1"
PAPER_RULE = "#cbd2d9"  # rules and outlines on paper
PAPER_PANEL = "#f0f4f8"  # shaded boxes and table headers on paper

# -- states -------------------------------------------------------------------------------
SUCCESS = "#1a7f37"  # online, change due
SUCCESS_TEXT = "#0f4d2a"
SUCCESS_BACK = "#e6f5ec"
SUCCESS_EDGE = "#9fd3b2"
DANGER = "#b42318"  # offline, short, the COPY mark on reprints
ERROR_TEXT = "#8a1414"
ERROR_BACK = "#fdecec"
ERROR_EDGE = "#e3a5a5"
OFFLINE_TEXT = "#7a2e0e"
OFFLINE_BACK = "#fdeee3"
INFO_BACK = "#e8f0fc"
WARNING_TEXT = "#5c4200"
WARNING_BACK = "#fff6d6"
WARNING_EDGE = "#e5c95c"
NO_SHIFT_BACK = "#fff4e5"  # the shift bar while no shift is open
NO_SHIFT_EDGE = "#f0b46c"

# -- door verdicts (the whole panel: read from a few metres, in any light) -----------------
VERDICT_GREEN = "#167a32"  # admitted / exited, white text
VERDICT_AMBER = "#f2b200"  # already in: look again, dark text
VERDICT_RED = "#b3261e"  # refused, white text
VERDICT_WAITING = "#dfe5ee"  # nothing scanned yet, or waiting for the server
VERDICT_ON_AMBER = "#1a1400"  # text on amber

# -- seat map -----------------------------------------------------------------------------
# Free seats take their category's colour from a colour-blind-safe set (Okabe-Ito and
# Tol's muted set, yellow left out so that the cart stands out); the other states have
# fixed colours chosen to differ in lightness as well as hue.
CATEGORY_COLOURS = (
    "#0072b2",  # blue
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#e69f00",  # orange
    "#56b4e9",  # sky blue
    "#882255",  # wine
    "#44aa99",  # teal
    "#999933",  # olive
    "#332288",  # indigo
    "#aa4499",  # purple
)
SEAT_CART = "#ffd21f"  # vivid yellow with a TEXT_STRONG ring: seen by everyone
SEAT_HELD = "#f3c9a4"  # pale apricot: taken for now
SEAT_SOLD = "#c9ccd1"  # light grey
SEAT_BLOCKED = "#4d535c"  # dark slate
SEAT_OTHER_COUNTER = "#b9cfe3"  # pale steel blue
MAP_BACKGROUND = "#eef0f3"
MAP_STAGE = "#262b33"
MAP_AREA = "#e2e6ec"
MAP_AREA_EDGE = "#8d96a3"  # also the name of an area no ticket sells
MAP_AREA_TEXT = "#3d4550"
MAP_AREA_OFF_SALE = "#f1f2f4"
MAP_FOCAL = "#d1495b"  # the focal point best seats are chosen towards
MAP_MESSAGE = "#30363f"  # the legend's and the map's messages

# -- customer display (the screen facing the customer: light on dark, read from afar) -----
DISPLAY_BACK = "#10243a"
DISPLAY_PANEL = "#16314d"  # the cart's lines
DISPLAY_PANEL_ALT = "#1b3a5b"  # alternate lines
DISPLAY_EDGE = "#2b4a6b"  # the seat map's frame
DISPLAY_TEXT = "#f4f6f8"
DISPLAY_MUTED = "#b9c6d3"  # captions, the event
DISPLAY_AMOUNT = "#ffd27a"  # what is paid and the change
DISPLAY_OK = "#8fe39a"  # card approved, thank you
DISPLAY_BAD = "#ff9a8f"  # card declined
# -- reports ------------------------------------------------------------------------------
# The occupancy heat map's sold seats, early to late (or cheap to dear): viridis, a
# sequential scale that stays in order in grey and for colour-blind readers. Seats not
# sold are pale so that the sold ones carry the picture.
HEAT_SCALE = ("#fde725", "#90d743", "#35b779", "#21918c", "#31688e", "#443983", "#440154")
HEAT_NOT_SOLD = "#e3e6ea"


def colours() -> dict[str, str]:
    """Every single colour by its name (for `${NAME}` in style sheets)."""
    return {
        name: value
        for name, value in globals().items()
        if name.isupper() and isinstance(value, str) and value.startswith("#")
    }
