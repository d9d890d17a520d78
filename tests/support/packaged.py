"""Helpers of tests/packaging/: where the builds are, and a child environment that cannot
reach the checkout (what runs must be the build)."""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("ENTURF_DIST_DIR", ROOT / "dist"))


def outside_env(**changes: str | None) -> dict[str, str]:
    """This process's environment without PYTHONPATH/PYTHONHOME; `None` removes a name."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def check_report(stdout: str) -> dict:
    """The one JSON line of `enturf-pos --check`."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    return json.loads(lines[0])
