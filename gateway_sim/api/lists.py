"""Stripe's list objects: ``limit``, ``starting_after``, ``ending_before``, ``created``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import params as p
from ..errors import invalid_request, param_error

LIST_PARAMS = {"limit", "starting_after", "ending_before", "created"}


def created_filter(params: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    raw = params.get("created")
    if raw is None or raw == "":
        return lambda obj: True
    if isinstance(raw, str):
        exact = p.integer(params, "created")
        return lambda obj: obj.get("created") == exact
    if not isinstance(raw, dict):
        raise param_error("Invalid created", param="created")
    bounds = {}
    for op in raw:
        if op not in ("gt", "gte", "lt", "lte"):
            raise param_error(
                f"Received unknown parameter: created[{op}]",
                param=f"created[{op}]",
                code="parameter_unknown",
            )
        bounds[op] = p.integer(raw, op)

    def check(obj: dict[str, Any]) -> bool:
        created = obj.get("created", 0)
        return (
            ("gt" not in bounds or created > bounds["gt"])
            and ("gte" not in bounds or created >= bounds["gte"])
            and ("lt" not in bounds or created < bounds["lt"])
            and ("lte" not in bounds or created <= bounds["lte"])
        )

    return check


def list_object(params: dict[str, Any], objects: list[dict[str, Any]], url: str) -> dict[str, Any]:
    """Page through ``objects`` (already newest first) as Stripe's list endpoints do."""
    limit = p.integer(params, "limit", minimum=1, maximum=100) or 10
    starting_after = p.string(params, "starting_after")
    ending_before = p.string(params, "ending_before")
    if starting_after and ending_before:
        raise invalid_request(
            "You may only specify one of these parameters: ending_before, starting_after.",
            stored=False,
        )
    created = created_filter(params)
    objects = [o for o in objects if created(o)]
    ids = [o["id"] for o in objects]
    if starting_after:
        if starting_after not in ids:
            raise invalid_request(
                f"No such object: '{starting_after}'",
                param="starting_after",
                code="resource_missing",
                status=404,
                stored=False,
            )
        index = ids.index(starting_after)
        page = objects[index + 1 : index + 1 + limit]
        has_more = index + 1 + limit < len(objects)
    elif ending_before:
        if ending_before not in ids:
            raise invalid_request(
                f"No such object: '{ending_before}'",
                param="ending_before",
                code="resource_missing",
                status=404,
                stored=False,
            )
        index = ids.index(ending_before)
        start = max(0, index - limit)
        page = objects[start:index]
        has_more = start > 0
    else:
        page = objects[:limit]
        has_more = len(objects) > limit
    return {"object": "list", "data": page, "has_more": has_more, "url": url}
