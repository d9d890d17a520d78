"""The vendored Stripe description: inside the repository, covering every route served."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from gateway_sim.server import served_routes

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SPEC = HERE / "stripe_openapi" / "spec3.subset.json"

_spec = importlib.util.spec_from_file_location(
    "stripe_openapi_make_subset", HERE / "stripe_openapi" / "make_subset.py"
)
assert _spec and _spec.loader
make_subset = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_subset)


def test_vendored_spec_is_in_the_repository_and_covers_every_served_route():
    assert SPEC.is_relative_to(REPO) and SPEC.is_file()
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    assert spec["info"]["version"] == "2023-08-16"  # the version README.md names
    served = {(route.method.lower(), route.template) for route in served_routes()}
    vendored = {
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert served == vendored
    # self-contained: every schema reference resolves inside the file
    refs = set(make_subset.schema_refs(spec))
    assert refs and refs <= spec["components"]["schemas"].keys()


def _tiny_spec() -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/refund"}
    return {
        "openapi": "3.0.0",
        "info": {"version": "2099-01-01"},
        "paths": {
            "/v1/refunds": {
                "get": {"responses": {"200": {"content": {"application/json": ref}}}},
                "post": {"responses": {"200": {"content": {"application/json": ref}}}},
            },
            "/v1/customers": {"get": {"x-ref": {"$ref": "#/components/schemas/customer"}}},
        },
        "components": {
            "schemas": {
                "refund": {
                    "properties": {"charge": {"$ref": "#/components/schemas/charge"}},
                    "x-expandableFields": ["charge"],
                    "x-expansionResources": {"$ref": "#/components/schemas/customer"},
                },
                "charge": {"properties": {"description": {"type": "string"}}},
                "customer": {"type": "object"},
            }
        },
    }


def test_make_subset_keeps_the_served_operations_and_the_schemas_they_reach():
    result = make_subset.subset(_tiny_spec(), {"/v1/refunds": {"post"}})

    assert result["info"] == {"version": "2099-01-01"}
    assert list(result["paths"]) == ["/v1/refunds"]
    assert list(result["paths"]["/v1/refunds"]) == ["post"]
    # refund, and charge through it; customer only through a dropped extension
    assert result["components"]["schemas"] == {
        "charge": {"properties": {"description": {"type": "string"}}},
        "refund": {"properties": {"charge": {"$ref": "#/components/schemas/charge"}}},
    }


def test_make_subset_refuses_a_spec_without_a_served_operation(tmp_path):
    source = tmp_path / "spec3.json"
    source.write_text(json.dumps(_tiny_spec()))
    with pytest.raises(SystemExit, match=r"POST /v1/payment_intents"):
        make_subset.main([str(source), "--output", str(tmp_path / "out.json")])
    assert not (tmp_path / "out.json").exists()
