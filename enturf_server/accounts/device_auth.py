"""Counter authentication: the user's `Authorization: Token` plus `X-Enturf-Device`.

A POS sends both headers. The user token says who works at the counter; the device
token says which registered counter it is. A user token issued at a login that carried
the device header is bound to that counter: it works only with that counter's header
(`device_mismatch` with another's, `device_required` with none).

Device tokens never expire; retiring the device revokes its token: every request that
still carries it gets 403 `device_revoked`, with one exception: a view marked
``retired_device_may_push`` (the sync push) still accepts it with a session opened on
that counter before it was retired (until that session expires), so what the counter
sold before it heard of its retirement still comes in (see docs/offline-selling.md).

`request.device` is the active :class:`Device` when the header is present and valid,
else None (read it with :func:`device_of`, which also works before authentication ran).
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from enturf_server.accounts.authentication import ExpiringTokenAuthentication
from enturf_server.accounts.models import Device, token_digest

DEVICE_HEADER = "X-Enturf-Device"
_META_KEY = "HTTP_X_ENTURF_DEVICE"


class DeviceRefused(exceptions.PermissionDenied):
    """403 with a code of its own (device_unknown, device_revoked, device_mismatch...)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)


def device_for_token(key: str, *, allow_retired: bool = False) -> Device:
    """The active device whose token is `key`; refuses unknown devices, and retired ones
    unless `allow_retired` (the caller then checks the session, see the module doc)."""
    device = Device.objects.filter(token_digest=token_digest(key)).first() if key.strip() else None
    if device is None:
        raise DeviceRefused(
            "This counter's device token is not known to the server; "
            "register the counter again with a new setup code from an administrator.",
            code="device_unknown",
        )
    if device.retired_at is not None and not allow_retired:
        raise _retired(device)
    return device


def _retired(device: Device) -> DeviceRefused:
    return DeviceRefused(
        f"This counter ({device.name}) was retired on "
        f"{device.retired_at:%Y-%m-%d %H:%M} UTC and may no longer connect; "
        "ask an administrator to register it again.",
        code="device_revoked",
    )


def device_from_request(request, *, allow_retired: bool = False) -> Device | None:
    """The device named by the request's `X-Enturf-Device` header; None when absent."""
    key = request.META.get(_META_KEY)
    if key is None:
        return None
    return device_for_token(key, allow_retired=allow_retired)


def device_of(request) -> Device | None:
    """`request.device` if authentication set it, else resolved from the header now."""
    if hasattr(request, "device"):
        return request.device
    device = device_from_request(request)
    request.device = device
    return device


class DeviceAndTokenAuthentication(ExpiringTokenAuthentication):
    """The expiring user token, plus the device header when present (sets `request.device`).

    A token issued at a login from a counter is bound to that counter: sending it with
    another counter's device token is refused (`device_mismatch`), without one too
    (`device_required`). A retired counter is refused except as the module doc says.
    """

    def authenticate(self, request):
        view = (getattr(request, "parser_context", None) or {}).get("view")
        may_push = getattr(view, "retired_device_may_push", False)
        device = request.device = device_from_request(request, allow_retired=may_push)
        result = super().authenticate(request)
        token = result[1] if result is not None else None
        if token is not None and token.device_id is not None:
            if device is None:
                raise DeviceRefused(
                    "This session was opened on a counter; it works only with that "
                    f"counter's {DEVICE_HEADER} header.",
                    code="device_required",
                )
            if token.device_id != device.pk:
                raise DeviceRefused(
                    "This session was opened on another counter; log in again here.",
                    code="device_mismatch",
                )
        retired = device is not None and device.retired_at is not None
        if retired and (token is None or token.device_id != device.pk):
            raise _retired(device)
        return result


class HasActiveDevice(BasePermission):
    """The request comes from a registered, active counter (valid `X-Enturf-Device`)."""

    message = (
        f"This is for registered counters only: send the counter's device token in the "
        f"{DEVICE_HEADER} header."
    )
    code = "device_required"

    def has_permission(self, request, view) -> bool:
        return device_of(request) is not None
