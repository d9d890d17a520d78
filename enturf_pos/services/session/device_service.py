"""Registering this counter with the server (first run) and what is known about it.

Secrets (device token, restricted gateway key, signing key) go to the secret store; the
rest (server address, device id, name, key id, gateway address, reader id) to the local
database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select

from enturf_pos.models import Device, SyncStateEntry
from enturf_pos.services.session.api_client import (
    ApiClient,
    ApiError,
    ServerUnreachable,
    normalize_server_url,
)
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret

log = logging.getLogger(__name__)

REGISTER_PATH = "/api/v1/devices/register/"
CURSOR_KEY = "changes_cursor"


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    server_url: str
    device_id: str
    name: str
    signing_key_id: str
    gateway_base_url: str
    reader_id: str
    registered_at: datetime
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class RegistrationResult:
    ok: bool
    message: str
    device: DeviceInfo | None = None


def _info(row: Device) -> DeviceInfo:
    return DeviceInfo(
        server_url=row.server_url,
        device_id=row.device_id,
        name=row.name,
        signing_key_id=row.signing_key_id,
        gateway_base_url=row.gateway_base_url,
        reader_id=row.reader_id,
        registered_at=row.registered_at,
        revoked_at=row.revoked_at,
    )


def current_device(*, ctx: PosContext) -> DeviceInfo | None:
    with ctx.db.transaction() as session:
        row = session.get(Device, 1)
        return _info(row) if row else None


def this_device_id(session) -> int | None:
    """The server's id of this counter (None before registration)."""
    raw = session.scalar(select(Device.device_id).where(Device.id == 1))
    return int(raw) if raw and str(raw).isdigit() else None


def has_credentials(*, ctx: PosContext) -> bool:
    """Whether this counter's device token is still at hand (it is lost on restart when
    no keyring exists)."""
    return bool(ctx.secrets.get(Secret.DEVICE_TOKEN))


def new_signing_key() -> tuple[str, str, str]:
    """A new Ed25519 key: (private key base64url, public key base64url, key id)."""
    from enturf_core.ticket_codes import SigningKey

    key = SigningKey.generate()
    return key.to_base64(), key.public_key_base64(), key.key_id


def mark_revoked(*, ctx: PosContext) -> None:
    with ctx.db.transaction() as session:
        row = session.get(Device, 1)
        if row is not None and row.revoked_at is None:
            row.revoked_at = datetime.now(UTC)


def register_device(
    *, ctx: PosContext, server_url: str, setup_code: str, name: str
) -> RegistrationResult:
    """Register this counter with a one-time setup code from an administrator."""
    setup_code = setup_code.strip()
    name = name.strip()
    try:
        server_url = normalize_server_url(server_url)
    except ValueError as exc:
        return RegistrationResult(False, str(exc))
    if not setup_code:
        return RegistrationResult(False, "Enter the setup code an administrator gave you.")
    if not name:
        return RegistrationResult(False, "Give this counter a name, e.g. “Box office 1”.")
    if len(name) > 100:
        return RegistrationResult(False, "The counter name is too long (100 characters at most).")

    private_key, public_key, key_id = new_signing_key()
    client = ApiClient(server_url)
    try:
        answer = client.post(
            REGISTER_PATH,
            {"setup_code": setup_code, "name": name, "signing_public_key": public_key},
            authenticated=False,
        )
    except ServerUnreachable as exc:
        return RegistrationResult(False, f"{exc.message} ({server_url})")
    except ApiError as exc:
        return RegistrationResult(False, exc.message)  # the server's words are for people
    finally:
        client.close()

    try:
        gateway = answer.get("gateway") or {}
        device_token = str(answer["device_token"])
        device_id = str(answer["device_id"])
    except (AttributeError, KeyError, TypeError):
        log.warning("unexpected registration answer: %r", sorted(answer or {}))
        return RegistrationResult(
            False, "The server's answer could not be understood; is this an Enturf server?"
        )

    ctx.secrets.set(Secret.DEVICE_TOKEN, device_token)
    ctx.secrets.set(Secret.SIGNING_KEY, private_key)
    if gateway.get("restricted_key"):
        ctx.secrets.set(Secret.GATEWAY_KEY, str(gateway["restricted_key"]))
    else:
        ctx.secrets.delete(Secret.GATEWAY_KEY)
    ctx.secrets.delete(Secret.USER_TOKEN)  # a token from before belongs to another device

    with ctx.db.transaction() as session:
        session.execute(delete(Device))
        # A new registration starts sync afresh: the next pull asks for a snapshot.
        session.execute(delete(SyncStateEntry).where(SyncStateEntry.key == CURSOR_KEY))
        row = Device(
            id=1,
            server_url=server_url,
            device_id=device_id,
            name=name,
            signing_key_id=str(answer.get("signing_key_id") or key_id),
            gateway_base_url=str(gateway.get("base_url") or ""),
            reader_id=str(gateway.get("reader_id") or ""),
            registered_at=datetime.now(UTC),
            duty="door" if answer.get("duty") == "door" else "counter",
        )
        session.add(row)
        session.flush()
        info = _info(row)
    return RegistrationResult(True, f"This counter is registered as “{name}”.", info)
