"""Starting a simulator from tests, in-process or as a subprocess.

from gateway_sim.testing import start_simulator

sim = start_simulator(db_path=tmp_path / "gw.sqlite3")
...  # sim.url, sim.secret_key, sim.restricted_key, sim.reader_id, sim.admin(...)
sim.stop()
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import (
    DEFAULT_RESTRICTED_KEYS,
    DEFAULT_SECRET_KEYS,
    DEFAULT_WEBHOOK_SECRET,
    SimConfig,
    demo_reader_id,
)
from .server import Simulator


def admin_request(url: str, method: str, path: str, payload: Any = None) -> Any:
    """Call the simulator's ``/_sim/`` admin surface and return its JSON answer."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@dataclass
class _AdminMixin:
    url: str

    secret_key: str = DEFAULT_SECRET_KEYS[0]
    restricted_key: str = DEFAULT_RESTRICTED_KEYS[0]
    webhook_secret: str = DEFAULT_WEBHOOK_SECRET
    reader_id: str = field(default_factory=lambda: demo_reader_id(1))

    def admin(self, method: str, path: str, payload: Any = None) -> Any:
        return admin_request(self.url, method, path, payload)

    def add_fault(
        self, mode: str, count: int = 1, path: str | None = None, method: str | None = None
    ) -> None:
        self.admin(
            "POST", "/_sim/faults", {"mode": mode, "count": count, "path": path, "method": method}
        )

    def clear_faults(self) -> None:
        self.admin("DELETE", "/_sim/faults")

    def set_reader(self, reader_id: str | None = None, **settings: Any) -> Any:
        return self.admin("POST", f"/_sim/readers/{reader_id or self.reader_id}", settings)

    def reset(self) -> None:
        self.admin("POST", "/_sim/reset")


@dataclass
class SimulatorHandle(_AdminMixin):
    """An in-process simulator."""

    simulator: Simulator | None = None

    def stop(self) -> None:
        if self.simulator is not None:
            self.simulator.stop()
            self.simulator = None


def start_simulator(
    port: int = 0,
    db_path: str | Path = ":memory:",
    **options: Any,
) -> SimulatorHandle:
    """Start a simulator in this process on ``port`` (0: any free port).

    ``options`` are :class:`~gateway_sim.config.SimConfig` fields, e.g.
    ``webhook_url=``, ``auto_approve_delay=``, ``webhook_backoff=``.
    """
    config = SimConfig(port=port, db_path=db_path, **options)
    simulator = Simulator(config).start()
    return SimulatorHandle(
        url=simulator.url,
        secret_key=config.secret_keys[0],
        restricted_key=config.restricted_keys[0] if config.restricted_keys else "",
        webhook_secret=config.webhook_secret,
        simulator=simulator,
    )


@dataclass
class SimulatorProcess(_AdminMixin):
    """A simulator running as a subprocess (``python -m gateway_sim``)."""

    process: subprocess.Popen[str] | None = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._close_pipes()

    def kill(self) -> None:
        """SIGKILL, for crash tests."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._close_pipes()

    def _close_pipes(self) -> None:
        # the pipes of an ended process stay open (a ResourceWarning) until closed
        if self.process is not None:
            for pipe in (self.process.stdout, self.process.stderr):
                if pipe is not None:
                    pipe.close()
        self.process = None


def spawn_simulator(
    db_path: str | Path, args: Sequence[str] = (), port: int = 0, timeout: float = 20.0
) -> SimulatorProcess:
    """Run ``python -m gateway_sim`` and wait until it says where it listens."""
    command = [
        sys.executable,
        "-m",
        "gateway_sim",
        "--port",
        str(port),
        "--db",
        str(db_path),
        "--log-level",
        "WARNING",
        *args,
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"listening on (http://\S+)", line)
    if not found:
        process.kill()
        _, err = process.communicate(timeout=timeout)
        raise RuntimeError(f"the simulator did not start: {line!r} {err[-2000:]}")
    return SimulatorProcess(url=found.group(1), process=process)
