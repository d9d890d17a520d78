"""The server wheel (`make wheel`) in a fresh virtualenv, installed as docs/deployment.md
says: the locked dependencies by hash, then the wheel without dependencies. With
production settings `enturf-server check --deploy` reports no issue at all.

The venv is made once for this module (about 3 minutes: PySide6 is in the one
distribution's dependencies); pip's cache keeps the downloads between runs. `--no-compile`
skips writing bytecode for ~90 packages at install time: Python compiles each module the
first time it is imported instead, which changes nothing of what is installed."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from support.databases import ON_POSTGRES
from support.packaged import ROOT, outside_env

LOCK = ROOT / "requirements" / f"lock-py{sys.version_info.major}.{sys.version_info.minor}.txt"
BIN = "Scripts" if sys.platform == "win32" else "bin"


def run(*command: str | Path, env: dict[str, str] | None = None, cwd: Path, timeout: float = 900):
    done = subprocess.run(
        [str(part) for part in command],
        env=env or outside_env(),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory, server_wheel) -> Path:
    """A fresh venv with the locked set and the wheel; its folder."""
    if not LOCK.is_file():
        pytest.fail(f"no lock file for Python {sys.version_info[:2]}: {LOCK}")
    where = tmp_path_factory.mktemp("wheel-venv")
    venv = where / "venv"
    # pip's own deprecation warnings are not ours to fail on (the suite's "error" list)
    env = outside_env(PYTHONWARNINGS=None)
    run(sys.executable, "-m", "venv", venv, cwd=where, env=env)
    pip = [venv / BIN / "python", "-m", "pip", "--disable-pip-version-check"]
    lock = ["--require-hashes", "-r", LOCK]
    run(*pip, "install", "--quiet", "--no-compile", *lock, cwd=where, env=env)
    run(*pip, "install", "--quiet", "--no-compile", "--no-deps", server_wheel, cwd=where, env=env)
    run(*pip, "check", cwd=where, env=env)
    return venv


def production_env(data_dir: Path, database_url: str) -> dict[str, str]:
    """A venue's settings: only what docs/deployment.md asks for, nothing of this run's."""
    env = {
        k: v
        for k, v in outside_env().items()
        if not k.startswith(("ENTURF_", "DJANGO_")) and k != "DATABASE_URL"
    }
    return {
        **env,
        "ENTURF_DATA_DIR": str(data_dir),
        "ENTURF_SECRET_KEY": secrets.token_urlsafe(50),
        "ENTURF_HTTPS": "1",
        "ENTURF_ALLOWED_HOSTS": "boxoffice.example.org",
        "DATABASE_URL": database_url,
    }


def test_the_wheel_is_what_the_venv_runs(venv, tmp_path):
    done = run(
        venv / BIN / "python",
        "-c",
        "import enturf_server, enturf_pos, importlib.metadata as m;"
        "print(enturf_server.__file__); print(m.version('enturf'))",
        cwd=tmp_path,
    )
    where, version = done.stdout.split()
    assert Path(where).is_relative_to(venv) and "site-packages" in where
    assert version == __import__("importlib.metadata").metadata.version("enturf")


def test_check_deploy_is_clean_with_production_settings(venv, tmp_path):
    server = venv / BIN / "enturf-server"
    # check --deploy does not connect: any PostgreSQL URL stands for the venue's
    env = production_env(tmp_path / "data", "postgres://enturf:secret@db.example.org:5432/enturf")
    run(server, "collectstatic", "--noinput", "-v", "0", env=env, cwd=tmp_path)

    done = run(server, "check", "--deploy", "--fail-level", "DEBUG", env=env, cwd=tmp_path)

    # --fail-level DEBUG: any message at all (even an info) fails the command
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL")
def test_the_installed_server_migrates_a_new_postgres_database(venv, tmp_path):
    """The production path end to end: migrate a new database, then the checks that
    connect to it (`--database default`)."""
    import psycopg

    name = f"enturf_wheel_{uuid.uuid4().hex[:10]}"
    admin_url = os.environ["DATABASE_URL"]
    parts = urlsplit(admin_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    # CREATE/DROP DATABASE from the maintenance database: the one DATABASE_URL names need
    # not exist (the suite's test runner only ever creates test_<name>).
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = production_env(tmp_path / "data", url)
        server = venv / BIN / "enturf-server"
        run(server, "migrate", "--noinput", "-v", "0", env=env, cwd=tmp_path)
        run(server, "collectstatic", "--noinput", "-v", "0", env=env, cwd=tmp_path)
        done = run(
            server,
            "check",
            "--deploy",
            "--database",
            "default",
            "--fail-level",
            "DEBUG",
            env=env,
            cwd=tmp_path,
        )
        assert "System check identified no issues" in done.stdout, done.stdout + done.stderr
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_gunicorn_runs_the_installed_server_with_the_shipped_config(venv, tmp_path):
    """packaging/server/gunicorn.conf.py as the systemd unit starts it, behind a proxy that
    sets X-Forwarded-Proto (as packaging/server/nginx-enturf.conf does)."""
    port = free_port()
    env = {
        **production_env(tmp_path / "data", f"sqlite:///{tmp_path / 'enturf.sqlite3'}"),
        "ENTURF_GUNICORN_BIND": f"127.0.0.1:{port}",
        "ENTURF_GUNICORN_WORKERS": "2",
    }
    server = venv / BIN / "enturf-server"
    run(server, "migrate", "--noinput", "-v", "0", env=env, cwd=tmp_path)
    run(server, "collectstatic", "--noinput", "-v", "0", env=env, cwd=tmp_path)
    config = ROOT / "packaging" / "server" / "gunicorn.conf.py"
    gunicorn = subprocess.Popen(
        [str(venv / BIN / "gunicorn"), "-c", str(config)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"127.0.0.1:{port}"
        wait_for(base, gunicorn)
        plain = request(base, "/admin/login/")
        assert plain.status == 301
        assert plain.getheader("Location") == "https://boxoffice.example.org/admin/login/"

        proxied = request(base, "/admin/login/", proto="https")
        assert proxied.status == 200
        assert "max-age=" in proxied.getheader("Strict-Transport-Security", "")
        assert "Secure" in proxied.getheader("Set-Cookie", "")  # the CSRF cookie

        css = request(base, "/static/admin/css/base.css", proto="https")
        assert css.status == 200 and css.getheader("Content-Type", "").startswith("text/css")
    finally:
        gunicorn.terminate()
        _, errors = gunicorn.communicate(timeout=60)
    assert "Traceback" not in errors, errors


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(base: str, path: str, proto: str | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(base, timeout=30)
    headers = {"Host": "boxoffice.example.org"}
    if proto:
        headers["X-Forwarded-Proto"] = proto
    try:  # closed also when gunicorn, still starting, resets the connection
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response


def wait_for(base: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn ended: {process.stderr.read() if process.stderr else ''}")
        try:
            request(base, "/admin/login/")
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not answer")
