"""``expand[]`` handling: replace object ids in a response by the objects."""

from __future__ import annotations

import copy
from typing import Any

from .errors import invalid_request
from .store import Store

# Fields that hold the id of another object, per object type (a subset of Stripe's).
EXPANDABLE: dict[str, set[str]] = {
    "payment_intent": {"latest_charge", "payment_method", "customer", "invoice", "review"},
    "charge": {"payment_intent", "balance_transaction", "customer", "invoice", "review"},
    "refund": {"charge", "payment_intent", "balance_transaction"},
    "terminal.reader": {"location"},
    "payment_method": {"customer"},
}


def expand(store: Store, obj: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    if not paths:
        return obj
    result = copy.deepcopy(obj)
    for path in paths:
        _expand_path(store, result, path.split("."), path)
    return result


def _expand_path(store: Store, node: Any, parts: list[str], full: str) -> None:
    if not parts or not isinstance(node, dict):
        return
    head, rest = parts[0], parts[1:]
    if node.get("object") in ("list", "search_result") and head == "data":
        for item in node.get("data", []):
            _expand_path(store, item, rest, full)
        return
    if head not in EXPANDABLE.get(node.get("object", ""), set()):
        # Reader actions nest their payment intent one level down.
        if node.get("object") == "terminal.reader" and full.startswith("action."):
            _expand_nested(store, node, full)
            return
        raise invalid_request(f"This property cannot be expanded ({full}).", stored=False)
    value = node.get(head)
    if isinstance(value, str):
        target = store.get(value)
        if target is not None:
            node[head] = target
            value = target
    if rest:
        _expand_path(store, value, rest, full)


def _expand_nested(store: Store, reader: dict[str, Any], full: str) -> None:
    if full != "action.process_payment_intent.payment_intent":
        raise invalid_request(f"This property cannot be expanded ({full}).", stored=False)
    action = reader.get("action") or {}
    inner = action.get("process_payment_intent") or {}
    if isinstance(inner.get("payment_intent"), str):
        target = store.get(inner["payment_intent"])
        if target is not None:
            inner["payment_intent"] = target
