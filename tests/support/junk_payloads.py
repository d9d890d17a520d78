"""Malformed variants of a push op's payload: each field (and each field of a nested
object or of a list's first object) replaced by values of the wrong type or range, or
left out. A server answers every one with a result, never an error of its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

JUNK: tuple[Any, ...] = (None, "x", "", -1, 0, 2**70, 1.5, True, [], {}, [None], {"a": 1})


def junk_variants(payload: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for name, value in payload.items():
        yield {k: v for k, v in payload.items() if k != name}
        for junk in JUNK:
            yield {**payload, name: junk}
        if isinstance(value, dict):
            for inner in junk_variants(value):
                yield {**payload, name: inner}
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for inner in junk_variants(value[0]):
                yield {**payload, name: [inner, *value[1:]]}


def server_errors(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results that are the server's failure rather than an answer to the op."""
    return [r for r in results if r.get("code") == "server_error" or r.get("retry")]
