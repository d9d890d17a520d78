"""Throttles of the anonymous account endpoints, on the shared counters of
`api.rate_limits`.

Login is locked per user name and per client address, whichever runs out first
(`ENTURF_LOGIN_RATE`, 10 a minute): trying many passwords for one name from many
addresses, or many names from one address, both stop. The Django admin's login form
counts against the same two limits (`login_wait`).
"""

from __future__ import annotations

from enturf_server.api.rate_limits import SharedRateThrottle, client_address, hit

USERNAME_MAX = 150


def login_idents(request, username: object) -> list[str]:
    name = str(username or "")[:USERNAME_MAX].lower()
    return [f"addr:{client_address(request)}", f"user:{name}"]


def login_wait(request, username: object) -> int | None:
    """Count one login attempt (API or admin): None when allowed, else the seconds to
    wait before the next."""
    waits = [wait for ident in login_idents(request, username) if (wait := hit("login", ident))]
    return max(waits, default=None)


class LoginThrottle(SharedRateThrottle):
    scope = "login"

    def idents(self, request) -> list[str]:
        data = request.data if hasattr(request, "data") else None
        username = data.get("username", "") if isinstance(data, dict) else ""
        return login_idents(request, username)


class RegisterThrottle(SharedRateThrottle):
    """Sign-ups per client address (`ENTURF_REGISTER_RATE`, 20 an hour)."""

    scope = "register"
