"""The lock file `make venv` installs (requirements/lock-py3.X.txt) matches pyproject.toml."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / f"lock-py{sys.version_info[0]}.{sys.version_info[1]}.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def _pins(text: str) -> dict[str, tuple[str, Requirement | None]]:
    """name -> (version, the line's marker as a requirement, if any) of a pip-compile file."""
    pins = {}
    for line in text.splitlines():
        if found := PIN.match(line):
            name, version, marker = found.groups()
            requirement = Requirement(f"{name}=={version}; {marker}") if marker else None
            pins[canonicalize_name(name)] = (version, requirement)
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(text) for text in declared]


@pytest.mark.skipif(
    not LOCK.exists() and sys.version_info >= (3, 14), reason="no lock file for this Python yet"
)
def test_the_lock_pins_every_declared_dependency_within_its_range():
    lock = LOCK.read_text(encoding="ascii")
    pins = _pins(lock)
    assert "--hash=sha256:" in lock  # pip installs it with --require-hashes
    for requirement in _declared():
        if requirement.marker and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is declared but not locked: run `make lock`"
        version, _ = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{requirement.name}=={version} is outside {requirement}: run `make lock`"
        )


def test_the_installed_versions_are_the_locked_ones():
    """`make venv` installed exactly the lock (a venue gets what the suite ran on)."""
    from importlib.metadata import PackageNotFoundError, version

    if not LOCK.exists():
        pytest.skip(f"no {LOCK.name}: this venv holds the newest versions pyproject allows")
    different = {}
    for name, (pinned, marked) in _pins(LOCK.read_text(encoding="ascii")).items():
        if marked and not marked.marker.evaluate():
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            different[name] = (pinned, installed)
    assert not different, f"locked vs installed (run `make venv`): {different}"
