"""The fault-injecting proxy itself, against a small local HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from support.tcp_proxy import TcpProxy


class _Counter(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    handled: list[str] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        self.handled.append(body.decode())
        answer = f'{{"count": {len(self.handled)}}}'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[ThreadingHTTPServer]:
    _Counter.handled = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(upstream: ThreadingHTTPServer) -> Iterator[TcpProxy]:
    with TcpProxy(upstream_port=upstream.server_address[1]) as tcp_proxy:
        yield tcp_proxy


def post(proxy: TcpProxy, body: str, session: requests.Session | None = None, **kw):
    return (session or requests).post(f"{proxy.base_url}/op", data=body, timeout=5, **kw)


def test_forwards_requests_and_answers(proxy):
    with requests.Session() as session:  # keep-alive: several requests on one connection
        assert post(proxy, "a", session).json() == {"count": 1}
        assert post(proxy, "b", session).json() == {"count": 2}
    assert _Counter.handled == ["a", "b"]


def test_down_refuses_connections_and_up_serves_again_on_the_same_port(proxy):
    port = proxy.port
    proxy.down()
    assert not proxy.is_up
    with pytest.raises(requests.ConnectionError):
        post(proxy, "lost")
    assert _Counter.handled == []
    proxy.up()
    assert proxy.port == port
    assert post(proxy, "back").json() == {"count": 1}


def test_down_cuts_open_keep_alive_connections(proxy):
    with requests.Session() as session:
        post(proxy, "first", session)
        proxy.down()
        with pytest.raises(requests.ConnectionError):
            post(proxy, "second", session)
    assert _Counter.handled == ["first"]


def test_a_dropped_response_was_still_acted_on_by_the_server(proxy):
    proxy.drop_responses(1, match=b"pay-me")
    with pytest.raises(requests.ConnectionError):
        post(proxy, "pay-me")
    assert _Counter.handled == ["pay-me"]  # the server acted; the client never heard
    assert proxy.responses_dropped == 1
    assert post(proxy, "pay-me").json() == {"count": 2}  # only the next one was dropped


def test_drop_matches_only_the_named_requests(proxy):
    proxy.drop_responses(1, match=b"push")
    assert post(proxy, "other").json() == {"count": 1}
    with pytest.raises(requests.ConnectionError):
        post(proxy, "push")
    assert _Counter.handled == ["other", "push"]


def test_delay_holds_answers_back(proxy):
    proxy.delay = 1.0
    with pytest.raises(requests.ReadTimeout):
        requests.post(f"{proxy.base_url}/op", data="slow", timeout=(2, 0.2))
    proxy.delay = 0
    assert post(proxy, "fast").json()["count"] == 2
    assert _Counter.handled == ["slow", "fast"]


def test_held_answers_wait_for_release_and_the_others_pass(proxy):
    proxy.hold_responses(match=b"held")
    answers: list[dict] = []
    waiting = threading.Thread(target=lambda: answers.append(post(proxy, "held").json()))
    waiting.start()
    while proxy.responses_held == 0:
        waiting.join(0.01)
    assert post(proxy, "other").json() == {"count": 2}  # not held: answered meanwhile
    assert answers == [] and waiting.is_alive()
    proxy.release()
    waiting.join(5)
    assert answers == [{"count": 1}]
    assert post(proxy, "held again").json() == {"count": 3}  # released: no more holding
