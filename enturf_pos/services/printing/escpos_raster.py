"""Pages as ESC/POS raster images (GS v 0), for documents the printer has no commands
for: tickets on thermal ticket stock from a printer without a driver, a refund slip or
an A4 document on the roll. The pages come as Pillow images (the PDF rendered to a
bitmap: QtPdf in `enturf_pos.ui.printing.spool.pdf_images`); each is printed with the
library's `image` command and cut."""

from __future__ import annotations

from collections.abc import Sequence

from escpos.escpos import Escpos
from PIL import Image

from enturf_pos.services.printing.escpos_device import Writer


def write_pages(printer: Escpos, pages: Sequence[Image.Image], *, cut_each: bool = True) -> None:
    """Each page as a raster image, centred, a cut after each (or after the last)."""
    printer.hw("INIT")
    for n, page in enumerate(pages, 1):
        printer.set(align="center")
        printer.image(page, impl="bitImageRaster")
        printer.set(align="left")
        if cut_each or n == len(pages):
            printer.cut()


def pages_writer(pages: Sequence[Image.Image], *, cut_each: bool = True) -> Writer:
    return lambda printer: write_pages(printer, pages, cut_each=cut_each)
