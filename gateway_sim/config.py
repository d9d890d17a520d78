"""Configuration of a simulator instance, from flags, environment or code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import DEFAULT_API_VERSION

DEFAULT_SECRET_KEYS = ("sk_test_enturf_demo",)
DEFAULT_RESTRICTED_KEYS = ("rk_test_enturf_demo_counter",)
DEFAULT_WEBHOOK_SECRET = "whsec_enturf_demo"
DEFAULT_ACCOUNT_ID = "acct_1EnturfDemo000"
DEMO_LOCATION_ID = "tml_EnturfDemoVenue"


def demo_reader_id(number: int) -> str:
    """Stable ids of the readers seeded for the demo: tmr_EnturfDemo0001, ..."""
    return f"tmr_EnturfDemo{number:04d}"


def default_db_path() -> Path:
    return Path("var") / "gateway_sim" / "gateway.sqlite3"


@dataclass
class SimConfig:
    host: str = "127.0.0.1"
    port: int = 12111
    db_path: str | Path = field(default_factory=default_db_path)
    secret_keys: tuple[str, ...] = DEFAULT_SECRET_KEYS
    restricted_keys: tuple[str, ...] = DEFAULT_RESTRICTED_KEYS
    account_id: str = DEFAULT_ACCOUNT_ID
    api_version: str = DEFAULT_API_VERSION
    webhook_url: str | None = None
    webhook_secret: str = DEFAULT_WEBHOOK_SECRET
    webhook_backoff: float = 2.0  # first retry after this many seconds, then doubling
    webhook_backoff_max: float = 3600.0
    webhook_max_attempts: int = 12
    auto_approve_delay: float | None = None  # readers approve by themselves after this delay
    demo_readers: int = 1
    faults: tuple[str, ...] = ()  # startup faults, e.g. "error:3" or "drop:1:/v1/payment_intents"

    def validate(self) -> None:
        keys = self.secret_keys + self.restricted_keys
        if not keys:
            raise ValueError("configure at least one API key")
        for key in self.secret_keys:
            if not key.startswith("sk_test_"):
                raise ValueError("secret keys must be test-mode keys starting with sk_test_")
        for key in self.restricted_keys:
            if not key.startswith("rk_test_"):
                raise ValueError("restricted keys must be test-mode keys starting with rk_test_")
        if not self.webhook_secret.startswith("whsec_"):
            raise ValueError("the webhook signing secret must start with whsec_")
        if self.auto_approve_delay is not None and self.auto_approve_delay < 0:
            raise ValueError("the auto-approve delay cannot be negative")
