"""The sync endpoints serve a counter only in a wire format they speak
(`enturf_core.wire.version`): the counter's ``X-Enturf-Wire`` header is checked before the
feed is read or an op is applied, so an incompatible counter is refused with a reason
(HTTP 426 ``wire_version_unsupported``) and nothing it sent is applied or lost: its ops
stay queued on the counter until it is updated."""

from __future__ import annotations

from rest_framework import status

from enturf_core.wire import version
from enturf_server.api.errors import ServiceError

_META_KEY = "HTTP_" + version.HEADER.upper().replace("-", "_")


class WireVersionUnsupported(ServiceError):
    status_code = status.HTTP_426_UPGRADE_REQUIRED
    code = version.UNSUPPORTED


def served_range() -> dict[str, int]:
    return {"wire_version": version.WIRE_VERSION, "min_wire_version": version.MIN_WIRE_VERSION}


def require_served_wire(request) -> None:
    """Refuse a counter whose wire format this server cannot serve (or a malformed header)."""
    raw = request.META.get(_META_KEY)
    counter_wire = version.parse(raw)
    if counter_wire is None:
        raise ServiceError(
            f"The {version.HEADER} header must be a wire version number (e.g. 1).",
            code="invalid",
            details={"header": version.HEADER},
        )
    why = version.refusal(
        counter_wire, newest=version.WIRE_VERSION, oldest=version.MIN_WIRE_VERSION
    )
    if why:
        raise WireVersionUnsupported(
            why, details={"counter_wire_version": counter_wire, **served_range()}
        )
