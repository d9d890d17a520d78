"""The simulator's HTTP server: request pipeline, idempotency, faults, responses."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from . import admin
from .api import payment_intents, reads, refunds, terminal
from .api.routing import Route, match
from .auth import authenticate, authorize
from .config import SimConfig
from .context import Context
from .errors import StripeError, api_error, invalid_request
from .expansion import expand
from .faults import FaultSwitch, parse_fault
from .formdata import FormError, parse_form
from .idempotency import IdempotencyGuard, fingerprint
from .ids import new_request_id
from .params import string_list
from .store import Store, StoredResponse
from .worker import BackgroundWorker

log = logging.getLogger("gateway_sim")

_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, (json.dumps(payload, indent=2) + "\n").encode(), dict(headers or {}))


def strip_private(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_private(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [strip_private(v) for v in value]
    return value


class _Rollback(Exception):
    def __init__(self, error: StripeError) -> None:
        super().__init__(error.message)
        self.error = error


def served_routes() -> list[Route]:
    """Every Stripe endpoint the simulator answers (its `/_sim/` admin surface aside)."""
    return [
        *payment_intents.routes(),
        *terminal.routes(),
        *refunds.routes(),
        *reads.routes(),
    ]


class Simulator:
    """One simulator instance: its store, its HTTP server and its background worker."""

    def __init__(self, config: SimConfig) -> None:
        config.validate()
        self.config = config
        self.store = Store(config.db_path)
        self.faults = FaultSwitch()
        for spec in config.faults:
            self.faults.add(parse_fault(spec))
        self.idempotency = IdempotencyGuard(self.store)
        self.routes = served_routes()
        self.worker = BackgroundWorker(self.store, config)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> Simulator:
        self.store.prune_responses(time.time())
        self.seed()
        httpd = ThreadingHTTPServer((self.config.host, self.config.port), _RequestHandler)
        httpd.daemon_threads = True
        httpd.simulator = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            daemon=True,
            name="gateway-sim-http",
        )
        self._thread.start()
        self.worker.start()
        log.info("gateway simulator listening on %s (data in %s)", self.url, self.store.path)
        return self

    def seed(self) -> None:
        with self.store.transaction():
            terminal.seed_demo_readers(Context(self.store, self.config), self.config.demo_readers)

    @property
    def port(self) -> int:
        assert self._httpd is not None, "the simulator is not running"
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = self.config.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        self.faults.clear()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        self.worker.stop()
        self.store.close()

    # -- API requests --------------------------------------------------------

    def handle_api(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        request_id = new_request_id()
        now = time.time()
        out = {"Request-Id": request_id, "Stripe-Version": self.config.api_version}
        split = urlsplit(target)
        path = split.path
        try:
            requested_version = headers.get("stripe-version")
            if requested_version:
                if not _VERSION.match(requested_version):
                    raise invalid_request(
                        f"Invalid Stripe API version: {requested_version}", stored=False
                    )
                out["Stripe-Version"] = requested_version
            key = authenticate(self.config, headers.get("authorization"))
            route, path_params, _exists = match(self.routes, method, path)
            if route is None:
                raise invalid_request(
                    f"Unrecognized request URL ({method}: {path}). Please see "
                    "https://stripe.com/docs or we can help at https://support.stripe.com/.",
                    status=404,
                    stored=False,
                )
            authorize(self.config, key, method, route.scope)
            raw = body.decode() if method == "POST" else split.query
            params = parse_form(raw)
        except StripeError as exc:
            return self._error(exc, request_id, now, out)
        except (FormError, UnicodeDecodeError) as exc:
            return self._error(invalid_request(str(exc), stored=False), request_id, now, out)

        fault = self.faults.take(method, path)
        if fault == "error":
            return self._error(api_error(), request_id, now, out)

        idem_key = headers.get("idempotency-key") if method == "POST" else None
        if idem_key is not None:
            out["Idempotency-Key"] = idem_key
            try:
                stored = self.idempotency.begin(idem_key, method, path, params, now)
            except StripeError as exc:
                return self._error(exc, request_id, now, out)
            if stored is not None:
                reply = Reply(stored.status, stored.body.encode(), out)
                reply.headers.update(
                    {"Idempotent-Replayed": "true", "Original-Request": stored.request_id}
                )
                reply.drop = fault == "drop"
                return reply
        try:
            reply = self._execute(route, path, path_params, params, request_id, idem_key, now, out)
            if fault == "hold":
                self.faults.hold()
        finally:
            if idem_key is not None:
                self.idempotency.finish(idem_key)
        self.worker.notify()
        reply.drop = fault == "drop"
        return reply

    def _execute(
        self,
        route: Route,
        path: str,
        path_params: dict[str, str],
        params: dict[str, Any],
        request_id: str,
        idem_key: str | None,
        now: float,
        out: dict[str, str],
    ) -> Reply:
        key_params = dict(params)
        ctx = Context(self.store, self.config, request_id, idem_key, now)
        try:
            expand_paths = string_list(params, "expand") or []
            params.pop("expand", None)
            with self.store.transaction():
                try:
                    result = route.handler(ctx, params, **path_params)
                except StripeError as exc:
                    if not exc.stored:
                        raise _Rollback(exc) from exc
                    status, payload = exc.status, exc.body(request_id, ctx.timestamp)
                    extra_headers = exc.headers
                else:
                    try:
                        result = expand(self.store, result, expand_paths)
                    except StripeError as exc:
                        raise _Rollback(exc) from exc
                    status, payload, extra_headers = 200, strip_private(result), {}
                body = (json.dumps(payload, indent=2) + "\n").encode()
                if idem_key is not None:
                    self.store.store_response(
                        StoredResponse(
                            idem_key,
                            route.method,
                            path,
                            fingerprint(key_params),
                            status,
                            body.decode(),
                            request_id,
                            now,
                        )
                    )
        except _Rollback as rollback:
            return self._error(rollback.error, request_id, now, out)
        except StripeError as exc:  # raised before the handler ran (e.g. expand[])
            return self._error(exc, request_id, now, out)
        except Exception:
            log.exception("request %s failed", request_id)
            return self._error(api_error(), request_id, now, out)
        return Reply(status, body, {**out, **extra_headers})

    def _error(self, exc: StripeError, request_id: str, now: float, out: dict[str, str]) -> Reply:
        return json_reply(exc.status, exc.body(request_id, int(now)), {**out, **exc.headers})


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out as two writes: with Nagle on, the body waits for the
    # client's delayed ACK of the headers (~40 ms a request on a kept-alive connection)
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "enturf-gateway-sim"

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        simulator: Simulator = self.server.simulator  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        if urlsplit(self.path).path.startswith("/_sim"):
            reply = admin.handle(simulator, method, self.path, body)
        else:
            reply = simulator.handle_api(method, self.path, headers, body)
        if reply.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-cache, no-store")
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        # Only method, path and status: never headers (keys) nor bodies (card numbers).
        log.debug("%s %s", self.command, urlsplit(self.path).path)
