"""docs/architecture.md stays true: every file or folder it names exists, and so does
every page it links to. (The layer picture is checked by tests/server/site/test_layers.py.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "architecture.md"
# a path in backticks: `enturf_pos/services/sync/`, `sync/push_registry.py`, `tests/x.py`
PATH = re.compile(r"`([\w.]+/[\w./]*)`")
LINK = re.compile(r"\]\(([\w./-]+\.(?:md|svg|png))(?:#[\w-]+)?\)")
# a path may be written from the repository, or from inside the POS or the server
BASES = (ROOT, ROOT / "enturf_pos", ROOT / "enturf_server", ROOT / "docs")


def test_every_path_the_architecture_page_names_exists():
    text = PAGE.read_text(encoding="utf-8")
    named = {p for p in PATH.findall(text) if not p.startswith("../")}
    assert len(named) > 40  # the page names the places; an empty match would prove nothing
    missing = sorted(p for p in named if not any((base / p).exists() for base in BASES))
    assert missing == []


def test_every_page_the_architecture_page_links_exists():
    links = LINK.findall(PAGE.read_text(encoding="utf-8"))
    assert "architecture-layers.svg" in links
    assert [link for link in links if not (PAGE.parent / link).exists()] == []
