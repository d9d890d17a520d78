"""Secrets kept in files of the data folder (Django's secret key, the ticket-signing key).

Each file is created all at once with its final mode: the secret is written to a private
temporary file (0600) in the same folder, then hard-linked to its name. The link fails if
the name exists, so processes starting together all keep the first key written and none
ever reads a half-written or world-readable file. No Django imports: the settings use it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def create_once(path: Path, text: str) -> None:
    """Create ``path`` holding ``text`` (mode 0600) unless it exists already."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # fails if another process created it first: keep theirs
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def read_or_create(path: Path, make: Callable[[], str]) -> str:
    """The file's text (stripped), created first from ``make()`` when missing."""
    if not path.exists():
        create_once(path, make() + "\n")
    text = path.read_text(encoding="ascii").strip()
    if not text:
        raise RuntimeError(f"{path} is empty: delete it and a new secret is made at start")
    return text
