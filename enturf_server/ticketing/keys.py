"""The server's Ed25519 ticket-signing key, from configuration.

* `ENTURF_SIGNING_KEY` (environment): the 32-byte private key in base64url, as
  `SigningKey.to_base64()` writes it; or else
* the file `signing_key` in `settings.DATA_DIR`, created on first use with mode 0600.

The file is created atomically (`enturf_server.key_files`), so processes starting
together all end up with the same key.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from enturf_core.ticket_codes import SigningKey
from enturf_server.key_files import read_or_create

ENV_VAR = "ENTURF_SIGNING_KEY"
FILE_NAME = "signing_key"

_cache: dict[str, SigningKey] = {}
_lock = threading.Lock()


def key_file() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def server_signing_key() -> SigningKey:
    """The configured key (cached per source: the variable's value or the file's path)."""
    text = os.environ.get(ENV_VAR, "").strip()
    source = f"env:{text}" if text else f"file:{key_file()}"
    with _lock:
        key = _cache.get(source)
        if key is None:
            key = _from_text(text, ENV_VAR) if text else _from_file(key_file())
            _cache[source] = key
        return key


def _from_text(text: str, where: str) -> SigningKey:
    try:
        return SigningKey.from_base64(text)
    except ValueError:
        raise ImproperlyConfigured(
            f"{where} must be an Ed25519 private key: 32 bytes in base64url without padding "
            "(e.g. from `SigningKey.generate().to_base64()`)."
        ) from None


def _from_file(path: Path) -> SigningKey:
    text = read_or_create(path, lambda: SigningKey.generate().to_base64())
    return _from_text(text, str(path))


def clear_cache() -> None:
    """Forget cached keys (tests that switch DATA_DIR or the variable)."""
    with _lock:
        _cache.clear()
