"""Reading devices: lookups, state, and the public keys that verify ticket codes."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from enturf_core.wire import feed
from enturf_server.accounts.models import ApiToken, Device
from enturf_server.api.errors import NotFound


def get_device(*, device_id: int) -> Device:
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        raise NotFound(f"There is no device {device_id}.")
    return device


def device_state(device: Device) -> str:
    """pending (code not used yet), expired (code unused and expired), active, retired."""
    if device.retired_at is not None:
        return "retired"
    if device.registered_at is not None:
        return "active"
    expires = device.setup_code_expires_at
    return "pending" if expires is not None and expires > timezone.now() else "expired"


def may_still_push(device: Device) -> bool:
    """Whether the device can still send ops: active, or retired with a session opened on
    it before (which may push until it expires, see device_auth)."""
    if device.retired_at is None:
        return True
    return ApiToken.objects.filter(device=device, expires_at__gt=timezone.now()).exists()


def ticket_key_devices() -> QuerySet[Device]:
    """Every device that ever registered a signing key, retired ones included: a retired
    key still verifies codes issued before `retired_at`."""
    return Device.objects.exclude(signing_key_id="").order_by("pk")


def ticket_key_data(device: Device) -> dict:
    """The synced form of a device's ticket-code public key (entity `ticket_key`)."""
    return feed.TicketKey(
        key_id=device.signing_key_id,
        public_key=device.signing_public_key,
        owner=f"device:{device.pk}",
        device=device.pk,
        device_name=device.name,
        retired_at=device.retired_at,
    ).to_wire()
