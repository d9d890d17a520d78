"""PDF bytes onto a QPrinter.

A printer gets the pages rasterised by QtPdf (`QPdfDocument.render`, at up to
`RASTER_DPI`) and drawn with QPainter, one printer page per PDF page at the PDF page's
own size (80 mm roll, 2 x 5.5 in stock, A4). "Save as PDF" (a QPrinter whose output
format is PDF with a file name: the PDF target, or *Print to file* in the print dialog)
writes the document itself, so the file keeps its text and vector QR codes.

QPainter may paint on a QPrinter outside the GUI thread (Qt: "QPainter can be used in a
thread to paint onto QImage, QPrinter, and QPicture"), so all of this runs on the print
controller's worker thread; each call makes its own QPdfDocument."""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from enturf_pos.services import venue_time
from enturf_pos.ui.printing.settings import PrintTarget, TargetKind

RASTER_DPI = 300  # plenty for 203/300 dpi thermal heads and QR codes; 1200 would be slow


class PrintFailed(Exception):
    """A print job that did not reach its printer; the message says why, for the cashier."""


def file_stem(title: str, copy: bool) -> str:
    """A file name from the job's title: one "-COPY" for any copy (a copy's title already
    says "(COPY)", a reprint of a reprint too), and the venue's time."""
    words = re.findall(r"\w+", title.replace("(COPY)", " "))
    stamp = venue_time.text(datetime.now(UTC), "%Y%m%d-%H%M%S-%f")
    return f"{'-'.join(words) or 'document'}{'-COPY' if copy else ''}-{stamp}"


def printer_for(target: PrintTarget, *, title: str, copy: bool) -> QPrinter:
    """A QPrinter for a direct target (an installed printer, or a PDF in a folder)."""
    if target.kind is TargetKind.PDF:
        folder = Path(target.folder).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrintFailed(
                f"Cannot save PDFs in {folder}: {exc.strerror or exc}. "
                "Choose another folder in Printers…"
            ) from exc
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(folder / f"{file_stem(title, copy)}.pdf"))
        return printer
    if target.kind is TargetKind.PRINTER:
        info = QPrinterInfo.printerInfo(target.printer)
        if info.isNull():
            raise PrintFailed(
                f"The printer “{target.printer}” is not installed on this computer. "
                "Check it is connected, or choose another one in Printers…"
            )
        if info.state() is QPrinter.PrinterState.Error:
            raise PrintFailed(
                f"The printer “{target.printer}” is offline or in error: check that it is "
                "on, has paper and is connected."
            )
        return QPrinter(info, QPrinter.PrinterMode.HighResolution)
    raise ValueError(f"{target.kind} asks the user: it has no printer of its own")


def printer_name(printer: QPrinter) -> str:
    if saves_pdf(printer):
        return printer.outputFileName()
    return printer.printerName() or "default printer"


def saves_pdf(printer: QPrinter) -> bool:
    return printer.outputFormat() is QPrinter.OutputFormat.PdfFormat and bool(
        printer.outputFileName()
    )


def spool(pdf: bytes, printer: QPrinter) -> int:
    """Hand the document to the printer; returns the number of pages."""
    if saves_pdf(printer):
        path = Path(printer.outputFileName())
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            raise PrintFailed(f"Could not save {path}: {exc.strerror or exc}.") from exc
        return _page_count(path)
    return paint_pdf(pdf, printer)


def _page_count(path: Path) -> int:
    doc = QPdfDocument()
    try:
        if doc.load(str(path)) is not QPdfDocument.Error.None_:
            raise PrintFailed(f"{path} is not a readable PDF.")
        return doc.pageCount()
    finally:
        doc.close()


def _layout(size: QSizeF) -> QPageLayout:
    w, h = size.width(), size.height()
    portrait = QSizeF(min(w, h), max(w, h))
    page = QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
    orientation = QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait
    return QPageLayout(page, orientation, QMarginsF())


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Rasterise each page with QtPdf and paint it onto the printer, page for page."""
    with tempfile.TemporaryDirectory(prefix="enturf-print-") as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        doc = QPdfDocument()
        try:
            if doc.load(str(source)) is not QPdfDocument.Error.None_ or doc.pageCount() < 1:
                raise PrintFailed("The document to print could not be read (not a PDF).")
            return _paint(doc, printer)
        finally:
            doc.close()


def _pages(printer: QPrinter, count: int) -> list[int]:
    """The pages to print: the print dialog's range (1-based, 0 = all), each as many
    times as copies were asked for when the driver cannot make the copies itself."""
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), count) if printer.toPage() else count
    pages = list(range(first - 1, max(last, first)))
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if printer.collateCopies():
        return pages * copies
    return [page for page in pages for _ in range(copies)]


def _paint(doc: QPdfDocument, printer: QPrinter) -> int:
    name = printer_name(printer)
    pages = _pages(printer, doc.pageCount())
    sizes = {i: doc.pagePointSize(i) for i in set(pages)}
    printer.setFullPage(True)
    printer.setPageLayout(_layout(sizes[pages[0]]))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(f"The printer “{name}” did not accept the job (offline or busy?).")
    try:
        for n, i in enumerate(pages):
            size = sizes[i]
            if n:
                if size != sizes[pages[n - 1]]:
                    printer.setPageLayout(_layout(size))
                if not printer.newPage():
                    raise PrintFailed(f"The printer “{name}” stopped after page {n}.")
            dpi = min(printer.resolution(), RASTER_DPI)
            pixels = QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi))
            image = doc.render(i, pixels)
            if image.isNull():
                raise PrintFailed(f"Page {i + 1} could not be drawn.")
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            painter.drawImage(QRectF(0, 0, paper.width(), paper.height()), image)
    finally:
        painter.end()
    if printer.printerState() is QPrinter.PrinterState.Error:
        raise PrintFailed(f"The printer “{name}” reported an error; the job may be incomplete.")
    return len(pages)


def pdf_images(pdf: bytes, *, width_dots: int, dpi: int) -> list[Image.Image]:
    """The PDF's pages as greyscale bitmaps for an ESC/POS printer's head: at the
    printer's `dpi`, scaled down to `width_dots` when wider. A landscape page (a ticket on
    2 x 5.5 in stock) is turned a quarter clockwise, so its short side goes across the
    head and its stub comes out first."""
    with tempfile.TemporaryDirectory(prefix="enturf-raster-") as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        doc = QPdfDocument()
        try:
            if doc.load(str(source)) is not QPdfDocument.Error.None_ or doc.pageCount() < 1:
                raise PrintFailed("The document to print could not be read (not a PDF).")
            return [_page_image(doc, i, width_dots, dpi) for i in range(doc.pageCount())]
        finally:
            doc.close()


def _page_image(doc: QPdfDocument, index: int, width_dots: int, dpi: int) -> Image.Image:
    size = doc.pagePointSize(index)
    landscape = size.width() > size.height()
    across = size.height() if landscape else size.width()
    scale = min(dpi / 72, width_dots / across)
    pixels = QSize(round(size.width() * scale), round(size.height() * scale))
    page = doc.render(index, pixels)
    if page.isNull():
        raise PrintFailed(f"Page {index + 1} could not be drawn.")
    paper = QImage(pixels, QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)  # QtPdf leaves the page transparent
    painter = QPainter(paper)
    painter.drawImage(0, 0, page)
    painter.end()
    grey = paper.convertToFormat(QImage.Format.Format_Grayscale8)
    image = Image.frombuffer(
        "L",
        (grey.width(), grey.height()),
        bytes(grey.constBits()),
        "raw",
        "L",
        grey.bytesPerLine(),
        1,
    ).copy()
    return image.transpose(Image.Transpose.ROTATE_270) if landscape else image
