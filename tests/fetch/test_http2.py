"""HTTP/2 through httpx's transport, against a server that speaks nothing else."""

from __future__ import annotations

import asyncio

import trustme

from newsdesk.config import Settings
from newsdesk.fetch import Fetcher
from tests.fetch.h2server import FEED, H2Server
from tests.fetch.tlssite import trust
from tests.fetch.util import tuned


def test_a_server_that_wants_http2_gets_it(
    settings: Settings, h2_site: tuple[trustme.CA, H2Server]
) -> None:
    ca, server = h2_site
    trust(ca)

    async def run() -> list[bytes]:
        async with Fetcher(tuned(settings, http_transport="httpx")) as fetcher:
            pages = [await fetcher.get(f"{server.origin}/feed/{n}.xml") for n in range(3)]
        assert all(page.status == 200 and page.headers["content-length"] for page in pages)
        return [page.content for page in pages]

    contents = asyncio.run(run())
    assert contents == [FEED + f"<!--/feed/{n}.xml-->".encode() for n in range(3)]
    assert server.requests == [(f"/feed/{n}.xml", "h2") for n in range(3)]
    assert server.connections == 1  # one connection carries every stream
