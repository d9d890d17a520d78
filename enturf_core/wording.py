"""Words that agree with a count: "1 sale", "2 sales" (never "sale(s)")."""

from __future__ import annotations


def noun(count: int, one: str, many: str | None = None) -> str:
    """`one` for a count of 1, else `many` (default: `one` + "s")."""
    return one if count == 1 else (many or f"{one}s")


def plural(count: int, one: str, many: str | None = None) -> str:
    """The count and its noun: plural(1, "sale") == "1 sale"; plural(3, "sale") == "3 sales"."""
    return f"{count} {noun(count, one, many)}"
