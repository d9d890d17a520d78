"""Throttles of the anonymous account endpoints, on the shared counters of
`api.rate_limits`.

Login is locked per user name (`ENTURF_LOGIN_RATE`, 10 a minute) and per client address
(`ENTURF_LOGIN_ADDRESS_RATE`, 30 a minute: a venue's counters may share one address),
whichever runs out first: trying many passwords for one name from many addresses, or
many names from one address, both stop. The Django admin's login form counts against
the same two limits (`login_wait`).
"""

from __future__ import annotations

from enturf_server.api.rate_limits import SharedRateThrottle, client_address, hit

USERNAME_MAX = 150


def login_wait(request, username: object) -> int | None:
    """Count one login attempt (API or admin): None when allowed, else the seconds to
    wait before the next."""
    name = str(username or "")[:USERNAME_MAX].lower()
    waits = [hit("login", f"user:{name}"), hit("login_address", client_address(request))]
    return max((wait for wait in waits if wait), default=None)


class LoginThrottle(SharedRateThrottle):
    """The API's login: `login_wait` for the body's user name (only an object body has
    one) and the client's address."""

    scope = "login"

    def allow_request(self, request, view) -> bool:
        data = request.data if hasattr(request, "data") else None
        self._wait = login_wait(request, data.get("username") if isinstance(data, dict) else "")
        return self._wait is None


class RegisterThrottle(SharedRateThrottle):
    """Sign-ups per client address (`ENTURF_REGISTER_RATE`, 20 an hour)."""

    scope = "register"
