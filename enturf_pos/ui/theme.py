"""The shared palette (`enturf_core.palette`) in the counter's style sheets: a sheet names
its colours `${NAVY}`, `${ERROR_BACK}`...; `themed` fills them in."""

from __future__ import annotations

from string import Template

from enturf_core import palette


def themed(sheet: str) -> str:
    """`sheet` with every `${NAME}` replaced by the palette's colour NAME (an unknown name
    raises KeyError: a typo fails at import, not as an unstyled widget)."""
    return Template(sheet).substitute(palette.colours())
