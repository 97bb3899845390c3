"""https through the Fetcher: a real TLS server on loopback with a certificate of a test CA."""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.fetch import Fetcher
from newsdesk.fetch.transports import ENGINES, ssl_context
from tests.fetch.util import get, one_line

FEED = b"<rss version='2.0'><channel><title>Over TLS</title></channel></rss>"


class _Handler(BaseHTTPRequestHandler):
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
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Handler.connections = set()
    try:
        yield ca, f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_pages_come_over_tls_on_one_kept_connection(
    settings: Settings, tls_site: tuple[trustme.CA, str]
) -> None:
    ca, base = tls_site
    for engine in ENGINES:
        ca.configure_trust(ssl_context(engine))  # the test CA joins the trusted ones

    async def run() -> list[bytes]:
        async with Fetcher(settings) as fetcher:
            return [(await fetcher.get(f"{base}/feed/{n}.xml")).content for n in range(3)]

    contents = asyncio.run(run())
    assert contents == [FEED + f"<!--/feed/{n}.xml-->".encode() for n in range(3)]
    assert len(_Handler.connections) == 1


def test_a_certificate_from_an_unknown_authority_is_refused(
    settings: Settings, tls_site: tuple[trustme.CA, str]
) -> None:
    _, base = tls_site  # this CA is trusted by nobody
    with pytest.raises(FetchError) as caught:
        get(settings, f"{base}/feed.xml")
    message = one_line(caught.value)
    assert "certificate" in message.lower() and "127.0.0.1" in message
