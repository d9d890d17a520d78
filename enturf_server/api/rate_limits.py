"""Rate limits whose counts every worker and every host share (login lockout, sign-ups,
counter registration).

Counts live in Django's default cache: Redis when `ENTURF_REDIS_URL` is set, else the
database cache (`api.cache`), never a per-process cache, so four workers do not allow
four times the rate. A limit counts attempts in a window that opens with the first
attempt and lasts the rate's period ("10/min": 60 s); the counter is one atomic
increment (Redis INCR, or a locked row), so concurrent attempts never slip past it.

The client's address is `REMOTE_ADDR`, or, behind `ENTURF_TRUSTED_PROXIES` proxies, the
address the outermost trusted proxy saw (DRF's `NUM_PROXIES`): a client cannot pick its
own address with `X-Forwarded-For`.

When the store cannot be reached (Redis down), a limited request is refused with 503
`rate_limit_store_unavailable` rather than let through uncounted (a lockout that opens
when Redis stops would be no lockout) and rather than a 500.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from enturf_server.api.errors import ServiceError

KEY_PREFIX = "rate"
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_address(request) -> str:
    """The client's address as the configured trusted proxies tell it (Django or DRF
    request)."""
    return BaseThrottle().get_ident(request) or ""


def rate_of(scope: str) -> tuple[int, int]:
    """(attempts, seconds) of the rate configured for `scope` (e.g. "10/min")."""
    count, period = api_settings.DEFAULT_THROTTLE_RATES[scope].split("/")
    return int(count), _PERIODS[period.strip()[0]]  # DRF's notation: s, m(in), h(our), d(ay)


class RateStoreUnavailable(ServiceError):
    status_code = 503
    code = "rate_limit_store_unavailable"


def hit(scope: str, ident: str) -> int | None:
    """Count one attempt of `ident` under `scope`'s rate: None while within the rate,
    else the seconds until its window closes. `RateStoreUnavailable` when the shared
    counts cannot be reached."""
    try:
        return _hit(scope, ident)
    except RedisError:
        raise RateStoreUnavailable(
            "The server cannot count attempts right now (its rate-limit store is not "
            "reachable), so it refuses this request. Try again in a minute; if this "
            "persists, the venue's administrator should check Redis (ENTURF_REDIS_URL).",
        ) from None


def _hit(scope: str, ident: str) -> int | None:
    allowed, period = rate_of(scope)
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    key = f"{KEY_PREFIX}:{scope}:{digest}"
    now = time.time()
    cache.add(f"{key}:opened", now, period)
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between add and incr: this attempt opens one
        cache.add(key, 1, period)
        count = 1
    if count == 1:
        # an INCR of a key that expired a moment before creates it without expiry
        cache.touch(key, period)
    if count <= allowed:
        return None
    opened = cache.get(f"{key}:opened", now)
    return max(1, math.ceil(opened + period - now))


class SharedRateThrottle(BaseThrottle):
    """A DRF throttle over `hit`, per client address: over `scope`'s rate the request is
    refused (429 with Retry-After)."""

    scope: str

    def allow_request(self, request, view) -> bool:
        self._wait = hit(self.scope, client_address(request))
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait
