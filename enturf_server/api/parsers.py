"""The API's JSON parser: DRF's, refusing what no Enturf input holds.

- Nesting deeper than `MAX_DEPTH` (no request of ours nests more than about 8 levels; a
  body of 50,000 nested arrays would otherwise end in a `RecursionError`, a 500).
- The NUL character in any text or key: PostgreSQL cannot store it in a text column,
  and no name, label or note of ours needs it.

Both answer 400 in the shared error shape (`parse_error`), before any view runs.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32

# `\u0000` escaped in a JSON string (a raw NUL byte is not valid JSON): an odd number of
# backslashes before `u0000`. Only when the raw body has one are the parsed texts walked.
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        try:
            data = super().parse(_Bytes(body), media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if isinstance(data, dict | list) and _deeper_than(data, MAX_DEPTH):
            raise _too_deep()
        if _ESCAPED_NUL.search(body) and _has_nul(data):
            raise ParseError("Text in the request may not contain the NUL character (\\u0000).")
        return data


class _Bytes:
    """The body, read once, handed to DRF's parser as the stream it reads."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def read(self, size: int = -1) -> bytes:
        body, self.body = self.body, b""
        return body


def _too_deep() -> ParseError:
    return ParseError(f"The JSON body is nested more than {MAX_DEPTH} levels deep.")


def _deeper_than(data: dict | list, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def _has_nul(data: Any) -> bool:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False
