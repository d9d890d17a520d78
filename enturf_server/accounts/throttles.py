from rest_framework.throttling import SimpleRateThrottle


class LoginThrottle(SimpleRateThrottle):
    """Login attempts per client address and per username, whichever runs out first."""

    scope = "login"

    def get_cache_key(self, request, view):
        data = request.data if hasattr(request, "data") else None
        username = str(data.get("username", ""))[:150].lower() if isinstance(data, dict) else ""
        return self.cache_format % {
            "scope": self.scope,
            "ident": f"{self.get_ident(request)}:{username}",
        }


class RegisterThrottle(SimpleRateThrottle):
    scope = "register"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
