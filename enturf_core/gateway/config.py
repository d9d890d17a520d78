"""Gateway settings: base URL, key and reader, from code or the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

STRIPE_API_BASE = "https://api.stripe.com"
# The API version the client is written against; pinned so Stripe's shapes do not drift.
STRIPE_API_VERSION = "2023-08-16"


@dataclass(frozen=True)
class GatewayConfig:
    """How to reach the gateway. The key never appears in ``repr`` or logs."""

    api_key: str = field(repr=False)
    base_url: str = STRIPE_API_BASE
    reader_id: str | None = None
    api_version: str = STRIPE_API_VERSION
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_retries: int = 3
    backoff_base: float = 0.5  # seconds before the first retry, doubling after
    backoff_max: float = 8.0
    poll_interval: float = 1.0  # while waiting for the reader

    def __post_init__(self) -> None:
        if not self.api_key:
            raise ValueError("no gateway API key configured")
        if self.api_key.startswith("pk_"):
            raise ValueError("a publishable key cannot be used; use a secret or restricted key")
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("the gateway base URL must start with http:// or https://")
        if self.max_retries < 0:
            raise ValueError("max_retries cannot be negative")

    @property
    def key_kind(self) -> str:
        """``secret``, ``restricted`` or ``unknown``: safe to show, unlike the key."""
        if self.api_key.startswith("sk_"):
            return "secret"
        if self.api_key.startswith("rk_"):
            return "restricted"
        return "unknown"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, prefix: str = "ENTURF_GATEWAY_"
    ) -> GatewayConfig:
        """``ENTURF_GATEWAY_KEY`` (required), ``_URL``, ``_READER``, ``_TIMEOUT``, ``_RETRIES``."""
        env = os.environ if environ is None else environ
        key = env.get(prefix + "KEY", "")
        if not key:
            raise ValueError(f"set {prefix}KEY to the gateway's secret or restricted key")
        options: dict[str, object] = {
            "api_key": key,
            "base_url": env.get(prefix + "URL", STRIPE_API_BASE).rstrip("/"),
            "reader_id": env.get(prefix + "READER") or None,
        }
        if env.get(prefix + "TIMEOUT"):
            options["read_timeout"] = float(env[prefix + "TIMEOUT"])
        if env.get(prefix + "RETRIES"):
            options["max_retries"] = int(env[prefix + "RETRIES"])
        return cls(**options)  # type: ignore[arg-type]
