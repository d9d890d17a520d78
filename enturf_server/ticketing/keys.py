"""The server's Ed25519 ticket-signing key, from configuration.

* `ENTURF_SIGNING_KEY` (environment): the 32-byte private key in base64url, as
  `SigningKey.to_base64()` writes it; or else
* the file `signing_key` in `settings.DATA_DIR`, created on first use with mode 0600.

The file is created atomically (written to a temporary file, then hard-linked into place),
so processes starting together all end up with the same key.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from enturf_core.ticket_codes import SigningKey

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
    if not path.exists():
        _create(path)
    return _from_text(path.read_text(encoding="ascii"), str(path))


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".signing_key.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(SigningKey.generate().to_base64() + "\n")
            out.flush()
            os.fsync(out.fileno())
        # fails if another process created it first: keep theirs
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def clear_cache() -> None:
    """Forget cached keys (tests that switch DATA_DIR or the variable)."""
    with _lock:
        _cache.clear()
