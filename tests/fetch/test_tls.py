"""https through the Fetcher: a real TLS server on loopback with a certificate of a test CA."""

from __future__ import annotations

import asyncio

import pytest
import trustme

from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.fetch import Fetcher
from tests.fetch.tlssite import FEED, Handler, trust
from tests.fetch.util import get, one_line


def test_pages_come_over_tls_on_one_kept_connection(
    settings: Settings, tls_site: tuple[trustme.CA, str]
) -> None:
    ca, base = tls_site
    trust(ca)  # the test CA joins the trusted ones

    async def run() -> list[bytes]:
        async with Fetcher(settings) as fetcher:
            return [(await fetcher.get(f"{base}/feed/{n}.xml")).content for n in range(3)]

    contents = asyncio.run(run())
    assert contents == [FEED + f"<!--/feed/{n}.xml-->".encode() for n in range(3)]
    assert len(Handler.connections) == 1


def test_a_certificate_from_an_unknown_authority_is_refused(
    settings: Settings, tls_site: tuple[trustme.CA, str]
) -> None:
    _, base = tls_site  # this CA is trusted by nobody
    with pytest.raises(FetchError) as caught:
        get(settings, f"{base}/feed.xml")
    message = one_line(caught.value)
    assert "certificate" in message.lower() and "127.0.0.1" in message
