"""Pieces the receipt and slip layouts share: the paper colours, QR drawings and text
fitting (`enturf_core.pdf_drawing`, shared with the tickets and the server's PDFs), the
printed date forms (`enturf_core.local_time`) and tax rates as text."""

from __future__ import annotations

# re-exported for the layouts
from enturf_core.local_time import date_text as date_text
from enturf_core.local_time import time_text as time_text
from enturf_core.pdf_drawing import COPY_RED as COPY_RED
from enturf_core.pdf_drawing import INK as INK
from enturf_core.pdf_drawing import MUTED as MUTED
from enturf_core.pdf_drawing import RULE as RULE
from enturf_core.pdf_drawing import draw_qr as draw_qr
from enturf_core.pdf_drawing import fit as fit


def rate_text(rate) -> str:
    """7 -> "7 %", 5.5 -> "5.5 %"."""
    text = format(rate.normalize(), "f") if hasattr(rate, "normalize") else str(rate)
    return f"{text} %"
