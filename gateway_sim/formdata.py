"""Decoding of Stripe-style form bodies and query strings.

Stripe's v1 API takes ``application/x-www-form-urlencoded`` parameters with
nested keys: ``metadata[local_id]=x``, ``expand[]=a`` or ``expand[0]=a``,
``card_present[number]=...``. This module turns them into dicts and lists.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")


class FormError(ValueError):
    """A parameter name that is not valid form notation."""


def parse_form(text: str) -> dict[str, Any]:
    """Decode a form-encoded string into nested dicts and lists of strings."""
    root: dict[str, Any] = {}
    for raw_key, value in parse_qsl(text, keep_blank_values=True, strict_parsing=False):
        match = _KEY.match(raw_key)
        if not match:
            raise FormError(f"Invalid parameter name: {raw_key}")
        parts = [match.group(1), *_PART.findall(match.group(2))]
        _assign(root, parts, value)
    return _listify(root)


def _assign(node: dict[str, Any], parts: list[str], value: str) -> None:
    head, rest = parts[0], parts[1:]
    if not rest:
        node[head] = value
        return
    if rest[0] == "":
        # ``name[]=v`` appends; ``name[][field]=v`` is not supported by Stripe either.
        if len(rest) > 1:
            raise FormError(f"Invalid parameter name: {head}[]...")
        current = node.get(head)
        if not isinstance(current, _Appended):
            current = _Appended()
            node[head] = current
        current.append(value)
        return
    child = node.get(head)
    if not isinstance(child, dict):
        child = {}
        node[head] = child
    _assign(child, rest, value)


class _Appended(list):
    """Marks a list built from ``name[]`` items."""


def _listify(node: Any) -> Any:
    if isinstance(node, _Appended):
        return [_listify(v) for v in node]
    if isinstance(node, dict):
        converted = {k: _listify(v) for k, v in node.items()}
        if converted and all(k.isdigit() for k in converted):
            return [converted[k] for k in sorted(converted, key=int)]
        return converted
    return node
