"""The counter's style sheets and seat map take their colours from `enturf_core.palette`."""

from __future__ import annotations

from PySide6.QtGui import QColor

from enturf_core import palette
from enturf_pos.ui.app import style_sheet
from enturf_pos.ui.cashier.style import CASHIER_STYLE
from enturf_pos.ui.seat_map import palette as seat_palette


def test_the_style_sheets_fill_in_every_colour():
    sheets = style_sheet() + CASHIER_STYLE
    assert "$" not in sheets
    assert f"background: {palette.NAVY}" in sheets and f"color: {palette.DANGER}" in sheets


def test_the_seat_map_paints_the_palettes_colours():
    sold = seat_palette.code(seat_palette.Look.SOLD, 0)
    assert seat_palette.fill_colour(sold) == QColor(palette.SEAT_SOLD)
    free = seat_palette.code(seat_palette.Look.FREE, 1)
    assert seat_palette.fill_colour(free) == QColor(palette.CATEGORY_COLOURS[1])
