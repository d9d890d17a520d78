"""Request-body size limits: large for seat maps and sync pushes, small elsewhere."""

from django.conf import settings
from django.http import JsonResponse

from enturf_server.api.errors import error_body


class BodySizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.default = settings.ENTURF_BODY_LIMIT_DEFAULT
        self.large = sorted(settings.ENTURF_BODY_LIMIT_LARGE.items(), key=lambda kv: -len(kv[0]))

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.large:
            if path.startswith(prefix):
                return limit
        return self.default

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(
                error_body("bad_request", "Content-Length is not a number."), status=400
            )
        limit = self.limit_for(request.path)
        if length > limit:
            return JsonResponse(
                error_body(
                    "request_too_large",
                    f"The request body is {length} bytes; at most {limit} are accepted here.",
                    {"limit_bytes": limit},
                ),
                status=413,
            )
        return self.get_response(request)
