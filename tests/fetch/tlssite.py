"""A TLS server on loopback with a certificate of a test CA (trustme), counting its connections."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

from newsdesk.fetch.transports import ENGINES, ssl_context

FEED = b"<rss version='2.0'><channel><title>Over TLS</title></channel></rss>"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    connections: set[int] = set()

    def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
        type(self).connections.add(self.client_address[1])  # one port a connection
        body = FEED + b"<!--" + self.path.encode() + b"-->"
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tls_site() -> Iterator[tuple[trustme.CA, str]]:
    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Handler.connections = set()
    try:
        yield ca, f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def trust(ca: trustme.CA) -> None:
    """Every Fetcher trusts certificates of this CA from now on, whichever its transport."""
    for engine in ENGINES:
        ca.configure_trust(ssl_context(engine))
