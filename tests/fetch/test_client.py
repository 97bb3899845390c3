"""The everyday path: headers, encodings, conditional GET, bytes left as they came."""

from __future__ import annotations

import asyncio

import pytest

from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.fetch import ACCEPT, Fetcher, fetch_one
from tests.fetch.util import get
from tests.sites.hostile import (
    FEED_ETAG,
    FEED_LAST_MODIFIED,
    FEED_XML,
    MALFORMED_XML,
    PAGE_HTML,
    WRONG_CHARSET_XML,
    HostileServer,
)


def test_feed_is_returned_as_a_page(settings: Settings, hostile: HostileServer) -> None:
    url = hostile.url("/feed.xml")
    page = get(settings, url)
    assert page.status == 200
    assert page.url == url and page.final_url == url
    assert page.content == FEED_XML
    assert not page.not_modified
    assert all(name == name.lower() for name in page.headers)
    assert page.headers["etag"] == FEED_ETAG
    assert page.content_type == "application/rss+xml"


def test_requests_identify_themselves(settings: Settings, hostile: HostileServer) -> None:
    get(settings, hostile.url("/feed.xml"), kind="feed")
    get(settings, hostile.url("/page.html"), kind="page")
    get(settings, hostile.url("/public/a.html"), kind="page", accept="text/html")
    paths = ("/feed.xml", "/page.html", "/public/a.html")
    feed, page, custom = (hostile.records(path)[0] for path in paths)
    for record in (feed, page, custom):
        assert record.headers["user-agent"] == settings.user_agent
        assert record.headers["accept-encoding"] == "gzip, deflate"
    assert feed.headers["accept"] == ACCEPT["feed"]
    assert "application/rss+xml" in feed.headers["accept"]
    assert page.headers["accept"] == ACCEPT["page"]
    assert custom.headers["accept"] == "text/html"
    assert hostile.records("/robots.txt")[0].headers["accept"] == ACCEPT["robots"]


@pytest.mark.parametrize("path", ["/gzip/feed.xml", "/deflate/feed.xml", "/raw-deflate/feed.xml"])
def test_compressed_bodies_are_decoded(
    settings: Settings, hostile: HostileServer, path: str
) -> None:
    page = get(settings, hostile.url(path))
    assert page.content == FEED_XML
    assert page.headers["content-encoding"] in ("gzip", "deflate")


def test_bodies_are_left_as_bytes(settings: Settings, hostile: HostileServer) -> None:
    wrong = get(settings, hostile.url("/wrong-charset.xml"))
    assert wrong.content == WRONG_CHARSET_XML  # no charset decoding: the caller judges
    assert wrong.charset == "iso-8859-1"
    html = get(settings, hostile.url("/html-feed"), kind="feed")
    assert html.content == PAGE_HTML and html.content_type == "text/html"
    broken = get(settings, hostile.url("/malformed.xml"))
    assert broken.content == MALFORMED_XML


def test_fetch_one_runs_from_sync_code(settings: Settings, hostile: HostileServer) -> None:
    page = fetch_one(hostile.url("/page.html"), settings)
    assert page.content == PAGE_HTML
    assert hostile.hits("/robots.txt") == 1  # kind defaults to "page": robots.txt applies


def test_unknown_kind_is_a_programming_error(settings: Settings, hostile: HostileServer) -> None:
    with pytest.raises(ValueError, match="unknown fetch kind"):
        get(settings, hostile.url("/feed.xml"), kind="podcast")
    assert hostile.requests == []


def test_conditional_get_answers_not_modified(settings: Settings, hostile: HostileServer) -> None:
    url = hostile.url("/feed.xml")
    first = get(settings, url)
    by_etag = get(settings, url, etag=first.headers["etag"])
    by_date = get(settings, url, last_modified=first.headers["last-modified"])
    for page in (by_etag, by_date):
        assert page.not_modified and page.status == 304 and page.content == b""
    records = hostile.records("/feed.xml")
    assert [r.status for r in records] == [200, 304, 304]
    assert records[1].headers["if-none-match"] == FEED_ETAG
    assert records[2].headers["if-modified-since"] == FEED_LAST_MODIFIED
    assert "if-none-match" not in records[0].headers


def test_an_unchanged_feed_costs_one_304(settings: Settings, hostile: HostileServer) -> None:
    url = hostile.url("/feed.xml")

    async def poll_three_times() -> list[bool]:
        async with Fetcher(settings) as fetcher:
            page = await fetcher.get(url)
            seen = [page.not_modified]
            for _ in range(2):
                page = await fetcher.get(url, etag=FEED_ETAG, last_modified=FEED_LAST_MODIFIED)
                seen.append(page.not_modified)
            return seen

    assert asyncio.run(poll_three_times()) == [False, True, True]
    assert [r.status for r in hostile.requests] == [200, 304, 304]
    assert len({r.client_port for r in hostile.requests}) == 1  # one kept-alive connection


def test_connections_survive_redirects_and_errors(
    settings: Settings, hostile: HostileServer
) -> None:
    async def run() -> None:
        async with Fetcher(settings) as fetcher:
            await fetcher.get(hostile.url("/redirect/chain/2"))
            with pytest.raises(FetchError):
                await fetcher.get(hostile.url("/status/404"))
            await fetcher.get(hostile.url("/feed.xml"))

    asyncio.run(run())
    assert len(hostile.requests) == 5
    assert len({r.client_port for r in hostile.requests}) == 1
