"""A subset of Stripe's search query language, for ``/v1/payment_intents/search``.

Supported: ``field:'value'`` (exact), ``field~'value'`` (substring),
``metadata['key']:'value'``, numeric ``field>n`` / ``>=`` / ``<`` / ``<=`` /
``:n``, negation with a leading ``-``, and clauses joined by ``AND`` or by
``OR`` (not both in one query, as on Stripe).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from .. import params as p
from ..errors import invalid_request

PAYMENT_INTENT_FIELDS = {
    "amount": "number",
    "created": "number",
    "currency": "string",
    "customer": "string",
    "status": "string",
    "metadata": "metadata",
}

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<join>AND|OR)(?=\s)
      | (?P<neg>-)?(?P<field>[a-z_]+)(?:\[(?P<mq>['"])(?P<key>(?:\\.|(?!(?P=mq)).)*)(?P=mq)\])?
        (?P<op>:|~|>=|<=|>|<)
        (?:(?P<vq>['"])(?P<value>(?:\\.|(?!(?P=vq)).)*)(?P=vq)|(?P<number>-?\d+))
    )""",
    re.VERBOSE,
)

Matcher = Callable[[dict[str, Any]], bool]


def _fail(query: str, detail: str):
    return invalid_request(
        f"Invalid search query: {detail} (query: {query!r}). See "
        "https://stripe.com/docs/search#search-query-language for the query language.",
        param="query",
        stored=False,
    )


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def compile_query(query: str, fields: dict[str, str]) -> Matcher:
    clauses: list[Matcher] = []
    joins: set[str] = set()
    position = 0
    expect_clause = True
    text = query.strip()
    if not text:
        raise _fail(query, "the query is empty")
    while position < len(text):
        found = _TOKEN.match(text, position)
        if not found or found.end() == position:
            raise _fail(query, f"unexpected text at position {position}")
        position = found.end()
        if found.group("join"):
            if expect_clause:
                raise _fail(query, f"unexpected {found.group('join')}")
            joins.add(found.group("join"))
            expect_clause = True
            continue
        if not expect_clause:
            raise _fail(query, "clauses must be joined by AND or OR")
        clauses.append(_clause(query, found, fields))
        expect_clause = False
    if expect_clause:
        raise _fail(query, "the query ends with a join")
    if len(joins) > 1:
        raise _fail(query, "a query cannot mix AND and OR")
    if joins == {"OR"}:
        return lambda obj: any(c(obj) for c in clauses)
    return lambda obj: all(c(obj) for c in clauses)


def _clause(query: str, found: re.Match[str], fields: dict[str, str]) -> Matcher:
    field, op, key = found.group("field"), found.group("op"), found.group("key")
    kind = fields.get(field)
    if kind is None:
        raise _fail(query, f"the field {field!r} is not supported")
    if (kind == "metadata") != (key is not None):
        raise _fail(query, f"the field {field!r} is used wrongly")
    negate = bool(found.group("neg"))
    raw_value = found.group("value")
    number = found.group("number")

    if kind == "number":
        if number is None and (raw_value is None or not raw_value.lstrip("-").isdigit()):
            raise _fail(query, f"{field} takes a number")
        target = int(number if number is not None else raw_value)
        compare = {
            ":": lambda v: v == target,
            ">": lambda v: v > target,
            ">=": lambda v: v >= target,
            "<": lambda v: v < target,
            "<=": lambda v: v <= target,
        }.get(op)
        if compare is None:
            raise _fail(query, f"{op} does not apply to {field}")

        def numeric(obj: dict[str, Any]) -> bool:
            value = obj.get(field)
            return isinstance(value, int) and compare(value)

        matcher: Matcher = numeric
    else:
        if raw_value is None or op not in (":", "~"):
            raise _fail(query, f"{field} takes a quoted string")
        value = _unescape(raw_value)
        unescaped_key = _unescape(key) if key is not None else None

        def textual(obj: dict[str, Any]) -> bool:
            if unescaped_key is not None:
                actual = (obj.get("metadata") or {}).get(unescaped_key)
            else:
                actual = obj.get(field)
            if actual is None:
                return False
            return actual == value if op == ":" else value.lower() in str(actual).lower()

        matcher = textual
    return (lambda obj: not matcher(obj)) if negate else matcher


def result_page(params: dict[str, Any], objects: list[dict[str, Any]], url: str) -> dict[str, Any]:
    limit = p.integer(params, "limit", minimum=1, maximum=100) or 10
    page = p.string(params, "page")
    offset = 0
    if page:
        try:
            offset = int(base64.urlsafe_b64decode(page.encode()).decode().removeprefix("offset:"))
        except ValueError as exc:
            raise invalid_request("Invalid page token.", param="page", stored=False) from exc
    data = objects[offset : offset + limit]
    has_more = offset + limit < len(objects)
    next_page = (
        base64.urlsafe_b64encode(f"offset:{offset + limit}".encode()).decode() if has_more else None
    )
    return {
        "object": "search_result",
        "data": data,
        "has_more": has_more,
        "next_page": next_page,
        "url": url,
    }
