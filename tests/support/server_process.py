"""The real Enturf server as a subprocess, for tests that talk to it over HTTP.

`running_server(tmp_dir)` migrates a fresh database (SQLite file in `tmp_dir`, or, when
DATABASE_URL points at PostgreSQL, a database of its own named `enturf_pos_<random>` that
is dropped afterwards), creates the staff users of `USERS`, starts `runserver --noreload`
(or, with `workers=N`, gunicorn with N worker processes, as a deployment runs it) on a
free port and yields a :class:`ServerProcess`. Its cache keys (throttle counts) have a
prefix of their own, so servers sharing one Redis (ENTURF_REDIS_URL) never meet.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ENTURF_SERVER = str(Path(sys.executable).with_name("enturf-server"))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

# username -> (role, password). Test-only passwords that pass Django's validators.
USERS = {
    "admin": ("admin", "Manager-pass-4821"),
    "cashier": ("employee", "Cashier-pass-4821"),
    "customer": ("customer", "Customer-pass-4821"),
    "retired": ("employee", "Retired-pass-4821"),
}

_SEED_USERS = """
import json
from enturf_server.accounts.roles import Role
from enturf_server.accounts.services import create_user
for username, (role, password) in json.loads({users!r}).items():
    create_user(username=username, password=password, role=Role(role),
                first_name=username.title(), email=username + "@example.org")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    base_url: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes]

    def manage(self, *args: str, timeout: float = 120) -> str:
        """Run `enturf-server <args>` against this server's database; its stdout."""
        done = subprocess.run(
            [ENTURF_SERVER, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise RuntimeError(f"enturf-server {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def login(self, username: str) -> str:
        """A user token for a user of `USERS` (no device)."""
        answer = requests.post(
            f"{self.base_url}/api/v1/auth/login/",
            json={"username": username, "password": USERS[username][1]},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()["token"]

    def new_setup_code(self, name: str = "Counter") -> tuple[int, str]:
        """An administrator creates a device: (device id, one-time setup code)."""
        answer = requests.post(
            f"{self.base_url}/api/v1/devices/",
            json={"name": name},
            headers={"Authorization": f"Token {self.login('admin')}"},
            timeout=10,
        )
        answer.raise_for_status()
        body = answer.json()
        return body["id"], body["setup_code"]

    def retire_device(self, device_id: int | str) -> None:
        answer = requests.delete(
            f"{self.base_url}/api/v1/devices/{device_id}/",
            headers={"Authorization": f"Token {self.login('admin')}"},
            timeout=10,
        )
        answer.raise_for_status()

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


@contextlib.contextmanager
def _database(env: dict[str, str]) -> Iterator[None]:
    """A PostgreSQL database of its own when DATABASE_URL says PostgreSQL; else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        env.pop("DATABASE_URL", None)
        yield
        return
    import psycopg

    name = f"enturf_pos_{secrets.token_hex(4)}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def card_gateway_env(sim) -> dict[str, str]:
    """Server settings for a gateway simulator (`gateway_sim.testing.SimulatorHandle`):
    counters registered with the server get this gateway and its demo reader."""
    return {
        "ENTURF_GATEWAY_URL": sim.url,
        "ENTURF_GATEWAY_SECRET_KEY": sim.secret_key,
        "ENTURF_GATEWAY_RESTRICTED_KEY": sim.restricted_key,
        "ENTURF_GATEWAY_READER_ID": sim.reader_id,
    }


@contextlib.contextmanager
def running_server(
    tmp_dir: Path, *, extra_env: dict[str, str] | None = None, workers: int = 0
) -> Iterator[ServerProcess]:
    tmp_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ENTURF_DATA_DIR": str(tmp_dir),
        "ENTURF_SECRET_KEY": secrets.token_urlsafe(40),
        "ENTURF_LOGIN_RATE": "10000/min",
        "ENTURF_LOGIN_ADDRESS_RATE": "10000/min",
        "ENTURF_DEVICE_REGISTER_RATE": "10000/min",
        "ENTURF_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "enturf_server.settings",
        "ENTURF_CACHE_KEY_PREFIX": f"enturf-test-{secrets.token_hex(8)}",
        **(extra_env or {}),
    }
    with _database(env):
        port = free_port()
        log_path = tmp_dir / "server.log"
        process = None
        try:
            server = ServerProcess(
                base_url=f"http://127.0.0.1:{port}",
                port=port,
                env=env,
                log_path=log_path,
                process=None,  # type: ignore[arg-type]
            )
            server.manage("migrate", "--noinput", "-v", "0", timeout=300)
            server.shell(_SEED_USERS.format(users=json.dumps(USERS)))
            address = f"127.0.0.1:{port}"
            command = (
                [GUNICORN, "enturf_server.wsgi", "--workers", str(workers), "--bind", address]
                if workers
                else [ENTURF_SERVER, "runserver", address, "--noreload"]
            )
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    command,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            server.process = process
            _wait_until_answering(server)
            yield server
        finally:
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


def _wait_until_answering(server: ServerProcess, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited at start-up:\n{server.log_tail()}")
        try:
            # any answer will do (a redirect to HTTPS too, with ENTURF_HTTPS=1)
            requests.get(f"{server.base_url}/api/v1/auth/me/", timeout=2, allow_redirects=False)
            return
        except (requests.ConnectionError, requests.Timeout):  # not up, or workers booting
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {timeout} s:\n{server.log_tail()}")
