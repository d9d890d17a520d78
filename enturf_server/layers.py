"""The server's layers, lowest first, and the imports between its apps as the code has them.

An app may import apps on its own floor or below, never one above, and never from inside
a function (the one exception: an `AppConfig.ready()`, where an app registers with the
ones below it). Higher apps plug into lower ones through registries: sync's push ops and
snapshot providers, billing's documents of a paid booking, sales' booking fees and
vouchers, the catalog's event inventory and delete guards, accounts' device retirement.

`tests/server/site/test_layers.py` checks every import against `LAYERS`, and
`docs/make_layers_svg.py` draws the import graph in `docs/architecture-layers.svg`.
Plain Python (no Django): the docs script reads it without settings.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "enturf_server"
ROOT = Path(__file__).resolve().parent

# Each floor is a tuple of the top-level modules or packages of `enturf_server` on it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("api", "key_files"),  # plumbing: DRF, errors, inputs, model rows; key files (no Django)
    ("sync",),  # change log, cursor, feed, push dispatch and the registries: knows no app
    ("audit",),  # the audit log, written with the change log (`sync.changes`)
    ("accounts",),
    ("catalog",),
    ("sales",),
    ("billing",),
    ("invoicing",),
    ("ticketing",),
    ("checkins",),  # door check-in: lists, scans (online and pushed), live figures
    ("shifts",),
    ("counters",),  # counter devices: their sales, allocations, sync endpoints, review
    ("reports",),  # read-only aggregates over sales, billing, invoicing, shifts, counters
    ("urls", "settings", "wsgi", "manage", "layers"),  # the project: wires them up
)
APP_FLOORS = LAYERS[:-1]  # what the architecture picture shows (the project imports all)
PROJECT = len(LAYERS) - 1

_MODULE_TEXT = re.compile(rf"{PACKAGE}(\.[A-Za-z_]\w*)+")


def floor_of(unit: str) -> int | None:
    """The floor (0 = lowest) of a top-level module or package; None if not placed."""
    for number, floor in enumerate(LAYERS):
        if unit in floor:
            return number
    return None


@dataclass(frozen=True)
class Import:
    """One reference from a server file to a server module: an import statement, or a
    module path in a string (`importlib.import_module(...)`, `include(...)`)."""

    path: str  # the importing file, relative to the package
    line: int
    source: str  # the importing unit (top-level module or package)
    target: str  # the imported unit
    module: str  # the full module path imported
    in_function: bool  # inside a function body
    in_ready: bool  # inside an `AppConfig.ready()`

    @property
    def upward(self) -> bool:
        here, there = floor_of(self.source), floor_of(self.target)
        return here is not None and there is not None and there > here

    @property
    def hidden(self) -> bool:
        """An app's import inside a function other than `ready()` (the project, which
        starts the server, may name its modules where it needs them)."""
        return self.in_function and not self.in_ready and floor_of(self.source) != PROJECT

    def __str__(self) -> str:
        why = [w for w, bad in (("above it", self.upward), ("in a function", self.hidden)) if bad]
        return f"{PACKAGE}/{self.path}:{self.line}: {self.source} imports {self.module}" + (
            f" ({', '.join(why)})" if why else ""
        )


def source_files(root: Path = ROOT) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.relative_to(root).parts:
            yield path


def unit_of(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 else path.stem


def imports(root: Path = ROOT) -> list[Import]:
    """Every reference from one unit of the server to another, in file and line order."""
    found: list[Import] = []
    for path in source_files(root):
        relative = path.relative_to(root).as_posix()
        source = unit_of(path, root)
        dotted = [PACKAGE, *path.relative_to(root).with_suffix("").parts]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function, in_ready in _walk(tree):
            for module in _referenced(node, dotted, path.name == "__init__.py"):
                parts = module.split(".")
                if parts[0] != PACKAGE or len(parts) < 2 or parts[1] == source:
                    continue
                ready = in_ready and path.name == "apps.py"  # an AppConfig's
                found.append(
                    Import(relative, node.lineno, source, parts[1], module, in_function, ready)
                )
    return sorted(found, key=lambda imp: (imp.path, imp.line, imp.module))


def violations(root: Path = ROOT) -> list[Import]:
    """Upward and hidden imports."""
    return [imp for imp in imports(root) if imp.upward or imp.hidden]


def unplaced(root: Path = ROOT) -> list[str]:
    """Top-level modules and packages of the server on no floor."""
    units = {unit_of(path, root) for path in source_files(root)} - {"__init__"}
    return sorted(unit for unit in units if floor_of(unit) is None)


def edges(root: Path = ROOT) -> dict[tuple[str, str], int]:
    """(importer, imported) -> number of references, between units on `APP_FLOORS`."""
    shown = {unit for floor in APP_FLOORS for unit in floor}
    counted: dict[tuple[str, str], int] = {}
    for imp in imports(root):
        if imp.source not in shown or imp.target not in shown:
            continue
        counted[imp.source, imp.target] = counted.get((imp.source, imp.target), 0) + 1
    return dict(sorted(counted.items()))


def _walk(tree: ast.AST) -> Iterator[tuple[ast.AST, bool, bool]]:
    """Every node, with whether it is inside a function and inside a `ready()` method."""
    stack: list[tuple[ast.AST, bool, bool]] = [(tree, False, False)]
    while stack:
        node, in_function, in_ready = stack.pop()
        yield node, in_function, in_ready
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            ready = in_ready or (not in_function and getattr(node, "name", "") == "ready")
            in_function, in_ready = True, ready
        stack.extend((child, in_function, in_ready) for child in ast.iter_child_nodes(node))


def _referenced(node: ast.AST, dotted: list[str], is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if not node.level:
            base = node.module or ""
        else:  # relative: from the importing module's package, `level - 1` packages up
            package = dotted if is_package else dotted[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, *([node.module] if node.module else [])])
        if base == PACKAGE:  # `from enturf_server import sales` names the unit in the alias
            return [f"{base}.{alias.name}" for alias in node.names]
        return [base]
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _MODULE_TEXT.fullmatch(node.value)
    ):
        return [node.value]
    return []
