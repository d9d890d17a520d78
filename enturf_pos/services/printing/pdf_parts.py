"""Pieces the receipt and ticket layouts share: colours, QR drawings, text fitting and
date formats."""

from __future__ import annotations

import itertools
from datetime import datetime

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#c4ccd6")
PANEL = colors.HexColor("#eef2f6")
COPY_RED = colors.HexColor("#b42318")

QUIET_MODULES = 4  # the QR standard's quiet zone


def qr_modules(text: str, level: str = "M") -> list[list[bool]]:
    """The QR matrix of `text` (True: dark), encoded by reportlab's QrCodeWidget."""
    widget = QrCodeWidget(text, barLevel=level)
    widget.qr.make()
    return [[bool(m) for m in row] for row in widget.qr.modules]


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """A QR code of `text` (error correction M), `size` points square including its
    4-module quiet zone, on white.

    The modules come from reportlab's QR widget; they are drawn here as one path of
    horizontal runs instead of the widget's shape per run, which halves the time a
    ticket takes."""
    modules = qr_modules(text)
    count = len(modules)
    box = size / (count + 2 * QUIET_MODULES)
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        top = y + size - (r + QUIET_MODULES) * box
        c = 0
        for dark, run in itertools.groupby(row):
            n = len(list(run))
            if dark:
                path.rect(x + (c + QUIET_MODULES) * box, top - box, n * box, box)
            c += n
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis to fit `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def fitting_size(text: str, font: str, largest: float, smallest: float, width: float) -> float:
    """The largest font size from `largest` down to `smallest` at which `text` fits."""
    size = largest
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


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
