"""Secrets behind one small interface: the OS keyring, or this process's memory.

Secrets are the device token, the restricted gateway key, the device's signing key, the
logged-in user's token and the key of the counter's local password and PIN hashes. They go to the system keyring (service "enturf-pos"). When no
usable keyring exists (no backend, a failing one, or one that would write a plain file)
they are kept in memory for this run only: `persistent` is then False and `warning` says
so in words a cashier understands. Secrets are never written to a file by this module.
"""

from __future__ import annotations

import logging
from enum import StrEnum

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail

log = logging.getLogger(__name__)

SERVICE = "enturf-pos"

NO_KEYRING_WARNING = (
    "No system keyring is available on this computer, so this counter keeps its keys in "
    "memory only. After the program restarts you will have to register the counter and "
    "log in again. Ask your administrator to set up a keyring (e.g. GNOME Keyring or "
    "KWallet) to avoid this."
)


class Secret(StrEnum):
    DEVICE_TOKEN = "device_token"
    GATEWAY_KEY = "gateway_restricted_key"
    SIGNING_KEY = "device_signing_key"
    USER_TOKEN = "user_token"
    LOCAL_HASH_KEY = "local_hash_key"  # the counter key of its local hashes (counter_key.py)


def usable_backend(backend: keyring.backend.KeyringBackend) -> bool:
    """Whether a backend really keeps secrets safely (keyring ranks unsafe ones below 1)."""
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(usable_backend(b) for b in backend.backends)
    try:
        return float(backend.priority) >= 1
    except Exception:  # a backend whose priority check itself fails is not usable
        return False


class SecretStore:
    """Get, set and delete the POS's secrets.

    `namespace` separates installations (data folders) on one machine, so two local
    databases never read each other's tokens.
    """

    def __init__(self, *, namespace: str, service: str = SERVICE) -> None:
        self.service = service
        self.namespace = namespace
        self._memory: dict[str, str] = {}
        self._backend: keyring.backend.KeyringBackend | None = None
        try:
            backend = keyring.get_keyring()
        except Exception:
            log.warning("the keyring could not be loaded", exc_info=True)
            backend = None
        if backend is not None and usable_backend(backend):
            self._backend = backend
        else:
            log.warning("no usable keyring backend (%s): secrets stay in memory", backend)

    @property
    def persistent(self) -> bool:
        return self._backend is not None

    @property
    def warning(self) -> str | None:
        return None if self.persistent else NO_KEYRING_WARNING

    def _account(self, name: Secret) -> str:
        return f"{self.namespace}:{name.value}"

    def _fall_back_to_memory(self, action: str) -> None:
        log.warning("keyring %s failed: secrets stay in memory from now on", action, exc_info=True)
        self._backend = None

    def get(self, name: Secret) -> str | None:
        if self._backend is not None:
            try:
                return self._backend.get_password(self.service, self._account(name))
            except Exception:
                self._fall_back_to_memory("read")
        return self._memory.get(name.value)

    def set(self, name: Secret, value: str) -> None:
        if not value:
            raise ValueError(f"refusing to store an empty {name.value}")
        if self._backend is not None:
            try:
                self._backend.set_password(self.service, self._account(name), value)
                return
            except Exception:
                # Secrets already in the keyring are copied to memory so nothing is lost.
                self._memory.update(self._read_all_from_backend())
                self._fall_back_to_memory("write")
        self._memory[name.value] = value

    def delete(self, name: Secret) -> None:
        self._memory.pop(name.value, None)
        if self._backend is not None:
            try:
                self._backend.delete_password(self.service, self._account(name))
            except keyring.errors.PasswordDeleteError:
                pass  # nothing stored under that name
            except Exception:
                self._fall_back_to_memory("delete")

    def _read_all_from_backend(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name in Secret:
            try:
                value = self._backend.get_password(self.service, self._account(name))  # type: ignore[union-attr]
            except Exception:
                continue
            if value:
                found[name.value] = value
        return found
