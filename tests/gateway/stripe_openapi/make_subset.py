"""Cut Stripe's OpenAPI description down to what the gateway simulator serves.

    python tests/gateway/stripe_openapi/make_subset.py path/to/spec3.json

reads a full `spec3.json` (Stripe's `stripe/openapi` repository, `openapi/spec3.json`)
and writes `spec3.subset.json` beside this script: the operations of every route in the
simulator's route table (`gateway_sim.server.served_routes`), the component schemas they
reference (transitively), and the spec's `openapi`, `info`, `servers` and security
entries. Stripe's vendor extensions (`x-...`) are dropped: the tests do not read them,
and some point at schemas the subset leaves out. See README.md here for the version kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "spec3.subset.json"
SCHEMA_REF = "#/components/schemas/"


def served_operations() -> dict[str, set[str]]:
    """``{path template: {lower-case methods}}`` the simulator answers."""
    from gateway_sim.server import served_routes

    operations: dict[str, set[str]] = {}
    for route in served_routes():
        operations.setdefault(route.template, set()).add(route.method.lower())
    return operations


def without_extensions(node: Any) -> Any:
    if isinstance(node, list):
        return [without_extensions(item) for item in node]
    if isinstance(node, dict):
        return {k: without_extensions(v) for k, v in node.items() if not k.startswith("x-")}
    return node


def schema_refs(node: Any) -> Iterable[str]:
    """Names of the component schemas ``node`` refers to directly."""
    if isinstance(node, list):
        for item in node:
            yield from schema_refs(item)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            yield ref.removeprefix(SCHEMA_REF)
        for value in node.values():
            yield from schema_refs(value)


def subset(spec: dict[str, Any], operations: dict[str, set[str]]) -> dict[str, Any]:
    """The part of ``spec`` that ``operations`` needs; refuses an operation it lacks."""
    missing = sorted(
        f"{method.upper()} {path}"
        for path, methods in operations.items()
        for method in methods
        if method not in spec["paths"].get(path, {})
    )
    if missing:
        raise SystemExit(f"the spec lacks operations the simulator serves: {', '.join(missing)}")
    paths: dict[str, Any] = {}
    for path in sorted(operations):
        item = spec["paths"][path]
        kept = {k: v for k, v in item.items() if k in operations[path] or k == "parameters"}
        paths[path] = without_extensions(kept)

    all_schemas = spec["components"]["schemas"]
    schemas: dict[str, Any] = {}
    pending = sorted(set(schema_refs(paths)))
    while pending:
        name = pending.pop()
        if name in schemas:
            continue
        schemas[name] = without_extensions(all_schemas[name])
        pending.extend(set(schema_refs(schemas[name])) - schemas.keys())

    components: dict[str, Any] = {"schemas": dict(sorted(schemas.items()))}
    if "securitySchemes" in spec["components"]:
        components["securitySchemes"] = spec["components"]["securitySchemes"]
    head = {k: spec[k] for k in ("openapi", "info", "servers", "security") if k in spec}
    return {**head, "paths": paths, "components": components}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path, help="Stripe's full spec3.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    result = subset(spec, served_operations())
    args.output.write_text(json.dumps(result, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(
        f"{args.output}: {len(result['paths'])} paths, "
        f"{len(result['components']['schemas'])} schemas, "
        f"API version {result['info'].get('version')}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
