"""Settings a deployment relies on: the generated secret key, the HTTPS switch."""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path

# Each child loads the settings once the test releases its lock on the gate file, so all
# four reach the secret-key file together; the heavy imports are done before that.
_FIRST_START = """
import fcntl, pathlib, secrets, sys  # noqa: F401, E401
import dj_database_url  # noqa: F401
print("ready", flush=True)
with open(sys.argv[1]) as gate:
    fcntl.flock(gate, fcntl.LOCK_SH)
from enturf_server import settings
print(settings.SECRET_KEY)
"""
ROUNDS = 20  # one round of four caught the old write-then-chmod race about one time in six


def _settings_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTURF_")}
    env.pop("DATABASE_URL", None)
    return {**env, "ENTURF_DATA_DIR": str(data_dir), **extra}


def test_four_simultaneous_first_starts_share_one_complete_secret_key(tmp_path):
    gate_path = tmp_path / "gate"
    gate_path.touch()
    for attempt in range(ROUNDS):
        data_dir = tmp_path / f"start{attempt}"
        env = _settings_env(data_dir)
        with gate_path.open() as gate:
            fcntl.flock(gate, fcntl.LOCK_EX)
            children = [
                subprocess.Popen(
                    [sys.executable, "-c", _FIRST_START, str(gate_path)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(4)
            ]
            assert [child.stdout.readline() for child in children] == ["ready\n"] * 4
        # the lock is released: the four children go
        results = [child.communicate(timeout=60) for child in children]  # closes the pipes
        assert [child.returncode for child in children] == [0] * 4, results
        keys = {out.strip() for out, _ in results}
        on_disk = (data_dir / "secret_key").read_text().strip()
        assert keys == {on_disk} and len(on_disk) >= 50, (attempt, keys)
        assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600
        # no temporary file left beside the key
        assert not [p.name for p in data_dir.iterdir() if p.name.startswith(".")]


ENTURF_SERVER = str(Path(sys.executable).with_name("enturf-server"))


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return _settings_env(
        tmp_path,
        ENTURF_SECRET_KEY=secrets.token_urlsafe(50),
        ENTURF_ALLOWED_HOSTS="boxoffice.example",
        **extra,
    )


def _server(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ENTURF_SERVER, *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_https_switch(tmp_path):
    env = _production_env(tmp_path, ENTURF_HTTPS="1")
    assert _server(env, "collectstatic", "--noinput", "-v", "0").returncode == 0

    done = _server(env, "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_names_what_is_missing_without_the_switch(tmp_path):
    done = _server(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode != 0
    found = set(re.findall(r"\((\w+\.W\d+)\)", done.stdout + done.stderr))
    # HSTS, HTTPS redirect, secure session and CSRF cookies; static files not collected
    assert found == {
        "security.W004",
        "security.W008",
        "security.W010",
        "enturf.W003",
        "enturf.W004",
    }
