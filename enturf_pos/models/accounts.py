"""This counter and the people who may use it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from enturf_pos.models.base import Base
from enturf_pos.models.column_types import (
    bool_true,
    created_now,
    json_list,
    name_str,
    server_id,
    updated_now,
    version_counter,
)


class Device(Base):
    """This counter's registration (one row). Its secrets live in the keyring, not here."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    server_url: Mapped[str] = mapped_column(String(500))
    device_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[name_str]
    signing_key_id: Mapped[str] = mapped_column(String(64), default="")
    gateway_base_url: Mapped[str] = mapped_column(String(500), default="")
    reader_id: Mapped[str] = mapped_column(String(100), default="")
    registered_at: Mapped[created_now]
    revoked_at: Mapped[datetime | None] = mapped_column(
        doc="set when the server said this device's registration is revoked"
    )
    duty: Mapped[str] = mapped_column(
        String(16),
        default="counter",
        server_default="counter",
        doc="counter or door: which window opens (feed `device`, this device's entry)",
    )


class LocalUser(Base):
    """A staff member allowed on counters (synced), plus what offline login needs.

    `password_hash` and `last_online_login` are local only: they are set when the user
    logs in online on this counter and never leave it. So are the unlock PIN's columns
    (`services/session/unlock_pin.py`).
    """

    __tablename__ = "users"

    id: Mapped[server_id]
    username: Mapped[str] = mapped_column(String(150), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool_true]
    password_hash: Mapped[str | None] = mapped_column(String(300))
    last_online_login: Mapped[datetime | None]
    pin_hash: Mapped[str | None] = mapped_column(String(300), doc="the unlock PIN's, local")
    pin_set_at: Mapped[datetime | None]
    pin_failures: Mapped[int] = mapped_column(
        default=0, server_default="0", doc="wrong PINs in a row; reset by the password"
    )
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]


class RoleRights(Base):
    """What one staff role may do here (feed `role_rights`); a role without a row uses
    `enturf_core.staff_rights.DEFAULT_GRANTS` (a counter that has not synced yet)."""

    __tablename__ = "role_rights"

    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    rights: Mapped[json_list]
    refund_limit_cents: Mapped[int | None]
    version: Mapped[version_counter]


class TicketKey(Base):
    """A public key that signs ticket codes (the server's or a counter's)."""

    __tablename__ = "ticket_keys"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(100))
    owner: Mapped[str] = mapped_column(String(200), default="")
    retired_at: Mapped[datetime | None]
    version: Mapped[version_counter]


class ApprovalKey(Base):
    """An administrator's approval key on this counter (see services/session/approvals.py): the
    private half sealed with a key derived from their password, never stored in clear."""

    __tablename__ = "approval_keys"

    user_id: Mapped[server_id]
    key_id: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(100))
    kdf: Mapped[str] = mapped_column(String(200), doc="scrypt$<log2 n>$<r>$<p>$<salt>")
    sealed: Mapped[str] = mapped_column(String(300), doc="AES-GCM nonce + ciphertext, b64")
    registered_at: Mapped[datetime | None] = mapped_column(doc="when the server accepted it")
    created_at: Mapped[created_now]
