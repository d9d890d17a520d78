"""reportlab drawing pieces the server's and the counter's PDFs share: the paper colours
(from `enturf_core.palette`), QR codes, text fitted to a width, cut lines."""

from __future__ import annotations

import itertools

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from enturf_core import palette

INK = colors.HexColor(palette.INK)
MUTED = colors.HexColor(palette.INK_MUTED)
ACCENT = colors.HexColor(palette.PRINT_BLUE)
RULE = colors.HexColor(palette.PAPER_RULE)
PANEL = colors.HexColor(palette.PAPER_PANEL)
COPY_RED = colors.HexColor(palette.DANGER)

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


def cut_line(canvas: Canvas, y: float, page_width: float, inset: float, color) -> None:
    """A dashed cut line across the page at `y`, `inset` from both edges."""
    canvas.saveState()
    canvas.setStrokeColor(color)
    canvas.setDash(4, 3)
    canvas.setLineWidth(0.5)
    canvas.line(inset, y, page_width - inset, y)
    canvas.restoreState()
