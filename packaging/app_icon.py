"""Draw the counter's program icon from an SVG: `python packaging/app_icon.py IN.svg OUT.png`.

The spec runs it on Windows and macOS (resources/logo.svg); PyInstaller then converts the
PNG with Pillow to the .ico or .icns the platform needs. Qt's SVG renderer draws it, so
the build needs no other tool. A subprocess of its own: PyInstaller's process starts no Qt.
"""

from __future__ import annotations

import os
import sys

SIZE = 1024  # macOS's largest icon size; Pillow scales it down for the smaller ones


def render(svg: str, png: str, size: int = SIZE) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a build machine needs no display
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (fonts, if any)
    renderer = QSvgRenderer(svg)
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG image Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    if not image.save(png, "PNG"):
        raise SystemExit(f"could not write {png}")


if __name__ == "__main__":
    render(sys.argv[1], sys.argv[2])
