"""Route table: method, path pattern, handler and the permission scope it needs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..context import Context

Handler = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # Stripe's path template, e.g. "/v1/refunds/{refund}"
    pattern: re.Pattern[str]
    handler: Handler
    scope: str  # permission group a restricted key needs, e.g. "payment_intents"


def route(method: str, template: str, handler: Handler, scope: str) -> Route:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return Route(method, template, re.compile(f"^{regex}$"), handler, scope)


def match(routes: list[Route], method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
    """The route for a request, its path parameters, and whether the path exists at all."""
    path_exists = False
    for candidate in routes:
        found = candidate.pattern.match(path)
        if found:
            path_exists = True
            if candidate.method == method:
                return candidate, found.groupdict(), True
    return None, {}, path_exists


__all__ = ["Context", "Route", "match", "route"]
