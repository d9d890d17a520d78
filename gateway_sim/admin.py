"""The simulator's own admin surface under ``/_sim/`` (JSON in, JSON out, no auth).

=======  ============================  ==================================================
GET      /_sim/health                  liveness and configuration summary (no keys)
GET      /_sim/faults                  pending fault rules and the number of held requests
POST     /_sim/faults                  ``{"mode": "error"|"drop"|"hold", "count": N,
                                       "path": "/v1/...", "method": "POST"}``
DELETE   /_sim/faults                  remove all rules, release held requests
POST     /_sim/faults/release          release requests held by a ``hold`` fault
GET      /_sim/readers/{id}            a reader's simulation settings
POST     /_sim/readers/{id}            ``{"auto_approve_delay": seconds|null, "online": bool}``
GET      /_sim/webhooks                webhook deliveries and their state
POST     /_sim/webhooks/retry          make every pending delivery due now
POST     /_sim/reset                   delete all objects, keys and deliveries; reseed
=======  ============================  ==================================================
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .faults import FaultRule

if TYPE_CHECKING:
    from .server import Reply, Simulator


def _reply(status: int, payload: Any) -> Reply:
    from .server import json_reply

    return json_reply(status, payload)


def _problem(status: int, message: str) -> Reply:
    return _reply(status, {"error": {"message": message}})


def handle(sim: Simulator, method: str, target: str, body: bytes) -> Reply:
    path = urlsplit(target).path.rstrip("/")
    try:
        data = json.loads(body) if body.strip() else {}
    except ValueError:
        return _problem(400, "The body must be JSON.")
    if not isinstance(data, dict):
        return _problem(400, "The body must be a JSON object.")
    try:
        return _route(sim, method, path, data)
    except (ValueError, TypeError) as exc:
        return _problem(400, str(exc))


def _route(sim: Simulator, method: str, path: str, data: dict[str, Any]) -> Reply:
    if path == "/_sim/health" and method == "GET":
        return _reply(
            200,
            {
                "status": "ok",
                "api_version": sim.config.api_version,
                "webhook_url": sim.config.webhook_url,
                "auto_approve_delay": sim.config.auto_approve_delay,
                "db_path": str(sim.store.path),
            },
        )
    if path == "/_sim/faults":
        if method == "GET":
            return _reply(200, sim.faults.snapshot())
        if method == "POST":
            rule = FaultRule(
                mode=str(data.get("mode", "")),
                remaining=int(data.get("count", 1)),
                path=data.get("path"),
                method=data.get("method"),
            )
            sim.faults.add(rule)
            return _reply(200, sim.faults.snapshot())
        if method == "DELETE":
            sim.faults.clear()
            return _reply(200, sim.faults.snapshot())
    if path == "/_sim/faults/release" and method == "POST":
        sim.faults.release()
        return _reply(200, sim.faults.snapshot())
    reader = re.fullmatch(r"/_sim/readers/([A-Za-z0-9_]+)", path)
    if reader:
        reader_id = reader.group(1)
        if sim.store.get_typed(reader_id, "terminal.reader") is None:
            return _problem(404, f"No such reader: {reader_id}")
        settings = sim.store.reader_settings(reader_id)
        if method == "POST":
            if "auto_approve_delay" in data:
                delay = data["auto_approve_delay"]
                if delay is not None and (not isinstance(delay, int | float) or delay < 0):
                    raise ValueError("auto_approve_delay must be a number of seconds or null")
                settings = replace(settings, auto_approve_delay=delay)
            if "online" in data:
                settings = replace(settings, offline=not bool(data["online"]))
            sim.store.save_reader_settings(settings)
        elif method != "GET":
            return _problem(405, "Use GET or POST.")
        shown = asdict(settings)
        shown["online"] = not shown.pop("offline")
        return _reply(200, shown)
    if path == "/_sim/webhooks" and method == "GET":
        return _reply(200, {"deliveries": sim.store.deliveries()})
    if path == "/_sim/webhooks/retry" and method == "POST":
        for delivery in sim.store.due_deliveries(float("inf"), limit=10_000):
            sim.store.record_delivery(
                delivery.id,
                attempts=delivery.attempts,
                state="pending",
                next_attempt_at=time.time(),
                status=None,
                error=None,
            )
        sim.worker.notify()
        return _reply(200, {"deliveries": sim.store.deliveries()})
    if path == "/_sim/reset" and method == "POST":
        sim.faults.clear()
        sim.store.reset()
        sim.seed()
        return _reply(200, {"status": "reset"})
    return _problem(404, f"Unknown admin endpoint {method} {path}")
