"""Encoding parameters the way Stripe's v1 API reads them (``a[b]=c``, ``list[0]=x``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def encode_form(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        _encode(pairs, key, value)
    return pairs


def _encode(pairs: list[tuple[str, str]], key: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        pairs.append((key, "true" if value else "false"))
    elif isinstance(value, Mapping):
        for sub_key, sub_value in value.items():
            _encode(pairs, f"{key}[{sub_key}]", sub_value)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for index, item in enumerate(value):
            _encode(pairs, f"{key}[{index}]", item)
    else:
        pairs.append((key, str(value)))
