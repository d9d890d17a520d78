"""The fault switch: make the next N API requests fail in a chosen way.

Modes:

``error``
    answer 500 ``api_error`` without acting (as a failing load balancer would);
``drop``
    act, keep the idempotent response, then close the connection without answering;
``hold``
    act, then wait before answering until released (``POST /_sim/faults/release``)
    or for at most ``hold_timeout`` seconds; meanwhile the idempotency key is in
    flight, so a duplicate request gets 409.

A rule may be limited to a method and to paths starting with a prefix.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass

MODES = ("error", "drop", "hold")


@dataclass
class FaultRule:
    mode: str
    remaining: int
    path: str | None = None
    method: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method) and (
            self.path is None or path.startswith(self.path)
        )


def parse_fault(spec: str) -> FaultRule:
    """``MODE:COUNT[:PATH_PREFIX]``, e.g. ``error:3`` or ``drop:1:/v1/payment_intents``."""
    parts = spec.split(":", 2)
    if len(parts) < 2 or parts[0] not in MODES or not parts[1].isdigit():
        raise ValueError(f"fault {spec!r}: expected MODE:COUNT[:PATH] with MODE one of {MODES}")
    return FaultRule(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else None)


class FaultSwitch:
    def __init__(self, hold_timeout: float = 30.0) -> None:
        self.hold_timeout = hold_timeout
        self._rules: list[FaultRule] = []
        self._lock = threading.Condition()
        self._held = 0
        self._release_generation = 0

    def add(self, rule: FaultRule) -> None:
        if rule.mode not in MODES:
            raise ValueError(f"unknown fault mode {rule.mode!r}; use one of {MODES}")
        if rule.remaining < 1:
            raise ValueError("a fault needs a count of at least 1")
        with self._lock:
            self._rules.append(rule)

    def take(self, method: str, path: str) -> str | None:
        """The fault to apply to this request, if any (consumes one count)."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                    return rule.mode
        return None

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
        self.release()

    def hold(self) -> None:
        """Block the calling request until released (or the hold timeout passes)."""
        with self._lock:
            generation = self._release_generation
            self._held += 1
            self._lock.notify_all()
            try:
                self._lock.wait_for(
                    lambda: self._release_generation != generation, timeout=self.hold_timeout
                )
            finally:
                self._held -= 1

    def release(self) -> None:
        with self._lock:
            self._release_generation += 1
            self._lock.notify_all()

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {"faults": [asdict(r) for r in self._rules], "held": self._held}
