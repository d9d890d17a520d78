"""Helpers for the POS sync tests: a small catalog on the real server, counters.

The catalog is created through the server's HTTP API as the seeded admin (no shortcut
into its database); each counter is a data folder of its own, registered as a device
of its own, logged in online through the proxy.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from enturf_pos.config import PosConfig
from enturf_pos.services.session import device_service
from enturf_pos.services.session.pos_context import PosContext, open_context
from enturf_pos.services.session.secret_store import Secret
from support.server_process import USERS, ServerProcess

_names = itertools.count(1)


class AdminApi:
    """The server's API as its admin, straight (not through the proxy)."""

    def __init__(self, server: ServerProcess) -> None:
        self.base = server.base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {server.login('admin')}"

    def call(self, method: str, path: str, body: Any = None) -> Any:
        answer = self.session.request(method, f"{self.base}/api/v1/{path}", json=body, timeout=60)
        assert answer.status_code < 400, (answer.status_code, answer.text[:2000])
        return answer.json() if answer.content else None

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def post(self, path: str, body: Any) -> Any:
        return self.call("POST", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.call("PATCH", path, body)


@dataclass
class Show:
    venue_id: int
    seat_map_id: int
    event_id: int
    ticket_ids: list[int]


def make_show(api: AdminApi, *, tickets: int = 2, rows: int = 2, seats: int = 5) -> Show:
    """A venue, a seat map (rows x seats, one standing area), an event and its tickets."""
    n = next(_names)
    venue = api.post("venues/", {"name": f"Hall {n} {datetime.now(UTC):%H%M%S%f}"})
    layout = {
        "venue": venue["id"],
        "name": "Main",
        "sections": [
            {
                "name": "Stalls",
                "rows": [
                    {
                        "label": chr(65 + r),
                        "seats": [
                            {"label": str(s + 1), "x": float(s * 10), "y": float(r * 10)}
                            for s in range(seats)
                        ],
                    }
                    for r in range(rows)
                ],
            }
        ],
        "areas": [{"name": "Standing", "capacity": 50}],
    }
    seat_map = api.post("seatmaps/", layout)
    starts = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
    event = api.post(
        "events/",
        {
            "seat_map": seat_map["id"],
            "name": f"Show {n}",
            "starts_at": starts.isoformat(),
            "state": "on_sale",
        },
    )
    ticket_ids = [
        api.post(
            "tickets/",
            {
                "event": event["id"],
                "name": f"Price {t + 1}",
                "price": f"{20 + t}.00",
                "tax_rate": "10.00",
                "category": "standard",
                "position": t,
            },
        )["id"]
        for t in range(tickets)
    ]
    return Show(venue["id"], seat_map["id"], event["id"], ticket_ids)


def open_counter(data_dir: Path) -> PosContext:
    return open_context(
        PosConfig(data_dir=data_dir, lock_after_seconds=0, ping_interval_seconds=0.3)
    )


def register(ctx: PosContext, server: ServerProcess, server_url: str, name: str) -> PosContext:
    _id, code = server.new_setup_code(name)
    result = device_service.register_device(
        ctx=ctx, server_url=server_url, setup_code=code, name=name
    )
    assert result.ok, result.message
    return ctx


def log_in_online(ctx: PosContext, username: str = "admin") -> str:
    """A server token for this counter (bound to its device), without the local hash."""
    client = ctx.api_client()
    try:
        answer = client.post(
            "/api/v1/auth/login/",
            {"username": username, "password": USERS[username][1]},
            authenticated=False,
        )
    finally:
        client.close()
    ctx.secrets.set(Secret.USER_TOKEN, answer["token"])
    return answer["token"]


SYNC_CHILD = Path(__file__).with_name("sync_child.py")


def run_pos_child(
    script: Path,
    ctx: PosContext,
    secrets: Sequence[Secret],
    *,
    kill_at: str | None = None,
    **order: Any,
) -> subprocess.CompletedProcess:
    """Runs `script` (a counter's work in its own process) on this counter's database with
    these secrets handed over (the child has no keyring); with `kill_at`, the child
    SIGKILLs itself at that named point (`ENTURF_POS_KILL_AT`). `order` goes to its stdin."""
    handed = {s.value: ctx.secrets.get(s) for s in secrets}
    ctx.db.engine.dispose()  # the child has the database to itself
    env = {k: v for k, v in os.environ.items() if k != "ENTURF_POS_KILL_AT"}
    if kill_at:
        env["ENTURF_POS_KILL_AT"] = kill_at
    return subprocess.run(
        [sys.executable, str(script)],
        input=json.dumps({"data_dir": str(ctx.config.data_dir), "secrets": handed, **order}),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
