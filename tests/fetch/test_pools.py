"""One connection pool per origin: kept-alive connections reused, the least used pools closed."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import pytest

from newsdesk.config import Settings
from newsdesk.fetch import Fetcher
from newsdesk.fetch.pools import OriginPools


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str) -> None:
        self.clients: list[int] = []  # the client port of each request

        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
                server.clients.append(self.client_address[1])
                body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else b"ok"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__((address, 0), Handler)

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


@pytest.fixture
def servers() -> Iterator[list[_Server]]:
    started = [_Server(f"127.0.0.{20 + i}") for i in range(4)]
    for server in started:
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


async def _get(pools: OriginPools, url: str) -> bytes:
    host = url.split("/")[2]
    request = httpcore.Request("GET", url, headers=[(b"Host", host.encode())])
    response = await pools.handle_async_request(request)
    try:
        return await response.aread()
    finally:
        await response.aclose()


def test_each_origin_keeps_its_connection_and_the_least_used_pools_close(
    servers: list[_Server],
) -> None:
    async def run() -> None:
        pools = OriginPools(lambda: httpcore.AsyncConnectionPool(max_connections=1), most=2)
        for server in servers:
            for path in ("/a", "/b"):
                assert await _get(pools, server.origin + path) == b"ok"
            assert pools.origins <= 2  # idle pools beyond two were closed
        # an origin whose pool was closed is asked again on a new connection
        assert await _get(pools, servers[0].origin + "/c") == b"ok"
        assert pools.origins == 2
        await pools.aclose()
        assert pools.origins == 0

    asyncio.run(run())
    for server in servers:
        assert len(server.clients) >= 2
        first, second = server.clients[:2]
        assert first == second  # the second request came on the kept-alive connection
    assert servers[0].clients[2] != servers[0].clients[0]


def test_a_fetcher_reuses_one_connection_per_host_across_hosts(
    settings: Settings, servers: list[_Server]
) -> None:
    async def run() -> None:
        async with Fetcher(settings) as fetcher:
            for round_ in range(3):
                for server in servers:
                    page = await fetcher.get(f"{server.origin}/p{round_}", kind="page")
                    assert page.content == b"ok"

    asyncio.run(run())
    for server in servers:
        assert len(server.clients) == 4  # robots.txt and three pages
        assert len(set(server.clients)) == 1
