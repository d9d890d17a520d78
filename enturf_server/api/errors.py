"""One error type for the service layer and one JSON shape for every error.

Every error the API answers looks like
``{"error": {"code": "...", "message": "...", "details": {...}}}``.
Services raise :class:`ServiceError` (or a subclass); DRF's own exceptions and
Django's 404 / validation errors are mapped here, so no input gives a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """A refusal by the service layer, with a code and a message a person can act on."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
        self.details = details or {}


class NotFound(ServiceError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class Conflict(ServiceError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class Forbidden(ServiceError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _flatten_message(detail: Any) -> str:
    """A one-line human message from DRF's nested validation detail."""
    if isinstance(detail, dict):
        for field, value in detail.items():
            inner = _flatten_message(value)
            return inner if field == "non_field_errors" else f"{field}: {inner}"
        return "Invalid input."
    if isinstance(detail, list):
        return _flatten_message(detail[0]) if detail else "Invalid input."
    return str(detail)


def _details(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {k: _details(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_details(v) for v in detail]
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's handler500 answers in our shape and logs it

    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        message = _flatten_message(exc.detail)
        details: dict[str, Any] = (
            _details(exc.detail)
            if isinstance(exc.detail, dict)
            else {"errors": _details(exc.detail)}
        )
    elif isinstance(exc, exceptions.APIException):
        code = exc.default_code
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
        message = _flatten_message(exc.detail)
        details = {}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            details = {"retry_after_seconds": int(exc.wait) + 1}
    else:  # pragma: no cover - DRF only maps APIException subclasses
        code, message, details = "error", str(exc), {}
    response.data = error_body(code, message, details)
    return response


def _json_error(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)


def handler400(request, exception=None):
    return _json_error(400, "bad_request", "The request could not be understood.")


def handler403(request, exception=None):
    return _json_error(403, "permission_denied", "You do not have permission to do this.")


def handler404(request, exception=None):
    return _json_error(404, "not_found", "There is nothing at this address.")


def handler500(request):
    return _json_error(500, "server_error", "Something went wrong on the server; it was logged.")
