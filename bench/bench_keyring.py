"""A read-only keyring for the cold-start benches: it answers a placeholder device token,
enough for the counter to show its login window without a server.

The source install loads it with PYTHON_KEYRING_BACKEND=bench_keyring.BenchKeyring and
bench/ on PYTHONPATH; the packaged build ignores PYTHONPATH, so bench/dist_bench.py names
it in a keyring config file instead (`keyring-path`, `default-keyring`). It imports only
keyring, which the build holds."""

from __future__ import annotations

import keyring.backend
import keyring.errors


class BenchKeyring(keyring.backend.KeyringBackend):
    """Answers a placeholder device token: enough for the app to show its login window."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return "bench-device-token" if username.endswith(":device_token") else None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the bench keyring is read-only")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("the bench keyring is read-only")
