"""The packaged builds: `make dist-test` builds them (`make dist`, `make wheel`) and runs
this folder. It is not part of `make test` (pyproject's pytest options ignore it): a
build takes minutes. Run it alone with `make dist-test`, or after `make dist wheel` with
`python -m pytest tests/packaging`."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import pytest
from support.packaged import DIST


@pytest.fixture(scope="session")
def package_version() -> str:
    return metadata.version("enturf")


def built_program(name: str) -> Path:
    binary = DIST / "enturf-pos" / (f"{name}.exe" if sys.platform == "win32" else name)
    if not binary.is_file():
        pytest.fail(f"{binary} is not built: run `make dist` (or `make dist-test`) first")
    return binary


@pytest.fixture(scope="session")
def pos_binary() -> Path:
    """The built counter program (dist/enturf-pos/enturf-pos): windowed on Windows and
    macOS, where it cannot print."""
    return built_program("enturf-pos")


@pytest.fixture(scope="session")
def pos_cli_binary() -> Path:
    """Its console twin in the same folder (dist/enturf-pos/enturf-pos-cli)."""
    return built_program("enturf-pos-cli")


@pytest.fixture(scope="session")
def server_wheel(package_version: str) -> Path:
    wheel = DIST / f"enturf-{package_version}-py3-none-any.whl"
    if not wheel.is_file():
        pytest.fail(f"{wheel} is not built: run `make wheel` (or `make dist-test`) first")
    return wheel
