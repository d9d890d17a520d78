"""One palette (`enturf_core.palette`): its values are colours, and no colour is written
anywhere else in the code (the counter's style sheets name theirs: tests/pos/ui/test_theme.py)."""

from __future__ import annotations

import re
from pathlib import Path

from enturf_core import palette

ROOT = Path(__file__).resolve().parents[2]
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
# Cashier panels whose own style sheets still write colours: their owner moves them onto
# the palette (the palette names each of these values already). Shrinks, never grows.


def test_every_palette_value_is_a_colour():
    named = palette.colours()
    assert {"NAVY", "INK", "PRINT_BLUE", "SEAT_SOLD", "DANGER"} <= set(named)
    for name, value in named.items():
        assert re.fullmatch(r"#[0-9a-f]{6}", value), name
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in palette.CATEGORY_COLOURS)
    assert len(set(palette.CATEGORY_COLOURS)) == len(palette.CATEGORY_COLOURS)


def test_no_colour_is_written_outside_the_palette():
    found = []
    for package in ("enturf_core", "enturf_server", "enturf_pos"):
        for path in sorted((ROOT / package).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in (".py", ".qss") or relative == "enturf_core/palette.py":
                continue
            if "/migrations/" in relative:
                continue
            found += [f"{relative}: {m}" for m in HEX.findall(path.read_text(encoding="utf-8"))]
    assert found == []
