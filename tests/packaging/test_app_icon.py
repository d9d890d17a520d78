"""The program icon (packaging/app_icon.py): resources/logo.svg drawn by Qt, which
PyInstaller turns into the Windows .ico and the macOS .icns with Pillow. Drawn here on
Linux too, where the build itself uses no icon, so the Windows and macOS step is tried."""

from __future__ import annotations

import subprocess
import sys

from PIL import Image
from support.packaged import ROOT


def test_the_logo_becomes_the_program_icon(tmp_path):
    png = tmp_path / "icon.png"

    subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "app_icon.py"),
            str(ROOT / "resources" / "logo.svg"),
            str(png),
        ],
        check=True,
    )

    with Image.open(png) as image:
        assert image.size == (1024, 1024)
        assert image.getpixel((512, 512))[3] == 255  # drawn, not blank
        assert image.getpixel((0, 0))[3] == 0  # the rounded corner stays transparent
        for suffix in (".icns", ".ico"):  # what PyInstaller's conversion writes
            image.save(tmp_path / f"icon{suffix}")
    with Image.open(tmp_path / "icon.icns") as icns:
        assert icns.format == "ICNS" and icns.size == (1024, 1024)
