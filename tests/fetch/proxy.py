"""A small HTTP proxy on 127.0.0.1: CONNECT tunnels and forwarded plain requests, real sockets.

It carries what it is asked to, logs each request line it got (`carried`), and closes a
forwarded connection after one answer (it sends `Connection: close` upstream).
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.fetch.util import LoopbackServer, read_head


class Proxy(LoopbackServer):
    def __init__(self) -> None:
        self.carried: list[tuple[str, str]] = []  # (method, target) of each request
        super().__init__(_Handler)


class _Handler(socketserver.BaseRequestHandler):
    server: Proxy

    def handle(self) -> None:
        read = read_head(self.request)
        if read is None:
            return
        head, rest = read
        line, *headers = head.decode("latin-1").split("\r\n")
        method, target, version = line.split(" ")
        self.server.carried.append((method, target))
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            with socket.create_connection((host, int(port)), timeout=5) as upstream:
                self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                upstream.sendall(rest)
                _pipe_both(self.request, upstream)
            return
        url = urlsplit(target)
        kept = [h for h in headers if not h.lower().startswith(("connection:", "proxy-"))]
        path = url.path + (f"?{url.query}" if url.query else "")
        forwarded = "\r\n".join([f"{method} {path} {version}", *kept, "Connection: close"])
        with socket.create_connection((url.hostname, url.port or 80), timeout=5) as upstream:
            upstream.sendall(forwarded.encode("latin-1") + b"\r\n\r\n" + rest)
            _pipe(upstream, self.request)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def _pipe_both(client: socket.socket, upstream: socket.socket) -> None:
    back = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
    back.start()
    _pipe(client, upstream)
    back.join(5)


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    server = Proxy()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
