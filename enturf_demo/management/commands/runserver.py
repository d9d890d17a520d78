"""`runserver` as Django's (with staticfiles' static files), its connections with
TCP_NODELAY: Django's handler sends a response's headers and body as two writes, and on
a kept-alive connection (the counter's and the tests' `requests.Session`) Nagle holds the
body back until the client's delayed ACK of the headers, ~25-40 ms a request. The demo
(`make run`) and the tests' server (`tests/support/server_process.py`) run it;
production runs gunicorn (docs/deployment.md)."""

from __future__ import annotations

import socket

from django.contrib.staticfiles.management.commands.runserver import (
    Command as StaticfilesRunserver,
)
from django.core.servers.basehttp import WSGIServer


class NoDelayWSGIServer(WSGIServer):
    def get_request(self) -> tuple[socket.socket, object]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class Command(StaticfilesRunserver):
    server_cls = NoDelayWSGIServer
