"""The test tree itself: pytest imports test modules by their file name (no packages), so
two modules of one name in different folders cannot be collected in one run; the tests of
the server and of the POS sit in folders named for what they test (`tests/server/<app>/`,
`tests/pos/ui/cashier/`...), never loose in `tests/server/` or `tests/pos/`; and tests
share code only through `tests/support/`.

The rule of imports (checked on the syntax tree of every Python file under tests/):

* Outside `tests/support/`, a Python file is a test module (`test_*.py`), a `conftest.py`,
  or a script run on its own (it has an `if __name__ == "__main__":` block, e.g. the tool
  that remakes vendored data). A helper shared by tests is a module of `tests/support/`;
  a fixture used by the tests of one folder only may live in that folder's conftest.
* The only part of tests/ that any file imports is the `support` package (`support` or
  `support.<module>`): never a test module, a conftest, a script, nor a folder of tests/ as
  a namespace package (`pos.seat_map_fixtures`). Relative imports only inside `support`.
  A name of tests/ that is also an installed or standard module (`site`) is that module.
"""

from __future__ import annotations

import ast
import importlib.machinery
import sys
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support"


def _python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)


def _in_support(path: Path) -> bool:
    return path.is_relative_to(SUPPORT)


def _is_script(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
        for node in tree.body
    )


def _local_names() -> set[str]:
    """Top-level names an import could reach inside tests/ (pytest puts tests/ and every
    test folder on sys.path): each module's stem and each folder's name, except `support`
    and the names that are importable from outside tests/ anyway."""
    names = {p.stem for p in _python_files() if not _in_support(p)}
    names |= {p.name for p in TESTS.rglob("*") if p.is_dir() and not _in_support(p)}
    names -= {"support", "__pycache__"}
    outside = [p for p in sys.path if not Path(p or ".").resolve().is_relative_to(TESTS)]
    return {
        name
        for name in names
        if name not in sys.builtin_module_names
        and importlib.machinery.PathFinder.find_spec(name, outside) is None
    }


def _imported(tree: ast.Module) -> list[tuple[int, str, int]]:
    """(line, top-level module name, relative level) of every import in the file."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0], 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, (node.module or "").split(".")[0], node.level))
    return found


def test_no_two_test_modules_share_a_file_name():
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert [name for name, n in names.items() if n > 1] == []


def test_server_and_pos_tests_sit_in_a_folder_of_what_they_test():
    loose = sorted(
        f"{side}/{path.name}"
        for side in ("server", "pos")
        for path in (TESTS / side).glob("*.py")
        if path.name != "conftest.py"
    )
    assert loose == [], "move them to the folder of the app or package they test"


def test_helpers_live_in_support():
    stray = []
    for path in _python_files():
        if _in_support(path) or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        if not _is_script(ast.parse(path.read_text(encoding="utf-8"))):
            stray.append(str(path.relative_to(TESTS)))
    assert stray == [], "helpers shared by tests belong in tests/support/"


def test_tests_import_nothing_of_tests_but_support():
    local = _local_names()
    bad = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, name, level in _imported(tree):
            if (level and not _in_support(path)) or (not level and name in local):
                bad.append(f"{path.relative_to(TESTS)}:{line} imports {'.' * level}{name}")
    assert bad == [], "share code through tests/support/, not another test file"
