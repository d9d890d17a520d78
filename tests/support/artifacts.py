"""Where tests save screenshots and rendered pages for a person to look at (gitignored)."""

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
