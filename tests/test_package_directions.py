"""Which package may import which: the directions of docs/architecture.md, kept by the suite.

A static walk over every module's source (module-level imports, imports inside functions,
and ``importlib.import_module("...")`` with a literal name), so a forbidden import fails
here even when no test runs the code that makes it. The server's own app layers are
checked by ``tests/server/site/test_layers.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package (or subpackage) -> top-level names it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    # shared by both sides: plain Python, reportlab and cryptography only
    "enturf_core": (
        "enturf_pos",
        "enturf_server",
        "enturf_demo",
        "gateway_sim",
        "django",
        "rest_framework",
        "PySide6",
        "sqlalchemy",
    ),
    # the card gateway stands alone, as Stripe does
    "gateway_sim": ("enturf_core", "enturf_pos", "enturf_server", "enturf_demo", "PySide6"),
    # the POS speaks to the server over HTTP only
    "enturf_pos": ("enturf_server", "enturf_demo", "gateway_sim", "django", "rest_framework"),
    # no widgets below the UI: services and models never import ui or Qt
    "enturf_pos/services": ("enturf_pos.ui", "PySide6"),
    "enturf_pos/models": ("enturf_pos.ui", "enturf_pos.services", "PySide6"),
    # the server installs without Qt, the POS or the simulator
    "enturf_server": ("enturf_pos", "enturf_demo", "gateway_sim", "PySide6", "shiboken6"),
}


def imported_names(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    """Every absolute module name a source imports, with its line."""
    package = module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *filter(None, [node.module])])
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (
                    isinstance(node.func, ast.Name)
                    and node.func.id in {"import_module", "__import__"}
                )
            )
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def forbidden_imports(folder: str, forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted((root / folder).rglob("*.py")):
        relative = path.relative_to(root)
        module = ".".join(relative.with_suffix("").parts)
        for line, name in imported_names(ast.parse(path.read_text(), str(path)), module):
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden):
                problems.append(f"{relative}:{line} imports {name}")
    return problems


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_package_imports_against_the_direction(folder):
    assert forbidden_imports(folder, FORBIDDEN[folder]) == []


def test_the_walk_sees_imports_hidden_in_functions(tmp_path):
    """The check itself: imports planted inside a function, relative or by name, are found."""
    package = tmp_path / "enturf_core" / "sub"
    package.mkdir(parents=True)
    (package / "planted.py").write_text(
        "import importlib\n"
        "def f():\n"
        "    import enturf_server.sales\n"
        "    from enturf_pos.services import sales\n"
        "    importlib.import_module('PySide6.QtCore')\n"
    )
    assert forbidden_imports("enturf_core", FORBIDDEN["enturf_core"], root=tmp_path) == [
        "enturf_core/sub/planted.py:3 imports enturf_server.sales",
        "enturf_core/sub/planted.py:4 imports enturf_pos.services",
        "enturf_core/sub/planted.py:4 imports enturf_pos.services.sales",
        "enturf_core/sub/planted.py:5 imports PySide6.QtCore",
    ]
