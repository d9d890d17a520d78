"""What every service call needs: configuration, local database and secrets."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from enturf_pos.config import PosConfig
from enturf_pos.models import Database, Device, SyncStateEntry
from enturf_pos.services import venue_time
from enturf_pos.services.session.api_client import ApiClient
from enturf_pos.services.session.secret_store import Secret, SecretStore

INSTALL_ID_KEY = "install_id"


@dataclass
class PosContext:
    config: PosConfig
    db: Database
    secrets: SecretStore

    def api_client(self, *, timeout: tuple[float, float] | None = None) -> ApiClient | None:
        """A client for this counter's server with the current credentials; None before
        registration."""
        with self.db.transaction() as session:
            server_url = session.scalar(select(Device.server_url).where(Device.id == 1))
        if server_url is None:
            return None
        client = ApiClient(
            server_url,
            device_token=self.secrets.get(Secret.DEVICE_TOKEN),
            user_token=self.secrets.get(Secret.USER_TOKEN),
        )
        if timeout:
            client.timeout = timeout
        return client

    def user_client(self) -> ApiClient | None:
        """A client for calls made for the logged-in user; None before registration or
        when nobody holds a server token (an offline login)."""
        client = self.api_client()
        if client is not None and not client.user_token:
            client.close()
            return None
        return client

    def close(self) -> None:
        self.db.dispose()


def _install_id(db: Database) -> str:
    with db.transaction() as session:
        entry = session.get(SyncStateEntry, INSTALL_ID_KEY)
        if entry is None:
            entry = SyncStateEntry(key=INSTALL_ID_KEY, value=secrets.token_hex(8))
            session.add(entry)
        return str(entry.value)


def open_context(config: PosConfig) -> PosContext:
    """Open (and migrate) the local database and the secret store of this installation."""
    db = Database(config.database_path)
    venue_time.load_from(db)
    return PosContext(config=config, db=db, secrets=SecretStore(namespace=_install_id(db)))
