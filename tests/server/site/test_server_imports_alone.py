"""The server stands alone: importing every module of `enturf_server` (Django set up, as
`enturf-server` runs) loads neither Qt, nor the POS, nor the card-gateway simulator. The
demo that wires them together lives in `enturf_demo/` (issue 13, item 6). The imports
that importing does not run (inside functions) are read by `tests/test_package_directions.py`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# run in a fresh interpreter: this test process has imported all of them already
IMPORT_ALL = """
import importlib, json, pkgutil, sys
import django
django.setup()
import enturf_server
for module in pkgutil.walk_packages(enturf_server.__path__, "enturf_server."):
    importlib.import_module(module.name)
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
"""

FORBIDDEN = {"PySide6", "shiboken6", "enturf_pos", "gateway_sim"}


def test_importing_the_whole_server_loads_no_qt_pos_or_simulator(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTURF_")}
    env.update(DJANGO_SETTINGS_MODULE="enturf_server.settings", ENTURF_DATA_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "enturf_server" in loaded
    assert loaded & FORBIDDEN == set()
