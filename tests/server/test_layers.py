"""The server's apps stand in layers (`enturf_server.layers.LAYERS`): no app imports one
above it, not even inside a function, and the picture in the docs is the code's."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

from enturf_server import layers

REPO = Path(__file__).resolve().parents[2]


def test_no_app_imports_one_above_it_nor_inside_a_function():
    found = layers.violations()
    assert not found, "imports against the layers (see enturf_server/layers.py):\n" + "\n".join(
        str(imp) for imp in found
    )


def test_every_server_module_stands_on_a_floor():
    assert layers.unplaced() == [], "place the new module in enturf_server.layers.LAYERS"


def test_the_check_sees_upward_hidden_and_dynamic_imports(tmp_path):
    """Planted in a copy of a small tree: each way of reaching up is reported."""
    (tmp_path / "sync").mkdir()
    (tmp_path / "sales").mkdir()
    for name in ("sync/__init__.py", "sales/__init__.py", "sales/models.py"):
        (tmp_path / name).write_text("")
    (tmp_path / "sync" / "up.py").write_text(
        textwrap.dedent(
            """
            import importlib
            from enturf_server.sales.models import Booking

            def later():
                from enturf_server.sales import models

            LOADER = importlib.import_module("enturf_server.sales.models")
            """
        )
    )
    (tmp_path / "sales" / "down.py").write_text(
        textwrap.dedent(
            """
            from enturf_server.sync import up

            def later():
                from ..sync import up
            """
        )
    )
    (tmp_path / "sales" / "apps.py").write_text(
        textwrap.dedent(
            """
            class SalesConfig:
                def ready(self):
                    from enturf_server.sync import up
            """
        )
    )
    found = sorted(
        (imp.path, imp.line, imp.upward, imp.hidden) for imp in layers.violations(tmp_path)
    )
    assert found == [
        ("sales/down.py", 5, False, True),  # down, but hidden in a function (relative)
        ("sync/up.py", 3, True, False),
        ("sync/up.py", 6, True, True),
        ("sync/up.py", 8, True, False),  # a module path in a string
    ]


def test_the_layers_picture_is_the_code_s():
    spec = importlib.util.spec_from_file_location(
        "make_layers_svg", REPO / "docs" / "make_layers_svg.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    committed = (REPO / "docs" / "architecture-layers.svg").read_text(encoding="utf-8")
    assert committed == script.render(), "run: python docs/make_layers_svg.py"
