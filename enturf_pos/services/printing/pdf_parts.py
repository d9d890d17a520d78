"""Pieces the receipt and ticket layouts share: colours and date formats; QR drawings and
text fitting come from `enturf_core.pdf_drawing` (shared with the server's tickets)."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib import colors

from enturf_core.pdf_drawing import draw_qr as draw_qr  # re-exported for the layouts
from enturf_core.pdf_drawing import fit as fit
from enturf_core.pdf_drawing import fitting_size as fitting_size

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#c4ccd6")
PANEL = colors.HexColor("#eef2f6")
COPY_RED = colors.HexColor("#b42318")


def date_text(moment: datetime) -> str:
    """ "Sat 14 Mar 2026" (English, locale-free)."""
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


def long_date_text(moment: datetime) -> str:
    """ "Saturday 14 March 2026"."""
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def time_text(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def rate_text(rate) -> str:
    """7 -> "7 %", 5.5 -> "5.5 %"."""
    text = format(rate.normalize(), "f") if hasattr(rate, "normalize") else str(rate)
    return f"{text} %"
