"""`python -m enturf_demo.ticket_codes FILE.pdf ...`: the ticket codes in ticket PDFs (the
QR codes the demo counter printed into `var/pos/prints/`), one per line, read the way the
door's camera reads them (QtPdf renders each page, `enturf_pos.ui.door.camera_scanner`
decodes it). Paste one into the door's scanner field to scan it without a scanner."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DPI = 200  # enough for a QR code of 30 mm


def codes_in(path: Path) -> list[str]:
    """The ticket codes (`v1.…`) of every page of the PDF at `path`, in page order."""
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    from enturf_pos.ui.door.camera_scanner import decode

    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_:
        raise ValueError(f"{path} is not a PDF that can be read")
    codes: list[str] = []
    for page in range(document.pageCount()):
        points = document.pagePointSize(page)
        size = QSize(round(points.width() * DPI / 72), round(points.height() * DPI / 72))
        codes += [code for code in decode(document.render(page, size)) if code.startswith("v1.")]
    document.close()
    return codes


def main(argv: list[str] | None = None) -> int:
    paths = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([])
    for path in paths:
        try:
            for code in codes_in(path):
                print(code)
        except (OSError, ValueError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
