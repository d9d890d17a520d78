"""Fixtures for the gateway tests: a running simulator, Stripe clients, Stripe's schemas."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import stripe

from gateway_sim.testing import SimulatorHandle, start_simulator

# Stripe's OpenAPI description, cut to the operations the simulator serves and the schemas
# they reference (stripe_openapi/README.md says where it comes from and how to remake it).
SPEC_PATH = Path(__file__).resolve().parent / "stripe_openapi" / "spec3.subset.json"

# Fields the simulator sends that Stripe's 2023-08-16 description lacks
# because Stripe added them later; current Stripe objects carry them (see fixtures3.json
# and the API reference). Everything else must match the 2023 description exactly.
NEWER_FIELDS: dict[str, set[str]] = {
    # Terminal readers report when they were last seen (milliseconds), added 2023-10.
    "terminal.reader": {"last_seen_at"},
    # Online card charges expose the authorisation code since 2024.
    "payment_method_details_card": {"authorization_code"},
}


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[SimulatorHandle]:
    """A fresh in-process simulator on a SQLite file of its own."""
    handle = start_simulator(db_path=tmp_path / "gateway.sqlite3", webhook_backoff=0.05)
    try:
        yield handle
    finally:
        handle.stop()


def make_stripe_client(
    sim: SimulatorHandle, key: str | None = None, retries: int = 0
) -> stripe.StripeClient:
    return stripe.StripeClient(
        key or sim.secret_key,
        base_addresses={"api": sim.url},
        max_network_retries=retries,
    )


@pytest.fixture
def client_factory(simulator: SimulatorHandle) -> Callable[..., stripe.StripeClient]:
    """``client_factory(key=None, retries=0)``: a StripeClient for the simulator."""
    return lambda key=None, retries=0: make_stripe_client(simulator, key, retries)


@pytest.fixture
def stripe_client(simulator: SimulatorHandle) -> stripe.StripeClient:
    """The official library with the secret key, pointed at the simulator."""
    return make_stripe_client(simulator)


@pytest.fixture
def restricted_client(simulator: SimulatorHandle) -> stripe.StripeClient:
    return make_stripe_client(simulator, simulator.restricted_key)


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 -> JSON Schema: ``nullable``, component refs, and no unknown fields."""
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items() if not k.startswith("x-")}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if out.pop("nullable", False):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture(scope="session")
def stripe_schemas() -> dict[str, Any]:
    spec = json.loads(SPEC_PATH.read_text())
    components = copy.deepcopy(spec["components"]["schemas"])
    for name, fields in NEWER_FIELDS.items():
        for field in fields:
            components[name]["properties"][field] = {}
    return {"$defs": _to_json_schema(components), "paths": spec["paths"]}


@pytest.fixture(scope="session")
def validate_schema(stripe_schemas: dict[str, Any]) -> Callable[[Any, str], None]:
    """``validate_schema(obj, "payment_intent")`` against Stripe's published description."""

    def validate(obj: Any, component: str) -> None:
        if isinstance(obj, stripe.StripeObject):
            obj = obj.to_dict(recursive=True)
        schema = {"$ref": f"#/$defs/{component}", "$defs": stripe_schemas["$defs"]}
        jsonschema.Draft202012Validator(schema).validate(obj)

    return validate


class WebhookReceiver:
    """A local HTTP endpoint collecting webhook deliveries; can fail the first N."""

    def __init__(self, fail_first: int = 0) -> None:
        self.received: list[tuple[bytes, dict[str, str]]] = []
        self.fail_first = fail_first
        self._attempts = 0
        self._cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._cond:
                    receiver._attempts += 1
                    failing = receiver._attempts <= receiver.fail_first
                    if not failing:
                        receiver.received.append((body, dict(self.headers.items())))
                    receiver._cond.notify_all()
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhooks"

    @property
    def attempts(self) -> int:
        return self._attempts

    def wait_for(self, predicate: Callable[[list[dict[str, Any]]], bool], timeout: float = 15):
        """Wait until ``predicate(events)`` holds; return the events."""
        with self._cond:
            self._cond.wait_for(
                lambda: predicate([json.loads(b) for b, _ in self.received]), timeout=timeout
            )
            return [json.loads(b) for b, _ in self.received]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def webhook_receiver_factory() -> Iterator[Callable[..., WebhookReceiver]]:
    """``webhook_receiver_factory(fail_first=N)``: a receiver answering 500 N times first."""
    receivers: list[WebhookReceiver] = []

    def make(fail_first: int = 0) -> WebhookReceiver:
        receivers.append(WebhookReceiver(fail_first))
        return receivers[-1]

    yield make
    for receiver in receivers:
        receiver.stop()


@pytest.fixture
def webhook_receiver(webhook_receiver_factory) -> WebhookReceiver:
    return webhook_receiver_factory()
