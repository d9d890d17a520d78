"""What an API handler sees of the request it serves."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .config import SimConfig
from .ids import new_id
from .store import Store


@dataclass
class Context:
    store: Store
    config: SimConfig
    request_id: str | None = None
    idempotency_key: str | None = None
    now: float = field(default_factory=time.time)
    on_event: Callable[[dict[str, Any]], None] | None = None

    @property
    def timestamp(self) -> int:
        return int(self.now)

    def emit(
        self, type_: str, obj: dict[str, Any], previous: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Record an event (and its webhook delivery) in the current transaction."""
        data: dict[str, Any] = {"object": obj}
        if previous:
            data["previous_attributes"] = previous
        event = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": self.config.api_version,
            "created": self.timestamp,
            "data": data,
            "livemode": False,
            "pending_webhooks": 1 if self.config.webhook_url else 0,
            "request": {"id": self.request_id, "idempotency_key": self.idempotency_key},
            "type": type_,
        }
        self.store.put(event)
        if self.config.webhook_url:
            self.store.add_delivery(event["id"], self.config.webhook_url, self.now)
        if self.on_event is not None:
            self.on_event(event)
        return event
