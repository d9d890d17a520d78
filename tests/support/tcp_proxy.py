"""A loopback TCP proxy for fault tests: it can go down, drop responses, or delay them.

    proxy = TcpProxy(upstream_port=8000).start()
    client -> 127.0.0.1:proxy.port -> 127.0.0.1:8000

* `down()` closes the listening socket and every open connection: clients get
  "connection refused", as when the server is off. `up()` listens again on the same port.
* `drop_responses(n, match=b"POST /api/v1/sync/push/")`: the next `n` requests whose
  bytes contain `match` are forwarded; the server acts and answers; the proxy reads the
  answer and closes the client's connection without sending it.
* `delay = 2.0`: every answer is held that long before it is forwarded.
* `hold_responses(match=b"GET /api/v1/sync/changes/")`: answers to requests whose bytes
  contain `match` are held (`responses_held` counts them) until `release()`: a client
  stopped mid-run, waiting on the server, for as long as a test needs.

Plain threads and sockets; the proxy knows just enough HTTP to find the end of a
response (Content-Length or connection close).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

_CHUNK = 65536


class TcpProxy:
    def __init__(
        self, *, upstream_port: int, upstream_host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = port
        self.delay = 0.0
        self.connections_accepted = 0
        self.responses_dropped = 0
        self.responses_held = 0
        self._hold_match: bytes | None = None
        self._released = threading.Event()
        self._released.set()
        self._drop_match: bytes = b""
        self._drops_left = 0
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._accept_thread: threading.Thread | None = None

    # -- control -----------------------------------------------------------------------------

    @property
    def is_up(self) -> bool:
        return self._listener is not None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> TcpProxy:
        self.up()
        return self

    def up(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            self.port = listener.getsockname()[1]
            self._listener = listener
        self._accept_thread = threading.Thread(
            target=self._accept_loop, args=(listener,), name="tcp-proxy-accept", daemon=True
        )
        self._accept_thread.start()

    def down(self) -> None:
        """Stop listening and cut every open connection."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            _close(listener)
        for sock in sockets:
            _close(sock)
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=5)
            self._accept_thread = None

    def stop(self) -> None:
        self.down()

    def drop_responses(self, count: int = 1, *, match: bytes = b"") -> None:
        """Drop the answers to the next `count` requests containing `match` (any if empty)."""
        with self._lock:
            self._drops_left = count
            self._drop_match = match

    def hold_responses(self, *, match: bytes) -> None:
        """Hold the answers to requests containing `match` until `release()`."""
        with self._lock:
            self._hold_match = match
            self._released.clear()

    def release(self) -> None:
        """Forward the held answers, and hold no more."""
        with self._lock:
            self._hold_match = None
        self._released.set()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.stop()

    # -- plumbing ----------------------------------------------------------------------------

    def _track(self, sock: socket.socket) -> bool:
        with self._lock:
            if self._listener is None:
                return False
            self._sockets.add(sock)
            return True

    def _untrack(self, *socks: socket.socket) -> None:
        with self._lock:
            for sock in socks:
                self._sockets.discard(sock)
        for sock in socks:
            _close(sock)

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed: down()
            self.connections_accepted += 1
            threading.Thread(
                target=self._serve, args=(client,), name="tcp-proxy-conn", daemon=True
            ).start()

    def _serve(self, client: socket.socket) -> None:
        if not self._track(client):
            _close(client)
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            self._untrack(client)
            return
        upstream.settimeout(None)
        if not self._track(upstream):
            self._untrack(client, upstream)
            return
        state = _Connection()
        threading.Thread(
            target=self._pump_requests,
            args=(client, upstream, state),
            name="tcp-proxy-up",
            daemon=True,
        ).start()
        self._pump_responses(upstream, client, state)

    def _pump_requests(
        self, client: socket.socket, upstream: socket.socket, state: _Connection
    ) -> None:
        try:
            while data := client.recv(_CHUNK):
                with self._lock:
                    if self._drops_left and (not self._drop_match or self._drop_match in data):
                        self._drops_left -= 1
                        state.drop_next = True
                    if self._hold_match and self._hold_match in data:
                        state.hold_next = True
                upstream.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            upstream.shutdown(socket.SHUT_WR)

    def _pump_responses(
        self, upstream: socket.socket, client: socket.socket, state: _Connection
    ) -> None:
        try:
            while data := upstream.recv(_CHUNK):
                if state.drop_next:
                    _read_rest_of_response(upstream, data)
                    self.responses_dropped += 1
                    break  # the server acted and answered; the client never hears it
                if self.delay:
                    time.sleep(self.delay)
                if state.hold_next:
                    state.hold_next = False
                    self.responses_held += 1
                    self._released.wait(timeout=120)  # never forever: a test that forgot
                client.sendall(data)
        except OSError:
            pass
        self._untrack(client, upstream)


class _Connection:
    __slots__ = ("drop_next", "hold_next")

    def __init__(self) -> None:
        self.drop_next = False
        self.hold_next = False


def _read_rest_of_response(sock: socket.socket, first: bytes) -> None:
    """Read the rest of one HTTP response (Content-Length) or until the server closes."""
    data = first
    sock.settimeout(5)
    try:
        while b"\r\n\r\n" not in data:
            more = sock.recv(_CHUNK)
            if not more:
                return
            data += more
        head, _, body = data.partition(b"\r\n\r\n")
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while length is None or len(body) < length:
            more = sock.recv(_CHUNK)
            if not more:
                return
            body += more
    except (OSError, ValueError):
        return


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
