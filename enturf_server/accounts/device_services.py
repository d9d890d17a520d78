"""Counters (devices): create with a one-time setup code, register, retire.

An admin creates a device and reads its setup code aloud or off the screen; the POS
sends that code once, with its Ed25519 public key, and receives its device token and
the card gateway settings. Setup codes and device tokens are stored as SHA-256 digests.
A retired device's token is refused from then on, but its public key keeps verifying
ticket codes issued before it was retired.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from enturf_core.ticket_codes import PublicKeyInfo
from enturf_core.wire import feed
from enturf_server.accounts.device_selectors import ticket_key_data
from enturf_server.accounts.feed import emit_device
from enturf_server.accounts.models import ApiToken, Device, User, token_digest
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.audit.services import record
from enturf_server.sync import changes

# Crockford's base 32: no I, L, O or U, so a code read aloud or typed cannot be misread.
SETUP_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SETUP_CODE_LENGTH = 10  # 50 bits; registration is throttled per client address
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
# The demo counter's and demo door's fixed codes (enturf_demo.seed): taken only where
# settings.ENTURF_DEMO.
DEMO_SETUP_CODE = "DEMO-COUNTER"
DEMO_DOOR_SETUP_CODE = "DEMO-DOOR"


class SetupCodeInvalid(ServiceError):
    code = "setup_code_invalid"


def new_setup_code() -> str:
    """A random code shown as two groups of five, e.g. ``7KQ2M-XH9TB``."""
    raw = "".join(secrets.choice(SETUP_CODE_ALPHABET) for _ in range(SETUP_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_setup_code(text: str) -> str:
    """Upper case, no spaces or dashes, O/I/L read as 0/1: what the digest is taken of."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    return cleaned.translate(_CONFUSABLE)


@dataclass(frozen=True)
class IssuedSetupCode:
    device: Device
    setup_code: str
    expires_at: datetime


@dataclass(frozen=True)
class Registration:
    device: Device
    device_token: str
    gateway: dict[str, str]


def gateway_settings_for(device: Device) -> dict[str, str]:
    """What a counter needs to run card payments itself (restricted key only)."""
    return {
        "base_url": settings.ENTURF_GATEWAY_URL,
        "restricted_key": settings.ENTURF_GATEWAY_RESTRICTED_KEY,
        "reader_id": device.reader_id,
    }


def create_device(
    *, actor: User, name: str, reader_id: str | None = None, duty: str = "counter"
) -> IssuedSetupCode:
    name = name.strip()
    if not name:
        raise ServiceError("Give the counter a name, e.g. 'Counter 1'.", code="name_required")
    code = new_setup_code()
    expires_at = timezone.now() + timedelta(hours=settings.ENTURF_DEVICE_SETUP_CODE_HOURS)
    with transaction.atomic():
        device = Device.objects.create(
            name=name,
            reader_id=(reader_id if reader_id is not None else settings.ENTURF_GATEWAY_READER_ID),
            setup_code_digest=token_digest(normalise_setup_code(code)),
            setup_code_expires_at=expires_at,
            created_by=actor,
            duty=duty,
        )
        record(actor=actor, action="device.create", obj=device, details={"name": name})
    return IssuedSetupCode(device=device, setup_code=code, expires_at=expires_at)


def _public_key(text: str) -> PublicKeyInfo:
    try:
        return PublicKeyInfo.from_base64(text)
    except (ValueError, TypeError):
        raise ServiceError(
            "signing_public_key must be an Ed25519 public key: the raw 32 bytes in "
            "base64url without padding.",
            code="invalid_public_key",
            details={"signing_public_key": "not an Ed25519 public key"},
        ) from None


def register_device(*, setup_code: str, name: str, signing_public_key: str) -> Registration:
    """Exchange a one-time setup code for the device token (shown once, stored as a digest)."""
    key = _public_key(signing_public_key)
    code = normalise_setup_code(setup_code)
    demo_codes = {normalise_setup_code(c) for c in (DEMO_SETUP_CODE, DEMO_DOOR_SETUP_CODE)}
    if code in demo_codes and not settings.ENTURF_DEMO:
        raise SetupCodeInvalid(  # the same words as any unknown code
            "This setup code is not valid; check it, or ask an administrator for a new one."
        )
    digest = token_digest(code)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with changes.atomic():
        device = Device.objects.select_for_update().filter(setup_code_digest=digest).first()
        if device is None:
            raise SetupCodeInvalid(
                "This setup code is not valid; check it, or ask an administrator for a new one."
            )
        if device.registered_at is not None or device.retired_at is not None:
            raise SetupCodeInvalid(
                "This setup code was already used; ask an administrator for a new one."
            )
        if device.setup_code_expires_at is None or device.setup_code_expires_at <= now:
            raise SetupCodeInvalid(
                "This setup code has expired; ask an administrator for a new one."
            )
        if Device.objects.filter(signing_key_id=key.key_id).exists():
            raise Conflict(
                "This signing key is already registered to another counter; "
                "generate a new key pair.",
                code="signing_key_in_use",
            )
        device.name = name.strip() or device.name
        device.token_digest = token_digest(token)
        device.signing_public_key = key.public_key_base64()
        device.signing_key_id = key.key_id
        device.registered_at = now
        device.setup_code_expires_at = None  # the digest stays so a reuse says "used"
        device.version += 1
        device.save()
        emit_ticket_key(device)
        emit_device(device)
        record(
            actor=None,
            action="device.register",
            obj=device,
            details={"name": device.name, "key_id": key.key_id},
            device=device,
        )
    return Registration(device=device, device_token=token, gateway=gateway_settings_for(device))


def rename_device(*, actor: User, device: Device, name: str) -> Device:
    """Give a counter another name (shown on receipts' logs, allocations, ticket keys)."""
    name = name.strip()
    if not name:
        raise ServiceError("Give the counter a name, e.g. 'Counter 1'.", code="name_required")
    with changes.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.name == name:
            return device
        before, device.name = device.name, name
        device.version += 1
        device.save(update_fields=["name", "version"])
        if device.registered_at is not None:
            emit_device(device)
            if device.signing_key_id:
                emit_ticket_key(device)
        record(
            actor=actor, action="device.rename", obj=device, details={"from": before, "to": name}
        )
    return device


def set_device_duty(*, actor: User, device: Device, duty: str) -> Device:
    """Make a device a counter (the cashier's window) or a door (the scanning window)."""
    with changes.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.duty == duty:
            return device
        before, device.duty = device.duty, duty
        device.version += 1
        device.save(update_fields=["duty", "version"])
        if device.registered_at is not None:
            emit_device(device)
        record(actor=actor, action="device.duty", obj=device, details={"from": before, "to": duty})
    return device


# What apps above accounts give back when a device retires, registered from their
# `AppConfig.ready()`: `fn(actor=, device=, confirmed=)`, run in the retirement's transaction
# (`confirmed`: retired before, so nothing more will come from it).
_on_retire: list[Callable[..., None]] = []


def when_device_retires(fn: Callable[..., None]) -> Callable[..., None]:
    if fn not in _on_retire:
        _on_retire.append(fn)
    return fn


def retire_device(*, actor: User | None, device: Device) -> Device:
    """Revoke the device token and end the sessions opened on it (they may still push what
    the counter sold before, until they expire: see device_auth), and give its allocations
    back once its last push is in: at once when nothing can come from it any more.
    Retiring a retired device is the admin's confirmation that nothing more will come: its
    sessions end and its allocations return at once. The key keeps verifying."""
    with changes.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        confirmed = device.retired_at is not None
        if confirmed:
            ApiToken.objects.filter(device=device).delete()
        else:
            device.retired_at = timezone.now()
            device.version += 1
            device.save(update_fields=["retired_at", "version"])
            if device.signing_key_id:
                emit_ticket_key(device)
            if device.registered_at is not None:
                emit_device(device)
        for give_back in _on_retire:  # counters: the device's allocations
            give_back(actor=actor, device=device, confirmed=confirmed)
        record(
            actor=actor,
            action="device.retire_confirm" if confirmed else "device.retire",
            obj=device,
            details={"name": device.name},
        )
    return device


# ---- ticket-code public keys (synced to counters and door scanners) ---------------------


def emit_ticket_key(device: Device) -> None:
    changes.emit(
        feed.TICKET_KEY,
        device.signing_key_id,
        version=2 if device.retired_at else 1,
        data=ticket_key_data(device),
    )


def touch_device(device: Device, *, every: timedelta = timedelta(minutes=5)) -> None:
    """Remember when a counter was last seen (at most one write per `every`)."""
    now = timezone.now()
    if device.last_seen_at is None or now - device.last_seen_at >= every:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
